package paper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fakeSim is a deterministic Simulator: it returns the theory value with a
// perturbation of about one standard error drawn from the seed, so that
// every simulated field is exercised without Monte Carlo.
type fakeSim struct {
	mu    sync.Mutex
	calls int
	// cancel, if set, is called after the given number of calls.
	cancelAfter int
	cancel      context.CancelFunc
}

func (s *fakeSim) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (SimPoint, error) {
	s.mu.Lock()
	s.calls++
	if s.cancel != nil && s.calls > s.cancelAfter {
		s.cancel()
	}
	s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return SimPoint{}, err
	}
	var (
		v   theory.Float
		err error
	)
	switch kind {
	case KindFP:
		v, err = theory.FP(arg(p, theory.ParamN), arg(p, theory.ParamA), arg(p, theory.ParamS), arg(p, theory.ParamTheta))
	case KindFN:
		v, err = theory.FN(arg(p, theory.ParamA), arg(p, theory.ParamS), arg(p, theory.ParamTheta), arg(p, theory.ParamNoise))
	case KindUnion:
		v, err = theory.UnionFPMix(arg(p, theory.ParamN), arg(p, theory.ParamA), arg(p, theory.ParamS), arg(p, theory.ParamTheta), arg(p, theory.ParamPatterns))
	case KindNeuron:
		v, err = theory.Neuron(arg(p, theory.ParamN), arg(p, theory.ParamA), arg(p, theory.ParamS), arg(p, theory.ParamTheta), arg(p, theory.ParamSegments))
	default:
		return SimPoint{}, errors.New("fake: unknown kind " + kind)
	}
	if err != nil {
		return SimPoint{}, err
	}
	pv := v.Float64()
	u := float64(int64(seed%2001)-1000) / 1000 // in [-1, 1]
	if method == MethodImportance {
		se := 0.01 * pv
		est := pv + u*se
		return SimPoint{Samples: samples, Hits: samples * 9 / 10, Estimate: est, SE: se, CI95: [2]float64{est - 1.96*se, est + 1.96*se}}, nil
	}
	n := float64(samples)
	hits := math.Round(pv*n + u*math.Sqrt(pv*(1-pv)*n))
	hits = min(max(hits, 0), n)
	est := hits / n
	se := math.Sqrt(est * (1 - est) / n)
	return SimPoint{Samples: samples, Hits: int64(hits), Estimate: est, SE: se,
		CI95: [2]float64{max(0, est-1.96*se), min(1, est+1.96*se)}}, nil
}

var (
	theoryOnce sync.Once
	theoryRep  *Report
	theoryErr  error
)

// theoryReport builds the whole report without simulation, once.
func theoryReport(t *testing.T) *Report {
	t.Helper()
	theoryOnce.Do(func() { theoryRep, theoryErr = Build(context.Background(), Options{}) })
	if theoryErr != nil {
		t.Fatal(theoryErr)
	}
	return theoryRep
}

func TestEveryFigureAndTable(t *testing.T) {
	r := theoryReport(t)
	var got []string
	for _, f := range r.Figures {
		got = append(got, f.ID)
		if len(f.Points) == 0 || len(f.Series) == 0 {
			t.Errorf("%s: empty figure", f.ID)
		}
		for _, s := range f.Series {
			if len(f.seriesPoints(s.Name)) == 0 {
				t.Errorf("%s: series %s has no point", f.ID, s.Name)
			}
		}
	}
	for _, tb := range r.Tables {
		got = append(got, tb.ID)
		if len(tb.Rows) == 0 {
			t.Errorf("%s: empty table", tb.ID)
		}
		for _, row := range tb.Rows {
			if len(row) != len(tb.Columns) {
				t.Errorf("%s: row %v has %d cells for %d columns", tb.ID, row, len(row), len(tb.Columns))
			}
		}
	}
	if !slices.Equal(got, IDs()) {
		t.Errorf("figures and tables = %v, want %v", got, IDs())
	}
	if !r.Complete || r.Agreement.Simulated != 0 || r.Agreement.Requested == 0 {
		t.Errorf("complete %v, agreement %+v", r.Complete, r.Agreement)
	}
	for _, j := range simJobs(r) {
		if j.p.Simulated != nil || j.p.Z != nil || j.p.CI95 != nil {
			t.Errorf("%s: simulated fields set without a simulator", j.label())
		}
	}
}

