package dendrite

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Neuron is a single cell with active dendrites, as in the experiments of
// Ahmad & Hawkins (2016): a set of segments on one cell, each a coincidence
// detector with binary synapses onto a population of n inputs, and a
// threshold θ. The neuron fires when any segment sees at least θ active
// inputs.
//
// A segment learns a pattern (a sorted list of the a active inputs) by
// forming s synapses onto s of those inputs chosen uniformly (subsampling).
// Several patterns may share one segment (the union property): each adds
// its own s subsampled synapses, and synapses onto the same input merge.
// All synapses are fully connected (permanence 1).
//
// Its false-positive rate on random patterns and false-negative rate on
// noisy patterns are those of the theory (package theory: FP, FN,
// UnionFPMix, Neuron); the tests check this statistically.
type Neuron struct {
	c     *Connections
	theta int
	act   Activity
	buf   []uint32
}

// NewNeuron returns a neuron with no segment, over inputs (≥ 1) inputs,
// firing when a segment has at least theta (≥ 1) active synapses. A
// Neuron must be made by NewNeuron: the methods of a nil or zero Neuron
// return ErrNotInitialized (or zero values).
func NewNeuron(inputs, theta int) (*Neuron, error) {
	if theta < 1 {
		return nil, fmt.Errorf("%w: theta %d < 1", ErrConfig, theta)
	}
	if inputs < 1 {
		// Config.NumInputs 0 would mean "as many as cells": one input.
		return nil, fmt.Errorf("%w: %d inputs (want at least 1)", ErrConfig, inputs)
	}
	c, err := New(Config{NumCells: 1, NumInputs: inputs, ConnectedPermanence: 0.5})
	if err != nil {
		return nil, err
	}
	return &Neuron{c: c, theta: theta}, nil
}

// Theta returns the threshold θ.
func (nr *Neuron) Theta() int {
	if nr == nil || nr.c == nil {
		return 0
	}
	return nr.theta
}

// Inputs returns the size n of the input population.
func (nr *Neuron) Inputs() int {
	if nr == nil || nr.c == nil {
		return 0
	}
	return int(nr.c.numInputs)
}

// NumSegments returns the number of segments.
func (nr *Neuron) NumSegments() int {
	if nr == nil || nr.c == nil {
		return 0
	}
	return nr.c.live
}

// Segments returns the neuron's segments (read-only, valid until the next
// change).
func (nr *Neuron) Segments() []Segment {
	if nr == nil || nr.c == nil {
		return nil
	}
	return nr.c.SegmentsOf(0)
}

// Connections returns the neuron's underlying store (one cell, numbered 0).
func (nr *Neuron) Connections() *Connections {
	if nr == nil || nr.c == nil {
		return nil
	}
	return nr.c
}

// Forget destroys every segment.
func (nr *Neuron) Forget() {
	if nr == nil || nr.c == nil {
		return
	}
	for len(nr.c.cellSegs[0]) > 0 {
		l := nr.c.cellSegs[0]
		nr.c.destroySegment(uint32(l[len(l)-1]))
	}
}

// Learn adds a segment that learns pattern: s synapses onto s of its
// active inputs, chosen uniformly with rng. It returns the new segment.
func (nr *Neuron) Learn(pattern []uint32, s int, rng *rand.Rand) (Segment, error) {
	if err := nr.checkLearn(pattern, s, rng); err != nil {
		return 0, err
	}
	seg, err := nr.c.CreateSegment(0)
	if err != nil {
		return 0, err
	}
	return seg, nr.learnOn(seg, pattern, s, rng)
}

// LearnOn adds pattern to an existing segment (a union): s synapses onto s
// of its active inputs, chosen uniformly with rng; a synapse onto an input
// that seg already samples merges with the existing one, so the segment
// grows by at most s synapses.
func (nr *Neuron) LearnOn(seg Segment, pattern []uint32, s int, rng *rand.Rand) error {
	if nr == nil || nr.c == nil {
		return ErrNotInitialized
	}
	if !nr.c.isLive(seg) {
		return fmt.Errorf("%w: %d", ErrSegment, seg)
	}
	if err := nr.checkLearn(pattern, s, rng); err != nil {
		return err
	}
	return nr.learnOn(seg, pattern, s, rng)
}

