package dendrite

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// Monte Carlo checks of the Neuron against the exact theory. Each rate is
// a count of k successes in N independent Bernoulli(p) trials, where p is
// the theory's probability; the test requires |z| ≤ 4 with
//
//	z = (k − N·p) / sqrt(N·p·(1−p)).
//
// With fixed seeds the counts are deterministic; a bound of 4σ means a
// correct implementation would fail for about 1 seed in 16 000. The
// configurations put p between 1e-3 and 0.3 so that 10^4–10^5 trials
// resolve it to a few per cent.

func zScore(k, n int, p float64) float64 {
	return (float64(k) - float64(n)*p) / math.Sqrt(float64(n)*p*(1-p))
}

func checkRate(t *testing.T, name string, k, n int, p theory.Float) {
	t.Helper()
	pf := p.Float64()
	if pf < 1e-3 || pf > 0.3 {
		t.Fatalf("%s: theory p=%g outside the tested range", name, pf)
	}
	z := zScore(k, n, pf)
	t.Logf("%s: %d/%d = %.5f, theory %.5f, z = %+.2f", name, k, n, float64(k)/float64(n), pf, z)
	if math.Abs(z) > 4 {
		t.Errorf("%s: measured %d/%d = %.5f, theory %.5f: z = %.2f", name, k, n, float64(k)/float64(n), pf, z)
	}
}

// must panics on an error (which fails the test): for calls that cannot
// fail with valid arguments.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestNeuronFP: one segment of s synapses learned from one pattern,
// presented with uniformly random patterns: E2, theory.FP(n,a,s,θ).
func TestNeuronFP(t *testing.T) {
	t.Parallel()
	for i, c := range []struct{ n, a, s, theta, trials int }{
		{1000, 50, 20, 4, 50_000},
		{2000, 40, 24, 3, 50_000},
		{1000, 50, 20, 5, 100_000},
	} {
		rng := rand.New(rand.NewPCG(11, uint64(i)))
		nr := must(NewNeuron(c.n, c.theta))
		learned := must(RandomPattern(nil, c.n, c.a, rng))
		must(nr.Learn(learned, c.s, rng))
		var x []uint32
		hits := 0
		for range c.trials {
			x = must(RandomPattern(x, c.n, c.a, rng))
			fires, _, err := nr.Respond(x)
			if err != nil {
				t.Fatal(err)
			}
			if fires {
				hits++
			}
		}
		checkRate(t, "fp", hits, c.trials, must(theory.FP(c.n, c.a, c.s, c.theta)))
	}
}

// TestNeuronFN: a learned pattern with v of its a active cells replaced by
// inactive ones: E3, theory.FN(a,s,θ,v).
func TestNeuronFN(t *testing.T) {
	t.Parallel()
	for i, c := range []struct{ n, a, s, theta, v, trials int }{
		{1000, 40, 20, 10, 18, 30_000},
		{1000, 40, 20, 10, 14, 100_000},
		{2000, 100, 20, 12, 35, 30_000},
		{1000, 40, 20, 12, 12, 50_000},
	} {
		rng := rand.New(rand.NewPCG(12, uint64(i)))
		nr := must(NewNeuron(c.n, c.theta))
		learned := must(RandomPattern(nil, c.n, c.a, rng))
		must(nr.Learn(learned, c.s, rng))
		var x []uint32
		misses := 0
		for range c.trials {
			x = must(NoisyPattern(x, learned, c.n, c.v, rng))
			fires, _, err := nr.Respond(x)
			if err != nil {
				t.Fatal(err)
			}
			if !fires {
				misses++
			}
		}
		checkRate(t, "fn", misses, c.trials, must(theory.FN(c.a, c.s, c.theta, c.v)))
	}
}

// TestNeuronUnion: M patterns stored on one segment, s subsampled synapses
// each (merged where they coincide), presented with a random pattern. The
// union's size is random, so every trial draws a fresh union; the rate is
// the mixture over the exact union-size distribution, theory.UnionFPMix.
// For the first configuration the paper's plug-in of the expected size,
// theory.UnionFP, is about 12 % too high, and the simulation rejects it.
func TestNeuronUnion(t *testing.T) {
	t.Parallel()
	for i, c := range []struct {
		n, a, s, theta, m, trials int
		rejectPlugIn              bool
	}{
		{200, 40, 5, 6, 3, 100_000, true},
		{1000, 40, 20, 10, 10, 10_000, false},
	} {
		rng := rand.New(rand.NewPCG(13, uint64(i)))
		nr := must(NewNeuron(c.n, c.theta))
		var p, x []uint32
		hits := 0
		for range c.trials {
			nr.Forget()
			p = must(RandomPattern(p, c.n, c.a, rng))
			seg := must(nr.Learn(p, c.s, rng))
			for range c.m - 1 {
				p = must(RandomPattern(p, c.n, c.a, rng))
				if err := nr.LearnOn(seg, p, c.s, rng); err != nil {
					t.Fatal(err)
				}
			}
			x = must(RandomPattern(x, c.n, c.a, rng))
			fires, _, err := nr.Respond(x)
			if err != nil {
				t.Fatal(err)
			}
			if fires {
				hits++
			}
		}
		checkRate(t, "union", hits, c.trials, must(theory.UnionFPMix(c.n, c.a, c.s, c.theta, c.m)))
		if c.rejectPlugIn {
			plug := must(theory.UnionFP(c.n, c.a, c.s, c.theta, c.m)).Float64()
			if z := zScore(hits, c.trials, plug); math.Abs(z) < 4 {
				t.Errorf("plug-in UnionFP %.5f not rejected (z = %.2f)", plug, z)
			} else {
				t.Logf("plug-in UnionFP %.5f rejected: z = %+.2f", plug, z)
			}
		}
	}
}