func TestF1Values(t *testing.T) {
	f := theoryReport(t).Figure("F1")
	p := f.Find("", theory.Args{}.With(theory.ParamN, 10000).With(theory.ParamA, 64))
	if p == nil {
		t.Fatal("F1 has no point a=64, n=10000")
	}
	if p.Theory != 4.0415971227765704e-21 {
		t.Errorf("F1 a=64 n=10000 = %.17g, want 4.0415971227765704e-21", p.Theory)
	}
	// The spec's F1 table (4 significant digits) at n = 500, 1000.
	for _, c := range []struct {
		series string
		n      int
		want   float64
	}{
		{"a=64", 500, 5.6957e-6}, {"a=128", 500, 7.3679e-3}, {"a=256", 500, 6.2937e-1},
		{"a=n/4", 500, 5.9590e-3}, {"a=n/2", 500, 5.8259e-1}, {"a=n/4", 300, 0}, {"a=n/2", 19900, 0.5806},
		{"a=128", 900, 0}, // only checks presence
	} {
		q := f.Find(c.series, theory.Args{}.With(theory.ParamN, c.n))
		if q == nil {
			t.Errorf("F1 %s n=%d missing", c.series, c.n)
			continue
		}
		if q.X != float64(c.n) {
			t.Errorf("F1 %s n=%d plotted at x=%v (the x shift must be fixed)", c.series, c.n, q.X)
		}
		if c.want != 0 && math.Abs(q.Theory/c.want-1) > 1e-4 {
			t.Errorf("F1 %s n=%d = %g, want %g", c.series, c.n, q.Theory, c.want)
		}
	}
	if n := len(f.seriesPoints("a=128")); n != 99 {
		t.Errorf("F1 a=128 has %d points, want 99", n)
	}
}

func TestOtherFigureValues(t *testing.T) {
	r := theoryReport(t)
	check := func(fig, series string, p theory.Args, want, tol float64) {
		t.Helper()
		q := r.Figure(fig).Find(series, p)
		if q == nil {
			t.Errorf("%s %s %v missing", fig, series, p)
			return
		}
		if want == 0 {
			if q.Theory != 0 || q.TheoryLog10 != nil {
				t.Errorf("%s %s %v = %g, want exactly 0", fig, series, p, q.Theory)
			}
			return
		}
		if math.Abs(q.Theory/want-1) > tol {
			t.Errorf("%s %s %v = %.7g, want %.7g", fig, series, p, q.Theory, want)
		}
	}
	check("F2", "a=32,n=2000", theory.Args{}.With(theory.ParamS, 30), 3.2696e-21, 1e-4)
	check("F2", "a=4000,n=16000", theory.Args{}.With(theory.ParamS, 10), 7.8063e-2, 1e-4)
	check("F3", "n=10000 plug-in", theory.Args{}.With(theory.ParamPatterns, 8), 9.753078e-6, 1e-6)
	check("F3", "n=20000 plug-in", theory.Args{}.With(theory.ParamPatterns, 3), 7.930274e-16, 1e-6)
	check("F3", "n=1000 plug-in", theory.Args{}.With(theory.ParamPatterns, 2), 4.738945e-2, 1e-6)
	check("F4", "s=25", theory.Args{}.With(theory.ParamPatterns, 10), 223.670, 1e-5)
	check("F4", "s=30", theory.Args{}.With(theory.ParamPatterns, 19), 439.387, 1e-5)
	check("F6", "theta=8", theory.Args{}.With(theory.ParamNoise, 26), 3.141933e-16, 1e-6)
	check("F6", "theta=16", theory.Args{}.With(theory.ParamNoise, 64), 5.825018e-1, 1e-6)
	check("F6", "theta=12", theory.Args{}.With(theory.ParamNoise, 13), 0, 0)
	check("F7", "median-2016", theory.Args{}.With(theory.ParamTheta, 9), 2.04e-9, 3e-3)
	check("F7", "median-2016", theory.Args{}.With(theory.ParamTheta, 24), 2.60e-36, 3e-3)
	check("F7", "median-2018", theory.Args{}.With(theory.ParamTheta, 24), 2.07e-39, 3e-3)
	if f := r.Figure("F7"); f.shade == nil || f.shade.from != 10 {
		t.Errorf("F7 shading = %+v, want from θ = 10", f.shade)
	}
}

