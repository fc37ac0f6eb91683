package theory

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// randomConfig draws (n, a, s, θ) with n log-uniform up to 10^7, a and s
// log-uniform up to n (s ≤ 300 and a ≤ 20000 so the exact mode stays
// quick) and θ around the interesting range, including edge cases.
func randomConfig(r *rand.Rand) (n, a, s, theta int) {
	logUniform := func(hi int) int {
		if hi <= 0 {
			return 0
		}
		return int(math.Exp(r.Float64() * math.Log(float64(hi)+1)))
	}
	n = max(1, logUniform(10_000_000))
	a = min(n, logUniform(min(n, 20000)))
	s = min(n, logUniform(min(n, 300)))
	if r.IntN(2) == 0 {
		a, s = s, a // exercise both orders
	}
	hi := min(s, a)
	theta = r.IntN(hi+4) - 1
	return
}

// TestFastMatchesExact is the exact-vs-fast cross-check over 10^4 random
// configurations (n up to 10^7): the fast E2 must be the float64 nearest
// the exact one (within nearestBound), and be exactly 0 exactly when the
// exact value is.
func TestFastMatchesExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst, worstCfg := 0.0, [4]int{}
	count := 10000
	if testing.Short() {
		count = 1000
	}
	for range count {
		n, a, s, theta := randomConfig(r)
		f, err := FP(n, a, s, theta)
		if err != nil {
			t.Fatalf("FP(%d,%d,%d,%d): %v", n, a, s, theta, err)
		}
		e, err := FPBig(n, a, s, theta)
		if err != nil {
			t.Fatalf("FPBig(%d,%d,%d,%d): %v", n, a, s, theta, err)
		}
		if (e.Sign() == 0) != f.IsZero() {
			t.Fatalf("FP(%d,%d,%d,%d): fast %s, exact %s", n, a, s, theta, f, e)
		}
		if e.Sign() == 0 {
			continue
		}
		if d := relErr(f.Big(), e); d > worst {
			worst, worstCfg = d, [4]int{n, a, s, theta}
		}
	}
	t.Logf("worst relative error %.3g at (n,a,s,θ)=%v", worst, worstCfg)
	if worst > nearestBound {
		t.Errorf("fast E2 off by %.3g relative at %v (> half an ulp)", worst, worstCfg)
	}
}

// TestFNFastMatchesExact cross-checks E3 the same way.
func TestFNFastMatchesExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for range 3000 {
		a := 1 + r.IntN(3000)
		s := r.IntN(min(a, 200) + 1)
		v := r.IntN(a + 1)
		theta := r.IntN(s+3) - 1
		f, err := FN(a, s, theta, v)
		if err != nil {
			t.Fatal(err)
		}
		e, err := FNBig(a, s, theta, v)
		if err != nil {
			t.Fatal(err)
		}
		if (e.Sign() == 0) != f.IsZero() {
			t.Fatalf("FN(%d,%d,%d,%d): fast %s exact %s", a, s, theta, v, f, e)
		}
		if e.Sign() != 0 {
			worst = max(worst, relErr(f.Big(), e))
		}
	}
	if worst > nearestBound {
		t.Errorf("fast E3 off by %.3g relative (> half an ulp)", worst)
	}
}

// drawArg draws a value of p for a random small configuration with
// population n and segment size s (θ and b around [0, s]); the
// generator covers every parameter of the table (TestDrawArgCoversTable).
func drawArg(r *rand.Rand, p Param, n, s int) (int, bool) {
	switch p {
	case ParamN:
		return n, true
	case ParamA:
		return r.IntN(min(n, 300) + 1), true
	case ParamS:
		return s, true
	case ParamTheta:
		return r.IntN(s + 2), true
	case ParamB:
		return r.IntN(40), true
	case ParamPatterns:
		return 1 + r.IntN(6), true
	case ParamNoise:
		return r.IntN(40), true
	case ParamSegments:
		return r.IntN(2000), true
	}
	return 0, false
}

func TestDrawArgCoversTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, info := range Params() {
		for range 100 {
			v, ok := drawArg(r, info.Param, 5000, 60)
			if !ok {
				t.Fatalf("drawArg has no generator for %s", info.Name)
			}
			if v < info.Min || v > info.Max {
				t.Fatalf("drawArg(%s) = %d outside [%d, %d]", info.Name, v, info.Min, info.Max)
			}
		}
	}
}

// TestOtherQuantitiesFastMatchesExact cross-checks every remaining
// quantity on random small configurations, with the parameters each
// quantity declares. It fails for a quantity of which fewer than a
// quarter of the draws could be compared, so that it cannot pass by
// checking nothing (as it once did when every draw was rejected).
func TestOtherQuantitiesFastMatchesExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const draws = 200
	for _, q := range Quantities() {
		if q.Name == "fp" || q.Name == "fn" {
			continue
		}
		worst, checked := 0.0, 0
		for range draws {
			n := 1 + r.IntN(5000)
			s := r.IntN(min(n, 60) + 1)
			var p Args
			for _, name := range q.Params {
				v, _ := drawArg(r, name, n, s)
				p = p.With(name, v)
			}
			f, err1 := q.Eval(p, false)
			e, err2 := q.Eval(p, true)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s(%v): fast err %v, exact err %v", q.Name, p, err1, err2)
			}
			if err1 != nil {
				continue
			}
			checked++
			if e.IsZero() != f.IsZero() {
				t.Fatalf("%s(%v): fast %s exact %s", q.Name, p, f, e)
			}
			if !e.IsZero() {
				worst = max(worst, relErr(f.Big(), e.Big())/fastBound(q, p))
			}
		}
		if checked < draws/4 {
			t.Errorf("%s: only %d of %d draws were valid; the cross-check checks (almost) nothing", q.Name, checked, draws)
		}
		if worst > 1 {
			t.Errorf("%s: fast off by %.3g times its bound (fastBound)", q.Name, worst)
		}
	}
}

// TestFPProperties checks the exact identities of paper-spec E2 on random
// configurations: symmetry P(n,a,s,θ) = P(n,s,a,θ), P = 1 for θ ≤ 0, P = 0
// for θ > min(s,a), values in [0,1], monotone decreasing in θ and
// increasing in s; s = θ = a gives 1/C(n,a).
func TestFPProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		n, a, s, theta := randomConfig(r)
		p, _ := FP(n, a, s, theta)
		q, _ := FP(n, s, a, theta)
		if d := relErr(p.Big(), q.Big()); d > 1e-13 && !(p.IsZero() && q.IsZero()) {
			t.Errorf("symmetry: FP(%d,%d,%d,%d)=%s, FP(n,s,a,θ)=%s", n, a, s, theta, p, q)
		}
		if theta <= 0 && p.Cmp(One) != 0 {
			t.Errorf("FP(%d,%d,%d,%d) = %s, want 1 for θ ≤ 0", n, a, s, theta, p)
		}
		if theta > min(s, a) && !p.IsZero() {
			t.Errorf("FP(%d,%d,%d,%d) = %s, want 0 for θ > min(s,a)", n, a, s, theta, p)
		}
		if p.Cmp(One) > 0 && relErr(p.Big(), big.NewFloat(1)) > 1e-14 {
			t.Errorf("FP(%d,%d,%d,%d) = %s > 1", n, a, s, theta, p)
		}
		next, _ := FP(n, a, s, theta+1)
		if next.Cmp(p) > 0 && relErr(next.Big(), p.Big()) > 1e-14 {
			t.Errorf("not decreasing in θ: FP(%d,%d,%d,%d)=%s < FP(θ+1)=%s", n, a, s, theta, p, next)
		}
		if s < n {
			more, _ := FP(n, a, s+1, theta)
			if more.Cmp(p) < 0 && relErr(more.Big(), p.Big()) > 1e-14 {
				t.Errorf("not increasing in s: FP(%d,%d,%d,%d)=%s > FP(s+1)=%s", n, a, s, theta, p, more)
			}
		}
	}
	// s = θ = a: 1/C(n,a) (paper-spec E2a); n=1024, a=2 gives 1/523776.
	p, _ := FP(1024, 2, 2, 2)
	if d := math.Abs(p.Float64()*523776 - 1); d > 1e-15 {
		t.Errorf("FP(1024,2,2,2) = %s, want 1/523776", p)
	}
}