func (nr *Neuron) checkLearn(pattern []uint32, s int, rng *rand.Rand) error {
	if rng == nil {
		return fmt.Errorf("%w: nil rng", ErrInput)
	}
	if s < 0 || s > len(pattern) {
		return fmt.Errorf("%w: %d synapses from a pattern of %d", ErrInput, s, len(pattern))
	}
	return checkSorted(pattern, nr.c.numInputs, "pattern")
}

func (nr *Neuron) learnOn(seg Segment, pattern []uint32, s int, rng *rand.Rand) error {
	nr.buf = append(nr.buf[:0], pattern...)
	sub := nr.buf
	c := nr.c
	for i := range s {
		j := i + rng.IntN(len(sub)-i)
		sub[i], sub[j] = sub[j], sub[i]
		in := sub[i]
		if nr.has(seg, in) {
			continue
		}
		if err := c.reserve(uint32(seg), 1); err != nil {
			return err
		}
		if err := c.addSynapse(uint32(seg), in, 1); err != nil {
			return err
		}
	}
	return nil
}

// has reports whether seg has a synapse onto input in.
func (nr *Neuron) has(seg Segment, in uint32) bool {
	for _, e := range nr.c.revList(in) {
		if e&keyMask == uint32(seg) {
			return true
		}
	}
	return false
}

// Respond presents pattern (a sorted list of active inputs) and reports
// whether the neuron fires, with the largest number of active synapses on
// any one segment.
func (nr *Neuron) Respond(pattern []uint32) (fires bool, overlap int, err error) {
	if nr == nil || nr.c == nil {
		return false, 0, ErrNotInitialized
	}
	if err := nr.c.ComputeActivity(&nr.act, pattern); err != nil {
		return false, 0, err
	}
	for _, s := range nr.act.touched {
		overlap = max(overlap, nr.act.Connected(s))
	}
	return overlap >= nr.theta, overlap, nil
}

// Overlaps appends to dst, for every segment in increasing order, its
// number of active synapses after the last Respond.
func (nr *Neuron) Overlaps(dst []int) []int {
	if nr == nil || nr.c == nil {
		return dst
	}
	for _, s := range nr.c.SegmentsOf(0) {
		dst = append(dst, nr.act.Connected(s))
	}
	return dst
}

// RandomPattern returns, in dst's storage, a uniformly random pattern of a
// active inputs out of n, sorted (Floyd's algorithm: a draws from rng).
func RandomPattern(dst []uint32, n, a int, rng *rand.Rand) ([]uint32, error) {
	if n < 1 || n > MaxInputs || a < 0 || a > n || rng == nil {
		return dst[:0], fmt.Errorf("%w: pattern of %d out of %d", ErrInput, a, n)
	}
	dst = dst[:0]
	for j := n - a; j < n; j++ {
		t := uint32(rng.IntN(j + 1))
		i, found := slices.BinarySearch(dst, t)
		if found {
			t, i = uint32(j), len(dst) // j exceeds every element so far
		}
		dst = slices.Insert(dst, i, t)
	}
	return dst, nil
}

// NoisyPattern returns, in dst's storage, a copy of pattern (sorted, over
// n inputs) in which v of the active inputs, chosen uniformly, are replaced
// by v inputs chosen uniformly among the n − a inactive ones. The result is
// sorted; its overlap with pattern is exactly a − v. dst must not overlap
// pattern.
func NoisyPattern(dst, pattern []uint32, n, v int, rng *rand.Rand) ([]uint32, error) {
	a := len(pattern)
	if n < 1 || n > MaxInputs || v < 0 || v > a || v > n-a || rng == nil {
		return dst[:0], fmt.Errorf("%w: noise %d on a pattern of %d out of %d", ErrInput, v, a, n)
	}
	if err := checkSorted(pattern, uint32(n), "pattern"); err != nil {
		return dst[:0], err
	}
	dst = append(dst[:0], pattern...)
	// Remove v uniformly chosen inputs: move them to the end.
	for i := range v {
		j, k := rng.IntN(a-i), a-1-i
		dst[j], dst[k] = dst[k], dst[j]
	}
	keep := dst[:a-v]
	slices.Sort(keep)
	// Add v inputs that were inactive.
	for added := 0; added < v; {
		t := uint32(rng.IntN(n))
		if _, on := slices.BinarySearch(pattern, t); on {
			continue
		}
		i, dup := slices.BinarySearch(keep, t)
		if dup {
			continue
		}
		keep = slices.Insert(keep, i, t)
		added++
	}
	return keep, nil
}
