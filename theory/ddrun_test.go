package theory

import (
	"math/rand/v2"
	"testing"
)

// The double-double forms as they stood before ratioProd multiplied runs
// of factors in float64 (commit 592bfb0): one double-double multiplication
// per factor (ratioProd.times on every factor). Kept here only as the
// reference that the faster forms must match bit for bit after the final
// rounding.

func refBinomXDD(x, k int) xdd {
	c := min(k, x-k)
	p := newRatioProd()
	for i := 1; i <= c; i++ {
		p.times(float64(x-c+i), float64(i))
	}
	return p.value()
}

func (h hyperArgs) refPmfXDD(b int) xdd {
	N, K, d := float64(h.n), h.k, float64(h.d)
	p := newRatioProd()
	c := min(b, K-b)
	for i := 1; i <= c; i++ {
		p.times(float64(K-c+i), float64(i))
	}
	for i := 0; i < b; i++ {
		p.times(d-float64(i), N-float64(i))
	}
	nb := N - float64(b)
	nd := N - d
	for j := 0; j < K-b; j++ {
		p.times(nd-float64(j), nb-float64(j))
	}
	return p.value()
}

// refTailXDD is tailXDD with refPmfXDD (the ratio recurrence is unchanged).
func (h hyperArgs) refTailXDD() xdd {
	b0 := max(h.t, h.mode())
	return h.refPmfXDD(b0).mulDD(h.tailSum(b0))
}

// randomHyper draws a non-trivial normalised question with N up to
// 10^maxExp, so that single factors range from a few bits (short runs of
// many factors) to over 2^26 (runs of one factor, every pair flushed).
func randomHyper(r *rand.Rand) (hyperArgs, bool) {
	N := 1 + r.IntN([]int{100, 10_000, 1_000_000, 100_000_000, 10_000_000_000}[r.IntN(5)])
	K := r.IntN(min(N, 400) + 1)
	d := r.IntN(min(N, []int{400, 5000, N}[r.IntN(3)]) + 1)
	h, trivial, _ := normHyper(N, K, d, r.IntN(K+2))
	return h, !trivial
}

// TestRatioProdRunsBitIdentical: the run-grouped ratioProd gives, after
// the final rounding, exactly the Float of the per-factor form, for
// P(X = b), the tail and C(x, k) on random configurations (fixed seed).
// The two differ only in the roundings of the double-double products
// (relative 2^-106 each), so a mismatch would need an exact value within
// about 1e-8 ulp of a rounding tie; none is expected, and any is a
// failure to investigate, not noise.
func TestRatioProdRunsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 1))
	count := 20000
	if testing.Short() {
		count = 4000
	}
	checked := 0
	for range count {
		h, ok := randomHyper(r)
		if !ok {
			continue
		}
		checked++
		b := h.lo + r.IntN(h.k-h.lo+1)
		if got, want := h.pmfXDD(b).float(), h.refPmfXDD(b).float(); got != want {
			t.Errorf("pmf %+v at b=%d: %v, per-factor form %v", h, b, got, want)
		}
		if got, want := clampOne(h.tailXDD()).float(), clampOne(h.refTailXDD()).float(); got != want {
			t.Errorf("tail %+v: %v, per-factor form %v", h, got, want)
		}
		x := 1 + r.IntN(h.n)
		k := r.IntN(min(x, 3000) + 1)
		if got, want := binomXDD(x, k).float(), refBinomXDD(x, k).float(); got != want {
			t.Errorf("C(%d, %d): %v, per-factor form %v", x, k, got, want)
		}
	}
	if checked < count/2 {
		t.Fatalf("only %d of %d draws were non-trivial", checked, count)
	}
}