// TestFNProperties: E3 is exactly 0 when v ≤ s − θ (noise tolerance),
// exactly 1 when θ > s, and increasing in v.
func TestFNProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 2000 {
		a := 1 + r.IntN(500)
		s := r.IntN(a + 1)
		theta := r.IntN(s+2) - 1
		v := r.IntN(a + 1)
		p, err := FN(a, s, theta, v)
		if err != nil {
			t.Fatal(err)
		}
		if v <= s-theta && !p.IsZero() {
			t.Errorf("FN(%d,%d,%d,%d) = %s, want exactly 0 for v ≤ s−θ", a, s, theta, v, p)
		}
		if theta > s && p.Cmp(One) != 0 {
			t.Errorf("FN(%d,%d,%d,%d) = %s, want 1 for θ > s", a, s, theta, v, p)
		}
		if v < a {
			q, _ := FN(a, s, theta, v+1)
			if q.Cmp(p) < 0 && relErr(q.Big(), p.Big()) > 1e-14 {
				t.Errorf("FN not increasing in v at (%d,%d,%d,%d): %s > %s", a, s, theta, v, p, q)
			}
		}
	}
}

// TestUnionSizeDist checks the union-size chain: it sums to 1, its mean is
// E4's n(1−(1−s/n)^M) (the expectation is exact), and for M=1 it is a
// point mass at s.
func TestUnionSizeDist(t *testing.T) {
	for _, c := range [][3]int{{1000, 25, 1}, {1000, 25, 3}, {10000, 25, 19}, {100, 30, 10}, {50, 50, 4}} {
		lo, p, err := UnionSizeDist(c[0], c[1], c[2])
		if err != nil {
			t.Fatal(err)
		}
		var sum, mean float64
		for i, x := range p {
			sum += x
			mean += float64(lo+i) * x
		}
		want, _ := UnionSynapses(c[0], c[1], c[2])
		if math.Abs(sum-1) > 1e-12 || math.Abs(mean-want) > 1e-9*want {
			t.Errorf("%v: sum %v mean %v, want 1 and %v", c, sum, mean, want)
		}
	}
}

// TestUnionFPMixVsPaper: the paper's plug-in of the expected union size
// (UnionFP) and the exact mixture agree for M = 1 (no randomness in the
// size) and differ, but only modestly, for M > 1 (paper-spec E4 [INF]).
func TestUnionFPMixVsPaper(t *testing.T) {
	a, _ := UnionFP(10000, 200, 25, 15, 1)
	b, _ := UnionFPMix(10000, 200, 25, 15, 1)
	if relErr(a.Big(), b.Big()) > 1e-14 {
		t.Errorf("M=1: %s vs %s", a, b)
	}
	a, _ = UnionFP(10000, 200, 25, 15, 10)
	b, _ = UnionFPMix(10000, 200, 25, 15, 10)
	ratio := b.Float64() / a.Float64()
	if ratio < 0.5 || ratio > 2 || ratio == 1 {
		t.Errorf("M=10: plug-in %s, mixture %s (ratio %v)", a, b, ratio)
	}
}

// TestNoUnderflow: values below 1e-308 are carried and printed, never 0
// (the published notebooks print 0 for 4e-21; float64 would for 6e-4863).
func TestNoUnderflow(t *testing.T) {
	p, err := Match(200000, 2000)
	if err != nil {
		t.Fatal(err)
	}
	// exact: 6.545923742300831222402512e-4863 (testdata EXACT-004)
	want, _, _ := big.ParseFloat("6.545923742300831222402512e-4863", 10, 200, big.ToNearestEven)
	if d := relErr(p.Big(), want); d > 1e-13 {
		t.Errorf("Match(200000,2000) = %s, want %s (rel err %.2g)", p, want.Text('e', 16), d)
	}
	if p.IsZero() || math.Abs(p.Log10()-(-4862.184029058376)) > 1e-9 {
		t.Errorf("Match(200000,2000) = %s, log10 %v", p, p.Log10())
	}
	n, _ := Neuron(200000, 2000, 2000, 2000, 100)
	if n.IsZero() || math.Abs(n.Log10()-(-4860.184029058376)) > 1e-9 {
		t.Errorf("Neuron of a tiny P = %s", n)
	}
	st, _ := FPBinomial(200000, 2000, 2000, 2000) // (1/100)^2000 = 1e-4000
	if math.Abs(st.Log10()+4000) > 1e-9 {
		t.Errorf("FPBinomial = %s, want 1e-4000", st)
	}
}

