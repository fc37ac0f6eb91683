package sim

import (
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/theory"
)

// Result is the outcome of a run (or of one shard, or of merged shards).
type Result struct {
	Quantity string      `json:"quantity"` // the Config.Kind
	Params   theory.Args `json:"params"`   // n, a, s, theta and noise|patterns|segments (KindParams)
	Method   string      `json:"method"`   // direct or importance
	Samples  int64       `json:"samples"`  // samples done
	Hits     int64       `json:"hits"`     // samples in the event (importance: under the proposal)
	Estimate float64     `json:"estimate"`
	CI95     [2]float64  `json:"ci95"` // 95% confidence interval for the probability
	StdError float64     `json:"std_error"`
	Theory   float64     `json:"theory"` // fp: E2; fn: E3; union: UnionFPMix; neuron: E5 (0 below 1e-308)
	// TheoryValue is Theory in the extended range of theory.Float (a
	// decimal string in JSON), so that 3.2e-7146 is not shown as 0.
	TheoryValue theory.Float `json:"theory_value"`
	// TheoryPaper is the paper's union formula (theory.UnionFP), which
	// plugs in the expected union size; union only.
	TheoryPaper *float64 `json:"theory_paper,omitempty"`
	// Z is (estimate − theory)/σ, σ being the standard error the estimator
	// has if the theory is right (see the package documentation); null if
	// undefined (theory 0 or 1 and a different estimate) or not finite.
	Z *float64 `json:"z"`
	// ExpectedHits, Test, PValue and Verdict are the agreement rule's
	// judgement of the estimate against Theory (verdict.go): with fewer
	// than InformativeHits expected hits the exact binomial test decides,
	// not z. ExpectedHits is nil for importance sampling, PValue when z
	// decides; all are empty when no sample finished.
	ExpectedHits         *float64 `json:"expected_hits,omitempty"`
	Test                 string   `json:"test,omitempty"`
	PValue               *float64 `json:"p_value,omitempty"`
	Verdict              string   `json:"verdict,omitempty"`
	Seed                 uint64   `json:"seed"`
	Seconds              float64  `json:"seconds"`
	EvaluationsPerSecond float64  `json:"evaluations_per_second"` // segment–pattern evaluations (or importance samples) per second
	Evaluations          int64    `json:"evaluations"`
	DesignEffect         float64  `json:"design_effect,omitempty"` // direct: variance ratio to binomial (≥ 1)
	Kernel               string   `json:"kernel"`
	Partial              bool     `json:"partial,omitempty"` // cancelled: only the finished tasks
	RequestedSamples     int64    `json:"requested_samples"`
	Shard                int      `json:"shard"`
	Shards               int      `json:"shards"`
	Tasks                int64    `json:"tasks"` // tasks of the whole run
	Stats                Stats    `json:"stats"`
}

// Config returns the configuration that produced r (Workers 0).
func (r Result) Config() Config {
	c := Config{
		Kind: r.Quantity, Samples: r.RequestedSamples, Seed: r.Seed,
		Method: r.Method, Shard: r.Shard, Shards: r.Shards,
	}
	for _, p := range r.Params.Given() { // absent ones stay 0, which Validate rejects
		v, _ := r.Params.Get(p)
		if f := c.field(p); f != nil {
			*f = v
		}
	}
	if c.Shards == 1 {
		c.Shards = 0
	}
	return c
}

// theoryValues returns the reference probability of c and, for union,
// the paper's plug-in value.
func theoryValues(c Config) (p theory.Float, paper *float64, err error) {
	switch c.Kind {
	case KindFP:
		p, err = theory.FP(c.N, c.A, c.S, c.Theta)
	case KindFN:
		p, err = theory.FN(c.A, c.S, c.Theta, c.Noise)
	case KindUnion:
		p, err = theory.UnionFPMix(c.N, c.A, c.S, c.Theta, c.Patterns)
		if err == nil {
			var q theory.Float
			q, err = theory.UnionFP(c.N, c.A, c.S, c.Theta, c.Patterns)
			x := q.Float64()
			paper = &x
		}
	case KindNeuron:
		p, err = theory.Neuron(c.N, c.A, c.S, c.Theta, c.Segments)
	default:
		return p, nil, &Error{Err: fmt.Errorf("unknown kind %q", c.Kind)}
	}
	if err != nil {
		err = &Error{Err: fmt.Errorf("theory: %w", err)}
	}
	return p, paper, err
}

