package cad

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/dendritic/dendritic/htmdetect" // registers numenta
	"github.com/dendritic/dendritic/nab"
)

// TestNumentaCADRows: on one short corpus file, numenta-cad's score of each
// row is the larger of numenta's and contextOSE's.
func TestNumentaCADRows(t *testing.T) {
	c, err := nab.LoadCorpus(nabRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	f := c.File("realTraffic/speed_7578.csv") // 1,127 rows
	if f == nil {
		t.Fatal("corpus has no realTraffic/speed_7578.csv")
	}
	num, err := nab.Lookup("numenta", 42)
	if err != nil {
		t.Fatal(err)
	}
	both, err := newNumentaCAD(42)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := nab.DetectSeries(ctx, f, num, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := nab.DetectSeries(ctx, f, Factory, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := nab.DetectSeries(ctx, f, both, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromCAD := 0
	for i := range m {
		if m[i] != max(a[i], b[i]) {
			t.Fatalf("row %d: %v, want max(%v, %v)", i, m[i], a[i], b[i])
		}
		if b[i] > a[i] {
			fromCAD++
		}
	}
	if fromCAD == 0 || fromCAD == len(m) {
		t.Errorf("contextOSE is the larger on %d of %d rows: the test shows nothing", fromCAD, len(m))
	}
}

// TestNumentaCADNAB repeats the corpus run of numenta-cad at seed 42
// recorded in docs/BENCHMARKS.md ("Variants toward 74.9"): about 200 s of
// CPU, so it runs only when DENDRITIC_NAB_VARIANTS is "all" or names it.
func TestNumentaCADNAB(t *testing.T) {
	which := os.Getenv("DENDRITIC_NAB_VARIANTS")
	if which != "all" && !slices.Contains(strings.Split(which, ","), nameNumentaCAD) {
		t.Skipf("set DENDRITIC_NAB_VARIANTS=all (or %s) to run it over the corpus", nameNumentaCAD)
	}
	root := nabRoot(t)
	fac, err := newNumentaCAD(42)
	if err != nil {
		t.Fatal(err)
	}
	got := corpusScores(t, root, nameNumentaCAD, fac)
	// dendritic nab score of the recorded run (BENCHMARKS.md).
	want := map[string]float64{"standard": 70.2340, "reward_low_FP_rate": 64.7736, "reward_low_FN_rate": 74.6430}
	for p, w := range want {
		if math.Abs(got[p]-w) > 5e-5 {
			t.Errorf("%s: %.4f, recorded %.4f", p, got[p], w)
		}
	}
}

// corpusScores runs fac over the corpus under the name detector and returns
// the normalised sweep score of each profile, as 'dendritic nab score'
// computes them (nab.Evaluate).
func corpusScores(t *testing.T, root, detector string, fac nab.DetectorFactory) map[string]float64 {
	t.Helper()
	c, err := nab.LoadCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := nab.Run(context.Background(), c, dir, detector, fac, nab.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := nab.Evaluate(nab.EvaluateOptions{Data: root, Results: dir, Detector: detector})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range e.Results {
		out[r.Profile.Name] = r.Normalized
	}
	if len(out) != 3 {
		t.Fatalf("%d profiles scored, want NAB's 3", len(out))
	}
	return out
}
