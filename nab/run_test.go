package nab

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runCorpus is a small generated corpus of three files in two categories.
func runCorpus(t *testing.T) *Corpus {
	t.Helper()
	mk := func(name string, n int, ws []Window) *File {
		s := &Series{}
		t0 := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			s.Timestamps = append(s.Timestamps, t0.Add(time.Duration(i)*time.Minute))
			s.Values = append(s.Values, float64(i%17)-3.5)
		}
		return &File{Name: name, Series: s, Windows: ws}
	}
	c, err := NewCorpus([]*File{
		mk("catA/one.csv", 300, []Window{{100, 130}}),
		mk("catA/two.csv", 120, nil),
		mk("catB/three.csv", 500, []Window{{200, 240}, {400, 420}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// countingFactory counts the detectors it makes and scores the value's
// position in the file's range (so that the scores depend on FileInfo).
func countingFactory(n *atomic.Int64) DetectorFactory {
	return func(info FileInfo) (Detector, error) {
		n.Add(1)
		return DetectorFunc(func(_ time.Time, v float64) (float64, error) {
			return (v - info.Min) / (info.Max - info.Min), nil
		}), nil
	}
}

func TestFileInfo(t *testing.T) {
	c := runCorpus(t)
	info := c.File("catB/three.csv").Info()
	want := FileInfo{Name: "catB/three.csv", Rows: 500, Probation: 75, Min: -3.5, Max: 12.5}
	if info != want {
		t.Errorf("Info() = %+v, want %+v", info, want)
	}
}

func TestRunSkipRedo(t *testing.T) {
	c := runCorpus(t)
	dir := t.TempDir()
	var made atomic.Int64
	var progress []RunProgress
	sum, err := Run(context.Background(), c, dir, "count", countingFactory(&made),
		RunOptions{Jobs: 2, Progress: func(p RunProgress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 3 || sum.Skipped != 0 || sum.Rows != 920 || made.Load() != 3 {
		t.Fatalf("first run: %+v, %d detectors", sum, made.Load())
	}
	last := progress[len(progress)-1]
	if last.FilesDone != 3 || last.RowsDone != 920 || last.RowsTotal != 920 {
		t.Errorf("last progress %+v", last)
	}
	// The results load and score.
	scores, err := LoadResults(dir, "count", c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewScorer(c, scores); err != nil {
		t.Fatal(err)
	}
	if got := scores["catA/one.csv"][3]; got != 3.0/16 {
		t.Errorf("score of row 3: %v", got)
	}

	// Second run: everything is skipped.
	sum, err = Run(context.Background(), c, dir, "count", countingFactory(&made), RunOptions{})
	if err != nil || sum.Written != 0 || sum.Skipped != 3 || made.Load() != 3 {
		t.Fatalf("second run: %+v, %v, %d detectors", sum, err, made.Load())
	}
	// A damaged results file (truncated) is run again; the others are kept.
	p := ResultsPath(dir, "count", "catB/three.csv")
	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err = Run(context.Background(), c, dir, "count", countingFactory(&made), RunOptions{})
	if err != nil || sum.Written != 1 || sum.Skipped != 2 || sum.Files[2].Skipped {
		t.Fatalf("after damage: %+v, %v", sum, err)
	}
	if again, _ := os.ReadFile(p); string(again) != string(data) {
		t.Error("the rewritten file differs from the first run's")
	}
	// --redo runs everything.
	sum, err = Run(context.Background(), c, dir, "count", countingFactory(&made), RunOptions{Redo: true, Jobs: 1})
	if err != nil || sum.Written != 3 || sum.Skipped != 0 {
		t.Fatalf("redo: %+v, %v", sum, err)
	}
	// No temporary file is left.
	assertNoTemps(t, dir)
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tmpPrefix) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// TestRunInterrupted: cancelling the context during a run keeps the files
// already finished, writes no partial file, and removes stale temporary files.
func TestRunInterrupted(t *testing.T) {
	c := runCorpus(t)
	dir := t.TempDir()
	// A temporary file left by a killed run.
	stale := filepath.Join(dir, "slow", "catA", tmpPrefix+"slow_one.csv-123")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("timestamp,value"), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Files run longest first with one job: three.csv (500 rows) finishes,
	// then one.csv is cancelled at its row 10 (and stops at row 256, the
	// next check), and two.csv never starts.
	factory := func(info FileInfo) (Detector, error) {
		i := 0
		return DetectorFunc(func(time.Time, float64) (float64, error) {
			i++
			if info.Name == "catA/one.csv" && i == 10 {
				cancel()
			}
			return 0.25, nil
		}), nil
	}
	sum, err := Run(ctx, c, dir, "slow", factory, RunOptions{Jobs: 1})
	if !errors.Is(err, context.Canceled) || !sum.Interrupted {
		t.Fatalf("error %v, summary %+v", err, sum)
	}
	if sum.Written != 1 || sum.Failed != 0 {
		t.Errorf("summary %+v", sum)
	}
	if _, err := os.Stat(ResultsPath(dir, "slow", "catB/three.csv")); err != nil {
		t.Errorf("finished file lost: %v", err)
	}
	for _, f := range []string{"catA/one.csv", "catA/two.csv"} {
		if _, err := os.Stat(ResultsPath(dir, "slow", f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: unfinished file exists (%v)", f, err)
		}
	}
	assertNoTemps(t, dir)

	// Resuming runs only the missing files.
	var made atomic.Int64
	sum, err = Run(context.Background(), c, dir, "slow", countingFactory(&made), RunOptions{Jobs: 3})
	if err != nil || sum.Written != 2 || sum.Skipped != 1 || made.Load() != 2 {
		t.Fatalf("resume: %+v, %v", sum, err)
	}
}

// TestRunJobsIndependent: the random detector gives the same files for any
// number of jobs, and different files for different seeds.
func TestRunJobsIndependent(t *testing.T) {
	c := runCorpus(t)
	read := func(dir string) map[string]string {
		m := map[string]string{}
		for _, f := range c.Files {
			b, err := os.ReadFile(ResultsPath(dir, "random", f.Name))
			if err != nil {
				t.Fatal(err)
			}
			m[f.Name] = string(b)
		}
		return m
	}
	var outs []map[string]string
	for _, jobs := range []int{1, 3} {
		dir := t.TempDir()
		if _, err := Run(context.Background(), c, dir, "random", RandomDetector(5), RunOptions{Jobs: jobs}); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, read(dir))
	}
	for name, a := range outs[0] {
		if outs[1][name] != a {
			t.Errorf("%s differs between 1 and 3 jobs", name)
		}
	}
	dir := t.TempDir()
	Run(context.Background(), c, dir, "random", RandomDetector(6), RunOptions{})
	if read(dir)["catA/one.csv"] == outs[0]["catA/one.csv"] {
		t.Error("seeds 5 and 6 give the same scores")
	}
}

// TestRunErrors: a failing file is reported and the others are written;
// scores outside [0,1] and invalid names are refused.
func TestRunErrors(t *testing.T) {
	c := runCorpus(t)
	dir := t.TempDir()
	factory := func(info FileInfo) (Detector, error) {
		switch info.Name {
		case "catA/two.csv":
			return nil, errors.New("cannot build")
		case "catB/three.csv":
			i := 0
			return DetectorFunc(func(time.Time, float64) (float64, error) {
				if i++; i == 50 {
					return math.NaN(), nil
				}
				return 0, nil
			}), nil
		}
		return NullDetector(info)
	}
	sum, err := Run(context.Background(), c, dir, "bad", factory, RunOptions{Jobs: 2})
	if err == nil || sum.Failed != 2 || sum.Written != 1 {
		t.Fatalf("summary %+v, error %v", sum, err)
	}
	msg := err.Error()
	for _, want := range []string{"catA/two.csv: cannot build", "catB/three.csv: row 49 (2015-03-01 00:49:00): the detector's score NaN is outside [0,1]"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	assertNoTemps(t, dir)
	for _, name := range []string{"", ".", "..", "a/b", `a\b`, ".hidden"} {
		if _, err := Run(context.Background(), c, dir, name, NullDetector, RunOptions{}); err == nil {
			t.Errorf("detector name %q accepted", name)
		}
	}
	if _, err := Run(context.Background(), c, dir, "x", nil, RunOptions{}); err == nil {
		t.Error("nil factory accepted")
	}
}

// TestNullAndRandomScores: the null detector scores 0 and the random one
// lies between null and perfect, on the generated corpus.
func TestNullAndRandomScores(t *testing.T) {
	c := runCorpus(t)
	for _, tc := range []struct {
		name    string
		factory DetectorFactory
	}{{"null", NullDetector}, {"random", RandomDetector(1)}} {
		scores := map[string][]float64{}
		for _, f := range c.Files {
			s, err := DetectSeries(context.Background(), f, tc.factory, nil)
			if err != nil {
				t.Fatal(err)
			}
			scores[f.Name] = s
		}
		sc, err := NewScorer(c, scores)
		if err != nil {
			t.Fatal(err)
		}
		r, err := sc.Sweep(Standard)
		if err != nil {
			t.Fatal(err)
		}
		switch tc.name {
		case "null":
			if r.Normalized != 0 {
				t.Errorf("null scores %v", r.Normalized)
			}
		case "random":
			if !(r.Normalized > 0 && r.Normalized < 100) || slices.Max(scores["catA/one.csv"]) >= 1 {
				t.Errorf("random scores %v", r.Normalized)
			}
		}
	}
}

func ExampleRun() {
	// A corpus of one generated file with one window.
	s := &Series{}
	for i := range 200 {
		s.Timestamps = append(s.Timestamps, time.Date(2015, 1, 1, 0, i, 0, 0, time.UTC))
		s.Values = append(s.Values, float64(i%10))
	}
	c, _ := NewCorpus([]*File{{Name: "demo/series.csv", Series: s, Windows: []Window{{150, 170}}}})
	dir, _ := os.MkdirTemp("", "nab-run-example-")
	defer os.RemoveAll(dir)

	sum, err := Run(context.Background(), c, dir, "null", NullDetector, RunOptions{Jobs: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Written, "file written:", filepath.ToSlash(strings.TrimPrefix(ResultsPath(dir, "null", "demo/series.csv"), dir)))
	// Output: 1 file written: /null/demo/null_series.csv
}

// TestRunJobsCapped: jobs beyond the CPUs are not started (nab run --jobs
// 10000 ran every file at once and grew to 1.3 GB).
func TestRunJobsCapped(t *testing.T) {
	s := &Series{}
	for i := range 50 {
		s.Timestamps = append(s.Timestamps, time.Date(2015, 1, 1, 0, i, 0, 0, time.UTC))
		s.Values = append(s.Values, float64(i%10))
	}
	c, err := NewCorpus([]*File{{Name: "demo/series.csv", Series: s, Windows: []Window{{30, 40}}}})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), c, t.TempDir(), "null", NullDetector, RunOptions{Jobs: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Jobs > runtime.NumCPU() {
		t.Errorf("Jobs = %d on %d CPUs", sum.Jobs, runtime.NumCPU())
	}
}
