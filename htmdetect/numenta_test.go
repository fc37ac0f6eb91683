package htmdetect

import (
	"slices"
	"testing"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/nab"
)

// TestNumenta: the numenta configuration (backtracking TM) is
// deterministic, learns the daily cycle of the synthetic series (the last
// day's mean raw anomaly is below half the first day's) and scores the
// level shift as a spatial anomaly (benchmarks.md §1.5 spatial rule:
// +60 on a range of 40 is far beyond 5 %).
func TestNumenta(t *testing.T) {
	const n, shift = 1500, 1400
	s := synthetic(n, shift)
	p := NumentaParams(slices.Min(s.Values), slices.Max(s.Values), nab.ProbationaryPeriod(n))
	run := func() []Output {
		d, err := NewNumenta(p, btm.NABParams())
		if err != nil {
			t.Fatal(err)
		}
		if d.TemporalMemory() != nil {
			t.Fatal("a numenta detector reports a standard temporal memory")
		}
		out := make([]Output, n)
		for i := range out {
			if out[i], err = d.Step(s.Timestamps[i], s.Values[i]); err != nil {
				t.Fatalf("row %d: %v", i, err)
			}
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	mean := func(o []Output) float64 {
		m := 0.0
		for _, x := range o {
			m += x.Raw
		}
		return m / float64(len(o))
	}
	if first, last := mean(a[:288]), mean(a[shift-288:shift]); !(last < first/2) {
		t.Errorf("mean raw anomaly: first day %.3f, last day before the shift %.3f", first, last)
	}
	if !a[shift].Spatial || a[shift].Score != 1 {
		t.Errorf("row %d (level shift): %+v, want a spatial anomaly", shift, a[shift])
	}
	tp := btm.NABParams()
	tp.NumberOfCols = 1024
	if _, err := NewNumenta(p, tp); err == nil {
		t.Error("a column-count mismatch was accepted")
	}
}
