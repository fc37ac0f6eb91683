package theory

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// DesignSpec states what a segment must achieve. The designer (new, not in
// the paper) joins E2/E5 (false matches) and E3 (false negatives under
// noise): the paper's optimal-threshold argument (E7) looks at false
// matches only.
type DesignSpec struct {
	N, A int // population size and active cells per pattern
	// Noise is the expected fraction of a pattern's active cells that
	// noise replaces by other cells; v = round(Noise·A) cells (E3).
	Noise float64
	// MaxFP bounds the false-positive probability: of one segment (E2)
	// when Segments ≤ 1, else of a neuron with Segments segments (E5).
	MaxFP float64
	// MaxFN bounds the false-negative probability of the segment that
	// learned the pattern, under the noise above (E3).
	MaxFN float64
	// Segments is the number of segments per neuron (0 or 1: one segment).
	Segments int
	// MaxS is the synapse budget of the Pareto frontier; 0 means the
	// smallest feasible size (or min(A, 100) if no size is feasible).
	MaxS int
}

// DesignPoint is one segment design: s synapses and threshold θ, with its
// false-positive probability (of the neuron if Segments > 1) and its
// false-negative probability under the spec's noise.
type DesignPoint struct {
	S     int   `json:"s"`
	Theta int   `json:"theta"`
	FP    Float `json:"fp"`
	FN    Float `json:"fn"`
}

// Design is the designer's answer.
type Design struct {
	Spec     DesignSpec `json:"-"`
	V        int        `json:"noise_cells"` // round(Noise·A)
	Feasible bool       `json:"feasible"`
	// MinS is the fewest synapses with which some θ meets both targets
	// (0 if none does with s ≤ A).
	MinS int `json:"min_s"`
	// Best lists every θ that meets both targets with MinS synapses.
	Best []DesignPoint `json:"best"`
	// Frontier is the Pareto frontier of fp against fn over the designs
	// with s ≤ MaxS synapses and 1 ≤ θ ≤ s: no other such design has both
	// a lower-or-equal fp and fn, with one strictly lower. Sorted by
	// increasing fp.
	Frontier []DesignPoint `json:"frontier"`
}

// Validate checks a DesignSpec.
func (d DesignSpec) Validate() error {
	switch {
	case d.N < 1 || d.N > MaxN:
		return fmt.Errorf("theory: design: n = %d must lie in [1, %d]", d.N, int64(MaxN))
	case d.A < 1 || d.A > d.N:
		return fmt.Errorf("theory: design: a = %d must lie in [1, n = %d]", d.A, d.N)
	case d.A > 1_000_000:
		return fmt.Errorf("theory: design: a = %d is larger than the designer supports (10^6)", d.A)
	case !(d.Noise >= 0 && d.Noise <= 1):
		return fmt.Errorf("theory: design: noise %v must be a fraction in [0, 1]", d.Noise)
	case !(d.MaxFP > 0 && d.MaxFP <= 1):
		return fmt.Errorf("theory: design: max-fp %v must lie in (0, 1]", d.MaxFP)
	case !(d.MaxFN > 0 && d.MaxFN <= 1):
		return fmt.Errorf("theory: design: max-fn %v must lie in (0, 1]", d.MaxFN)
	case d.Segments < 0:
		return fmt.Errorf("theory: design: segments %d must be ≥ 0", d.Segments)
	case d.MaxS < 0 || d.MaxS > d.A:
		return fmt.Errorf("theory: design: max-s %d must lie in [0, a = %d] (a segment samples the pattern)", d.MaxS, d.A)
	}
	if v := int(math.Round(d.Noise * float64(d.A))); v > d.N-d.A {
		return fmt.Errorf("theory: design: noise replaces %d cells but only n − a = %d are inactive", v, d.N-d.A)
	}
	return nil
}

