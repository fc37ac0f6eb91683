package benchwork

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dendritic/dendritic/htmdetect"
	"github.com/dendritic/dendritic/nab"
)

// nab/corpus-htm: the "htm" detector (htmdetect, numentaTM configuration)
// over the 58 files of NAB (365,558 rows), GOMAXPROCS files at a time, in
// memory (no results written): seconds of wall time. It takes about a
// minute on two cores, so it is Optional: "dendritic bench --suite nab"
// runs it, "--suite all" does not.

// nabRoot is where the corpus case reads NAB, relative to the working
// directory: the project's read-only copy, the default --data of
// `dendritic nab`.
const nabRoot = "../shared/data/nab"

func corpusHTM() (float64, error) { return corpus(htmdetect.NameHTM) }

// nab/corpus-numenta: the same for the "numenta" detector (backtracking
// TM, NuPIC's seeds).
func corpusNumenta() (float64, error) { return corpus(htmdetect.NameNumenta) }

func corpus(detector string) (float64, error) {
	if _, err := os.Stat(nabRoot); err != nil {
		return 0, fmt.Errorf("the NAB corpus is needed at %s (relative to the working directory): %v", nabRoot, err)
	}
	c, err := nab.LoadCorpus(nabRoot)
	if err != nil {
		return 0, err
	}
	return corpusSeconds(c, detector, runtime.GOMAXPROCS(0))
}

// corpusSeconds runs a detector over every file of c, jobs files at a
// time, longest first, and returns the wall time in seconds.
func corpusSeconds(c *nab.Corpus, detector string, jobs int) (float64, error) {
	factory, err := nab.Lookup(detector, htmdetect.NumentaSeed) // the htm detector ignores it
	if err != nil {
		return 0, err
	}
	files := slices.Clone(c.Files)
	slices.SortStableFunc(files, func(a, b *nab.File) int { return b.Len() - a.Len() })
	t0 := time.Now()
	next := make(chan *nab.File)
	errs := make(chan error, len(files))
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for f := range next {
				if _, err := nab.DetectSeries(context.Background(), f, factory, nil); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return time.Since(t0).Seconds(), nil
}

func init() {
	register(Case{Name: "nab/corpus-htm", Suite: "nab", Unit: "s/corpus", Optional: true, Run: corpusHTM})
	register(Case{Name: "nab/corpus-numenta", Suite: "nab", Unit: "s/corpus", Optional: true, Run: corpusNumenta})
}
