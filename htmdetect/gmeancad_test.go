package htmdetect

import (
	"math"
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
// and both cases occur. numenta-gmean-cad-peaks-cal is the same with one
// HTM member (the run seed's) whose score g is replaced by g^k, k =
// ln(ContextOSEThreshold) / ln(NumentaThreshold) (nab.Calibrate).
func TestNumentaPeaks(t *testing.T) {
	t.Run(NameNumentaPeaks, func(t *testing.T) { checkNumentaPeaks(t, NameNumentaPeaks, 2, 1) })
	k := math.Log(ContextOSEThreshold) / math.Log(NumentaThreshold)
	t.Run(NameNumentaCalPeaks, func(t *testing.T) { checkNumentaPeaks(t, NameNumentaCalPeaks, 1, k) })
}

// checkNumentaPeaks checks a registered Peaks detector over the maximum of
// numenta-probation-gmean at the first htm seeds (each score raised to k)
// and contextOSE.
func checkNumentaPeaks(t *testing.T, name string, htm int, k float64) {
	const n = 1200
	s := synthetic(n, 900)
	info := seriesInfo(s)
	info.Probation = 300
	const R = 300 / 5
	fac, err := nab.Lookup(name, NumentaSeed+1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := fac(info)
	if err != nil {
		t.Fatal(err)
	}
	g := make([]stepper, htm)
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
		m[i] = b
		for j := range htm {
			m[i] = max(m[i], math.Pow(mustStep(t, g[j], s, i).Score, k))
		}
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
