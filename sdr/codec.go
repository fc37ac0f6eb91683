package sdr

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"

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

// binaryMagic opens every binary encoding; binaryVersion follows it.
const (
	binaryMagic   = "SDR1"
	binaryVersion = 1
)

// MarshalBinary encodes s in the package's little-endian binary format:
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
//
// It returns an error for an SDR of size 0 or larger than MaxDecodeSize.
func (s *SDR) MarshalBinary() ([]byte, error) {
	if err := s.checkEncodable(); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, 20+4*len(s.dims)+4*len(s.sparse))
	buf = append(buf, binaryMagic...)
	buf = binary.LittleEndian.AppendUint16(buf, binaryVersion)
	buf = binary.LittleEndian.AppendUint16(buf, 0)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(s.dims)))
	for _, d := range s.dims {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(d))
	}
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(s.sparse)))
	for _, i := range s.sparse {
		buf = binary.LittleEndian.AppendUint32(buf, i)
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf)), nil
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
// encoded in data by MarshalBinary. It returns an error wrapping ErrCorrupt
// if data is truncated, has trailing bytes, fails its checksum, has an
// unknown version or flags, or describes an invalid SDR (bad dimensions, a
// size above MaxDecodeSize, an index out of range, or indices not strictly
// increasing). It never allocates more than O(len(data) + MaxDecodeSize/8)
// bytes, and s is unchanged on error.
func (s *SDR) UnmarshalBinary(data []byte) error {
	if s == nil {
		return ErrNil
	}
	const header = 12
	if len(data) < header+8 {
		return corrupt("%d bytes is too short", len(data))
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if string(body[:4]) != binaryMagic {
		return corrupt("bad magic %q", body[:4])
	}
	if v := binary.LittleEndian.Uint16(body[4:]); v != binaryVersion {
		return corrupt("unsupported version %d", v)
	}
	if crc32.ChecksumIEEE(body) != sum {
		return corrupt("checksum mismatch")
	}
	if f := binary.LittleEndian.Uint16(body[6:]); f != 0 {
		return corrupt("unknown flags %#x", f)
	}
	rest := body[8:]
	nd := binary.LittleEndian.Uint32(rest)
	rest = rest[4:]
	// Every count is checked against the bytes left before anything is
	// allocated from it.
	if nd == 0 || uint64(nd) > uint64(len(rest))/4 {
		return corrupt("%d dimensions in %d bytes", nd, len(rest))
	}
	dims := make([]int, nd)
	for i := range dims {
		dims[i] = int(binary.LittleEndian.Uint32(rest))
		rest = rest[4:]
	}
	if len(rest) < 4 {
		return corrupt("missing active count")
	}
	na := binary.LittleEndian.Uint32(rest)
	rest = rest[4:]
	if uint64(na)*4 != uint64(len(rest)) {
		return corrupt("%d active cells in %d bytes", na, len(rest))
	}
	idx := make([]uint32, na)
	for i := range idx {
		idx[i] = binary.LittleEndian.Uint32(rest[4*i:])
	}
	return s.decoded(dims, idx)
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
// fields are required and no other field is allowed; the indices must be
// strictly increasing and below the size. As encoding/json recommends, the
// JSON literal null leaves s unchanged. It returns an error wrapping
// ErrCorrupt for invalid input, and s is unchanged on error.
func (s *SDR) UnmarshalJSON(data []byte) error {
	if s == nil {
		return ErrNil
	}
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j jsonSDR
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return corrupt("trailing data after JSON object")
	}
	if j.Dims == nil || j.Sparse == nil {
		return corrupt(`"dims" and "sparse" are required`)
	}
	return s.decoded(j.Dims, slices.Clip(*j.Sparse))
}
