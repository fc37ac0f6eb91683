package sdr

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
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

// withCRC appends the checksum of body.
func withCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint32(slices.Clone(body), crc32.ChecksumIEEE(body))
}

// encode builds a binary encoding field by field, with a valid checksum.
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
		if len(data) != 20+4*len(s.Dims())+4*s.Sum() {
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

// TestBinaryFormat pins the documented layout byte by byte.
func TestBinaryFormat(t *testing.T) {
	s := mustNew(t, 2, 3)
	_ = s.SetSparse([]uint32{1, 5})
	data, _ := s.MarshalBinary()
	want := encode(1, 0, []uint32{2, 3}, 2, []uint32{1, 5})
	if !slices.Equal(data, want) {
		t.Fatalf("MarshalBinary = % x\nwant            % x", data, want)
	}
}

func TestUnmarshalBinaryCorrupt(t *testing.T) {
	good := encode(1, 0, []uint32{10}, 2, []uint32{3, 7})
	badCRC := slices.Clone(good)
	badCRC[len(badCRC)-1] ^= 1
	flipped := slices.Clone(good)
	flipped[20] ^= 0x10 // an index byte; the checksum no longer matches
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
	// The valid encoding itself decodes.
	var s SDR
	if err := s.UnmarshalBinary(good); err != nil || s.String() != "SDR(10) [3 7]" {
		t.Fatalf("good: %v, %v", &s, err)
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
			if err != nil || !slices.Equal(again, in) {
				t.Fatalf("re-encoding differs: %v", err)
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