// TestNeuronSegments: a neuron with m segments, each learned from its own
// random pattern, presented with a random pattern: E5,
// theory.Neuron(n,a,s,θ,m) = 1 − (1 − P_fp)^m. Given the test pattern the
// segments are independent uniform s-subsets only if they are drawn afresh,
// so every trial learns new patterns.
func TestNeuronSegments(t *testing.T) {
	t.Parallel()
	for i, c := range []struct{ n, a, s, theta, m, trials int }{
		{2000, 40, 20, 4, 20, 20_000},
		{1000, 30, 16, 4, 30, 10_000},
	} {
		rng := rand.New(rand.NewPCG(14, uint64(i)))
		nr := must(NewNeuron(c.n, c.theta))
		var p, x []uint32
		hits := 0
		for range c.trials {
			nr.Forget()
			for range c.m {
				p = must(RandomPattern(p, c.n, c.a, rng))
				must(nr.Learn(p, c.s, rng))
			}
			x = must(RandomPattern(x, c.n, c.a, rng))
			fires, _, err := nr.Respond(x)
			if err != nil {
				t.Fatal(err)
			}
			if fires {
				hits++
			}
		}
		if nr.NumSegments() != c.m {
			t.Fatalf("%d segments", nr.NumSegments())
		}
		checkRate(t, "neuron", hits, c.trials, must(theory.Neuron(c.n, c.a, c.s, c.theta, c.m)))
	}
}

// TestNeuronTolerance: noise on at most s − θ of a segment's cells never
// causes a miss, and the learned pattern always fires.
func TestNeuronTolerance(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 0))
	const n, a, s, theta = 500, 30, 12, 8
	nr := must(NewNeuron(n, theta))
	pats := make([][]uint32, 5)
	for i := range pats {
		pats[i] = must(RandomPattern(nil, n, a, rng))
		must(nr.Learn(pats[i], s, rng))
	}
	for i, p := range pats {
		fires, ov, _ := nr.Respond(p)
		if !fires || ov != s {
			t.Fatalf("pattern %d: fires %v overlap %d", i, fires, ov)
		}
		if got := nr.Overlaps(nil); got[i] != s || len(got) != 5 {
			t.Fatalf("overlaps %v", got)
		}
		// Remove s−θ of the segment's own cells: still ≥ θ.
		syn, _ := nr.Connections().Synapses(nil, nr.Segments()[i])
		x := slices.Clone(p)
		for _, y := range syn[:s-theta] {
			x = slices.DeleteFunc(x, func(c uint32) bool { return c == y.Input })
		}
		if fires, _, _ := nr.Respond(x); !fires {
			t.Fatalf("pattern %d: missed with %d cells removed", i, s-theta)
		}
	}
}

func TestPatterns(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 0))
	counts := make([]int, 50)
	for range 20000 {
		p := must(RandomPattern(nil, 50, 5, rng))
		if len(p) != 5 || !slices.IsSorted(p) || checkSorted(p, 50, "p") != nil {
			t.Fatal(p)
		}
		for _, c := range p {
			counts[c]++
		}
		q := must(NoisyPattern(nil, p, 50, 2, rng))
		if len(q) != 5 || checkSorted(q, 50, "q") != nil {
			t.Fatal(q)
		}
		ov := 0
		for _, c := range q {
			if slices.Contains(p, c) {
				ov++
			}
		}
		if ov != 3 {
			t.Fatalf("overlap %d", ov)
		}
	}
	// Each cell is chosen with probability 1/10: 2000 ± 4·42.
	for c, k := range counts {
		if math.Abs(float64(k)-2000) > 4*math.Sqrt(20000*0.1*0.9) {
			t.Errorf("cell %d chosen %d times", c, k)
		}
	}
	if _, err := RandomPattern(nil, 10, 11, rng); err == nil {
		t.Error("a > n accepted")
	}
	if _, err := NoisyPattern(nil, []uint32{1, 2}, 3, 2, rng); err == nil {
		t.Error("v > n − a accepted")
	}
	if _, err := NewNeuron(10, 0); err == nil {
		t.Error("theta 0 accepted")
	}
}
