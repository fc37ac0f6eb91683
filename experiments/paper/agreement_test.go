package paper

import (
	"math"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

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
