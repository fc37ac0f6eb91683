package paper

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/theory"
)

// simJob is one requested simulation.
type simJob struct {
	fig *Figure
	p   *Point
}

func (j simJob) label() string {
	return fmt.Sprintf("%s %s/%s %s (%d samples)", j.fig.ID, j.p.SimKind, j.p.SimMethod, paramString(j.p.Params), j.p.simSamples)
}

// simJobs lists the requested simulations in report order.
func simJobs(r *Report) []simJob {
	var jobs []simJob
	for _, f := range r.Figures {
		for _, p := range f.Points {
			if p.SimKind != "" {
				jobs = append(jobs, simJob{f, p})
			}
		}
	}
	return jobs
}

// job returns the Job of the simulation at index i.
func (j simJob) job(i int) Job {
	return Job{
		Index: i, Key: pointKey(j.fig.ID, j.p.SimKind, j.p.SimMethod, j.p.Params),
		Figure: j.fig.ID, Series: j.p.Series, Kind: j.p.SimKind, Method: j.p.SimMethod,
		Params: j.p.Params, Samples: j.p.simSamples, Seed: j.p.seed,
	}
}

// runSims runs the requested simulations of o's shard one after the other
// (a Simulator uses every core itself), after taking every result that
// o.Reuse offers. It stops at the first cancellation and returns ctx's
// error; any other failure of a simulation is recorded in the figure's
// notes and the run goes on; the failures are returned joined. An error of
// o.Finished stops the run and is returned.
func runSims(ctx context.Context, o Options, r *Report) error {
	if o.Sim == nil {
		return nil
	}
	type item struct {
		sj  simJob
		job Job
	}
	var todo []item
	total, done := 0, 0
	for i, sj := range simJobs(r) {
		if !o.inShard(i) {
			continue
		}
		total++
		job := sj.job(i)
		if o.Reuse != nil {
			if sp, ok := o.Reuse(job); ok && finite(sp.Estimate) {
				setSim(sj.p, sp)
				done++
				continue
			}
		}
		todo = append(todo, item{sj, job})
	}
	var errs []error
	for _, it := range todo {
		j := it.sj
		if err := ctx.Err(); err != nil {
			return err
		}
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: total, Label: j.label()})
		}
		sp, err := o.Sim.Simulate(ctx, j.p.SimKind, j.p.Params, j.p.simSamples, j.p.seed, j.p.SimMethod)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			j.fig.Notes = append(j.fig.Notes, fmt.Sprintf("simulation failed: %s: %v", j.label(), err))
			errs = append(errs, fmt.Errorf("%s: %w", j.label(), err))
			continue
		}
		if !finite(sp.Estimate) {
			j.fig.Notes = append(j.fig.Notes, fmt.Sprintf("simulation failed: %s: estimate %v", j.label(), sp.Estimate))
			errs = append(errs, fmt.Errorf("%s: estimate %v", j.label(), sp.Estimate))
			continue
		}
		setSim(j.p, sp)
		done++
		if o.Finished != nil {
			if err := o.Finished(it.job.record(sp)); err != nil {
				return fmt.Errorf("report: recording %s: %w", j.label(), err)
			}
		}
	}
	if o.Progress != nil {
		o.Progress(Progress{Done: done, Total: total})
	}
	return errors.Join(errs...)
}

// zScore returns (est − p)/se for a simulation of the probability p. For
// direct Monte Carlo se is the standard error the estimator has if the
// theory is right, √(p(1−p)·d/N) with d the design effect (≥ 1), so that a
// point with few or no hits is still tested; importance sampling uses the
// simulator's standard error. ok is false when z is not defined (se = 0
// and est ≠ p: an impossible event seen, or a certain one missed).
func zScore(est, p float64, sp SimPoint, method string) (z float64, ok bool) {
	se := sp.SE
	if method != MethodImportance {
		se = 0
		if sp.Samples > 0 {
			se = math.Sqrt(p * (1 - p) * max(sp.DesignEffect, 1) / float64(sp.Samples))
		}
	}
	switch {
	case se > 0 && finite(se):
		return (est - p) / se, true
	case est == p:
		return 0, true
	}
	return 0, false
}

func setSim(p *Point, sp SimPoint) {
	samples, hits, est, ci := sp.Samples, sp.Hits, sp.Estimate, sp.CI95
	p.Samples, p.Hits, p.Simulated = &samples, &hits, &est
	if finite(ci[0], ci[1]) {
		p.CI95 = &ci
	}
	if !finite(sp.SE) {
		sp.SE = 0
	}
	se := sp.SE
	p.SE = &se
	if sp.DesignEffect > 1 {
		d := sp.DesignEffect
		p.DesignEffect = &d
	}
	p.sim = sp
	z, ok := zScore(est, p.theoryF.Float64(), sp, p.SimMethod)
	agree := ok && math.Abs(z) <= ZLimit
	if ok {
		p.Z = &z
	}
	p.Agree = &agree
}

func agreement(r *Report) Agreement {
	a := Agreement{ZLimit: ZLimit}
	for _, j := range simJobs(r) {
		a.Requested++
		p := j.p
		if p.Simulated == nil {
			continue
		}
		a.Simulated++
		if *p.Agree {
			a.Agree++
		} else {
			a.Disagree++
		}
		if p.Z != nil {
			a.MaxAbsZ = max(a.MaxAbsZ, math.Abs(*p.Z))
		} else {
			a.MaxAbsZ = math.MaxFloat64
		}
	}
	return a
}

// addSimNotes adds figure-specific remarks that need the simulations: on
// F3, how the simulated unions compare with the paper's plug-in method.
func addSimNotes(f *Figure) {
	if f.ID != "F3" {
		return
	}
	for _, p := range f.Points {
		if p.Simulated == nil {
			continue
		}
		n, _ := p.Params.Get(theory.ParamN)
		m, _ := p.Params.Get(theory.ParamPatterns)
		plug := f.Find(fmt.Sprintf("n=%d plug-in", n), p.Params)
		if plug == nil {
			continue
		}
		zp, okp := zScore(*p.Simulated, plug.theoryF.Float64(), p.sim, p.SimMethod)
		zm := "undefined"
		if p.Z != nil {
			zm = fmt.Sprintf("%.2f", *p.Z)
		}
		zps := "undefined"
		if okp {
			zps = fmt.Sprintf("%.2f", zp)
		}
		f.Notes = append(f.Notes, fmt.Sprintf("n = %d, M = %d: simulated %s; exact mixture %s (z = %s); paper's plug-in %s (z = %s).",
			n, m, fmtSig(*p.Simulated, 5), fmtSig(p.Theory, 5), zm, fmtSig(plug.Theory, 5), zps))
	}
}