func TestNoiseLevels(t *testing.T) {
	want := []int{6, 13, 19, 26, 32, 38, 45, 51, 58, 64, 70, 77, 83, 90, 96, 102}
	if got := noiseLevels(128); !slices.Equal(got, want) {
		t.Errorf("noiseLevels(128) = %v, want %v", got, want)
	}
}

// normExp rewrites "e-08" as "e-8" so that Go's and the spec's exponents
// compare equal.
func normExp(s string) string {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		sign := ""
		if exp != "" && (exp[0] == '-' || exp[0] == '+') {
			if exp[0] == '-' {
				sign = "-"
			}
			exp = exp[1:]
		}
		exp = strings.TrimLeft(exp, "0")
		if exp == "" {
			exp = "0"
		}
		return mant + "e" + sign + exp
	}
	return s
}

func TestTables(t *testing.T) {
	r := theoryReport(t)
	// paper spec §4: exact values.
	want := map[string][]string{
		"T1B": {"6.353088729419164e-11", "2.525072392849606e-14", "1.001632161781133e-17"},
		"T1C": {"5.293868362753690e-8", "2.817245283272718e-10", "1.541927672587196e-12", "8.586941002765922e-15"},
		"T1D": {"4.915418648836449e-9", "4.625684480382159e-6", "1.587997930949389e-4", "1.079907639465526e-7"},
	}
	for id, vals := range want {
		tb := r.Table(id)
		col := slices.Index(tb.Columns, "exact (this report)")
		if col < 0 || len(tb.Rows) != len(vals) {
			t.Fatalf("%s: columns %v, %d rows", id, tb.Columns, len(tb.Rows))
		}
		for i, v := range vals {
			if got := normExp(tb.Rows[i][col]); got != v {
				t.Errorf("%s row %d exact = %s, want %s", id, i, got, v)
			}
		}
	}
	// The notebook's wrong 1D value is flagged by its relative error.
	if rd := r.Table("T1D").Rows[0][5]; !strings.HasPrefix(rd, "-1.4e-10") {
		t.Errorf("T1D θ=10, m=2 relative error = %s, want -1.4e-10", rd)
	}
	e7 := r.Table("E7")
	if len(e7.Rows) != 22 || e7.Rows[6][0] != "9" {
		t.Fatalf("E7 rows: %d, row 6 = %v", len(e7.Rows), e7.Rows[6])
	}
	// Every median agrees with the published one to its printed digits.
	for _, row := range e7.Rows {
		for _, c := range [][2]int{{5, 6}, {7, 8}} {
			got, _ := new(big.Float).SetString(row[c[0]])
			pub, _ := new(big.Float).SetString(row[c[1]])
			g, _ := got.Float64()
			p, _ := pub.Float64()
			if math.Abs(g/p-1) > 6e-3 {
				t.Errorf("E7 θ=%s: median %s, published %s", row[0], row[c[0]], row[c[1]])
			}
		}
	}
}

