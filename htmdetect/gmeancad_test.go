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
	oseFac, err := nab.Lookup("contextOSE", 0)
	if err != nil {
		t.Fatal(err)
	}
	ose, err := oseFac(info)
	if err != nil {
		t.Fatal(err)
	}
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
