package nab

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// FileInfo is what NAB tells a detector about a file before its first row:
// its name, length, probationary period and the whole file's minimum and
// maximum value (a deliberate look-ahead that NAB allows; the HTM detector
// sizes its value encoder from it). A detector never sees the labels.
type FileInfo struct {
	Name      string
	Rows      int
	Probation int
	Min, Max  float64
}

// CheckRange reports whether [lo, hi] can serve a detector as a value range
// (FileInfo's Min and Max): both finite, lo ≤ hi, and hi − lo finite, so
// that scaling a value by the range cannot overflow. lo = hi is allowed.
func CheckRange(lo, hi float64) error {
	switch {
	case math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0):
		return fmt.Errorf("range [%v, %v] is not finite", lo, hi)
	case hi < lo:
		return fmt.Errorf("range [%v, %v] has max < min", lo, hi)
	case math.IsInf(hi-lo, 0):
		return fmt.Errorf("range [%v, %v] is too wide for float64", lo, hi)
	}
	return nil
}

// Info returns the FileInfo of a corpus file.
func (f *File) Info() FileInfo {
	info := FileInfo{Name: f.Name, Rows: f.Len(), Probation: f.Probation()}
	if f.Len() > 0 {
		info.Min, info.Max = slices.Min(f.Values), slices.Max(f.Values)
	}
	return info
}

// Detector is a streaming anomaly detector for one file: Score receives the
// rows in order and returns each row's anomaly score in [0,1] before it sees
// the next row.
type Detector interface {
	Score(t time.Time, value float64) (float64, error)
}

// DetectorFunc adapts a function to the Detector interface.
type DetectorFunc func(t time.Time, value float64) (float64, error)

// Score calls f.
func (f DetectorFunc) Score(t time.Time, value float64) (float64, error) { return f(t, value) }

// DetectorFactory returns a new detector for a file. It is called once per
// file, possibly from several goroutines at once.
type DetectorFactory func(FileInfo) (Detector, error)

// NullDetector is NAB's null detector: every score is 0. It scores 0 under
// every profile.
func NullDetector(FileInfo) (Detector, error) {
	return DetectorFunc(func(time.Time, float64) (float64, error) { return 0, nil }), nil
}

// RandomDetector returns NAB's random detector: uniform scores in [0,1).
// Each file gets its own generator, seeded from seed and the file's name, so
// the scores of a file do not depend on the order in which files are run.
func RandomDetector(seed uint64) DetectorFactory {
	return func(info FileInfo) (Detector, error) {
		h := fnv.New64a()
		h.Write([]byte(info.Name))
		rng := rand.New(rand.NewPCG(seed, h.Sum64()))
		return DetectorFunc(func(time.Time, float64) (float64, error) { return rng.Float64(), nil }), nil
	}
}

// DetectSeries runs a fresh detector over the rows of a file and returns its
// scores. It checks ctx every 256 rows; after each block it calls progress (if
// not nil) with the number of rows just scored. A score outside [0,1] (NaN
// included) is an error naming the row.
func DetectSeries(ctx context.Context, f *File, newDetector DetectorFactory, progress func(rows int)) ([]float64, error) {
	d, err := newDetector(f.Info())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	scores := make([]float64, f.Len())
	const block = 256
	for i := range scores {
		if i%block == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil {
				progress(block)
			}
		}
		a, err := d.Score(f.Timestamps[i], f.Values[i])
		if err != nil {
			return nil, fmt.Errorf("%s: row %d (%s): %w", f.Name, i, formatTime(f.Timestamps[i]), err)
		}
		if !(a >= 0 && a <= 1) {
			return nil, fmt.Errorf("%s: row %d (%s): the detector's score %v is outside [0,1]", f.Name, i, formatTime(f.Timestamps[i]), a)
		}
		scores[i] = a
	}
	if progress != nil && len(scores) > 0 {
		progress((len(scores)-1)%block + 1)
	}
	return scores, nil
}

// RunOptions configures Run.
type RunOptions struct {
	// Jobs is the number of files run at once (default runtime.NumCPU()).
	// It is capped at runtime.NumCPU(): a detector is CPU-bound and holds
	// its model in memory (about 20 MB for htm), so jobs beyond the cores
	// cost memory and buy no speed (--jobs 10000 grew to 1.3 GB). The
	// summary's Jobs is the number used.
	Jobs int
	// Redo runs every file again, even those whose results exist.
	Redo bool
	// Progress, if not nil, is called (serially) as rows are scored and
	// files finish.
	Progress func(RunProgress)
}

// RunProgress is the state of a run, given to RunOptions.Progress.
type RunProgress struct {
	FilesDone, FilesSkipped, FilesTotal int
	RowsDone, RowsTotal                 int64
	// File is the file that just finished, or "" for an update during a
	// file.
	File string
}

// RunFile is the outcome of one file of a run.
type RunFile struct {
	Name    string
	Rows    int
	Skipped bool    // the results existed and were kept
	Written bool    // the results were written by this run
	Seconds float64 // time spent on the file (0 if skipped or not run)
	Err     error   // the file failed (or was interrupted)
}

