package nab

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Provenance: the numbers in these tests are from docs/benchmarks.md §1.3 of
// the shared folder, which restates NAB's own test cases
// (tests/integration/sweeper_test.py, tests/integration/true_positive_test.py
// of numenta/NAB) as numbers only; no NAB code was read.

func TestProbationaryPeriod(t *testing.T) {
	for _, tc := range []struct {
		n    int
		frac float64
		want int
	}{
		{100, 0, 0},       // NAB test: (100 rows, 0%)
		{100, 0.15, 15},   // NAB test: (100, 15%)
		{6000, 0.10, 500}, // NAB test: (6000, 10%): capped at 0.1·5000
		{4032, 0.15, 604}, // corpus files (benchmarks.md §1.1)
		{1624, 0.15, 243},
		{1243, 0.15, 186},
		{5315, 0.15, 750},
		{22695, 0.15, 750},
		{5000, 0.15, 750},
		{0, 0.15, 0},
		{1, 0.15, 0},
		{7, 0.15, 1},
	} {
		if got := ProbationaryPeriodFrac(tc.n, tc.frac); got != tc.want {
			t.Errorf("ProbationaryPeriodFrac(%d, %v) = %d, want %d", tc.n, tc.frac, got, tc.want)
		}
	}
	if ProbationaryPeriod(10320) != 750 {
		t.Error("ProbationaryPeriod(10320) != 750")
	}
}

