package encoder

import (
	"fmt"
	"math/bits"

	"github.com/dendritic/dendritic/sdr"
)

// CategoryParams configures a Category encoder.
type CategoryParams struct {
	// Categories lists the known labels, distinct. In block mode (Size 0)
	// it is required and label i gets bits [i·ActiveBits, (i+1)·ActiveBits).
	// In random mode it is optional: when given, only these labels are
	// accepted; when empty, any label is.
	Categories []string
	// ActiveBits is w, the number of active bits of every encoding.
	ActiveBits int
	// Size, when nonzero, selects random mode: every label gets w bits of
	// Size chosen by a seeded hash of the label, so that the codes of two
	// different labels overlap only by chance (≈ w²/Size bits on average),
	// as in an SDR category encoder. 2·ActiveBits must not exceed Size.
	Size int
	// Seed selects the hash of random mode.
	Seed uint64
}

// Category encodes labels from a set of categories: every label has its
// own code and the codes of different labels share no bit (block mode) or
// only chance bits (random mode). Random mode places one bit in each of w
// strata of the encoding, as the RDSE does, at an offset hashed from
// (Seed, label, stratum).
type Category struct {
	p      CategoryParams
	n, w   int
	index  map[string]int // nil in random mode without a list
	lo     []uint32       // random mode: strata bounds
	random bool
}

// NewCategory validates p and returns the encoder.
func NewCategory(p CategoryParams) (*Category, error) {
	w := p.ActiveBits
	if w < 1 {
		return nil, fmt.Errorf("%w: category: ActiveBits %d < 1", ErrParams, w)
	}
	e := &Category{w: w, random: p.Size != 0}
	if len(p.Categories) > 0 {
		e.index = make(map[string]int, len(p.Categories))
		for i, c := range p.Categories {
			if _, dup := e.index[c]; dup {
				return nil, fmt.Errorf("%w: category: duplicate label %q", ErrParams, c)
			}
			e.index[c] = i
		}
	}
	if e.random {
		if err := checkSize("category", p.Size); err != nil {
			return nil, err
		}
		if 2*w > p.Size {
			return nil, fmt.Errorf("%w: category: %d active bits of %d (need 2·ActiveBits ≤ Size)", ErrParams, w, p.Size)
		}
		e.n = p.Size
		e.lo = make([]uint32, w+1)
		for j := range w + 1 {
			e.lo[j] = uint32(uint64(j) * uint64(e.n) / uint64(w))
		}
	} else {
		if len(p.Categories) == 0 {
			return nil, fmt.Errorf("%w: category: block mode needs Categories", ErrParams)
		}
		if len(p.Categories) > MaxSize/w {
			return nil, fmt.Errorf("%w: category: %d labels × %d bits exceed %d", ErrParams, len(p.Categories), w, MaxSize)
		}
		e.n = len(p.Categories) * w
	}
	e.p = p
	e.p.Categories = append([]string(nil), p.Categories...)
	e.p.Size = e.n
	return e, nil
}

// Params returns the parameters, with Size resolved.
func (e *Category) Params() CategoryParams {
	if e == nil {
		return CategoryParams{}
	}
	p := e.p
	p.Categories = append([]string(nil), p.Categories...)
	return p
}

// Size returns the number of bits of the encoding.
func (e *Category) Size() int {
	if e == nil {
		return 0
	}
	return e.n
}

// labelHash is FNV-1a (64 bits) of s.
func labelHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// AppendEncode appends the active bits of label's encoding to dst, in
// increasing order. An unknown label is an error.
func (e *Category) AppendEncode(dst []uint32, label string) ([]uint32, error) {
	if e == nil {
		return dst, ErrNotInitialized
	}
	i, known := 0, true
	if e.index != nil {
		i, known = e.index[label]
	}
	if !known {
		return dst, fmt.Errorf("%w: category: unknown label %q", ErrInput, label)
	}
	if !e.random {
		for b := i * e.w; b < (i+1)*e.w; b++ {
			dst = append(dst, uint32(b))
		}
		return dst, nil
	}
	h0 := mix64(e.p.Seed ^ mix64(labelHash(label)))
	for j := range e.w {
		h := mix64(h0 + uint64(j)*0x9e3779b97f4a7c15)
		lo, hi := e.lo[j], e.lo[j+1]
		off, _ := bits.Mul64(h, uint64(hi-lo))
		dst = append(dst, lo+uint32(off))
	}
	return dst, nil
}

// Encode writes the encoding of label into out, which must have Size bits.
func (e *Category) Encode(label string, out *sdr.SDR) error {
	if e == nil {
		return ErrNotInitialized
	}
	buf := getScratch()
	defer putScratch(buf)
	idx, err := e.AppendEncode((*buf)[:0], label)
	*buf = idx
	if err != nil {
		return err
	}
	return setOutput(out, e.n, idx)
}
