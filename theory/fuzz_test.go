package theory

import (
	"math"
	"testing"
)

// fuzzSeeds are FuzzEval's seeds: quantity index, then n, a, s, θ, b, M,
// v, m. Each lies inside fuzzBounded (TestFuzzSeedsInBounds), so every
// seed runs, the headline configuration n = 10000 included.
var fuzzSeeds = [][9]int{
	{2, 10000, 64, 24, 12, 0, 0, 0, 0},   // fp, the headline configuration
	{3, 0, 128, 30, 8, 0, 0, 26, 0},      // fn (n unused)
	{6, 10000, 200, 25, 15, 0, 5, 0, 0},  // union-fp-exact
	{8, 100, 7, 7, 4, 0, 0, 0, 500},      // neuron
	{0, 2048, 40, 20, 0, 10, 0, 0, 0},    // overlap-count
	{2, -1, 5, 5, 5, 0, 0, 0, 0},         // fp with n < 1: an error
	{7, 200000, 2000, 0, 0, 0, 3, 0, 0},  // union-allbits at the paper's n
	{11, 16000, 4000, 10, 5, 0, 0, 0, 0}, // fp-leading, dense
}

// fuzzBounded reports whether a fuzz input is small enough to evaluate
// quickly. The cost of every quantity grows with min(a, s), the segments
// m and the union size M·s, and only with log n (the exact forms build
// integers of about min(a, s)·log2(n) bits), so n may range far wider
// than the other counts: up to 2^20, past the paper's n = 200000.
func fuzzBounded(n, a, s, theta, b, m, v, seg int) bool {
	for _, x := range []int{a, s, b, v, seg} {
		if x > 5000 || x < -5000 {
			return false
		}
	}
	return n <= 1<<20 && n >= -(1<<20) && m <= 12 && m >= -2 && theta <= 1<<20 && theta >= -(1<<20)
}

// fuzzParams maps FuzzEval's integer arguments, in order, to parameters.
var fuzzParams = [...]Param{ParamN, ParamA, ParamS, ParamTheta, ParamB, ParamPatterns, ParamNoise, ParamSegments}

// TestFuzzCoversTable: FuzzEval has an argument for every parameter of
// the table (a new parameter needs one, else its quantities are never
// fuzzed: they fail with ErrMissing on every input).
func TestFuzzCoversTable(t *testing.T) {
	var seen Args
	for _, p := range fuzzParams {
		seen = seen.With(p, 0)
	}
	if seen.Len() != len(Params()) {
		t.Errorf("FuzzEval covers %v, the table has %d parameters", seen.Given(), len(Params()))
	}
}

func TestFuzzSeedsInBounds(t *testing.T) {
	for _, c := range fuzzSeeds {
		if !fuzzBounded(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]) {
			t.Errorf("seed %v lies outside fuzzBounded: it would be skipped", c)
		}
		if qs := Quantities(); c[0] >= len(qs) {
			t.Errorf("seed %v: no quantity %d", c, c[0])
		}
	}
}

// FuzzEval drives every quantity with arbitrary values of the parameters
// it declares: it must never panic, return NaN, or give a probability
// outside [0, 1] (overlap-count, union-synapses and the bounds
// neuron-bound and fp-leading may exceed 1); where the exact mode is cheap
// it must agree with the fast mode.
func FuzzEval(f *testing.F) {
	for _, c := range fuzzSeeds {
		f.Add(uint8(c[0]), c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])
	}
	f.Fuzz(func(t *testing.T, qi uint8, n, a, s, theta, b, m, v, seg int) {
		qs := Quantities()
		q := qs[int(qi)%len(qs)]
		// Keep the work bounded: the library accepts larger questions,
		// but they are slow by nature, not wrong.
		if !fuzzBounded(n, a, s, theta, b, m, v, seg) {
			t.Skip()
		}
		var all Args
		for i, x := range []int{n, a, s, theta, b, m, v, seg} {
			all = all.With(fuzzParams[i], x)
		}
		var p Args
		for _, name := range q.Params {
			x, _ := all.Get(name)
			p = p.With(name, x)
		}
		fast, err := q.Eval(p, false)
		if err != nil {
			return
		}
		x := fast.Float64()
		if math.IsNaN(x) || math.IsNaN(fast.Log10()) {
			t.Fatalf("%s(%v) = NaN", q.Name, p)
		}
		if q.Name != "overlap-count" && q.Name != "union-synapses" && q.Name != "neuron-bound" && q.Name != "fp-leading" && x > 1+1e-12 {
			t.Fatalf("%s(%v) = %v > 1", q.Name, p, x)
		}
		if q.Name == "union-fp-exact" && s*m > 400 {
			return // the exact union-size chain is slow (seconds) for long unions
		}
		exact, err := q.Eval(p, true)
		if err != nil {
			return // the exact mode has tighter size limits
		}
		if exact.IsZero() != fast.IsZero() {
			t.Fatalf("%s(%v): fast %s, exact %s", q.Name, p, fast, exact)
		}
		if !exact.IsZero() {
			if d := relErr(fast.Big(), exact.Big()); d > 1e-12 {
				t.Fatalf("%s(%v): fast %s, exact %s (rel %.2g)", q.Name, p, fast, exact, d)
			}
		}
	})
}

// FuzzParseFloat: any string parses or errors; a parsed value prints and
// re-parses to itself.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "1", "6.5e-4863", "1e999999", "-1", "NaN", "Inf", "0x1p-3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseFloat(s)
		if err != nil {
			return
		}
		y, err := ParseFloat(x.String())
		if err != nil || y.Cmp(x) != 0 {
			t.Fatalf("%q → %s → %s (%v)", s, x, y, err)
		}
	})
}
