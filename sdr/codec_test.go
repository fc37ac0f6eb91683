package sdr

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/golden"
)

// roundTripCases returns SDRs of various shapes and densities.
func roundTripCases(t testing.TB) []*SDR {
	rng := newRNG(30)
	var out []*SDR
	for _, dims := range [][]int{{1}, {10}, {2048}, {10, 10}, {3, 4, 5}, {1, 1, 1, 7}} {
		for _, p := range []float64{0, 0.02, 0.5, 1} {
			s := mustNew(t, dims...)
			_ = s.Randomize(p, rng)
			out = append(out, s)
		}
	}
	return out
}

// withCRC appends the checksum of body: CRC-32 (IEEE) for version 1,
// CRC-32C for the current version.
func withCRC(body []byte) []byte {
	sum := crc32.ChecksumIEEE(body)
	if len(body) >= 6 && binary.LittleEndian.Uint16(body[4:]) == binaryVersion {
		sum = binfmt.Checksum(body)
	}
	return binary.LittleEndian.AppendUint32(slices.Clone(body), sum)
}

// encodeV2 builds a current-version encoding field by field (independently
// of internal/binfmt's Writer), with a valid checksum: the header, section
// "DIMS" with the dimension count and dims, section "CELL" with count and
// indices.
func encodeV2(dims []uint32, count uint32, idx []uint32) []byte {
	le := binary.LittleEndian
	b := []byte("SDR1\x02\x00\x00\x00\x02\x00\x00\x00DIMS")
	b = le.AppendUint64(b, uint64(4+4*len(dims)))
	b = le.AppendUint32(b, uint32(len(dims)))
	for _, d := range dims {
		b = le.AppendUint32(b, d)
	}
	b = append(b, "CELL"...)
	b = le.AppendUint64(b, uint64(4+4*len(idx)))
	b = le.AppendUint32(b, count)
	for _, i := range idx {
		b = le.AppendUint32(b, i)
	}
	return withCRC(b)
}

// encode builds a version-1 encoding field by field, with a valid checksum.
func encode(version, flags uint16, dims []uint32, count uint32, idx []uint32) []byte {
	b := []byte("SDR1")
	b = binary.LittleEndian.AppendUint16(b, version)
	b = binary.LittleEndian.AppendUint16(b, flags)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(dims)))
	for _, d := range dims {
		b = binary.LittleEndian.AppendUint32(b, d)
	}
	b = binary.LittleEndian.AppendUint32(b, count)
	for _, i := range idx {
		b = binary.LittleEndian.AppendUint32(b, i)
	}
	return withCRC(b)
}

func TestBinaryRoundTrip(t *testing.T) {
	for _, s := range roundTripCases(t) {
		data, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != 48+4*len(s.Dims())+4*s.Sum() {
			t.Fatalf("%d bytes for %v", len(data), s)
		}
		var got SDR
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		if !got.Equal(s) {
			t.Fatalf("round trip: %v became %v", s, &got)
		}
		checkInvariants(t, &got)
	}
}

// TestBinaryFormat pins the documented layout byte by byte, and checks
// that version 1 (the layout of the first releases) still decodes.
func TestBinaryFormat(t *testing.T) {
	s := mustNew(t, 2, 3)
	_ = s.SetSparse([]uint32{1, 5})
	data, _ := s.MarshalBinary()
	want := encodeV2([]uint32{2, 3}, 2, []uint32{1, 5})
	if !slices.Equal(data, want) {
		t.Fatalf("MarshalBinary = % x\nwant            % x", data, want)
	}
	var v1 SDR
	if err := v1.UnmarshalBinary(encode(1, 0, []uint32{2, 3}, 2, []uint32{1, 5})); err != nil || !v1.Equal(s) {
		t.Fatalf("version 1: %v, %v", &v1, err)
	}
}

