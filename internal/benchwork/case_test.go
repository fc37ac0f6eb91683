package benchwork

import (
	"errors"
	"flag"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/batch"
	"github.com/dendritic/dendritic/theory"
)

// TestRegistry: every suite of the package doc is registered, names are
// suite/…, and "all" leaves out exactly the Optional cases.
func TestRegistry(t *testing.T) {
	cs := All()
	want := []string{"btm", "dendrite", "hello", "nab", "sdr", "sim", "theory", "tm"}
	if got := cs.Suites(); !slices.Equal(got, want) {
		t.Errorf("suites %v, want %v", got, want)
	}
	if !slices.IsSortedFunc(cs, func(a, b Case) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("cases not sorted by name")
	}
	all := cs.Select("all")
	for _, c := range cs {
		if !strings.HasPrefix(c.Name, c.Suite+"/") || c.Unit == "" || c.Run == nil {
			t.Errorf("case %+v", c)
		}
		if in := slices.ContainsFunc(all, func(o Case) bool { return o.Name == c.Name }); in == c.Optional {
			t.Errorf("%s: Optional %v but in \"all\" %v", c.Name, c.Optional, in)
		}
	}
	if got := cs.Select("nab"); len(got) != 2 || got[0].Name != "nab/corpus-htm" || got[1].Name != "nab/corpus-numenta" ||
		!got[0].Optional || !got[1].Optional {
		t.Errorf("suite nab: %v", got)
	}
	if got := cs.Select("nope"); len(got) != 0 {
		t.Errorf("unknown suite selects %v", got)
	}
}

func TestMeasure(t *testing.T) {
	for _, tc := range []struct {
		run  func() (float64, error)
		want string // Result.Error, "" for a value
	}{
		{func() (float64, error) { return 42.5, nil }, ""},
		{func() (float64, error) { return 0, errors.New("boom") }, "boom"},
		{func() (float64, error) { panic("oops") }, "panic: oops"},
		{func() (float64, error) { return math.NaN(), nil }, "non-finite result NaN"},
		{func() (float64, error) { return math.Inf(1), nil }, "non-finite result +Inf"},
	} {
		r := Case{Name: "x/y", Suite: "x", Unit: "ms", Run: tc.run}.Measure()
		if r.Name != "x/y" || r.Unit != "ms" || r.Error != tc.want || (r.Value == nil) != (tc.want != "") {
			t.Errorf("want %q: %+v", tc.want, r)
		}
		if tc.want == "" && *r.Value != 42.5 {
			t.Errorf("value %v, want 42.5", *r.Value)
		}
	}
}

// TestFormat: about four significant digits (the expectations are the
// rule applied by hand).
func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 42.5: "42.50", 1234.56: "1235", 0.0123456: "0.01235",
		3.14159: "3.142", 1.5e-7: "1.5e-07", -42.5: "-42.50", 1e9: "1000000000"} {
		if got := Format(v); got != want {
			t.Errorf("Format(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestCasesRun runs the cheap real case once, and checks that the inputs
// of the others are valid (a bad parameter set would otherwise only show
// when the suite runs).
func TestCasesRun(t *testing.T) {
	if v, err := overlapAllocs(); err != nil || v != 0 {
		t.Errorf("sdr/overlap-2048-allocs = %v, %v; want 0 allocations", v, err)
	}
	if len(fpSet) != 108 || len(fnSet) != 18 { // 6 populations × 6 s × 3 θ; 3 θ × 5 noise + 3
		t.Errorf("fp set %d, fn set %d entries", len(fpSet), len(fnSet))
	}
	for _, p := range fpSet {
		if p[2] < 20 || p[2] > 100 {
			t.Errorf("fp set: s = %d outside 20..100", p[2])
		}
		if _, err := theory.FP(p[0], p[1], p[2], p[3]); err != nil {
			t.Errorf("fp set %v: %v", p, err)
		}
	}
	for _, p := range fnSet {
		if _, err := theory.FN(p[0], p[1], p[2], p[3]); err != nil {
			t.Errorf("fn set %v: %v", p, err)
		}
	}
	var out strings.Builder
	failed, err := batch.Run(strings.NewReader(batchInput(len(fpSet))), &out, false)
	if err != nil || failed != 0 || strings.Count(out.String(), "\n") != len(fpSet)+1 {
		t.Errorf("batch input: %d failed, %v, %d lines", failed, err, strings.Count(out.String(), "\n"))
	}
}

// TestLoopErrors: a Loop's error reaches the case's result.
func TestLoopErrors(t *testing.T) {
	boom := errors.New("boom")
	r := Case{Name: "x/y", Unit: "ns", Run: perOp(func(b *testing.B) error {
		for b.Loop() {
			return boom
		}
		return nil
	}, 1)}.Measure()
	if r.Error != "boom" {
		t.Errorf("result %+v", r)
	}
}

// TestBadInput: the exported constructors refuse what they cannot build.
func TestBadInput(t *testing.T) {
	for _, segs := range []int{0, -1, 1<<24 + 1} {
		if _, _, err := ActivityStore(segs); err == nil {
			t.Errorf("ActivityStore(%d) accepted", segs)
		}
	}
	if r := (Case{Run: perOp(DenseActivity(nil, nil, 1), 1)}).Measure(); !strings.Contains(r.Error, "nil store") {
		t.Errorf("nil store: %+v", r)
	}
	if r := (Case{Run: perOp(nil, 1)}).Measure(); !strings.Contains(r.Error, "nil Loop") {
		t.Errorf("nil Loop: %+v", r)
	}
	if _, err := (Episode{Run: func() error { return nil }}).Median(); err == nil {
		t.Error("episode without Prepare accepted")
	}
}

// TestLoopsRun runs every Loop once (benchtime 1x), so that a workload
// that fails shows here and not only when the suite runs.
func TestLoopsRun(t *testing.T) {
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	if err := bt.Value.Set("1x"); err != nil {
		t.Fatal(err)
	}
	defer bt.Value.Set(old)
	loops := map[string]Loop{"FPFast": FPFast, "FNFast": FNFast, "FPExact200000": FPExact200000,
		"UnionFPExactFast": UnionFPExactFast, "Batch10000": Batch10000, "Overlap2048": Overlap2048}
	if !testing.Short() {
		loops["TMStep"] = TMStep
		c, bitmap, err := ActivityStore(1000)
		if err != nil {
			t.Fatal(err)
		}
		loops["DenseActivity"] = DenseActivity(c, bitmap, 2)
	}
	for name, l := range loops {
		if v, err := perOp(l, 1)(); err != nil || !(v > 0) {
			t.Errorf("%s: %v ns/op, %v", name, v, err)
		}
	}
}