// finalize computes the derived fields of r from r.Stats.
func finalize(c Config, r *Result, pt theory.Float, is *isModel) {
	s := r.Stats
	r.Samples = s.Samples
	r.Evaluations = s.Samples
	if c.Kind == KindNeuron {
		r.Evaluations = s.Samples * int64(c.Segments)
	}
	if r.Seconds > 0 {
		r.EvaluationsPerSecond = float64(r.Evaluations) / r.Seconds
	}
	r.Theory = pt.Float64()
	r.TheoryValue = pt
	r.Z = nil
	r.ExpectedHits, r.Test, r.PValue, r.Verdict = nil, "", nil, ""
	n := float64(s.Samples)
	if s.Samples == 0 {
		r.Estimate, r.CI95, r.StdError, r.Hits = 0, [2]float64{0, 1}, 0, 0
		return
	}
	if is != nil {
		est, se, seModel, hits := is.isEstimate(s.Hist, s.Samples)
		r.Hits = hits
		r.Estimate, r.StdError = est, se
		if hits == 0 {
			// Each sample contributes at most wMax, and the proposal's event
			// probability is at most 1 − 0.025^(1/N) (Clopper–Pearson).
			r.CI95 = [2]float64{0, is.wMax * -math.Expm1(math.Log(0.025)/n)}
		} else {
			r.CI95 = [2]float64{max(0, est-z95*se), est + z95*se}
		}
		r.Z = zscore(est, pt, seModel)
		r.setJudgement(JudgeZ(r.Z))
		return
	}
	r.Hits = s.Hits
	p := float64(s.Hits) / n
	d := designEffect(s)
	r.DesignEffect = d
	r.Estimate = p
	r.StdError = math.Sqrt(p * (1 - p) * d / n)
	lo, hi := wilson(p, n/d)
	r.CI95 = [2]float64{lo, hi}
	// σ under the theory: binomial variance times the design effect.
	pf := pt.Float64()
	if pf <= 0 && !pt.IsZero() && p == 0 {
		// Theory below float64: z = −sqrt(P·N/d) ≈ 0.
		z := -math.Exp(0.5 * (pt.Log() + math.Log(n) - math.Log(d)))
		r.Z = &z
	} else {
		var sigma float64
		if pf > 0 {
			sigma = math.Sqrt(pf * (1 - pf) * d / n)
		}
		r.Z = zscore(p, pt, sigma)
	}
	r.setJudgement(JudgeDirect(s.Samples, s.Hits, d, pt, r.Z))
}

// setJudgement copies j into r.
func (r *Result) setJudgement(j Judgement) {
	r.ExpectedHits, r.Test, r.PValue, r.Verdict = j.ExpectedHits, j.Test, j.PValue, j.Verdict
}

// zscore returns (est − theory)/sigma, 0 if the two agree exactly, nil if
// undefined or not finite.
func zscore(est float64, pt theory.Float, sigma float64) *float64 {
	pf := pt.Float64()
	if est == pf {
		z := 0.0
		return &z
	}
	if sigma <= 0 || pt.IsZero() || pt.Cmp(theory.One) == 0 {
		return nil
	}
	z := (est - pf) / sigma
	if math.IsNaN(z) || math.IsInf(z, 0) {
		return nil
	}
	return &z
}

// Merge combines the results of the shards of one run into the result of
// the unsplit run: the same estimate, interval and z, bit for bit. The
// parts must share the configuration and seed, none may be partial, and
// together they must hold every shard 0..Shards−1 exactly once. Seconds
// is the sum of the parts' seconds (total compute time).
func Merge(parts ...Result) (Result, error) {
	if len(parts) == 0 {
		return Result{}, &Error{Op: "merge", Err: errors.New("no parts")}
	}
	first := parts[0]
	c0 := first.Config()
	c0.Shard = 0
	if err := c0.Validate(); err != nil {
		return Result{}, &Error{Op: "merge", Err: fmt.Errorf("part 1: %w", err)}
	}
	k := c0.shards()
	pl := c0.plan()
	seen := make([]bool, k)
	var acc Stats
	var secs float64
	for i, r := range parts {
		c := r.Config()
		shard := c.Shard
		c.Shard = 0
		if c.Kind != c0.Kind || c.Method != c0.Method || c.Seed != c0.Seed || c.Samples != c0.Samples ||
			c.shards() != k || r.Params != first.Params {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("part %d is from a different run (quantity, params, method, seed, samples or shard count differ)", i+1)}
		}
		if r.Partial {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("part %d (shard %d/%d) is partial (cancelled); rerun that shard", i+1, shard, k)}
		}
		if shard < 0 || shard >= k {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("part %d has shard %d outside [0, %d)", i+1, shard, k)}
		}
		if seen[shard] {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("shard %d/%d given twice", shard, k)}
		}
		seen[shard] = true
		if want := pl.shardTasks(shard, k); r.Stats.Tasks != want {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("part %d (shard %d/%d) holds %d tasks, want %d", i+1, shard, k, r.Stats.Tasks, want)}
		}
		if err := acc.add(r.Stats); err != nil {
			return Result{}, err
		}
		secs += r.Seconds
	}
	for i, ok := range seen {
		if !ok {
			return Result{}, &Error{Op: "merge", Err: fmt.Errorf("shard %d/%d is missing", i, k)}
		}
	}
	whole := c0
	whole.Shards = 0
	pt, paper, err := theoryValues(whole)
	if err != nil {
		return Result{}, err
	}
	var is *isModel
	if whole.method() == MethodImportance {
		if is, err = newISModel(whole); err != nil {
			return Result{}, err
		}
	}
	out := newResult(whole, pl)
	out.TheoryPaper = paper
	out.Stats = acc
	out.Seconds = secs
	finalize(whole, &out, pt, is)
	return out, nil
}

func newResult(c Config, p plan) Result {
	r := Result{
		Quantity: c.Kind, Params: c.args(), Method: c.method(), Seed: c.Seed,
		RequestedSamples: c.Samples, Shard: c.Shard, Shards: c.shards(), Tasks: p.tasks,
		Kernel: "bitsliced-64",
	}
	if c.method() == MethodImportance {
		r.Kernel = "importance-mixture"
	}
	return r
}