func TestUnmarshalBinaryCorrupt(t *testing.T) {
	good := encode(1, 0, []uint32{10}, 2, []uint32{3, 7})
	badCRC := slices.Clone(good)
	badCRC[len(badCRC)-1] ^= 1
	flipped := slices.Clone(good)
	flipped[20] ^= 0x10 // an index byte; the checksum no longer matches
	v2good := encodeV2([]uint32{10}, 2, []uint32{3, 7})
	v2badCRC := slices.Clone(v2good)
	v2badCRC[len(v2badCRC)-1] ^= 1
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"nil", nil},
		{"short", []byte("SDR1")},
		{"truncated", good[:len(good)-1]},
		{"truncated body", withCRC(good[:len(good)-8])},
		{"trailing", withCRC(append(slices.Clone(good[:len(good)-4]), 0))},
		{"bad magic", withCRC(append([]byte("SDR2"), good[4:len(good)-4]...))},
		{"bad checksum", badCRC},
		{"flipped bit", flipped},
		{"version 0", encode(0, 0, []uint32{10}, 2, []uint32{3, 7})},
		{"version 2", encode(2, 0, []uint32{10}, 2, []uint32{3, 7})},
		{"flags", encode(1, 1, []uint32{10}, 2, []uint32{3, 7})},
		{"no dims", encode(1, 0, nil, 0, nil)},
		{"dim 0", encode(1, 0, []uint32{0}, 0, nil)},
		{"dims overflow", encode(1, 0, []uint32{1 << 31, 1 << 31, 1 << 31}, 0, nil)},
		{"size above MaxDecodeSize", encode(1, 0, []uint32{1 << 15, 1 << 14}, 0, nil)},
		{"huge dim count", withCRC(append(binary.LittleEndian.AppendUint32([]byte("SDR1\x01\x00\x00\x00"), 1<<30), make([]byte, 12)...))},
		{"huge active count", encode(1, 0, []uint32{10}, 1<<31, []uint32{3, 7})},
		{"count too small", encode(1, 0, []uint32{10}, 1, []uint32{3, 7})},
		{"count too large", encode(1, 0, []uint32{10}, 3, []uint32{3, 7})},
		{"more active than cells", encode(1, 0, []uint32{1}, 2, []uint32{0, 0})},
		{"index = size", encode(1, 0, []uint32{10}, 2, []uint32{3, 10})},
		{"index huge", encode(1, 0, []uint32{10}, 1, []uint32{1<<32 - 1})},
		{"duplicate", encode(1, 0, []uint32{10}, 2, []uint32{3, 3})},
		{"unsorted", encode(1, 0, []uint32{10}, 2, []uint32{7, 3})},
		{"version 3", withCRC(append([]byte("SDR1\x03\x00"), good[6:len(good)-4]...))},
		// The current version.
		{"v2 truncated", encodeV2([]uint32{10}, 2, []uint32{3, 7})[:50]},
		{"v2 trailing", append(encodeV2([]uint32{10}, 2, []uint32{3, 7}), 0)},
		{"v2 trailing, resigned", withCRC(append(slices.Clone(v2good[:len(v2good)-4]), 0))},
		{"v2 bad checksum", v2badCRC},
		{"v2 no dims", encodeV2(nil, 0, nil)},
		{"v2 dim 0", encodeV2([]uint32{0}, 0, nil)},
		{"v2 dims overflow", encodeV2([]uint32{1 << 31, 1 << 31, 1 << 31}, 0, nil)},
		{"v2 size above MaxDecodeSize", encodeV2([]uint32{1 << 15, 1 << 14}, 0, nil)},
		{"v2 huge active count", encodeV2([]uint32{10}, 1<<31, []uint32{3, 7})},
		{"v2 count too small", encodeV2([]uint32{10}, 1, []uint32{3, 7})},
		{"v2 count too large", encodeV2([]uint32{10}, 3, []uint32{3, 7})},
		{"v2 index = size", encodeV2([]uint32{10}, 2, []uint32{3, 10})},
		{"v2 duplicate", encodeV2([]uint32{10}, 2, []uint32{3, 3})},
		{"v2 unsorted", encodeV2([]uint32{10}, 2, []uint32{7, 3})},
		{"v2 flags", withCRC(append([]byte("SDR1\x02\x00\x01\x00"), v2good[8:len(v2good)-4]...))},
		{"v2 one section", withCRC(append([]byte("SDR1\x02\x00\x00\x00\x01\x00\x00\x00"), v2good[12:32]...))},
		{"v2 sections swapped", withCRC(append(append(slices.Clone(v2good[:12]), v2good[32:52]...), v2good[12:32]...))},
	} {
		s := fromSparse(t, 5, 4)
		err := s.UnmarshalBinary(tc.data)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", tc.name, err)
		} else if !strings.HasPrefix(err.Error(), "sdr: ") {
			t.Errorf("%s: error %q lacks the package prefix", tc.name, err)
		}
		if s.Size() != 5 || !slices.Equal(s.Sparse(), []uint32{4}) {
			t.Errorf("%s: failed decode changed s to %v", tc.name, s)
		}
	}
	// The valid encodings themselves decode.
	for _, b := range [][]byte{good, v2good} {
		var s SDR
		if err := s.UnmarshalBinary(b); err != nil || s.String() != "SDR(10) [3 7]" {
			t.Fatalf("good: %v, %v", &s, err)
		}
	}
	// A malformed field of the current version is named.
	var fe *binfmt.FormatError
	var s SDR
	if err := s.UnmarshalBinary(encodeV2([]uint32{10}, 1<<31, nil)); !errors.As(err, &fe) || fe.Section != "CELL" {
		t.Fatalf("huge count: %v", err)
	}
}

