package sdr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dendritic/dendritic/internal/bitvec"
)

// checkFraction validates a fraction in [0, 1] (NaN is rejected).
func checkFraction(name string, f float64) error {
	if !(f >= 0 && f <= 1) {
		return fmt.Errorf("%w: %s = %v", ErrFraction, name, f)
	}
	return nil
}

// roundCount returns round(f·n), rounding halves away from zero.
func roundCount(f float64, n int) int {
	return int(math.Round(f * float64(n)))
}

// Randomize activates a uniformly random set of exactly round(sparsity·Size)
// cells (halves round away from zero) and deactivates all others. All sets
// of that size are equally likely. The result depends only on the state of
// rng, so a generator seeded the same way gives the same SDR; rng advances.
//
// It returns an error wrapping ErrFraction if sparsity is outside [0, 1] or
// NaN, and ErrNil if rng is nil. Once s has grown its buffers, Randomize
// allocates nothing.
func (s *SDR) Randomize(sparsity float64, rng *rand.Rand) error {
	if s == nil || rng == nil {
		return ErrNil
	}
	if err := checkFraction("sparsity", sparsity); err != nil {
		return err
	}
	s.sample(roundCount(sparsity, s.size), rng)
	return nil
}

// RandomizeCount activates a uniformly random set of exactly k cells and
// deactivates all others, like Randomize. It returns an error wrapping
// ErrFraction if k is outside [0, Size].
func (s *SDR) RandomizeCount(k int, rng *rand.Rand) error {
	if s == nil || rng == nil {
		return ErrNil
	}
	if k < 0 || k > s.size {
		return fmt.Errorf("%w: count %d outside [0, %d]", ErrFraction, k, s.size)
	}
	s.sample(k, rng)
	return nil
}

// sample sets exactly k random cells of s, 0 ≤ k ≤ size. It draws by
// rejection against the bitset: the cells to activate when k ≤ size/2,
// otherwise the cells to leave inactive, so that every draw is accepted
// with probability at least 1/2.
func (s *SDR) sample(k int, rng *rand.Rand) {
	n := uint64(s.size)
	w := s.words
	if 2*k <= s.size {
		s.clearWords()
		sp := s.sparse[:0]
		for len(sp) < k {
			i := uint32(rng.Uint64N(n))
			if w[i>>6]&(1<<(i&63)) != 0 {
				continue
			}
			w[i>>6] |= 1 << (i & 63)
			sp = append(sp, i)
		}
		s.sparse = sp
		s.resort()
		return
	}
	for i := range w {
		w[i] = ^uint64(0)
	}
	if len(w) > 0 {
		w[len(w)-1] = bitvec.TailMask(s.size)
	}
	for off := s.size - k; off > 0; {
		i := uint32(rng.Uint64N(n))
		if w[i>>6]&(1<<(i&63)) == 0 {
			continue
		}
		w[i>>6] &^= 1 << (i & 63)
		off--
	}
	s.fromWords()
}

// AddNoise moves a random fraction of the active cells: it deactivates
// r = round(fraction·Sum) active cells, chosen uniformly, and activates r
// cells chosen uniformly among those inactive before the call. Sum is
// unchanged, and the overlap of the result with the SDR before the call is
// exactly Sum − r.
//
// It returns an error wrapping ErrFraction if fraction is outside [0, 1] or
// NaN, or if fewer than r cells are inactive; ErrNil if rng is nil. The
// result is deterministic for a given rng state; rng advances.
func (s *SDR) AddNoise(fraction float64, rng *rand.Rand) error {
	if s == nil || rng == nil {
		return ErrNil
	}
	if err := checkFraction("fraction", fraction); err != nil {
		return err
	}
	a := len(s.sparse)
	r := roundCount(fraction, a)
	inactive := s.size - a
	if r > inactive {
		return fmt.Errorf("%w: AddNoise needs %d inactive cells, only %d", ErrFraction, r, inactive)
	}
	if r == 0 {
		return nil
	}
	w := s.words
	sp := s.sparse
	// Partial Fisher–Yates: sp[:r] become the cells to deactivate.
	for i := 0; i < r; i++ {
		j := i + int(rng.Uint64N(uint64(a-i)))
		sp[i], sp[j] = sp[j], sp[i]
	}
	if 4*(inactive-r) >= s.size {
		// Rejection: at least a quarter of all cells stay eligible, so a
		// draw is accepted with probability ≥ 1/4. The cells to deactivate
		// are still set in w, so they cannot be drawn.
		n := uint64(s.size)
		for len(sp) < a+r {
			i := uint32(rng.Uint64N(n))
			if w[i>>6]&(1<<(i&63)) != 0 {
				continue
			}
			w[i>>6] |= 1 << (i & 63)
			sp = append(sp, i)
		}
		for _, i := range sp[:r] {
			bitvec.Clear(w, i)
		}
		copy(sp[:r], sp[a:])
		sp = sp[:a]
	} else {
		// Few inactive cells: list them and pick r by partial Fisher–Yates.
		free := bitvec.AppendZeros(s.tmp[:0], w, s.size)
		for i := 0; i < r; i++ {
			j := i + int(rng.Uint64N(uint64(inactive-i)))
			free[i], free[j] = free[j], free[i]
		}
		for i, c := range free[:r] {
			bitvec.Clear(w, sp[i])
			bitvec.Set(w, c)
			sp[i] = c
		}
		s.tmp = free
	}
	s.sparse = sp
	s.resort()
	return nil
}

// KillCells deactivates round(fraction·Size) cells chosen uniformly among
// all cells of s, active or not (halves round away from zero), and returns
// those dead cells as a new SDR with the dimensions of s. Active cells that
// are picked turn off; inactive ones stay off. As in htm.core, the fraction
// counts all cells, not only the active ones, so on average
// fraction·Sum active cells are lost.
//
// Dead cells are meant to stay dead: apply the returned mask to later SDRs
// with Difference (y.Difference(y, dead)), or pass the same seed again to
// kill the same cells. It returns an error wrapping ErrFraction if fraction
// is outside [0, 1] or NaN, and ErrNil if rng is nil; s is unchanged on
// error.
func (s *SDR) KillCells(fraction float64, rng *rand.Rand) (*SDR, error) {
	if s == nil || rng == nil {
		return nil, ErrNil
	}
	if err := checkFraction("fraction", fraction); err != nil {
		return nil, err
	}
	dead := &SDR{
		dims:  slices.Clone(s.dims),
		size:  s.size,
		words: make([]uint64, len(s.words)),
	}
	dead.sample(roundCount(fraction, s.size), rng)
	if err := s.Difference(s, dead); err != nil {
		// Unreachable: the sizes agree by construction.
		return nil, err
	}
	return dead, nil
}