func TestScaledSigmoid(t *testing.T) {
	// benchmarks.md §1.3: S(−1)=0.986614, S(−0.5)=0.848284, S(0)=0,
	// S(0.5)=−0.848284, S(1)=−0.986614; S(x) = −1 for x > 3.
	for _, tc := range []struct{ x, want float64 }{
		{-1, 0.986614}, {-0.5, 0.848284}, {0, 0}, {0.5, -0.848284}, {1, -0.986614},
		{3.0000001, -1}, {100, -1}, {math.Inf(1), -1},
	} {
		if got := ScaledSigmoid(tc.x); math.Abs(got-tc.want) > 5e-7 {
			t.Errorf("S(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
	// S(x) = −tanh(2.5x).
	for x := -3.0; x <= 3; x += 0.125 {
		if d := ScaledSigmoid(x) + math.Tanh(2.5*x); math.Abs(d) > 1e-15 {
			t.Errorf("S(%v) differs from −tanh(2.5x) by %v", x, d)
		}
	}
}

// TestWorkedWeights: the table of weighted values for a 403-row window under
// the standard profile (benchmarks.md §1.3, "Worked values").
func TestWorkedWeights(t *testing.T) {
	const start, end = 1000, 1402 // W = 403, as in the artificial files
	n := end + 1500
	s := RowWeights(n, []Window{{start, end}}, Standard)
	for _, tc := range []struct {
		what string
		row  int
		want float64
	}{
		{"left edge", start, 1},
		{"100 rows into the window", start + 100, 0.967411},
		{"middle (201 rows in)", start + 201, 0.860672},
		{"right edge", end, 0.006288},
		{"1 row after", end + 1, -0.000684},
		{"201 rows after", end + 201, -0.093311},
		{"402 rows after", end + 402, -0.108528},
		{"before the first window", 0, -0.11},
		{"before the first window (last row)", start - 1, -0.11},
		{"1206 rows after", end + 1206, -0.11},
		{"1207 rows after", end + 1207, -0.11},
	} {
		if got := s[tc.row]; math.Abs(got-tc.want) > 5e-7 {
			t.Errorf("%s (row %d): %.7f, want %.6f", tc.what, tc.row, got, tc.want)
		}
	}
	if s[start] != Standard.TPWeight {
		t.Errorf("left edge %v is not exactly tpWeight", s[start])
	}
	if s[end+1207] != -Standard.FPWeight {
		t.Errorf("> 3 window lengths after: %v, want exactly −fpWeight", s[end+1207])
	}
	// Weights fall monotonically through the window and after it.
	for i := start + 1; i <= end+1206; i++ {
		if !(s[i] < s[i-1]) && i != end+1 {
			t.Fatalf("weight not decreasing at row %d: %v then %v", i, s[i-1], s[i])
		}
	}
}

func TestWeightsBetweenWindows(t *testing.T) {
	// After a window, the weight follows that window until the next starts;
	// a one-row window gives −fpWeight right after it (W−1 = 0).
	ws := []Window{{10, 19}, {25, 25}, {40, 49}}
	s := RowWeights(60, ws, RewardLowFPRate)
	if want := 0.22 * ScaledSigmoid(2.0/9); math.Abs(s[21]-want) > 1e-15 {
		t.Errorf("row 21: %v, want %v", s[21], want)
	}
	if s[25] != 1 {
		t.Errorf("one-row window: %v, want 1", s[25])
	}
	if s[26] != -0.22 || s[39] != -0.22 {
		t.Errorf("after a one-row window: %v %v, want −0.22", s[26], s[39])
	}
	for i, x := range s {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Errorf("row %d: %v", i, x)
		}
	}
}

// fn5Scorer builds the NAB sweeper test case with fnWeight = 5 and explicit
// row weights (benchmarks.md §1.3): rows (probationary, a=0.5),
// (probationary, 0.5), (no window, 0.0, s=−3), (windowA, 0.2, s=20),
// (windowA, 0.3, s=10), (windowB, 0.5, s=5), (no window, 0.5, s=−3).
func fn5Scorer() (*Scorer, []float64, []float64) {
	scores := []float64{0.5, 0.5, 0.0, 0.2, 0.3, 0.5, 0.5}
	weights := []float64{0, 0, -3, 20, 10, 5, -3}
	f := &File{Name: "fn5", Series: &Series{Values: make([]float64, 7)}, Windows: []Window{{3, 4}, {5, 5}}}
	f.Timestamps = make([]time.Time, 7)
	s := newScorer([]scoredFile{{File: f, scores: scores, win: windowIndex(7, f.Windows), probation: 2}})
	return s, scores, weights
}

func TestSweepFNWeight5(t *testing.T) {
	s, scores, weights := fn5Scorer()
	// (θ, score, tp, tn, fp, fn)
	want := []CurvePoint{
		{1.1, -10, 0, 2, 0, 3},
		{0.5, -3, 1, 1, 1, 2},
		{0.3, 12, 2, 1, 1, 1},
		{0.2, 22, 3, 1, 1, 0},
		{0.0, 19, 3, 0, 2, 0},
	}
	var got []CurvePoint
	s.sweep([][]float64{weights}, 5, func(pt CurvePoint) { got = append(got, pt) })
	if len(got) != len(want) {
		t.Fatalf("curve %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("curve[%d] = %+v, want %+v", i, got[i], want[i])
		}
		// The direct per-file score agrees at every threshold.
		fs := scoreRows(scores, weights, s.files[0].win, 2, 2, 5, want[i].Threshold)
		if fs.Score != want[i].Raw || fs.TP != want[i].TP || fs.TN != want[i].TN || fs.FP != want[i].FP || fs.FN != want[i].FN {
			t.Errorf("scoreRows at θ=%v = %+v, want %+v", want[i].Threshold, fs, want[i])
		}
	}
}

// oneWindowFile is a 1000-row file (P = 150) with one window [400, 499].
func oneWindowFile(detect ...int) ([]float64, []Window) {
	a := make([]float64, 1000)
	for _, i := range detect {
		a[i] = 1
	}
	return a, []Window{{400, 499}}
}

// TestTruePositives restates NAB's true-positive tests (benchmarks.md §1.3).
func TestTruePositives(t *testing.T) {
	ones := Profile{Name: "ones", TPWeight: 1, FPWeight: 1, FNWeight: 1, TNWeight: 1}
	score := func(detect ...int) FileScore {
		t.Helper()
		a, ws := oneWindowFile(detect...)
		fs, err := ScoreFile(a, ws, ones, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	// One TP on the first row of a window gives exactly tpWeight.
	if fs := score(400); fs.Score != 1 || fs.TP != 1 || fs.FN != 99 || fs.FP != 0 || fs.TN != 750 {
		t.Errorf("TP at window start: %+v", fs)
	}
	// An earlier TP scores strictly higher than a later one.
	early, late := score(410), score(450)
	if !(early.Score > late.Score) || !(late.Score > 0) {
		t.Errorf("early %v, late %v", early.Score, late.Score)
	}
	// A second TP in the same window does not change the score.
	if two := score(410, 450); two.Score != early.Score || two.TP != 2 {
		t.Errorf("two TPs: %+v, one TP: %+v", two, early)
	}
	// No detection: −fnWeight. Detections in the probationary period are ignored.
	if fs := score(); fs.Score != -1 {
		t.Errorf("no detection: %v", fs.Score)
	}
	if fs := score(0, 149); fs.Score != -1 || fs.FP != 0 || fs.TP+fs.TN+fs.FP+fs.FN != 850 {
		t.Errorf("detections in P: %+v", fs)
	}
	if fs := score(150); fs.FP != 1 || fs.Score != -1-1 {
		t.Errorf("detection at P (before the window): %+v", fs)
	}
}

func TestSweepTiesTakeHighestThreshold(t *testing.T) {
	// A second detection in the same window leaves the score unchanged, so
	// θ = 0.9 and θ = 0.5 tie; the sweep must report 0.9.
	a, ws := oneWindowFile()
	a[400], a[450] = 0.9, 0.5
	c := mustCorpus(t, &File{Name: "f.csv", Series: seriesOf(len(a)), Windows: ws})
	s, err := NewScorer(c, map[string][]float64{"f.csv": a})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Sweep(Standard)
	if err != nil {
		t.Fatal(err)
	}
	if r.Threshold != 0.9 || r.Normalized != 100 {
		t.Errorf("θ* = %v, score %v; want 0.9, 100", r.Threshold, r.Normalized)
	}
	// All scores equal: the tie between 1.1 (nothing) and a worse θ keeps 1.1.
	z := make([]float64, 1000)
	s, _ = NewScorer(c, map[string][]float64{"f.csv": z})
	if r, _ := s.Sweep(Standard); r.Threshold != NoDetection || r.Normalized != 0 {
		t.Errorf("null: θ* = %v, score %v", r.Threshold, r.Normalized)
	}
}

// seriesOf is a series of n rows, 5 minutes apart.
func seriesOf(n int) *Series {
	s := &Series{Timestamps: make([]time.Time, n), Values: make([]float64, n)}
	t0 := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range s.Timestamps {
		s.Timestamps[i] = t0.Add(5 * time.Minute * time.Duration(i))
	}
	return s
}

func mustCorpus(t *testing.T, files ...*File) *Corpus {
	t.Helper()
	c, err := NewCorpus(files)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// randomCorpus has files of random lengths with random windows and scores
// drawn from a small set of values (so that ties occur).
func randomCorpus(t *testing.T, rng *rand.Rand) (*Corpus, map[string][]float64) {
	var files []*File
	scores := map[string][]float64{}
	nf := 1 + rng.IntN(6)
	for f := range nf {
		n := 1 + rng.IntN(250)
		var ws []Window
		for i := rng.IntN(n + 1); i < n; {
			w := 1 + rng.IntN(40)
			if i+w > n {
				break
			}
			ws = append(ws, Window{i, i + w - 1})
			i += w + 1 + rng.IntN(150)
		}
		name := string(rune('a'+f)) + ".csv"
		files = append(files, &File{Name: name, Series: seriesOf(n), Windows: ws})
		a := make([]float64, n)
		for i := range a {
			switch rng.IntN(3) {
			case 0:
				a[i] = float64(rng.IntN(5)) / 4
			default:
				a[i] = rng.Float64()
			}
		}
		scores[name] = a
	}
	return mustCorpus(t, files...), scores
}

// TestSweepMatchesBruteForce: the incremental curve equals scoring every
// candidate threshold directly, and Sweep picks the best (highest θ on ties).
func TestSweepMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 80 {
		c, scores := randomCorpus(t, rng)
		s, err := NewScorer(c, scores)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(Profiles, Profile{"odd", 2, 0.5, 3, 0}) {
			curve, err := s.Curve(p)
			if err != nil {
				t.Fatal(err)
			}
			best := curve[0]
			for j, pt := range curve {
				if j > 0 && !(pt.Threshold < curve[j-1].Threshold) {
					t.Fatalf("iter %d: thresholds not decreasing: %v", iter, curve)
				}
				r, _ := s.Score(p, pt.Threshold)
				if math.Abs(r.Raw-pt.Raw) > 1e-9 || r.TP != pt.TP || r.TN != pt.TN || r.FP != pt.FP || r.FN != pt.FN {
					t.Fatalf("iter %d %s θ=%v: curve %+v, direct %v %d %d %d %d", iter, p.Name, pt.Threshold, pt, r.Raw, r.TP, r.TN, r.FP, r.FN)
				}
				if r.Raw > best.Raw+1e-9 {
					best = pt
					best.Raw = r.Raw
				}
			}
			r, _ := s.Sweep(p)
			if math.Abs(r.Raw-best.Raw) > 1e-9 {
				t.Fatalf("iter %d %s: sweep %v at %v, brute force %v at %v", iter, p.Name, r.Raw, r.Threshold, best.Raw, best.Threshold)
			}
			if s.NumWindows() > 0 && (r.Normalized < -1e-9 || r.Normalized > 100+1e-9) {
				t.Fatalf("iter %d %s: normalised %v outside [0,100]", iter, p.Name, r.Normalized)
			}
		}
	}
}

// TestNullAndPerfectSynthetic: null scores 0 and perfect 100 on a synthetic
// corpus under every profile (no shared data needed).
func TestNullAndPerfectSynthetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		c, _ := randomCorpus(t, rng)
		if c.NumWindows() == 0 {
			continue
		}
		null, perfect := map[string][]float64{}, map[string][]float64{}
		for _, f := range c.Files {
			null[f.Name] = make([]float64, f.Len())
			a := make([]float64, f.Len())
			for _, w := range f.Windows {
				// A window entirely inside P cannot be detected; detect at its
				// first scorable row if it reaches past P.
				a[max(w.Start, f.Probation())] = 1
			}
			perfect[f.Name] = a
		}
		for _, p := range Profiles {
			// The null detector detects nothing (θ = 1.1). Swept, a constant
			// detector may do better than 0 here (detecting every row can pay
			// in a small corpus), never worse.
			sn, _ := NewScorer(c, null)
			if rn, _ := sn.Score(p, NoDetection); rn.Normalized != 0 {
				t.Fatalf("null: %v", rn.Normalized)
			}
			if rn, _ := sn.Sweep(p); rn.Normalized < 0 {
				t.Fatalf("null swept: %v at θ=%v", rn.Normalized, rn.Threshold)
			}
			sp, _ := NewScorer(c, perfect)
			rp, _ := sp.Sweep(p)
			inP := false
			for _, f := range c.Files {
				for _, w := range f.Windows {
					inP = inP || w.Start < f.Probation()
				}
			}
			if !inP && math.Abs(rp.Normalized-100) > 1e-9 {
				t.Fatalf("perfect: %v at θ=%v", rp.Normalized, rp.Threshold)
			}
		}
	}
}

func TestScoreFileErrors(t *testing.T) {
	a, ws := oneWindowFile()
	for _, tc := range []struct {
		name   string
		scores []float64
		ws     []Window
		p      Profile
		want   string
	}{
		{"score>1", append([]float64{1.5}, a[1:]...), ws, Standard, "outside [0,1]"},
		{"NaN", append([]float64{math.NaN()}, a[1:]...), ws, Standard, "outside [0,1]"},
		{"negative", append([]float64{-0.1}, a[1:]...), ws, Standard, "outside [0,1]"},
		{"window past end", a, []Window{{990, 1000}}, Standard, "not a valid range"},
		{"window reversed", a, []Window{{10, 5}}, Standard, "not a valid range"},
		{"overlap", a, []Window{{10, 20}, {20, 30}}, Standard, "overlaps"},
		{"bad profile", a, ws, Profile{Name: "x", TPWeight: math.NaN()}, "finite"},
		{"zero profile", a, ws, Profile{Name: "z"}, "normalised"},
	} {
		_, err := ScoreFile(tc.scores, tc.ws, tc.p, 0.5)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestNewScorerErrors(t *testing.T) {
	c := mustCorpus(t, &File{Name: "a.csv", Series: seriesOf(10)}, &File{Name: "b.csv", Series: seriesOf(5)})
	ok := map[string][]float64{"a.csv": make([]float64, 10), "b.csv": make([]float64, 5)}
	if _, err := NewScorer(c, ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		m    map[string][]float64
		want string
	}{
		{"missing file", map[string][]float64{"a.csv": make([]float64, 10)}, "no scores for b.csv"},
		{"extra file", map[string][]float64{"a.csv": make([]float64, 10), "b.csv": make([]float64, 5), "c.csv": nil}, "not in the corpus"},
		{"short", map[string][]float64{"a.csv": make([]float64, 9), "b.csv": make([]float64, 5)}, "9 scores for 10 rows"},
		{"range", map[string][]float64{"a.csv": make([]float64, 10), "b.csv": {0, 0, 2, 0, 0}}, "b.csv: row 2"},
	} {
		_, err := NewScorer(c, tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// No windows: the normalised score is undefined (NaN).
	s, _ := NewScorer(c, ok)
	if r, _ := s.Score(Standard, 0.5); !math.IsNaN(r.Normalized) {
		t.Errorf("no windows: normalised %v, want NaN", r.Normalized)
	}
}
