package sim

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// binomialPBrute is the two-sided exact p-value summed over every outcome
// 0…n, written independently of ExactBinomialP (pmf by the recurrence
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
	if got, want := ExactBinomialP(7, 20, 0.5), 2*137980.0/(1<<20); math.Abs(got-want) > 1e-12 {
		t.Errorf("p(7; 20, 0.5) = %.15g, want %.15g", got, want)
	}
	// Binomial(10, 0.1), k = 3: no outcome below the mode is as unlikely,
	// so p = P(X ≥ 3) = 1 − 0.9^10 − 10·0.1·0.9^9 − 45·0.01·0.9^8.
	want := 1 - math.Pow(0.9, 10) - math.Pow(0.9, 9) - 0.45*math.Pow(0.9, 8)
	if got := ExactBinomialP(3, 10, 0.1); math.Abs(got-want) > 1e-12 {
		t.Errorf("p(3; 10, 0.1) = %.15g, want %.15g", got, want)
	}
	// Issue 10's example: 1 hit in 64 samples of p = 8.1e-5 has
	// p = P(X ≥ 1) = 1 − (1 − p)^64 ≈ 0.0052, far above Alpha, though its
	// normal z is 13.8.
	want = -math.Expm1(64 * math.Log1p(-8.1e-5))
	if got := ExactBinomialP(1, 64, 8.1e-5); math.Abs(got-want) > 1e-9*want {
		t.Errorf("p(1; 64, 8.1e-5) = %.15g, want %.15g", got, want)
	}
	// Against the brute-force sum over every outcome.
	for _, c := range []struct {
		n int64
		q float64
	}{{30, 0.2}, {100, 0.05}, {200, 0.01}, {1000, 0.004}, {57, 0.5}, {400, 0.024}} {
		for k := int64(0); k <= min(c.n, 40); k++ {
			got, want := ExactBinomialP(k, c.n, c.q), binomialPBrute(k, c.n, c.q)
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
		if got := ExactBinomialP(c.k, c.n, c.q); got != c.want {
			t.Errorf("p(%d; %d, %g) = %g, want %g", c.k, c.n, c.q, got, c.want)
		}
	}
	// A huge count far above a small expectation is rejected at once.
	if got := ExactBinomialP(1e6, 1e8, 1e-8); got != 0 {
		t.Errorf("p(1e6; 1e8, 1e-8) = %g, want 0 (underflow)", got)
	}
}

// TestResultVerdict checks that a run's result carries the rule's
// judgement: the exact test below InformativeHits expected hits, the z
// above, and nothing for a run with no finished sample.
func TestResultVerdict(t *testing.T) {
	for _, c := range []struct {
		name    string
		cfg     Config
		test    string
		verdict string
	}{
		// E2 at θ = 18 is 9.73e-18 (theory.FP): 1e5 samples expect ~1e-12
		// hits, so the run can only refute the theory.
		{"tiny", Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 18, Samples: 100_000, Seed: 1}, TestExact, VerdictNotInformative},
		// At θ = 3 (n = 200, a = 20, s = 10) E2 is about 0.07, so 1e4
		// samples expect hundreds of hits and the z decides.
		{"many", Config{Kind: KindFP, N: 200, A: 20, S: 10, Theta: 3, Samples: 10_000, Seed: 7}, TestZ, VerdictAgree},
		// The importance sampler's z decides whatever the hits.
		{"importance", Config{Kind: KindFP, N: 10000, A: 64, S: 24, Theta: 12, Samples: 20_000, Seed: 3, Method: MethodImportance}, TestZ, VerdictAgree},
	} {
		r, err := Run(context.Background(), c.cfg, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if r.Test != c.test || r.Verdict != c.verdict {
			t.Errorf("%s: %s → %s, want %s → %s (z %v, expected hits %v)", c.name, r.Test, r.Verdict, c.test, c.verdict, r.Z, r.ExpectedHits)
		}
		if (r.ExpectedHits == nil) != (c.cfg.Method == MethodImportance) {
			t.Errorf("%s: expected hits %v", c.name, r.ExpectedHits)
		}
		if (r.PValue != nil) != (c.test == TestExact) {
			t.Errorf("%s: p-value %v with test %s", c.name, r.PValue, r.Test)
		}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil || !strings.Contains(b.String(), "verdict      "+c.verdict) {
			t.Errorf("%s: text %q (%v) lacks the verdict", c.name, b.String(), err)
		}
	}
	// A hit of an impossible event is rejected by the exact test: E2 with
	// θ > s is 0, which Validate refuses, so judge the counts directly.
	j := JudgeDirect(1000, 1, 1, theory.Float{}, nil)
	if j.Test != TestExact || j.Verdict != VerdictDisagree || j.PValue == nil || *j.PValue != 0 {
		t.Errorf("one hit of a zero-probability event: %+v", j)
	}
	// 25 hits where 5 are expected: p ≈ 1e-8 < Alpha.
	j = JudgeDirect(1_000_000, 25, 1, theory.NewFloat(5e-6), nil)
	if j.Verdict != VerdictDisagree || *j.ExpectedHits != 5 {
		t.Errorf("25 hits for 5 expected: %+v", j)
	}
	// The design effect divides trials and hits: 10 hits of 2e6 samples at
	// d = 2 are 5 of 1e6, which agree with 5 expected.
	j = JudgeDirect(2_000_000, 10, 2, theory.NewFloat(5e-6), nil)
	if j.Verdict != VerdictAgree || math.Abs(*j.ExpectedHits-5) > 1e-12 {
		t.Errorf("design effect 2: %+v", j)
	}
}