// RunSummary is the outcome of Run.
type RunSummary struct {
	Detector         string
	Dir              string
	Files            []RunFile // in corpus order
	Written, Skipped int
	Failed           int
	// Rows counts the rows scored by this run (not those skipped).
	Rows int64
	// Seconds is the wall time of the run; CPUSeconds sums the files'
	// times (the time one core would have taken).
	Seconds, CPUSeconds float64
	Jobs                int
	Interrupted         bool
}

// tmpPrefix marks the temporary files of Run, which are renamed to their
// final name only when complete.
const tmpPrefix = ".tmp-"

// Run runs a detector over every file of a corpus, files in parallel, and
// writes NAB results files to ResultsPath(dir, detector, file) — the layout
// that LoadResults and "dendritic nab score" read. Each file is written to a
// temporary file in the same directory and renamed when complete, so a
// results file is either absent or whole: an interrupted run (ctx
// cancelled) keeps every finished file. Unless o.Redo is set, a file whose
// results already exist and match its data file row by row is skipped.
// Temporary files left by a killed run are removed, so two runs of the
// same detector must not share a directory at the same time.
//
// The scores of a file depend only on the file and the detector, not on
// the number of jobs or the order of the files. Run returns an error if
// any file failed (the summary says which) or if ctx was cancelled.
func Run(ctx context.Context, c *Corpus, dir, detector string, newDetector DetectorFactory, o RunOptions) (*RunSummary, error) {
	if detector == "" || strings.ContainsAny(detector, `/\`) || detector == "." || detector == ".." || strings.HasPrefix(detector, ".") {
		return nil, fmt.Errorf("nab: invalid detector name %q", detector)
	}
	if newDetector == nil {
		return nil, errors.New("nab: no detector factory")
	}
	jobs := o.Jobs
	if jobs <= 0 || jobs > runtime.NumCPU() {
		jobs = runtime.NumCPU()
	}
	start := time.Now()
	sum := &RunSummary{Detector: detector, Dir: dir, Jobs: jobs, Files: make([]RunFile, len(c.Files))}
	var todo []int
	var rowsTotal int64
	for i, f := range c.Files {
		sum.Files[i] = RunFile{Name: f.Name, Rows: f.Len()}
		if err := cleanTemps(filepath.Dir(ResultsPath(dir, detector, f.Name))); err != nil {
			return nil, err
		}
		if !o.Redo && resultsComplete(dir, detector, f) {
			sum.Files[i].Skipped = true
			sum.Skipped++
			continue
		}
		todo = append(todo, i)
		rowsTotal += int64(f.Len())
	}
	// Longest files first, so that the last job to finish is a short one.
	slices.SortStableFunc(todo, func(a, b int) int { return cmp.Compare(c.Files[b].Len(), c.Files[a].Len()) })

	var mu sync.Mutex
	prog := RunProgress{FilesSkipped: sum.Skipped, FilesTotal: len(c.Files), RowsTotal: rowsTotal}
	report := func(rows int, file string) {
		if o.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		prog.RowsDone += int64(rows)
		p := prog
		p.File = file
		if file != "" {
			prog.FilesDone++
			p.FilesDone = prog.FilesDone
		}
		o.Progress(p)
	}
	if o.Progress != nil {
		o.Progress(prog)
	}

	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, max(1, len(todo))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := c.Files[i]
				rf := &sum.Files[i]
				if rf.Err = ctx.Err(); rf.Err != nil {
					continue
				}
				t0 := time.Now()
				scores, err := DetectSeries(ctx, f, newDetector, func(rows int) { report(rows, "") })
				if err == nil {
					err = writeResultsAtomic(dir, detector, f, scores)
				}
				rf.Seconds = time.Since(t0).Seconds()
				rf.Err = err
				rf.Written = err == nil
				if err == nil {
					report(0, f.Name)
				}
			}
		}()
	}
dispatch:
	for _, i := range todo {
		select {
		case next <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(next)
	wg.Wait()

	var errs []error
	for i := range sum.Files {
		rf := &sum.Files[i]
		switch {
		case rf.Skipped:
		case rf.Err != nil:
			if !errors.Is(rf.Err, context.Canceled) && !errors.Is(rf.Err, context.DeadlineExceeded) {
				sum.Failed++
				errs = append(errs, rf.Err)
			}
		case rf.Written:
			sum.Written++
			sum.Rows += int64(rf.Rows)
			sum.CPUSeconds += rf.Seconds
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	if err := ctx.Err(); err != nil {
		sum.Interrupted = true
		errs = append(errs, err)
	}
	return sum, errors.Join(errs...)
}

// resultsComplete reports whether the results of f exist and match the data
// file row by row (a file written by Run is complete or absent, but a
// results file may also come from elsewhere).
func resultsComplete(dir, detector string, f *File) bool {
	p := ResultsPath(dir, detector, f.Name)
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	res, err := ReadResults(bufio.NewReaderSize(fh, 1<<16), p)
	return err == nil && res.check(f, p) == nil
}

// writeResultsAtomic writes the results of f to a temporary file next to
// its final path, syncs it and renames it into place.
func writeResultsAtomic(dir, detector string, f *File, scores []float64) (err error) {
	p := ResultsPath(dir, detector, f.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), tmpPrefix+filepath.Base(p)+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = WriteResults(tmp, f, scores); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// cleanTemps removes the temporary files that a killed run left in dir.
func cleanTemps(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), tmpPrefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}