func TestMarshalLimits(t *testing.T) {
	var zero SDR
	if _, err := zero.MarshalBinary(); !errors.Is(err, ErrDims) {
		t.Fatal(err)
	}
	if _, err := zero.MarshalJSON(); !errors.Is(err, ErrDims) {
		t.Fatal(err)
	}
	big := mustNew(t, MaxDecodeSize+64)
	if _, err := big.MarshalBinary(); !errors.Is(err, ErrDims) {
		t.Fatal(err)
	}
	if _, err := big.MarshalJSON(); !errors.Is(err, ErrDims) {
		t.Fatal(err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, s := range roundTripCases(t) {
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var got SDR
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if !got.Equal(s) {
			t.Fatalf("round trip: %v became %v", s, &got)
		}
		checkInvariants(t, &got)
	}
}

func TestJSONFormat(t *testing.T) {
	s := mustNew(t, 10, 10)
	_ = s.SetSparse([]uint32{25, 1, 4})
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"dims":[10,10],"sparse":[1,4,25]}`; got != want {
		t.Fatalf("JSON = %s, want %s", got, want)
	}
	_ = s.SetSparse(nil)
	data, _ = json.Marshal(s)
	if got, want := string(data), `{"dims":[10,10],"sparse":[]}`; got != want {
		t.Fatalf("empty JSON = %s, want %s", got, want)
	}
	// Embedded in another value.
	var v struct{ X *SDR }
	if err := json.Unmarshal([]byte(`{"X": {"dims": [3], "sparse": [0, 2]}}`), &v); err != nil ||
		v.X.String() != "SDR(3) [0 2]" {
		t.Fatalf("embedded: %v, %v", v.X, err)
	}
}

func TestUnmarshalJSONCorrupt(t *testing.T) {
	for _, in := range []string{
		``,
		`nul`,
		`[]`,
		`{}`,
		`{"dims":[10]}`,
		`{"sparse":[1]}`,
		`{"dims":[10],"sparse":null}`,
		`{"dims":null,"sparse":[]}`,
		`{"dims":[],"sparse":[]}`,
		`{"dims":[0],"sparse":[]}`,
		`{"dims":[-10],"sparse":[]}`,
		`{"dims":[10.5],"sparse":[]}`,
		`{"dims":[1e3],"sparse":[]}`,
		`{"dims":[99999999999999999999],"sparse":[]}`,
		`{"dims":[4294967296,2],"sparse":[]}`,
		`{"dims":[268435457],"sparse":[]}`,
		`{"dims":[10],"sparse":[10]}`,
		`{"dims":[10],"sparse":[-1]}`,
		`{"dims":[10],"sparse":[4294967296]}`,
		`{"dims":[10],"sparse":[3,3]}`,
		`{"dims":[10],"sparse":[5,3]}`,
		`{"dims":[10],"sparse":[1],"extra":1}`,
		`{"dims":[10],"sparse":[1]} {}`,
		`{"dims":[10],"sparse":[1]`,
		`{"dims":"10","sparse":[1]}`,
		// Repeated keys (encoding/json would keep the last one).
		`{"dims":[10],"dims":[20],"sparse":[1]}`,
		`{"dims":[10],"sparse":[1],"sparse":[2]}`,
		`{"dims":[10],"sparse":[1],"sparse":null}`,
		// Keys are exact: no case folding.
		`{"Dims":[10],"sparse":[1]}`,
		`{"dims":[10],"SPARSE":[1]}`,
		`{"dims":[10],"sparse":[1],"Sparse":[2]}`,
		`{1:[10]}`,
	} {
		s := fromSparse(t, 5, 4)
		err := s.UnmarshalJSON([]byte(in))
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", in, err)
		}
		if s.Size() != 5 || !slices.Equal(s.Sparse(), []uint32{4}) {
			t.Errorf("%s: failed decode changed s to %v", in, s)
		}
	}
	// null is a no-op, as encoding/json recommends.
	keep := fromSparse(t, 5, 4)
	if err := keep.UnmarshalJSON([]byte(" null ")); err != nil || keep.String() != "SDR(5) [4]" {
		t.Fatalf("null: %v, %v", keep, err)
	}
	// Whitespace around the object is fine.
	var s SDR
	if err := s.UnmarshalJSON([]byte(" {\"dims\": [4], \"sparse\": [3]}\n")); err != nil {
		t.Fatal(err)
	}
}

// lowerDecodeLimit makes the decoders reject sizes above 2^20 for the rest
// of f, so that the fuzzer does not spend its time allocating bitsets of up
// to MaxDecodeSize bits (the limit itself is tested in
// TestUnmarshalBinaryCorrupt and TestUnmarshalJSONCorrupt).
func lowerDecodeLimit(f *testing.F) {
	old := decodeLimit
	decodeLimit = 1 << 20
	f.Cleanup(func() { decodeLimit = old })
}

// FuzzUnmarshalBinary checks that decoding never panics, that everything
// it accepts is a valid SDR, and that accepted input re-encodes to itself.
func FuzzUnmarshalBinary(f *testing.F) {
	for _, s := range roundTripCases(f) {
		data, _ := s.MarshalBinary()
		f.Add(data)
	}
	f.Add(encode(1, 0, []uint32{10}, 2, []uint32{7, 3}))
	f.Add(encode(1, 0, []uint32{1 << 15, 1 << 14}, 0, nil))
	f.Add(encode(1, 0, []uint32{3, 4}, 2, []uint32{1, 11}))
	f.Add(encodeV2([]uint32{10}, 2, []uint32{7, 3}))
	f.Add(encodeV2([]uint32{1 << 15, 1 << 14}, 0, nil))
	f.Add([]byte("SDR1"))
	lowerDecodeLimit(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decode the input as it is, and again with its checksum
		// recomputed, so that the fuzzer also reaches the checks that
		// follow the checksum.
		inputs := [][]byte{data}
		if len(data) >= 4 {
			inputs = append(inputs, withCRC(data[:len(data)-4]))
		}
		for _, in := range inputs {
			var s SDR
			if err := s.UnmarshalBinary(in); err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
				continue
			}
			checkInvariants(t, &s)
			again, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			// The current version re-encodes to itself; version 1
			// re-encodes to the current version of the same SDR.
			if binary.LittleEndian.Uint16(in[4:]) == binaryVersion && !slices.Equal(again, in) {
				t.Fatal("re-encoding differs")
			}
			var back SDR
			if err := back.UnmarshalBinary(again); err != nil || !back.Equal(&s) {
				t.Fatalf("re-encoding does not decode to the same SDR: %v", err)
			}
		}
	})
}

// FuzzUnmarshalJSON checks that decoding never panics, that everything it
// accepts is a valid SDR, and that it survives a round trip.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range roundTripCases(f)[:8] {
		data, _ := s.MarshalJSON()
		f.Add(data)
	}
	f.Add([]byte(`{"dims":[10],"sparse":[5,3]}`))
	f.Add([]byte(`{"dims":[4294967296,2],"sparse":[]}`))
	f.Add([]byte(`{"dims":[3,4],"sparse":[11],"x":0}`))
	f.Add([]byte(`{"dims":[3],"sparse":[1],"dims":[4]}`))
	lowerDecodeLimit(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s SDR
		if err := s.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		checkInvariants(t, &s)
		again, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back SDR
		if err := back.UnmarshalJSON(again); err != nil || !back.Equal(&s) {
			t.Fatalf("round trip of %s failed: %v", again, err)
		}
	})
}

// TestUnmarshalBinaryAllocation: counts that the input cannot hold are
// refused before anything is allocated from them; the one allocation not
// bounded by the input's size is the bitset of a valid SDR, at most
// MaxDecodeSize/8 bytes (documented on UnmarshalBinary).
func TestUnmarshalBinaryAllocation(t *testing.T) {
	w := binfmt.NewWriter(nil, binaryMagic, binaryVersion, 0)
	w.Section("DIMS")
	w.U32(1 << 30) // and no dimension follows
	w.Section("CELL")
	w.U32(0)
	hugeDims := w.Finish()
	var fe *binfmt.FormatError
	if err := new(SDR).UnmarshalBinary(hugeDims); !errors.As(err, &fe) || fe.Field != "dimension count" {
		t.Fatalf("2^30 dimensions: %v", err)
	}
	for name, data := range map[string][]byte{
		"2^30 dimensions":   hugeDims,
		"2^31 active cells": encodeV2([]uint32{10}, 1<<31, nil),
	} {
		var err error
		if got := golden.BytesAllocated(func() { err = new(SDR).UnmarshalBinary(data) }); got > 4096 {
			t.Errorf("%s: %d bytes allocated", name, got)
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := encodeV2([]uint32{1 << 14, 1 << 14}, 0, nil) // 2^28 cells, valid
	var err error
	if got := golden.BytesAllocated(func() { err = new(SDR).UnmarshalBinary(big) }); err != nil || got > MaxDecodeSize/8+4096 {
		t.Errorf("largest SDR: %d bytes allocated, %v", got, err)
	}
}
