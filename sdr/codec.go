package sdr

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/bitvec"
)

// MaxDecodeSize is the largest SDR size that UnmarshalBinary and
// UnmarshalJSON accept, and so the largest that MarshalBinary and
// MarshalJSON produce. It bounds the memory a few bytes of hostile input can
// make the decoder allocate (the bitset of an SDR takes Size/8 bytes): 2^28
// cells, a 32 MiB bitset.
const MaxDecodeSize = 1 << 28

// decodeLimit is the size limit the decoders apply: MaxDecodeSize, lowered
// by the fuzz tests so that each execution stays cheap.
var decodeLimit = MaxDecodeSize

// binaryMagic opens every binary encoding; the version follows it.
// Version 1 is the layout of the first releases (see decodeV1); version 2,
// written now, is the module's common framing (internal/binfmt).
const (
	binaryMagic    = "SDR1"
	binaryVersion1 = 1
	binaryVersion  = 2
)

// MarshalBinary encodes s in the module's binary framing (internal/binfmt:
// little-endian; magic "SDR1", version 2, flags 0, section count, sections,
// CRC-32C) with two sections:
//
//	"DIMS"  number of dimensions d ≥ 1 (uint32), then d dimensions ≥ 1
//	        (uint32 each)
//	"CELL"  number of active cells a (uint32), then the a active cell
//	        indices (uint32 each), strictly increasing, < size
//
// so 48+4d+4a bytes. It returns an error for an SDR of size 0 or larger
// than MaxDecodeSize.
func (s *SDR) MarshalBinary() ([]byte, error) {
	if err := s.checkEncodable(); err != nil {
		return nil, err
	}
	w := binfmt.NewWriter(nil, binaryMagic, binaryVersion, 48+4*len(s.dims)+4*len(s.sparse))
	w.Section("DIMS")
	w.U32(uint32(len(s.dims)))
	for _, d := range s.dims {
		w.U32(uint32(d))
	}
	w.Section("CELL")
	w.U32s(s.sparse)
	return w.Finish(), nil
}

func (s *SDR) checkEncodable() error {
	if s == nil {
		return ErrNil
	}
	if s.size == 0 || len(s.dims) == 0 {
		return fmt.Errorf("%w: cannot encode an SDR of size 0", ErrDims)
	}
	if s.size > MaxDecodeSize {
		return fmt.Errorf("%w: size %d exceeds MaxDecodeSize", ErrDims, s.size)
	}
	return nil
}

// corrupt returns an error wrapping ErrCorrupt.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// UnmarshalBinary replaces s (dimensions and active cells) by the SDR
// encoded in data by MarshalBinary, in the current version (2) or in
// version 1. It returns an error wrapping ErrCorrupt (and a
// *binfmt.FormatError for a malformed framing or field) if data is
// truncated, has trailing bytes, fails its checksum, has an unknown version
// or flags, or describes an invalid SDR (bad dimensions, a size above
// MaxDecodeSize, an index out of range, or indices not strictly
// increasing). Every count is checked against the bytes that remain before
// anything is allocated from it, so it never allocates more than
// O(len(data) + MaxDecodeSize/8) bytes (the bitset of a valid SDR of up to
// MaxDecodeSize cells); s is unchanged on error.
func (s *SDR) UnmarshalBinary(data []byte) error {
	if s == nil {
		return ErrNil
	}
	v, err := binfmt.Peek(data, binaryMagic)
	var dims []int
	var idx []uint32
	switch {
	case err != nil:
	case v == binaryVersion1:
		dims, idx, err = decodeV1(data)
	case v == binaryVersion:
		dims, idx, err = decodeV2(data)
	default:
		return corrupt("unsupported version %d", v)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return s.decoded(dims, idx)
}

// decodeV2 reads the sections of the current version.
func decodeV2(data []byte) ([]int, []uint32, error) {
	f, rest, err := binfmt.Parse(data, binaryMagic)
	if err != nil {
		return nil, nil, err
	}
	if len(rest) != 0 {
		return nil, nil, fmt.Errorf("%d trailing bytes", len(rest))
	}
	r, err := f.Section("DIMS")
	if err != nil {
		return nil, nil, err
	}
	dims := readDims(&r)
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	if r, err = f.Section("CELL"); err != nil {
		return nil, nil, err
	}
	idx := r.U32s("active cells", math.MaxUint32)
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	return dims, idx, f.Close()
}

// readDims reads a dimension count ≥ 1 and the dimensions (validated by
// decoded).
func readDims(r *binfmt.Reader) []int {
	nd := r.Count("dimension count", 4, math.MaxUint32)
	if r.Err() == nil && nd == 0 {
		r.Fail("dimension count", "no dimensions")
	}
	if r.Err() != nil {
		return nil
	}
	dims := make([]int, nd)
	for i := range dims {
		dims[i] = int(r.U32("dimension"))
	}
	return dims
}

// decodeV1 reads version 1, the layout of the first releases:
//
//	offset  size     field
//	0       4        magic "SDR1"
//	4       2        version, 1
//	6       2        flags, 0
//	8       4        number of dimensions d ≥ 1
//	12      4·d      dimensions, each ≥ 1
//	12+4d   4        number of active cells a
//	16+4d   4·a      active cell indices, strictly increasing, < size
//	16+4d+4a 4       CRC-32 (IEEE) of all the preceding bytes
func decodeV1(data []byte) ([]int, []uint32, error) {
	if len(data) < 20 {
		return nil, nil, fmt.Errorf("%d bytes is too short", len(data))
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(body):]) {
		return nil, nil, fmt.Errorf("checksum mismatch")
	}
	r := binfmt.NewReader(body[6:], "v1")
	if f := r.U16("flags"); f != 0 {
		return nil, nil, fmt.Errorf("unknown flags %#x", f)
	}
	dims := readDims(&r)
	idx := r.U32s("active cells", math.MaxUint32)
	return dims, idx, r.Close()
}

