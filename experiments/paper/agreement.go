package paper

import (
	"math"
)

// The rule that decides whether a simulated point agrees with theory
// (issue 10 item 7, issue 12). A direct Monte Carlo point of N samples
// (design effect d ≥ 1) and theory value p expects E = N·p/d hits:
//
//   - E ≥ InformativeHits: the normal z of zScore; it agrees when
//     |z| ≤ ZLimit.
//   - MinExpectedHits ≤ E < InformativeHits: the normal approximation is
//     poor, so the two-sided exact binomial test of the observed hits k
//     (exactBinomialP) decides; it agrees when the p-value is at least
//     Alpha, the two-sided level of |z| ≤ ZLimit, so that both tests reject
//     a right theory equally rarely.
//   - E < MinExpectedHits, including p = 0: not informative. Such a point
//     cannot confirm the theory (zero or one hit is the likely outcome
//     either way), but it can refute it: when the exact test rejects
//     (a hit of an impossible event, or far more hits than expected) it
//     disagrees.
//
// An importance-sampled point is judged by its z against the simulator's
// standard error (its hits do not count the event's occurrences).
const (
	// InformativeHits is the least expected number of hits for which the
	// normal z decides.
	InformativeHits = 10
	// MinExpectedHits is the least expected number of hits for which a
	// point can confirm the theory.
	MinExpectedHits = 1
)

// Alpha is the two-sided significance level of |z| > ZLimit under the
// normal distribution, erfc(ZLimit/√2) ≈ 6.33e-5; the exact binomial test
// rejects below it.
var Alpha = math.Erfc(ZLimit / math.Sqrt2)

// Verdicts of a simulated point.
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

// judge sets p's expected hits, test, p-value, verdict and Agree from its
// simulation result and z (set by setSim).
func (p *Point) judge() {
	p.ExpectedHits, p.PValue, p.Agree = nil, nil, nil
	if p.SimMethod == MethodImportance {
		p.judgeZ()
		return
	}
	d := max(p.sim.DesignEffect, 1)
	theta := p.theoryF.Float64()
	if p.theoryF.IsZero() {
		theta = 0
	}
	e := float64(p.sim.Samples) * theta / d
	p.ExpectedHits = &e
	if e >= InformativeHits {
		p.judgeZ()
		return
	}
	// Effective trials and hits under the design effect (d = 1 for
	// independent samples, the usual case).
	n := int64(math.Round(float64(p.sim.Samples) / d))
	k := int64(math.Round(float64(p.sim.Hits) / d))
	k = min(max(k, 0), n)
	pv := exactBinomialP(k, n, theta)
	p.PValue = &pv
	p.Test = TestExact
	switch {
	case pv < Alpha:
		p.Verdict = VerdictDisagree
	case e < MinExpectedHits:
		p.Verdict = VerdictNotInformative
	default:
		p.Verdict = VerdictAgree
	}
	p.setAgree()
}

// judgeZ decides by the normal z: agree when |z| ≤ ZLimit.
func (p *Point) judgeZ() {
	p.Test = TestZ
	p.Verdict = VerdictDisagree
	if p.Z != nil && math.Abs(*p.Z) <= ZLimit {
		p.Verdict = VerdictAgree
	}
	p.setAgree()
}

// setAgree sets Agree from Verdict: null for a point that is not
// informative.
func (p *Point) setAgree() {
	if p.Verdict == VerdictNotInformative {
		return
	}
	agree := p.Verdict == VerdictAgree
	p.Agree = &agree
}

// exactBinomialP returns the two-sided p-value of the exact binomial test
// of k successes in n trials of probability q: the probability, under
// Binomial(n, q), of every outcome no more likely than k (the
// point-probability method of R's binom.test, with its relative tolerance
// 1e-7 for ties; Agresti, Categorical Data Analysis, 3rd ed., 2013, §1.4).
// It is meant for small expected counts (n·q below about InformativeHits,
// where it sums a few dozen terms); the sums stop once a term falls below
// 1e-18 of the total, and after at most 1e6 terms.
func exactBinomialP(k, n int64, q float64) float64 {
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

// agreement counts the verdicts of the simulated points.
func agreement(r *Report) Agreement {
	a := Agreement{ZLimit: ZLimit, InformativeHits: InformativeHits, MinExpectedHits: MinExpectedHits, Alpha: Alpha, MinPValue: 1}
	for _, j := range simJobs(r) {
		a.Requested++
		p := j.p
		if p.Simulated == nil {
			continue
		}
		a.Simulated++
		switch p.Verdict {
		case VerdictAgree:
			a.Agree++
		case VerdictDisagree:
			a.Disagree++
		default:
			a.NotInformative++
		}
		switch p.Test {
		case TestZ:
			a.ZTested++
			if p.Z != nil {
				a.MaxAbsZ = max(a.MaxAbsZ, math.Abs(*p.Z))
			} else {
				a.MaxAbsZ = math.MaxFloat64
			}
		case TestExact:
			if p.Verdict != VerdictNotInformative {
				a.ExactTested++
				a.MinPValue = min(a.MinPValue, *p.PValue)
			}
		}
	}
	return a
}