func TestCorrections(t *testing.T) {
	cs := theoryReport(t).Corrections
	if len(cs) < 8 {
		t.Fatalf("%d corrections, want at least 8", len(cs))
	}
	for i, c := range cs {
		if c.Item != i+1 || c.Title == "" || c.Published == "" || c.Corrected == "" || len(c.Values) == 0 {
			t.Errorf("correction %d incomplete: %+v", i+1, c)
		}
	}
	find := func(item int, what string) CorrectedValue {
		t.Helper()
		for _, v := range cs[item-1].Values {
			if strings.Contains(v.What, what) {
				return v
			}
		}
		t.Fatalf("correction %d has no value %q", item, what)
		return CorrectedValue{}
	}
	for _, c := range []struct {
		item      int
		what      string
		want      float64
		tol       float64
		published string
	}{
		{1, "a = n/4, smallest", 5.19e-3, 2e-3, "0.00519"},
		{1, "a = n/2 at n = 300", 0.5840, 2e-4, ""},
		{1, "a = n/2 at n = 19900", 0.5806, 2e-4, ""},
		{2, "a = 128, true value at n = 500", 7.3679e-3, 1e-4, ""},
		{3, "n = 10000, a = 64", 4.0416e-21, 1e-4, "0"},
		{3, "a = 300, s = 30", 1.04919e-15, 1e-5, "1.04850e-15"},
		{3, "Table 1D", 4.915418648836449e-9, 1e-15, "4.91541864813209e-9"},
		{3, "M = 3", 7.9303e-16, 1e-4, "7.9213e-16"},
		{3, "v = 26", 3.1419e-16, 1e-4, "3.1134e-16"},
		{4, "s = 20", 1.6499e-15, 1e-4, "1.6e-18"},
		{4, "s = θ = 10", 9.779e-21, 1e-3, "9.8e-21"},
		{5, "n = 300, a = 256, s = 24", 0.999998, 1e-6, "0.997368 (simulated)"},
		{5, "z of the published", -1.8e4, 0.03, ""},
		{5, "largest |z| of the other", 2.19, 0.01, ""},
		{6, "θ = 9", 2.04e-9, 3e-3, ""},
		{6, "θ = 10", 7.40e-11, 3e-3, ""},
		{6, "first θ", 10, 0, "9"},
		{7, "labelled n=2048", 1.04919e-15, 1e-5, ""},
		{8, "v = 19", 2.6555e-8, 1e-4, "1e-8 (simulated)"},
	} {
		v := find(c.item, c.what)
		if math.Abs(v.Value/c.want-1) > c.tol {
			t.Errorf("correction %d %q = %.10g, want %.10g", c.item, c.what, v.Value, c.want)
		}
		if c.published != "" && v.Published != c.published {
			t.Errorf("correction %d %q published %q, want %q", c.item, c.what, v.Published, c.published)
		}
	}
	// Published and computed values appear in the texts.
	if !strings.Contains(cs[3].Corrected, "1.6499e-15") || !strings.Contains(cs[2].Corrected, "4.0416e-21") ||
		!strings.Contains(cs[5].Corrected, "θ = 10") {
		t.Errorf("correction texts lack their values:\n%s\n%s\n%s", cs[2].Corrected, cs[3].Corrected, cs[5].Corrected)
	}
}

func TestParseOnly(t *testing.T) {
	got, err := ParseOnly(" f1, T1B,e7,F1 ")
	if err != nil || !slices.Equal(got, []string{"F1", "T1B", "E7"}) {
		t.Errorf("ParseOnly = %v, %v", got, err)
	}
	if got, err := ParseOnly(""); got != nil || err != nil {
		t.Errorf("ParseOnly(\"\") = %v, %v", got, err)
	}
	for _, bad := range []string{"F9", "F1,X", ",", "T1A"} {
		if _, err := ParseOnly(bad); err == nil {
			t.Errorf("ParseOnly(%q) accepted", bad)
		}
	}
	if _, err := Build(context.Background(), Options{Only: []string{"F8"}}); err == nil {
		t.Error("Build accepted an unknown id")
	}
}

func TestZScore(t *testing.T) {
	// Direct: null-hypothesis standard error, with the design effect.
	z, ok := zScore(0.011, 0.01, SimPoint{Samples: 10000, DesignEffect: 0}, MethodDirect)
	if !ok || math.Abs(z-0.001/math.Sqrt(0.01*0.99/10000)) > 1e-12 {
		t.Errorf("z = %v, %v", z, ok)
	}
	z2, _ := zScore(0.011, 0.01, SimPoint{Samples: 10000, DesignEffect: 4}, MethodDirect)
	if math.Abs(z2-z/2) > 1e-12 {
		t.Errorf("design effect 4: z = %v, want %v", z2, z/2)
	}
	// No hits of a rare event: z is small, not undefined.
	if z, ok := zScore(0, 1e-9, SimPoint{Samples: 1e6}, MethodDirect); !ok || math.Abs(z) > 0.1 {
		t.Errorf("zero hits: z = %v, %v", z, ok)
	}
	// Impossible event: 0 = 0 agrees; a hit is undefined.
	if z, ok := zScore(0, 0, SimPoint{Samples: 100}, MethodDirect); !ok || z != 0 {
		t.Errorf("0 vs 0: z = %v, %v", z, ok)
	}
	if _, ok := zScore(0.01, 0, SimPoint{Samples: 100}, MethodDirect); ok {
		t.Error("hit of an impossible event: z defined")
	}
	// Importance sampling uses the simulator's standard error.
	if z, ok := zScore(1.1e-20, 1e-20, SimPoint{Samples: 100, SE: 1e-22}, MethodImportance); !ok || math.Abs(z-10) > 1e-9 {
		t.Errorf("importance z = %v, %v", z, ok)
	}
}

