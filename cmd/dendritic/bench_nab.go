package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/htmdetect"
	"github.com/dendritic/dendritic/nab"
	"github.com/dendritic/dendritic/sdr"
)

// Benchmark cases of the temporal memory stage of the hello workload and of
// the HTM detector on the whole NAB corpus.
//
//	hello/tm         the temporal memory of htm.core's benchmark_hotgym
//	                 (HelloSPTP.cpp): 2048 columns × 8 cells, htm.core's
//	                 other defaults, learning, on the spatial pooler's output
//	                 of the hello workload (see bench_stages.go), 5000 steps.
//	                 The SP outputs are computed once, untimed. htm.core 2.2.0
//	                 on the project's machine: 3.26 s.
//	nab/corpus-htm   the "htm" detector (htmdetect, numentaTM configuration)
//	                 over the 58 files of NAB (365,558 rows), GOMAXPROCS files
//	                 at a time, in memory (no results written): seconds of
//	                 wall time. It takes about a minute on two cores, so it is
//	                 Optional: "dendritic bench --suite nab" runs it, "--suite
//	                 all" does not. It needs the corpus at ../shared/data/nab.

// helloColumns returns the spatial pooler's active columns for the 5000
// steps of the hello workload (the SP learning, as in hello/sp-global).
func helloColumns() ([][]uint32, error) {
	inputs, err := helloInputs()
	if err != nil {
		return nil, err
	}
	sp, err := spatial.New(spatial.DefaultParams([]int{1000}, []int{2048}))
	if err != nil {
		return nil, err
	}
	out, err := sdr.New(2048)
	if err != nil {
		return nil, err
	}
	cols := make([][]uint32, len(inputs))
	for i, in := range inputs {
		if err := sp.Compute(in, true, out); err != nil {
			return nil, err
		}
		cols[i] = append([]uint32(nil), out.Sparse()...)
	}
	return cols, nil
}

// helloTMParams are htm.core's TemporalMemory defaults with 8 cells per
// column, as HelloSPTP.cpp constructs it.
func helloTMParams() htm.Params {
	p := htm.DefaultParams()
	p.NumColumns = 2048
	p.CellsPerColumn = 8
	return p
}

func init() {
	registerBench(benchCase{
		Name: "hello/tm", Suite: "hello", Unit: "s/5000steps",
		Run: func() (float64, error) {
			cols, err := helloColumns()
			if err != nil {
				return 0, err
			}
			var tm *htm.TemporalMemory
			return benchEpisodes(
				func() (err error) {
					tm, err = htm.New(helloTMParams())
					return err
				},
				func() error {
					for _, c := range cols {
						if err := tm.Compute(c, true); err != nil {
							return err
						}
					}
					return nil
				})
		},
	})
	registerBench(benchCase{
		Name: "nab/corpus-htm", Suite: "nab", Unit: "s/corpus", Optional: true,
		Run: func() (float64, error) {
			if _, err := os.Stat(defaultNABRoot); err != nil {
				return 0, fmt.Errorf("the NAB corpus is needed at %s (relative to the working directory): %v", defaultNABRoot, err)
			}
			c, err := nab.LoadCorpus(defaultNABRoot)
			if err != nil {
				return 0, err
			}
			return benchCorpus(c, htmdetect.NameHTM, runtime.GOMAXPROCS(0))
		},
	})
}

// benchCorpus runs a detector over every file of c, jobs files at a time,
// longest first, and returns the wall time in seconds.
func benchCorpus(c *nab.Corpus, detector string, jobs int) (float64, error) {
	factory, err := nab.Lookup(detector, 1)
	if err != nil {
		return 0, err
	}
	files := append([]*nab.File(nil), c.Files...)
	slices.SortStableFunc(files, func(a, b *nab.File) int { return b.Len() - a.Len() })
	t0 := time.Now()
	next := make(chan *nab.File)
	errs := make(chan error, len(files))
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				if _, err := nab.DetectSeries(context.Background(), f, factory, nil); err != nil {
					errs <- err
				}
			}
		}()
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
