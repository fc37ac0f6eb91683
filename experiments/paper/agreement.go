package paper

import (
	"math"

	"github.com/dendritic/dendritic/sim"
)

// The rule that decides whether a simulated point agrees with theory is
// sim's (sim/verdict.go; issue 10 item 7, issue 12): a direct Monte Carlo
// point expecting at least InformativeHits hits is judged by its normal z
// (|z| ≤ ZLimit agrees), one expecting fewer by the two-sided exact
// binomial test at the same level Alpha, and one expecting fewer than
// MinExpectedHits is not informative (it can refute the theory, never
// confirm it). An importance-sampled point is judged by its z against the
// simulator's standard error. The names below are sim's, so that the
// report and its JSON keep their vocabulary.
const (
	InformativeHits = sim.InformativeHits
	MinExpectedHits = sim.MinExpectedHits
)

// Alpha is the two-sided significance level of |z| > ZLimit under the
// normal distribution (sim.Alpha).
var Alpha = sim.Alpha

// Verdicts of a simulated point.
const (
	VerdictAgree          = sim.VerdictAgree
	VerdictDisagree       = sim.VerdictDisagree
	VerdictNotInformative = sim.VerdictNotInformative
)

// Tests that decide a verdict.
const (
	TestZ     = sim.TestZ
	TestExact = sim.TestExact
)

// judge sets p's expected hits, test, p-value, verdict and Agree from its
// simulation result and z (set by setSim).
func (p *Point) judge() {
	p.ExpectedHits, p.PValue, p.Agree = nil, nil, nil
	var j sim.Judgement
	if p.SimMethod == MethodImportance {
		j = sim.JudgeZ(p.Z)
	} else {
		j = sim.JudgeDirect(p.sim.Samples, p.sim.Hits, p.sim.DesignEffect, p.theoryF, p.Z)
	}
	p.ExpectedHits, p.Test, p.PValue, p.Verdict = j.ExpectedHits, j.Test, j.PValue, j.Verdict
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
