package encoder

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/dendritic/dendritic/sdr"
)

// RDSEParams configures an RDSE. Give Size, exactly one of ActiveBits and
// Sparsity, and exactly one of Resolution and Radius.
type RDSEParams struct {
	// Size is n, the number of bits.
	Size int
	// ActiveBits is w, the number of active bits of every encoding;
	// 2·ActiveBits must not exceed Size.
	ActiveBits int
	// Sparsity, in (0, 0.5], sets ActiveBits to round(Sparsity·Size).
	Sparsity float64
	// Resolution is the width of a bucket: values at least Resolution apart
	// have different encodings.
	Resolution float64
	// Radius = ActiveBits·Resolution: values at least Radius apart have
	// independent encodings.
	Radius float64
	// Seed selects the hash function: encoders with the same parameters
	// and seed give the same encodings, on every platform.
	Seed uint64
}

// RDSE is a random distributed scalar encoder (Purdy 2016, §"Random
// distributed scalar encoder"). The number line is cut into buckets of
// width Resolution; value v falls in bucket b = ⌊v/Resolution⌋, any integer
// (no range is needed). The encoding of bucket b is built from the w
// consecutive integers t = b, b+1, …, b+w−1: each t places one active bit.
//
// This package places the bits by stratified hashing. The n bits are cut
// into w strata of ⌊n/w⌋ or ⌈n/w⌉ consecutive bits (stratum j is
// [⌊j·n/w⌋, ⌊(j+1)·n/w⌋)); integer t places its bit in stratum t mod w, at
// an offset given by a 64-bit hash of (Seed, t). The w integers of a bucket
// have distinct residues mod w, so every encoding has exactly w active
// bits, one per stratum.
//
// Overlap property. Let buckets b and b′ be d = |b−b′| apart.
//
//   - If d < w they share the w−d integers of the overlap of their windows,
//     hence at least w−d active bits: overlap(b, b′) ≥ w−d. It exceeds
//     w−d only when one of the d integers that differ lands, by chance, on
//     the same bit of its stratum as the integer it replaces (probability
//     about w/n each).
//   - If d ≥ w they share no integer: in each stratum the two bits are
//     independent and uniform, so the overlap is a sum of w independent
//     Bernoulli trials of probability ≈ w/n, with mean ≈ w²/n — the
//     overlap expected between two random SDRs with w of n bits active.
//
// So nearby values (|v−v′| < Radius = w·Resolution) overlap in proportion
// to their closeness and far values overlap only by chance.
type RDSE struct {
	p    RDSEParams // resolved
	n, w int
	lo   []uint32 // lo[j] = first bit of stratum j, j = 0..w (lo[w] = n)
	seed uint64
}

// maxBucket bounds |v/Resolution| so that bucket arithmetic cannot overflow.
const maxBucket = 1 << 62

// NewRDSE validates p and returns the encoder.
func NewRDSE(p RDSEParams) (*RDSE, error) {
	const what = "RDSE"
	if err := checkSize(what, p.Size); err != nil {
		return nil, err
	}
	if err := resolveActive(what, p.ActiveBits, p.Sparsity); err != nil {
		return nil, err
	}
	n, w := p.Size, p.ActiveBits
	if w == 0 {
		w = roundHalfUp(p.Sparsity * float64(n))
	}
	if w < 1 || 2*w > n {
		return nil, fmt.Errorf("%w: RDSE: %d active bits of %d (need 1 ≤ 2·ActiveBits ≤ Size)", ErrParams, w, n)
	}
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || x < 0 }
	if bad(p.Resolution) || bad(p.Radius) || (p.Resolution == 0) == (p.Radius == 0) {
		return nil, fmt.Errorf("%w: RDSE: give exactly one positive finite Resolution (%v) or Radius (%v)",
			ErrParams, p.Resolution, p.Radius)
	}
	r := p.Resolution
	if r == 0 {
		r = p.Radius / float64(w)
	}
	if math.IsInf(float64(w)*r, 0) {
		return nil, fmt.Errorf("%w: RDSE: resolution %v out of range", ErrParams, r)
	}
	e := &RDSE{n: n, w: w, lo: make([]uint32, w+1), seed: p.Seed}
	for j := range w + 1 {
		e.lo[j] = uint32(uint64(j) * uint64(n) / uint64(w))
	}
	e.p = RDSEParams{Size: n, ActiveBits: w, Sparsity: float64(w) / float64(n),
		Resolution: r, Radius: float64(w) * r, Seed: p.Seed}
	return e, nil
}

// Params returns the resolved parameters: every field is set.
func (e *RDSE) Params() RDSEParams {
	if e == nil || e.w == 0 {
		return RDSEParams{}
	}
	return e.p
}

// Size returns the number of bits of the encoding.
func (e *RDSE) Size() int {
	if e == nil || e.w == 0 {
		return 0
	}
	return e.n
}

// Bucket returns the bucket of v, ⌊v/Resolution⌋. NaN, infinities and
// values with |v/Resolution| ≥ 2^62 are errors.
func (e *RDSE) Bucket(v float64) (int64, error) {
	if e == nil || e.w == 0 {
		return 0, ErrNotInitialized
	}
	if math.IsNaN(v) {
		return 0, fmt.Errorf("%w: RDSE: NaN", ErrInput)
	}
	x := math.Floor(v / e.p.Resolution)
	if !(math.Abs(x) < maxBucket) {
		return 0, fmt.Errorf("%w: RDSE: %v is too far from 0 for resolution %v", ErrInput, v, e.p.Resolution)
	}
	return int64(x), nil
}

// mix64 is the SplitMix64 finaliser (Steele, Lea & Flood 2014), a bijection
// of the 64-bit integers with full avalanche.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// AppendBucket appends the active bits of bucket b's encoding to dst, in
// increasing order (one bit per stratum).
func (e *RDSE) AppendBucket(dst []uint32, b int64) []uint32 {
	if e == nil || e.w == 0 {
		return dst
	}
	w := int64(e.w)
	r := b % w // the residue of b, in (−w, w)
	if r < 0 {
		r += w
	}
	for j := range w {
		// The integer of the window [b, b+w) that falls in stratum j.
		d := j - r
		if d < 0 {
			d += w
		}
		t := b + d
		h := mix64(e.seed ^ mix64(uint64(t)))
		lo, hi := e.lo[j], e.lo[j+1]
		off, _ := bits.Mul64(h, uint64(hi-lo))
		dst = append(dst, lo+uint32(off))
	}
	return dst
}

// AppendEncode appends the active bits of v's encoding to dst, in
// increasing order.
func (e *RDSE) AppendEncode(dst []uint32, v float64) ([]uint32, error) {
	if e == nil || e.w == 0 {
		return dst, ErrNotInitialized
	}
	b, err := e.Bucket(v)
	if err != nil {
		return dst, err
	}
	return e.AppendBucket(dst, b), nil
}

// Encode writes the encoding of v into out, which must have Size bits.
func (e *RDSE) Encode(v float64, out *sdr.SDR) error {
	if e == nil || e.w == 0 {
		return ErrNotInitialized
	}
	buf := getScratch()
	defer putScratch(buf)
	idx, err := e.AppendEncode((*buf)[:0], v)
	*buf = idx
	if err != nil {
		return err
	}
	return setOutput(out, e.n, idx)
}
