package encoder

import (
	"fmt"

	"github.com/dendritic/dendritic/sdr"
)

// Field is one part of a Multi encoder over records of type R: an encoder
// of some type T and the function that extracts its input from a record.
// Make one with NewField.
type Field[R any] struct {
	name string
	size int
	enc  func(dst []uint32, r R) ([]uint32, error)
}

// NewField binds enc to the part of a record that get extracts. For
// example, with type Row struct{ Value float64; Time time.Time },
//
//	encoder.NewField("value", rdse, func(r Row) float64 { return r.Value })
func NewField[R, T any](name string, enc Encoder[T], get func(R) T) Field[R] {
	f := Field[R]{name: name}
	if enc == nil || get == nil {
		return f // rejected by NewMulti
	}
	f.size = enc.Size()
	f.enc = func(dst []uint32, r R) ([]uint32, error) { return enc.AppendEncode(dst, get(r)) }
	return f
}

// Name returns the name of the field.
func (f Field[R]) Name() string { return f.name }

// Size returns the number of bits of the field.
func (f Field[R]) Size() int { return f.size }

// Multi concatenates the encodings of several fields of a record: field
// k's bits come after those of fields 0..k−1. It is itself an Encoder[R],
// so Multi encoders nest.
type Multi[R any] struct {
	fields []Field[R]
	starts []int // starts[k] = first bit of field k; starts[len] = size
}

// NewMulti returns the concatenation of the fields, which must have
// distinct names.
func NewMulti[R any](fields ...Field[R]) (*Multi[R], error) {
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: multi: no field", ErrParams)
	}
	m := &Multi[R]{fields: append([]Field[R](nil), fields...), starts: make([]int, len(fields)+1)}
	seen := map[string]bool{}
	for k, f := range fields {
		if f.enc == nil {
			return nil, fmt.Errorf("%w: multi: field %q has a nil encoder or getter", ErrParams, f.name)
		}
		if seen[f.name] {
			return nil, fmt.Errorf("%w: multi: duplicate field %q", ErrParams, f.name)
		}
		seen[f.name] = true
		m.starts[k+1] = m.starts[k] + f.size
		if m.starts[k+1] > MaxSize {
			return nil, fmt.Errorf("%w: multi: more than %d bits", ErrParams, MaxSize)
		}
	}
	return m, nil
}

// Size returns the total number of bits.
func (m *Multi[R]) Size() int { return m.starts[len(m.fields)] }

// Range returns the bits [start, end) of the named field.
func (m *Multi[R]) Range(name string) (start, end int, ok bool) {
	for k, f := range m.fields {
		if f.name == name {
			return m.starts[k], m.starts[k+1], true
		}
	}
	return 0, 0, false
}

// AppendEncode appends the active bits of r's encoding to dst, in
// increasing order.
func (m *Multi[R]) AppendEncode(dst []uint32, r R) ([]uint32, error) {
	k0 := len(dst)
	for k, f := range m.fields {
		n := len(dst)
		var err error
		if dst, err = f.enc(dst, r); err != nil {
			return dst[:k0], fmt.Errorf("field %q: %w", f.name, err)
		}
		off := uint32(m.starts[k])
		for i := n; i < len(dst); i++ {
			dst[i] += off
		}
	}
	return dst, nil
}

// Encode writes the encoding of r into out, which must have Size bits.
func (m *Multi[R]) Encode(r R, out *sdr.SDR) error {
	buf := getScratch()
	defer putScratch(buf)
	idx, err := m.AppendEncode((*buf)[:0], r)
	*buf = idx
	if err != nil {
		return err
	}
	return setOutput(out, m.Size(), idx)
}
