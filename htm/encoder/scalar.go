package encoder

import (
	"fmt"
	"math"

	"github.com/dendritic/dendritic/sdr"
)

// ScalarParams configures a Scalar encoder. Give the range (Minimum <
// Maximum), exactly one of ActiveBits and Sparsity, and exactly one of Size,
// Radius and Resolution; the others stay zero and are derived (Scalar.Params
// returns them all).
type ScalarParams struct {
	// Minimum and Maximum bound the encoded range. For a periodic encoder
	// the range is the period, [Minimum, Maximum), and Maximum encodes
	// like Minimum.
	Minimum, Maximum float64
	// ClipInput makes a non-periodic encoder encode a value outside
	// [Minimum, Maximum] as the nearest bound; without it such a value is
	// an error. A periodic encoder wraps every finite value into its period
	// and ignores ClipInput.
	ClipInput bool
	// Periodic makes the block of active bits wrap around the end of the
	// encoding.
	Periodic bool
	// ActiveBits is w, the number of active bits of every encoding.
	ActiveBits int
	// Sparsity, in (0, 1), sets ActiveBits to round(Sparsity·Size) instead.
	Sparsity float64
	// Size is n, the number of bits.
	Size int
	// Radius: values at least Radius apart have encodings with no bit in
	// common; Radius = ActiveBits·Resolution.
	Radius float64
	// Resolution: values at least Resolution apart have different
	// encodings. It is the width of one bucket (one position of the block).
	Resolution float64
}

// Scalar is the scalar encoder of Purdy (2016): a contiguous block of w
// active bits among n, whose position is proportional to the value.
//
// A non-periodic encoder has n−w+1 positions over [Minimum, Maximum], so
// its resolution is r = (Maximum−Minimum)/(n−w) when derived from Size.
// Value v goes to bucket b = round((v−Minimum)/r) and activates bits
// [b, b+w). Two values whose buckets differ by d < w share w−d bits; values
// at least Radius = w·r apart share none.
//
// A periodic encoder has n positions around a circle: r = (Maximum−
// Minimum)/n, b = ⌊(v−Minimum)/r⌋ mod n (v wrapped into the period first),
// and the block [b, b+w) wraps around bit n−1 to bit 0. When the size is
// derived from a Resolution or Radius, n = ⌈(Maximum−Minimum)/Resolution⌉
// and the effective resolution becomes (Maximum−Minimum)/n, slightly finer
// than asked, so that the period is a whole number of buckets. For the time
// of day with w = 21 and radius 9.49 h this gives n = ⌈24·21/9.49⌉ = 54.
type Scalar struct {
	p       ScalarParams // resolved: every field set
	n, w    int
	buckets int // number of positions: n−w+1, or n when periodic
}

// NewScalar validates p and returns the encoder.
func NewScalar(p ScalarParams) (*Scalar, error) {
	const what = "scalar"
	if !finite(p.Minimum) || !finite(p.Maximum) || !(p.Minimum < p.Maximum) {
		return nil, fmt.Errorf("%w: scalar range [%v, %v] (need finite Minimum < Maximum)", ErrParams, p.Minimum, p.Maximum)
	}
	rng := p.Maximum - p.Minimum
	if math.IsInf(rng, 0) {
		return nil, fmt.Errorf("%w: scalar range [%v, %v] overflows", ErrParams, p.Minimum, p.Maximum)
	}
	if err := resolveActive(what, p.ActiveBits, p.Sparsity); err != nil {
		return nil, err
	}
	given := 0
	for _, ok := range []bool{p.Size != 0, p.Radius != 0, p.Resolution != 0} {
		if ok {
			given++
		}
	}
	if given != 1 {
		return nil, fmt.Errorf("%w: scalar: give exactly one of Size, Radius and Resolution", ErrParams)
	}
	if p.Size < 0 || math.IsNaN(p.Radius) || p.Radius < 0 || math.IsNaN(p.Resolution) || p.Resolution < 0 ||
		math.IsInf(p.Radius, 0) || math.IsInf(p.Resolution, 0) {
		return nil, fmt.Errorf("%w: scalar Size %d, Radius %v, Resolution %v", ErrParams, p.Size, p.Radius, p.Resolution)
	}
	n, w := p.Size, p.ActiveBits
	var r float64
	if n == 0 {
		// Resolution or Radius given: derive n.
		r = p.Resolution
		if p.Radius != 0 {
			if w == 0 {
				return nil, fmt.Errorf("%w: scalar: Radius with Sparsity is ambiguous; give Size or ActiveBits", ErrParams)
			}
			r = p.Radius / float64(w)
		}
		steps := ceilFuzzy(rng / r)
		if !(steps <= MaxSize) {
			return nil, fmt.Errorf("%w: scalar: resolution %v over range %v needs more than %d bits", ErrParams, r, rng, MaxSize)
		}
		steps = math.Max(steps, 1)
		if p.Periodic {
			n = int(steps)
			if w == 0 {
				w = roundHalfUp(p.Sparsity * float64(n))
			}
		} else {
			if w == 0 {
				n0 := math.Ceil(steps / (1 - p.Sparsity))
				w = roundHalfUp(p.Sparsity * n0)
			}
			n = int(steps) + w
		}
	} else if w == 0 {
		w = roundHalfUp(p.Sparsity * float64(n))
	}
	if err := checkSize(what, n); err != nil {
		return nil, err
	}
	if w < 1 || w >= n {
		return nil, fmt.Errorf("%w: scalar: %d active bits of %d (need 1 ≤ ActiveBits < Size)", ErrParams, w, n)
	}
	e := &Scalar{n: n, w: w}
	if p.Periodic {
		e.buckets = n
		r = rng / float64(n)
	} else {
		e.buckets = n - w + 1
		if p.Size != 0 {
			r = rng / float64(n-w)
		}
	}
	e.p = ScalarParams{
		Minimum: p.Minimum, Maximum: p.Maximum, ClipInput: p.ClipInput, Periodic: p.Periodic,
		ActiveBits: w, Sparsity: float64(w) / float64(n), Size: n,
		Radius: float64(w) * r, Resolution: r,
	}
	return e, nil
}

