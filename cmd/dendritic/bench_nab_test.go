package main

import (
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// TestBenchNABOptional: the corpus case runs only when its suite is named.
func TestBenchNABOptional(t *testing.T) {
	out, _, st := calcRun(t, "bench", "--list")
	if st != 0 || strings.Contains(out, "nab/corpus-htm") || !strings.Contains(out, "hello/tm") {
		t.Errorf("--suite all --list: status %d\n%s", st, out)
	}
	out, _, st = calcRun(t, "bench", "--suite", "nab", "--list")
	if st != 0 || !strings.Contains(out, "nab/corpus-htm") {
		t.Errorf("--suite nab --list: status %d\n%s", st, out)
	}
}

func TestBenchCorpusAndHelloTM(t *testing.T) {
	s := &nab.Series{}
	for i := range 300 {
		s.Timestamps = append(s.Timestamps, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*5*time.Minute))
		s.Values = append(s.Values, float64(i%7))
	}
	c, err := nab.NewCorpus([]*nab.File{{Name: "a/x.csv", Series: s}, {Name: "a/y.csv", Series: s}})
	if err != nil {
		t.Fatal(err)
	}
	secs, err := benchCorpus(c, "htm", 2)
	if err != nil || !(secs > 0) {
		t.Errorf("benchCorpus: %v, %v", secs, err)
	}
	if _, err := benchCorpus(c, "nope", 1); err == nil {
		t.Error("unknown detector accepted")
	}
	p := helloTMParams()
	if p.CellsPerColumn != 8 || p.NumColumns != 2048 || p.ActivationThreshold != 13 || p.MaxSegmentsPerCell != 255 {
		t.Errorf("hello TM params %+v", p)
	}
	if testing.Short() {
		return
	}
	cols, err := helloColumns()
	if err != nil || len(cols) != helloSteps || len(cols[0]) != 102 {
		t.Errorf("hello columns: %d steps, %v (first has %d)", len(cols), err, len(cols[0]))
	}
}
