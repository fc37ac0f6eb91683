package sim

import (
	"math"

	"github.com/dendritic/dendritic/theory"
)

// The rule that decides whether a simulation agrees with its theory value
// (issue 10 item 7, issue 12; the paper experiment and 'dendritic
// simulate' share it). A direct Monte Carlo run of N samples (design
// effect d ≥ 1) of an event of theory probability p expects E = N·p/d
// hits:
//
//   - E ≥ InformativeHits: the normal z (Result.Z) decides; the run agrees
//     when |z| ≤ ZLimit.
//   - MinExpectedHits ≤ E < InformativeHits: the normal approximation is
//     poor, so the two-sided exact binomial test of the observed hits k
//     (ExactBinomialP) decides; the run agrees when the p-value is at
//     least Alpha, the two-sided level of |z| ≤ ZLimit, so that both tests
//     reject a right theory equally rarely.
//   - E < MinExpectedHits, including p = 0: not informative. Such a run
//     cannot confirm the theory (zero or one hit is the likely outcome
//     either way), but it can refute it: when the exact test rejects (a
//     hit of an impossible event, or far more hits than expected) it
//     disagrees.
//
// An importance-sampled run is judged by its z against the estimator's
// standard error under the model (its hits do not count the event's
// occurrences).
const (
	// InformativeHits is the least expected number of hits for which the
	// normal z decides.
	InformativeHits = 10
	// MinExpectedHits is the least expected number of hits for which a
	// run can confirm the theory.
	MinExpectedHits = 1
	// ZLimit is the largest |z| that agrees with theory.
	ZLimit = 4
)

// Alpha is the two-sided significance level of |z| > ZLimit under the
// normal distribution, erfc(ZLimit/√2) ≈ 6.33e-5; the exact binomial test
// rejects below it.
var Alpha = math.Erfc(ZLimit / math.Sqrt2)

// Verdicts of a simulation against its theory value.
const (
	VerdictAgree          = "agree"
	VerdictDisagree       = "disagree"
	VerdictNotInformative = "not informative"
)

// Tests that decide a verdict.
const (
	TestZ     = "z"
	TestExact = "exact binomial"
)

// Judgement is the outcome of the agreement rule for one simulation.
type Judgement struct {
	// ExpectedHits is N·p/d, the hits a direct run expects if the theory
	// is right (nil for importance sampling).
	ExpectedHits *float64
	// Test is TestZ or TestExact; PValue the exact test's two-sided
	// p-value (nil when the z decides).
	Test   string
	PValue *float64
	// Verdict is VerdictAgree, VerdictDisagree or VerdictNotInformative.
	Verdict string
}

// JudgeZ applies the rule to a run the z decides: it agrees when z is
// defined and |z| ≤ ZLimit.
func JudgeZ(z *float64) Judgement {
	j := Judgement{Test: TestZ, Verdict: VerdictDisagree}
	if z != nil && math.Abs(*z) <= ZLimit {
		j.Verdict = VerdictAgree
	}
	return j
}

// JudgeDirect applies the rule to a direct Monte Carlo run of samples
// samples with hits hits and design effect d (values below 1 count as 1),
// of an event of theory probability p, whose normal z is z (nil if
// undefined). A theory value below the float64 range counts as 0.
func JudgeDirect(samples, hits int64, d float64, p theory.Float, z *float64) Judgement {
	d = max(d, 1)
	theta := p.Float64()
	if p.IsZero() || theta < 0 {
		theta = 0
	}
	e := float64(max(samples, 0)) * theta / d
	if e >= InformativeHits {
		j := JudgeZ(z)
		j.ExpectedHits = &e
		return j
	}
	// Effective trials and hits under the design effect (d = 1 for
	// independent samples, the usual case).
	n := int64(math.Round(float64(max(samples, 0)) / d))
	k := int64(math.Round(float64(hits) / d))
	k = min(max(k, 0), n)
	pv := ExactBinomialP(k, n, theta)
	j := Judgement{ExpectedHits: &e, Test: TestExact, PValue: &pv}
	switch {
	case pv < Alpha:
		j.Verdict = VerdictDisagree
	case e < MinExpectedHits:
		j.Verdict = VerdictNotInformative
	default:
		j.Verdict = VerdictAgree
	}
	return j
}

// ExactBinomialP returns the two-sided p-value of the exact binomial test
// of k successes in n trials of probability q: the probability, under
// Binomial(n, q), of every outcome no more likely than k (the
// point-probability method of R's binom.test, with its relative tolerance
// 1e-7 for ties; Agresti, Categorical Data Analysis, 3rd ed., 2013, §1.4).
// It is meant for small expected counts (n·q below about InformativeHits,
// where it sums a few dozen terms); the sums stop once a term falls below
// 1e-18 of the total, and after at most 1e6 terms.
func ExactBinomialP(k, n int64, q float64) float64 {
	switch {
	case n <= 0:
		return 1
	case q <= 0:
		if k == 0 {
			return 1
		}
		return 0
	case q >= 1:
		if k == n {
			return 1
		}
		return 0
	}
	lq, l1q := math.Log(q), math.Log1p(-q)
	lgN, _ := math.Lgamma(float64(n) + 1)
	lpmf := func(i int64) float64 {
		a, _ := math.Lgamma(float64(i) + 1)
		b, _ := math.Lgamma(float64(n-i) + 1)
		return lgN - a - b + float64(i)*lq + float64(n-i)*l1q
	}
	mode := min(int64(math.Floor(float64(n+1)*q)), n)
	lk := lpmf(k)
	limit := lk + math.Log1p(1e-7) // outcomes at most this likely count
	// sum adds exp(lpmf(i) − lk) for i = from, from+step, … while i stays
	// in [lo, hi] and the terms qualify; upward from above the mode the
	// terms only fall, so it stops once they are negligible.
	const maxTerms = 1_000_000
	sum := func(from, lo, hi, step int64) float64 {
		s := 0.0
		for i, t := from, 0; i >= lo && i <= hi && t < maxTerms; i, t = i+step, t+1 {
			l := lpmf(i)
			if l > limit {
				continue
			}
			x := math.Exp(l - lk)
			s += x
			if step > 0 && i > mode && x < 1e-18*s {
				break
			}
		}
		return s
	}
	var rel float64
	if k <= mode {
		// Every i ≤ k is at most as likely as k; above k, the outcomes
		// from the first one as unlikely as k upwards (which may be the
		// mode itself, on a tie).
		rel = sum(k, 0, k, -1)
		first := k + 1
		for t := 0; first <= n && lpmf(first) > limit && t < maxTerms; t++ {
			first++
		}
		rel += sum(first, first, n, 1)
	} else {
		// Every i ≥ k is at most as likely as k; up to the mode, the
		// outcomes as unlikely as k.
		rel = sum(k, k, n, 1)
		rel += sum(0, 0, mode, 1)
	}
	return min(1, math.Exp(lk)*rel)
}