// Params returns the resolved parameters: every field is set, Sparsity to
// ActiveBits/Size and Radius to ActiveBits·Resolution.
func (e *Scalar) Params() ScalarParams {
	if e == nil {
		return ScalarParams{}
	}
	return e.p
}

// Size returns the number of bits of the encoding.
func (e *Scalar) Size() int {
	if e == nil {
		return 0
	}
	return e.n
}

// Buckets returns the number of distinct encodings: Size−ActiveBits+1, or
// Size when periodic.
func (e *Scalar) Buckets() int {
	if e == nil {
		return 0
	}
	return e.buckets
}

// Bucket returns the bucket of v, in [0, Buckets): the position of the
// first bit of its block. It fails like Encode.
func (e *Scalar) Bucket(v float64) (int, error) {
	if e == nil {
		return 0, ErrNotInitialized
	}
	if math.IsNaN(v) {
		return 0, fmt.Errorf("%w: scalar: NaN", ErrInput)
	}
	p := &e.p
	if e.p.Periodic {
		if math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: scalar: %v cannot be wrapped into a period", ErrInput, v)
		}
		x := (v - p.Minimum) / (p.Maximum - p.Minimum)
		x -= math.Floor(x)
		b := int(x * float64(e.n))
		if b >= e.n { // x rounds to 1 when v is just below Minimum
			b = 0
		}
		return b, nil
	}
	if v < p.Minimum || v > p.Maximum {
		if !p.ClipInput {
			return 0, fmt.Errorf("%w: scalar: %v outside [%v, %v]", ErrInput, v, p.Minimum, p.Maximum)
		}
		v = math.Max(p.Minimum, math.Min(p.Maximum, v))
	}
	b := roundHalfUp((v - p.Minimum) / p.Resolution)
	return min(b, e.buckets-1), nil
}

// AppendEncode appends the active bits of v's encoding to dst, in
// increasing order.
func (e *Scalar) AppendEncode(dst []uint32, v float64) ([]uint32, error) {
	if e == nil {
		return dst, ErrNotInitialized
	}
	b, err := e.Bucket(v)
	if err != nil {
		return dst, err
	}
	if end := b + e.w; end > e.n { // periodic block wrapping around
		for i := 0; i < end-e.n; i++ {
			dst = append(dst, uint32(i))
		}
		for i := b; i < e.n; i++ {
			dst = append(dst, uint32(i))
		}
		return dst, nil
	}
	for i := b; i < b+e.w; i++ {
		dst = append(dst, uint32(i))
	}
	return dst, nil
}

// Encode writes the encoding of v into out, which must have Size bits.
// NaN is an error, and so is a value outside [Minimum, Maximum] for a
// non-periodic encoder without ClipInput.
func (e *Scalar) Encode(v float64, out *sdr.SDR) error {
	if e == nil {
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
