package art

import (
	"errors"
	"fmt"
	"math"
)

// NetworkParams configures a fuzzy ART network.
type NetworkParams struct {
	// Dim is the number of features of an input, each in [0, 1]; the
	// network works on their complement code, 2·Dim values.
	Dim int
	// Vigilance ρ ∈ [0, 1]: an input joins a category only if the match
	// |I ∧ w_j| / |I| is at least ρ (higher: more, smaller categories).
	Vigilance float64
	// Choice α > 0, the choice parameter of T_j = |I ∧ w_j| / (α + |w_j|)
	// (small α prefers the smallest category that contains the input).
	Choice float64
	// Learning β ∈ (0, 1], the learning rate of w_j ← β(I ∧ w_j) +
	// (1−β)w_j; 1 is fast learning (w_j ← I ∧ w_j).
	Learning float64
	// MaxCategories bounds the number of categories; an input that would
	// create one more is reported (Result.Full) and not learned. 0 means
	// no bound other than one category per input.
	MaxCategories int
}

// Validate reports the first invalid field.
func (p NetworkParams) Validate() error {
	switch {
	case p.Dim < 1 || p.Dim > 1<<16:
		return fmt.Errorf("art: Dim %d outside [1, 65536]", p.Dim)
	case !(p.Vigilance >= 0 && p.Vigilance <= 1):
		return fmt.Errorf("art: Vigilance %v outside [0, 1]", p.Vigilance)
	case !(p.Choice > 0) || math.IsInf(p.Choice, 1):
		return fmt.Errorf("art: Choice %v must be positive and finite", p.Choice)
	case !(p.Learning > 0 && p.Learning <= 1):
		return fmt.Errorf("art: Learning %v outside (0, 1]", p.Learning)
	case p.MaxCategories < 0:
		return fmt.Errorf("art: MaxCategories %d is negative", p.MaxCategories)
	}
	return nil
}

// ErrInput is wrapped by the errors of inputs outside [0, 1]^Dim.
var ErrInput = errors.New("art: invalid input")

// ErrNotInitialized is returned by the methods of a zero or nil Network or
// Detector: build them with NewNetwork and New.
var ErrNotInitialized = errors.New("art: not initialized (use NewNetwork or New)")

// Network is a fuzzy ART network (Carpenter, Grossberg & Rosen 1991) with
// complement coding. Its zero value is not usable; build it with
// NewNetwork.
type Network struct {
	p    NetworkParams
	w    []float64 // category j's weights: w[2·Dim·j : 2·Dim·(j+1)]
	size []float64 // |w_j| = Σ_i w_ji
	in   []float64 // the complement-coded input, reused
}

// NewNetwork returns an empty network.
func NewNetwork(p NetworkParams) (*Network, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Network{p: p, in: make([]float64, 2*p.Dim)}, nil
}

// Params returns the network's parameters (zero for a nil network).
func (n *Network) Params() NetworkParams {
	if n == nil {
		return NetworkParams{}
	}
	return n.p
}

// Categories returns the number of categories learned.
func (n *Network) Categories() int {
	if n == nil {
		return 0
	}
	return len(n.size)
}

// Weights returns a copy of category j's weights (2·Dim values: the lower
// corner u of its box, then 1 − v for its upper corner v), nil if there is
// no category j.
func (n *Network) Weights(j int) []float64 {
	if j < 0 || j >= n.Categories() {
		return nil
	}
	d := 2 * n.p.Dim
	return append([]float64(nil), n.w[j*d:(j+1)*d]...)
}

// Result is what Learn reports about one input.
type Result struct {
	// Category is the category the input joined or created; -1 if the
	// network was full and the input was not learned.
	Category int
	// Created is true if the input created a new category.
	Created bool
	// Full is true if the input needed a new category and the network
	// already held MaxCategories.
	Full bool
	// Match is the input's match |I ∧ w_J| / Dim with the category it
	// joined (1 for a created category), before learning.
	Match float64
	// Novelty is, before learning, the smallest over all categories of
	// (|w_j| − |I ∧ w_j|) / Dim: how much the nearest category's box
	// would have to grow, per feature, to contain the input (0 if a box
	// already contains it; 1 for the first input).
	Novelty float64
}

// Learn presents x (Dim values in [0, 1]) to the network and learns it:
// among the categories whose match |I ∧ w_j| / Dim reaches the vigilance,
// the one with the largest choice T_j = |I ∧ w_j| / (α + |w_j|) (the
// lowest index on ties) learns w_j ← β(I ∧ w_j) + (1−β)w_j; if there is
// none, I becomes a new category. (Picking the largest choice among the
// categories that pass vigilance is the same as ART's search, which visits
// categories in order of decreasing choice and resets those that fail.)
// I = (x, 1 − x) is x's complement code, so |I| = Dim for every input.
func (n *Network) Learn(x []float64) (Result, error) {
	if n == nil || n.in == nil {
		return Result{}, ErrNotInitialized
	}
	dim := n.p.Dim
	if len(x) != dim {
		return Result{}, fmt.Errorf("%w: %d features, want %d", ErrInput, len(x), dim)
	}
	for i, v := range x {
		if !(v >= 0 && v <= 1) {
			return Result{}, fmt.Errorf("%w: feature %d is %v, outside [0, 1]", ErrInput, i, v)
		}
		n.in[i], n.in[dim+i] = v, 1-v
	}
	d := 2 * dim
	fd := float64(dim)
	best, bestT, bestInter := -1, math.Inf(-1), 0.0
	novelty := 1.0
	for j, sz := range n.size {
		w := n.w[j*d : (j+1)*d : (j+1)*d]
		inter := 0.0
		for i, v := range n.in[:d] {
			inter += min(v, w[i])
		}
		novelty = min(novelty, (sz-inter)/fd)
		if inter/fd < n.p.Vigilance {
			continue
		}
		if t := inter / (n.p.Choice + sz); t > bestT {
			best, bestT, bestInter = j, t, inter
		}
	}
	novelty = max(novelty, 0) // rounding of sz − inter
	if best < 0 {
		if n.p.MaxCategories > 0 && len(n.size) >= n.p.MaxCategories {
			return Result{Category: -1, Full: true, Novelty: novelty}, nil
		}
		n.w = append(n.w, n.in...)
		n.size = append(n.size, fd)
		return Result{Category: len(n.size) - 1, Created: true, Match: 1, Novelty: novelty}, nil
	}
	w := n.w[best*d : (best+1)*d : (best+1)*d]
	b := n.p.Learning
	sz := 0.0
	for i, v := range n.in[:d] {
		if b == 1 {
			w[i] = min(v, w[i])
		} else {
			w[i] = b*min(v, w[i]) + (1-b)*w[i]
		}
		sz += w[i]
	}
	n.size[best] = sz
	return Result{Category: best, Match: bestInter / fd, Novelty: novelty}, nil
}
