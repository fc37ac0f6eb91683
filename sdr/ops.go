package sdr

import (
	"errors"
	"fmt"

	"github.com/dendritic/dendritic/internal/bitvec"
)

// Overlap returns the number of cells active in both s and other. The sizes
// must be equal (the dimensions need not be). Overlap allocates nothing: it
// counts the bits of the AND of the two bitsets, or, when one SDR has far
// fewer active cells than the bitset has words, probes the other bitset
// with its active indices.
func (s *SDR) Overlap(other *SDR) (int, error) {
	if s == nil || other == nil {
		return 0, ErrNil
	}
	if s.size != other.size {
		return 0, sizeMismatch(s.size, other.size)
	}
	small, big := s, other
	if len(big.sparse) < len(small.sparse) {
		small, big = big, small
	}
	if len(small.sparse) < len(s.words) {
		return bitvec.CountSparse(big.words, small.sparse), nil
	}
	return bitvec.AndCount(s.words, other.words), nil
}

// sizeMismatch returns an error wrapping ErrSizeMismatch.
func sizeMismatch(a, b int) error {
	return fmt.Errorf("%w: %d and %d", ErrSizeMismatch, a, b)
}

// checkInputs validates the receiver and the inputs of a set operation.
func (s *SDR) checkInputs(inputs []*SDR) error {
	if s == nil {
		return ErrNil
	}
	if len(inputs) == 0 {
		return errors.New("sdr: no input SDR")
	}
	for _, in := range inputs {
		if in == nil {
			return ErrNil
		}
		if in.size != s.size {
			return sizeMismatch(s.size, in.size)
		}
	}
	return nil
}

// combine folds op over the bitsets of inputs into s and rebuilds the sparse
// view. op must be commutative, associative and idempotent, which makes it
// safe for s to be one of the inputs.
func (s *SDR) combine(inputs []*SDR, op func(dst, src []uint64)) {
	start := -1
	for i, in := range inputs {
		if in == s {
			start = i
			break
		}
	}
	if start < 0 {
		copy(s.words, inputs[0].words)
		start = 0
	}
	for i, in := range inputs {
		if i != start && in != s {
			op(s.words, in.words)
		}
	}
	s.fromWords()
}

func orWords(dst, src []uint64) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] |= src[i]
	}
}

func andWords(dst, src []uint64) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] &= src[i]
	}
}

// Union makes s the union of the inputs: a cell is active in s when it is
// active in at least one input. All inputs must have the size of s; s keeps
// its dimensions and may itself be one of the inputs. For example
//
//	A.SetSparse([]uint32{0, 1, 2, 3})
//	B.SetSparse([]uint32{2, 3, 4, 5})
//	C.Union(A, B) // C.Sparse() is [0 1 2 3 4 5]
//
// It returns an error if there is no input, an input is nil or a size
// differs; s is unchanged on error.
func (s *SDR) Union(inputs ...*SDR) error {
	if err := s.checkInputs(inputs); err != nil {
		return err
	}
	s.combine(inputs, orWords)
	return nil
}

// Intersection makes s the intersection of the inputs: a cell is active in s
// when it is active in every input. All inputs must have the size of s; s
// keeps its dimensions and may itself be one of the inputs. For example
//
//	A.SetSparse([]uint32{0, 1, 2, 3})
//	B.SetSparse([]uint32{2, 3, 4, 5})
//	C.Intersection(A, B) // C.Sparse() is [2 3]
//
// It returns an error if there is no input, an input is nil or a size
// differs; s is unchanged on error.
func (s *SDR) Intersection(inputs ...*SDR) error {
	if err := s.checkInputs(inputs); err != nil {
		return err
	}
	s.combine(inputs, andWords)
	return nil
}

// Difference makes s the cells active in a but not in b. The three SDRs
// must have the same size; s may be a or b. Together with KillCells it
// applies a fixed set of dead cells to later SDRs:
//
//	dead, _ := x.KillCells(0.1, rng)
//	y.Difference(y, dead) // the same cells are dead in y
func (s *SDR) Difference(a, b *SDR) error {
	if err := s.checkInputs([]*SDR{a, b}); err != nil {
		return err
	}
	aw, bw := a.words, b.words[:len(a.words)]
	for i := range s.words {
		s.words[i] = aw[i] &^ bw[i]
	}
	s.fromWords()
	return nil
}

// Concatenate makes s the concatenation of the inputs along dimension axis.
// Every input must have as many dimensions as s and the same dimensions as
// s except along axis, where the input lengths must add up to that of s.
// The inputs are placed in the order given. For example, with A and B of
// dimensions (10, 2) and C of dimensions (10, 4),
//
//	C.Concatenate(1, A, B)
//
// puts A in C's columns 0–1 and B in its columns 2–3. It returns an error
// wrapping ErrDims if the dimensions do not fit; s is unchanged on error.
func (s *SDR) Concatenate(axis int, inputs ...*SDR) error {
	if s == nil {
		return ErrNil
	}
	if len(inputs) == 0 {
		return errors.New("sdr: no input SDR")
	}
	nd := len(s.dims)
	if axis < 0 || axis >= nd {
		return fmt.Errorf("%w: axis %d for %d dimensions", ErrDims, axis, nd)
	}
	total := 0
	for k, in := range inputs {
		if in == nil {
			return ErrNil
		}
		if len(in.dims) != nd {
			return fmt.Errorf("%w: input %d has %d dimensions, want %d", ErrDims, k, len(in.dims), nd)
		}
		for d, v := range in.dims {
			if d != axis && v != s.dims[d] {
				return fmt.Errorf("%w: input %d has dimensions %v, output %v, axis %d", ErrDims, k, in.dims, s.dims, axis)
			}
		}
		total += in.dims[axis]
	}
	if total != s.dims[axis] {
		return fmt.Errorf("%w: input lengths along axis %d add up to %d, want %d", ErrDims, axis, total, s.dims[axis])
	}
	if len(inputs) == 1 && inputs[0] == s {
		return nil
	}
	// With two or more inputs of size ≥ 1, s cannot be one of them.
	inner := uint64(1)
	for _, d := range s.dims[axis+1:] {
		inner *= uint64(d)
	}
	outBlock := uint64(s.dims[axis]) * inner
	s.clearWords()
	offset := uint64(0)
	for _, in := range inputs {
		block := uint64(in.dims[axis]) * inner
		for _, idx := range in.sparse {
			q, r := uint64(idx)/block, uint64(idx)%block
			bitvec.Set(s.words, uint32(q*outBlock+offset*inner+r))
		}
		offset += uint64(in.dims[axis])
	}
	s.fromWords()
	return nil
}