// smallOptions is the selection of the golden test: every kind of
// simulation (fp direct and importance, fn, union, neuron), a table and
// the E7 statistics.
func smallOptions(sim Simulator) Options {
	return Options{Samples: 10000, Seed: 42, Only: []string{"F2", "F3", "F5", "F6", "E5", "T1D", "E7"}, Sim: sim}
}

func TestSimulatedReport(t *testing.T) {
	var progress []Progress
	o := smallOptions(&fakeSim{})
	o.Progress = func(p Progress) { progress = append(progress, p) }
	r, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	a := r.Agreement
	if a.Requested == 0 || a.Simulated != a.Requested || a.Disagree != 0 || a.MaxAbsZ > 1.5 {
		t.Errorf("agreement %+v", a)
	}
	if len(progress) != a.Requested+1 || progress[len(progress)-1].Done != a.Requested {
		t.Errorf("%d progress calls for %d simulations", len(progress), a.Requested)
	}
	kinds := map[string]bool{}
	for _, j := range simJobs(r) {
		kinds[j.p.SimKind+"/"+j.p.SimMethod] = true
		if j.p.Simulated == nil || j.p.Z == nil || j.p.CI95 == nil || j.p.Agree == nil || !*j.p.Agree {
			t.Errorf("%s: incomplete simulated point", j.label())
		}
	}
	for _, k := range []string{"fp/direct", "fp/importance", "fn/direct", "union/direct", "neuron/direct"} {
		if !kinds[k] {
			t.Errorf("no %s simulation", k)
		}
	}
	// F3 notes compare the unions with the paper's plug-in.
	if f := r.Figure("F3"); len(f.Notes) == 0 || !strings.Contains(f.Notes[0], "plug-in") {
		t.Errorf("F3 notes: %v", f.Notes)
	}
	// Neuron points draw Samples/m neurons, at least MinNeuronSamples or Samples.
	q := r.Figure("E5").Find("neuron", theory.Args{}.With(theory.ParamSegments, 1000))
	if q == nil || q.simSamples != 10000 {
		t.Errorf("E5 m=1000 samples: %+v", q)
	}
}

func TestDisagreement(t *testing.T) {
	r, err := Build(context.Background(), Options{Samples: 1e6, Only: []string{"F5"}, Sim: biasedSim{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Agreement.Disagree == 0 {
		t.Errorf("a biased simulator agrees: %+v", r.Agreement)
	}
	dir := t.TempDir()
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Contains(page, []byte(`<tr class="fail">`)) {
		t.Error("index.html marks no failing point")
	}
}

// biasedSim returns twice the theory value.
type biasedSim struct{}

func (biasedSim) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (SimPoint, error) {
	v, err := theory.FP(arg(p, theory.ParamN), arg(p, theory.ParamA), arg(p, theory.ParamS), arg(p, theory.ParamTheta))
	if err != nil {
		return SimPoint{}, err
	}
	est := min(2*v.Float64(), 1)
	return SimPoint{Samples: samples, Hits: int64(est * float64(samples)), Estimate: est}, nil
}

func TestCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fs := &fakeSim{cancelAfter: 5, cancel: cancel}
	r, err := Build(ctx, Options{Samples: 1000, Only: []string{"F5", "T1B"}, Sim: fs})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if r == nil || r.Complete {
		t.Fatal("no partial report")
	}
	if a := r.Agreement; a.Simulated != 5 || a.Requested != 29 {
		t.Errorf("agreement after cancel: %+v", a)
	}
	dir := t.TempDir()
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if !bytes.Contains(js, []byte(`"complete": false`)) || !bytes.Contains(js, []byte(`"simulated": null`)) {
		t.Error("report.json does not show the interrupted run")
	}
}

func TestSimulationFailure(t *testing.T) {
	r, err := Build(context.Background(), Options{Samples: 1000, Only: []string{"E5"}, Sim: failingSim{}})
	if err == nil || r == nil {
		t.Fatalf("Build = %v, %v; want a report and an error", r, err)
	}
	if r.Complete || len(r.Figure("E5").Notes) == 0 {
		t.Errorf("failure not recorded: notes %v", r.Figure("E5").Notes)
	}
}

type failingSim struct{}

func (failingSim) Simulate(context.Context, string, theory.Args, int64, uint64, string) (SimPoint, error) {
	return SimPoint{}, errors.New("boom")
}

// writeAll writes the report and returns every file's bytes.
func writeAll(t *testing.T, r *Report) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	files, err := r.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

func TestGoldenAndDeterminism(t *testing.T) {
	build := func() map[string][]byte {
		r, err := Build(context.Background(), smallOptions(&fakeSim{}))
		if err != nil {
			t.Fatal(err)
		}
		return writeAll(t, r)
	}
	a, b := build(), build()
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two identical builds", name)
		}
	}
	for _, want := range []string{"F5.svg", "F5.png", "F5.csv", "E7.csv", "report.json", "index.html"} {
		if len(a[want]) == 0 {
			t.Errorf("%s missing or empty", want)
		}
	}
	for _, name := range []string{"report.json", "F5.svg"} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, a[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./report -run Golden -update)", err)
		}
		if !bytes.Equal(a[name], want) {
			t.Errorf("%s differs from %s (run go test ./report -run Golden -update if the change is intended)", name, path)
		}
	}
}