// decoded validates a decoded SDR and, if it is valid, makes s that SDR,
// taking ownership of dims and idx.
func (s *SDR) decoded(dims []int, idx []uint32) error {
	size, err := checkDims(dims)
	if err != nil {
		return corrupt("%s", strings.TrimPrefix(err.Error(), "sdr: "))
	}
	if size > decodeLimit {
		return corrupt("size %d exceeds MaxDecodeSize", size)
	}
	if len(idx) > size {
		return corrupt("%d active cells in size %d", len(idx), size)
	}
	for i, v := range idx {
		if uint64(v) >= uint64(size) {
			return corrupt("index %d >= size %d", v, size)
		}
		if i > 0 && v <= idx[i-1] {
			return corrupt("indices not strictly increasing at %d", v)
		}
	}
	words := make([]uint64, bitvec.Len(size))
	for _, i := range idx {
		bitvec.Set(words, i)
	}
	*s = SDR{dims: dims, size: size, sparse: idx, words: words}
	return nil
}

// jsonSDR is the JSON form of an SDR.
type jsonSDR struct {
	Dims   []int     `json:"dims"`
	Sparse *[]uint32 `json:"sparse"`
}

// MarshalJSON encodes s as {"dims":[...],"sparse":[...]}, the dimensions and
// the increasing active cell indices. It returns an error for an SDR of
// size 0 or larger than MaxDecodeSize.
func (s *SDR) MarshalJSON() ([]byte, error) {
	if err := s.checkEncodable(); err != nil {
		return nil, err
	}
	sp := s.sparse
	if sp == nil {
		sp = []uint32{}
	}
	return json.Marshal(jsonSDR{Dims: s.dims, Sparse: &sp})
}

// UnmarshalJSON replaces s by the SDR encoded in data by MarshalJSON. Both
// fields are required, spelt exactly "dims" and "sparse"; no other field
// is allowed, and neither may appear twice (encoding/json would keep the
// last of repeated keys, so two readers of the same text could disagree).
// The indices must be strictly increasing and below the size. As
// encoding/json recommends, the JSON literal null leaves s unchanged. It
// returns an error wrapping ErrCorrupt for invalid input, and s is
// unchanged on error.
func (s *SDR) UnmarshalJSON(data []byte) error {
	if s == nil {
		return ErrNil
	}
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return corrupt("want a JSON object")
	}
	var j jsonSDR
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return corrupt("duplicate key %q", key)
		}
		seen[key] = true
		switch key {
		case "dims":
			err = dec.Decode(&j.Dims)
		case "sparse":
			err = dec.Decode(&j.Sparse)
		default:
			return corrupt("unknown field %q", key)
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return corrupt("unterminated JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return corrupt("trailing data after JSON object")
	}
	if j.Dims == nil || j.Sparse == nil {
		return corrupt(`"dims" and "sparse" are required`)
	}
	return s.decoded(j.Dims, slices.Clip(*j.Sparse))
}
