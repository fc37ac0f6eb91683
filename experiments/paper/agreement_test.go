package paper

import (
	"math"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// binomialPBrute is the two-sided exact p-value summed over every outcome
// 0…n, written independently of exactBinomialP (pmf by the recurrence
// pmf(i+1) = pmf(i)·(n−i)/(i+1)·q/(1−q)); for small n only.
func binomialPBrute(k, n int64, q float64) float64 {
	pmf := make([]float64, n+1)
	pmf[0] = math.Pow(1-q, float64(n))
	for i := int64(0); i < n; i++ {
		pmf[i+1] = pmf[i] * float64(n-i) / float64(i+1) * q / (1 - q)
	}
	s := 0.0
	for _, x := range pmf {
		if x <= pmf[k]*(1+1e-7) {
			s += x
		}
	}
	return min(s, 1)
}

func TestExactBinomialP(t *testing.T) {
	// Hand values: Binomial(20, 1/2), k = 7: P(X ≤ 7) + P(X ≥ 13) =
	// 2·137980/2^20 (the sum of C(20, i) for i ≤ 7 is 137980).
	if got, want := exactBinomialP(7, 20, 0.5), 2*137980.0/(1<<20); math.Abs(got-want) > 1e-12 {
		t.Errorf("p(7; 20, 0.5) = %.15g, want %.15g", got, want)
	}
	// Binomial(10, 0.1), k = 3: no outcome below the mode is as unlikely,
	// so p = P(X ≥ 3) = 1 − 0.9^10 − 10·0.1·0.9^9 − 45·0.01·0.9^8.
	want := 1 - math.Pow(0.9, 10) - math.Pow(0.9, 9) - 0.45*math.Pow(0.9, 8)
	if got := exactBinomialP(3, 10, 0.1); math.Abs(got-want) > 1e-12 {
		t.Errorf("p(3; 10, 0.1) = %.15g, want %.15g", got, want)
	}
	// Issue 10's example: 1 hit in 64 samples of p = 8.1e-5 has
	// p = P(X ≥ 1) = 1 − (1 − p)^64 ≈ 0.0052, far above Alpha, though its
	// normal z is 13.8.
	want = -math.Expm1(64 * math.Log1p(-8.1e-5))
	if got := exactBinomialP(1, 64, 8.1e-5); math.Abs(got-want) > 1e-9*want {
		t.Errorf("p(1; 64, 8.1e-5) = %.15g, want %.15g", got, want)
	}
	// Against the brute-force sum over every outcome.
	for _, c := range []struct {
		n int64
		q float64
	}{{30, 0.2}, {100, 0.05}, {200, 0.01}, {1000, 0.004}, {57, 0.5}, {400, 0.024}} {
		for k := int64(0); k <= min(c.n, 40); k++ {
			got, want := exactBinomialP(k, c.n, c.q), binomialPBrute(k, c.n, c.q)
			if math.Abs(got-want) > 1e-9*max(want, 1e-300) && math.Abs(got-want) > 1e-15 {
				t.Errorf("p(%d; %d, %g) = %.12g, brute force %.12g", k, c.n, c.q, got, want)
			}
		}
	}
	// Degenerate cases.
	for _, c := range []struct {
		k, n int64
		q    float64
		want float64
	}{{0, 10, 0, 1}, {1, 10, 0, 0}, {10, 10, 1, 1}, {9, 10, 1, 0}, {0, 0, 0.5, 1}} {
		if got := exactBinomialP(c.k, c.n, c.q); got != c.want {
			t.Errorf("p(%d; %d, %g) = %g, want %g", c.k, c.n, c.q, got, c.want)
		}
	}
	// A huge count far above a small expectation is rejected at once.
	if got := exactBinomialP(1e6, 1e8, 1e-8); got != 0 {
		t.Errorf("p(1e6; 1e8, 1e-8) = %g, want 0 (underflow)", got)
	}
}

func TestAlpha(t *testing.T) {
	// 2·(1 − Φ(4)) = 6.334248e-5 (standard normal tables).
	if math.Abs(Alpha-6.334248e-5) > 1e-10 {
		t.Errorf("Alpha = %g", Alpha)
	}
}

// judged returns a direct Monte Carlo point of theory value p after a
// simulation of hits in samples.
func judged(p float64, samples, hits int64) *Point {
	pt := newPoint("s", 0, theory.Args{}, theory.NewFloat(p))
	pt.SimMethod = MethodDirect
	if p == 0 {
		pt = newPoint("s", 0, theory.Args{}, theory.Float{})
		pt.SimMethod = MethodDirect
	}
	setSim(pt, SimPoint{Samples: samples, Hits: hits, Estimate: float64(hits) / float64(samples)})
	return pt
}

func TestVerdicts(t *testing.T) {
	for _, c := range []struct {
		p             float64
		samples, hits int64
		test, verdict string
	}{
		// Issue 10: z = 13.8 from 1 hit in 64 samples at 8.1e-5 (E = 0.005).
		{8.1e-5, 64, 1, TestExact, VerdictNotInformative},
		{8.1e-5, 64, 0, TestExact, VerdictNotInformative},
		// A theory value of exactly 0: no hit is uninformative, a hit refutes.
		{0, 1e6, 0, TestExact, VerdictNotInformative},
		{0, 1e6, 1, TestExact, VerdictDisagree},
		// E = 5: 5 hits agree, 25 are rejected (p ≈ 1e-8 < Alpha).
		{5e-6, 1e6, 5, TestExact, VerdictAgree},
		{5e-6, 1e6, 25, TestExact, VerdictDisagree},
		// E = 0.5 with 12 hits: rejected though not informative.
		{5e-7, 1e6, 12, TestExact, VerdictDisagree},
		// E = 1000: the z decides.
		{1e-3, 1e6, 1000, TestZ, VerdictAgree},
		{1e-3, 1e6, 1200, TestZ, VerdictDisagree},
	} {
		pt := judged(c.p, c.samples, c.hits)
		if pt.Test != c.test || pt.Verdict != c.verdict {
			t.Errorf("p = %g, %d of %d: %s → %s, want %s → %s", c.p, c.hits, c.samples, pt.Test, pt.Verdict, c.test, c.verdict)
		}
		if (pt.Agree == nil) != (c.verdict == VerdictNotInformative) || (pt.Agree != nil && *pt.Agree != (c.verdict == VerdictAgree)) {
			t.Errorf("p = %g, %d of %d: Agree %v for verdict %s", c.p, c.hits, c.samples, pt.Agree, pt.Verdict)
		}
	}
	// The point still has its normal z, shown for reference.
	if pt := judged(8.1e-5, 64, 1); pt.Z == nil || math.Abs(*pt.Z-13.8) > 0.05 {
		t.Errorf("z of 1 hit in 64 at 8.1e-5 = %v, want 13.8", pt.Z)
	}
}