func (d DesignSpec) fp(s, theta int) Float {
	var p Float
	if d.Segments > 1 {
		p, _ = Neuron(d.N, d.A, s, theta, d.Segments)
	} else {
		p, _ = FP(d.N, d.A, s, theta)
	}
	return p
}

func (d DesignSpec) fn(s, theta, v int) Float {
	p, _ := FN(d.A, s, theta, v)
	return p
}

// DesignSegment finds the segment sizes s and thresholds θ that meet both
// targets of the spec with the fewest synapses, and the Pareto frontier of
// false positives against false negatives. s ranges over 1…A (a segment
// samples the active cells of the pattern it learns).
//
// For each s, the false-positive probability falls with θ and the
// false-negative probability rises, so the feasible thresholds form an
// interval [θ_fp(s), θ_fn(s)], found by bisection.
func DesignSegment(spec DesignSpec) (Design, error) { return designSegment(nil, spec) }

// DesignSegmentContext is DesignSegment that ends with ctx's error soon
// after ctx is done: the searches poll ctx as they go (a design with
// a = 10^5 can take minutes), in the caller's goroutine.
func DesignSegmentContext(ctx context.Context, spec DesignSpec) (Design, error) {
	if err := ctx.Err(); err != nil {
		return Design{}, err
	}
	return designSegment(newStopper(ctx), spec)
}

func designSegment(st *stopper, spec DesignSpec) (Design, error) {
	if err := spec.Validate(); err != nil {
		return Design{}, err
	}
	maxFP, maxFN := NewFloat(spec.MaxFP), NewFloat(spec.MaxFN)
	v := int(math.Round(spec.Noise * float64(spec.A)))
	out := Design{Spec: spec, V: v}
	for s := 1; s <= spec.A; s++ {
		if st.stop(s) { // a bisection evaluates E2 and E3, O(s) terms each
			return Design{}, st.failed()
		}
		// Smallest θ in [1, s] with fp ≤ maxFP (s+1 if none).
		lo, hi := 1, s+1
		for lo < hi {
			mid := (lo + hi) / 2
			if spec.fp(s, mid).Cmp(maxFP) <= 0 {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		tFP := lo
		// Largest θ in [1, s] with fn ≤ maxFN (0 if none).
		lo, hi = 0, s
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if spec.fn(s, mid, v).Cmp(maxFN) <= 0 {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		tFN := lo
		if tFP <= tFN {
			out.Feasible, out.MinS = true, s
			for th := tFP; th <= tFN; th++ {
				out.Best = append(out.Best, DesignPoint{s, th, spec.fp(s, th), spec.fn(s, th, v)})
			}
			break
		}
	}
	maxS := spec.MaxS
	if maxS == 0 {
		maxS = min(spec.A, 100)
		if out.Feasible {
			maxS = out.MinS
		}
	}
	out.Frontier = frontier(st, spec, maxS, v)
	if err := st.failed(); err != nil {
		return Design{}, err
	}
	return out, nil
}

// frontier returns the designs with s ≤ maxS that no other such design
// beats on both fp and fn (ties broken towards fewer synapses), in
// increasing fp (and so decreasing fn). It returns nil once st stops.
func frontier(st *stopper, spec DesignSpec, maxS, v int) []DesignPoint {
	var all []DesignPoint
	for s := 1; s <= maxS; s++ {
		for th := 1; th <= s; th++ {
			if st.stop(s) {
				return nil
			}
			all = append(all, DesignPoint{s, th, spec.fp(s, th), spec.fn(s, th, v)})
		}
	}
	slices.SortFunc(all, func(p, q DesignPoint) int {
		if c := p.FP.Cmp(q.FP); c != 0 {
			return c
		}
		if c := p.FN.Cmp(q.FN); c != 0 {
			return c
		}
		return p.S - q.S
	})
	var kept []DesignPoint
	for _, p := range all {
		if len(kept) == 0 || p.FN.Cmp(kept[len(kept)-1].FN) < 0 {
			kept = append(kept, p)
		}
	}
	return kept
}