func TestJSONShape(t *testing.T) {
	r, err := Build(context.Background(), Options{Only: []string{"F6", "T1B"}})
	if err != nil {
		t.Fatal(err)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Figures []struct {
			ID     string `json:"id"`
			Title  string `json:"title"`
			Points []map[string]json.RawMessage
		} `json:"figures"`
		Tables      []json.RawMessage `json:"tables"`
		Corrections []json.RawMessage `json:"corrections"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Figures) != 1 || doc.Figures[0].ID != "F6" || len(doc.Tables) != 1 || len(doc.Corrections) < 8 {
		t.Fatalf("report.json: %d figures, %d tables, %d corrections", len(doc.Figures), len(doc.Tables), len(doc.Corrections))
	}
	p := doc.Figures[0].Points[0]
	for _, k := range []string{"params", "theory", "theory_log10", "theory_text", "simulated", "ci95", "z"} {
		if _, ok := p[k]; !ok {
			t.Errorf("point lacks %q: %v", k, p)
		}
	}
	if string(p["simulated"]) != "null" || string(p["theory"]) != "0" || string(p["theory_log10"]) != "null" {
		t.Errorf("F6 v=6 point: simulated %s, theory %s, theory_log10 %s", p["simulated"], p["theory"], p["theory_log10"])
	}
}

func TestHTML(t *testing.T) {
	r, err := Build(context.Background(), smallOptions(&fakeSim{}))
	if err != nil {
		t.Fatal(err)
	}
	files := writeAll(t, r)
	page := string(files["index.html"])
	for _, want := range []string{
		"<h2 id=\"corrections\">Corrections to the published figures</h2>",
		"Theory against simulation", `<tr class="pass">`, "Table 1D", "Optimal-threshold statistics",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != len(r.Figures) {
		t.Errorf("index.html inlines %d SVGs, want %d", n, len(r.Figures))
	}
	for i := 1; i <= 8; i++ {
		if !strings.Contains(page, `id="correction-`+string(rune('0'+i))+`"`) {
			t.Errorf("correction %d missing from index.html", i)
		}
	}
	for _, bad := range []string{"<script", "<link", `src="http`, "<?xml", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html contains %q: not self-contained", bad)
		}
	}
}

func TestPlotsDoNotPanicOnZeros(t *testing.T) {
	// A simulator that returns 0 everywhere (and a CI touching 0) must not
	// break the log axes.
	r, err := Build(context.Background(), Options{Samples: 100, Only: []string{"F5", "F6", "E5"}, Sim: zeroSim{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Figures {
		if _, err := f.renderSVG(); err != nil {
			t.Errorf("%s: %v", f.ID, err)
		}
	}
}

type zeroSim struct{}

func (zeroSim) Simulate(_ context.Context, _ string, _ theory.Args, samples int64, _ uint64, _ string) (SimPoint, error) {
	return SimPoint{Samples: samples, CI95: [2]float64{0, 3.84 / float64(samples)}}, nil
}

// arg returns the value of k in p (0 if absent: the fake simulators then
// get the theory's error for the missing value).
func arg(p theory.Args, k theory.Param) int {
	v, _ := p.Get(k)
	return v
}
