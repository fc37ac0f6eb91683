package htmdetect

import (
	"testing"

	_ "github.com/dendritic/dendritic/cad" // registers contextOSE
	"github.com/dendritic/dendritic/nab"
)

// TestNumentaGMeanCAD: the registered numenta-gmean-cad scores every row
// with the larger of the scores of its two members run alone
// (numenta-probation-gmean at the same seed, and contextOSE), and both
// members decide some rows (else it would be one of them).
func TestNumentaGMeanCAD(t *testing.T) {
	const n = 1200
	s := synthetic(n, 900)
	info := seriesInfo(s)
	info.Probation = 300
	fac, err := nab.Lookup(NameNumentaGMeanCAD, NumentaSeed+1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := fac(info)
	if err != nil {
		t.Fatal(err)
	}
	g, err := newNumentaProbationGeometric(info, NumentaSeed+1)
	if err != nil {
		t.Fatal(err)
	}
	ose := contextOSEFor(t, info)
	fromG, fromOSE := 0, 0
	for i := range n {
		got, err := d.Score(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		a := mustStep(t, g, s, i).Score
		b, err := ose.Score(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatalf("row %d: contextOSE: %v", i, err)
		}
		if want := max(a, b); got != want {
			t.Fatalf("row %d: score %v, want max(%v, %v)", i, got, a, b)
		}
		switch {
		case a > b:
			fromG++
		case b > a:
			fromOSE++
		}
	}
	if fromG == 0 || fromOSE == 0 {
		t.Errorf("rows decided by the numenta member %d, by contextOSE %d: the test shows nothing", fromG, fromOSE)
	}
	t.Logf("rows decided by the numenta member %d, by contextOSE %d", fromG, fromOSE)
}

// TestNumentaPeaks: the registered numenta-gmean2-cad-peaks scores a row
// with m_t, the largest of its three members' scores run alone
// (numenta-probation-gmean at the run seed and the next, contextOSE), where
// m_t is above the previous R = ⌊P/5⌋ rows' m, and 0 elsewhere (nab.Peaks);
// and both cases occur.
func TestNumentaPeaks(t *testing.T) {
	const n = 1200
	s := synthetic(n, 900)
	info := seriesInfo(s)
	info.Probation = 300
	const R = 300 / 5
	fac, err := nab.Lookup(NameNumentaPeaks, NumentaSeed+1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := fac(info)
	if err != nil {
		t.Fatal(err)
	}
	var g [2]stepper
	for i := range g {
		if g[i], err = newNumentaProbationGeometric(info, NumentaSeed+1+uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	ose := contextOSEFor(t, info)
	m := make([]float64, n)
	kept, zeroed := 0, 0
	for i := range n {
		got, err := d.Score(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		b, err := ose.Score(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatalf("row %d: contextOSE: %v", i, err)
		}
		m[i] = max(mustStep(t, g[0], s, i).Score, mustStep(t, g[1], s, i).Score, b)
		want := m[i]
		for j := max(0, i-R); j < i; j++ {
			if m[j] >= m[i] {
				want = 0
			}
		}
		if got != want {
			t.Fatalf("row %d: score %v, want %v (maximum %v)", i, got, want, m[i])
		}
		switch {
		case want > 0:
			kept++
		case m[i] > 0:
			zeroed++
		}
	}
	if kept == 0 || zeroed == 0 {
		t.Errorf("rows kept %d, zeroed %d: the test shows nothing", kept, zeroed)
	}
	t.Logf("rows kept %d, zeroed %d", kept, zeroed)
}

// contextOSEFor builds the registered contextOSE detector for info.
func contextOSEFor(t *testing.T, info nab.FileInfo) nab.Detector {
	t.Helper()
	f, err := nab.Lookup("contextOSE", 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f(info)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