// TestValidation: invalid parameters give errors, never panics or NaN.
func TestValidation(t *testing.T) {
	bad := []map[string]int{
		{"n": 0, "a": 0, "s": 0, "theta": 1},
		{"n": 100, "a": 101, "s": 5, "theta": 1},
		{"n": 100, "a": -1, "s": 5, "theta": 1},
		{"n": 100, "a": 10, "s": 101, "theta": 1},
		{"n": -5, "a": 1, "s": 1, "theta": 1},
		{"n": 1 << 41, "a": 1, "s": 1, "theta": 1},
	}
	for _, p := range bad {
		for _, exact := range []bool{false, true} {
			if v, err := Eval("fp", argsOf(t, p), exact); err == nil {
				t.Errorf("fp%v accepted: %s", p, v)
			}
		}
	}
	if _, err := Eval("fn", argsOf(t, map[string]int{"a": 10, "s": 11, "theta": 1, "noise": 2}), false); err == nil {
		t.Error("fn with s > a accepted")
	}
	if _, err := Eval("fn", argsOf(t, map[string]int{"a": 10, "s": 5, "theta": 1, "noise": 11}), false); err == nil {
		t.Error("fn with v > a accepted")
	}
	if _, err := Eval("fp", argsOf(t, map[string]int{"n": 10, "a": 5}), false); err == nil {
		t.Error("fp without s and theta accepted")
	}
	if _, err := Eval("nope", argsOf(t, map[string]int{}), false); err == nil {
		t.Error("unknown quantity accepted")
	}
	if _, err := Eval("union-fp", argsOf(t, map[string]int{"n": 100, "a": 5, "s": 5, "theta": 2, "patterns": -1}), false); err == nil {
		t.Error("negative M accepted")
	}
	if _, err := Eval("neuron", argsOf(t, map[string]int{"n": 100, "a": 5, "s": 5, "theta": 2, "segments": -1}), false); err == nil {
		t.Error("negative m accepted")
	}
	if _, err := FPBig(10_000_000, 5_000_000, 5_000_000, 10); err == nil {
		t.Error("exact mode accepted min(s,a) = 5e6")
	}
}

// TestApproximationEdges: the E6 approximations at p = a/n of 0 and 1,
// and θ beyond s, in both modes.
func TestApproximationEdges(t *testing.T) {
	for _, c := range []struct {
		q    string
		p    map[string]int
		want float64
	}{
		{"fp-binomial", map[string]int{"n": 10, "a": 10, "s": 5, "theta": 3}, 1},
		{"fp-binomial", map[string]int{"n": 10, "a": 0, "s": 5, "theta": 3}, 0},
		{"fp-binomial", map[string]int{"n": 10, "a": 0, "s": 5, "theta": 0}, 1},
		{"fp-binomial", map[string]int{"n": 10, "a": 3, "s": 5, "theta": 6}, 0},
		{"fp-leading", map[string]int{"n": 10, "a": 3, "s": 5, "theta": 6}, 0},
		{"fp-leading", map[string]int{"n": 10, "a": 3, "s": 5, "theta": 0}, 1},
		// C(4,2)·(1/2)^2 = 1.5: the leading term is not a probability.
		{"fp-leading", map[string]int{"n": 10, "a": 5, "s": 4, "theta": 2}, 1.5},
	} {
		for _, exact := range []bool{false, true} {
			v, err := Eval(c.q, argsOf(t, c.p), exact)
			if err != nil || v.Float64() != c.want {
				t.Errorf("%s%v exact=%v = %v (%v), want %v", c.q, c.p, exact, v, err, c.want)
			}
		}
	}
}
