package binfmt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"slices"
	"testing"
)

// sample writes a frame with three sections exercising every field type.
func sample() []byte {
	w := NewWriter([]byte("prefix"), "TEST", 7, 0)
	w.Section("ONE_")
	w.U8(1)
	w.Bool(true)
	w.U16(0x0203)
	w.U32(0x04050607)
	w.U64(0x08090a0b0c0d0e0f)
	w.F32(1.5)
	w.F64(-2.25)
	w.Uvarint(300)
	w.Section("EMPT")
	w.Section("LIST")
	w.U32s([]uint32{9, 8, 7})
	w.Bytes([]byte("xyz"))
	return w.Finish()[len("prefix"):]
}

// TestLayout pins the documented layout byte by byte.
func TestLayout(t *testing.T) {
	w := NewWriter(nil, "ABCD", 0x0102, 64)
	w.Section("SEC1")
	w.U16(0xbeef)
	got := w.Finish()
	want := []byte("ABCD\x02\x01\x00\x00\x01\x00\x00\x00SEC1\x02\x00\x00\x00\x00\x00\x00\x00\xef\xbe")
	// CRC-32C, computed independently of Checksum through the standard
	// library's table for the Castagnoli polynomial 0x82F63B78.
	want = binary.LittleEndian.AppendUint32(want, crc32.Checksum(want, crc32.MakeTable(0x82F63B78)))
	if !bytes.Equal(got, want) {
		t.Fatalf("frame\n% x\nwant\n% x", got, want)
	}
	// The check value of CRC-32C ("123456789" → 0xE3069283, from the
	// catalogue of parametrised CRC algorithms, CRC-32/ISCSI).
	if c := Checksum([]byte("123456789")); c != 0xe3069283 {
		t.Fatalf("Checksum = %#x", c)
	}
}

func TestRoundTrip(t *testing.T) {
	data := append(sample(), "rest"...)
	f, rest, err := Parse(data, "TEST")
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != "rest" || f.Version != 7 {
		t.Fatalf("rest %q, version %d", rest, f.Version)
	}
	r, err := f.Section("ONE_")
	if err != nil {
		t.Fatal(err)
	}
	if r.U8("a") != 1 || !r.Bool("b") || r.U16("c") != 0x0203 || r.U32("d") != 0x04050607 ||
		r.U64("e") != 0x08090a0b0c0d0e0f || r.F32("f") != 1.5 || r.F64("g") != -2.25 || r.Uvarint("h") != 300 {
		t.Fatal("fields differ")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if r, err = f.Section("EMPT"); err != nil || r.Close() != nil {
		t.Fatal(err)
	}
	r, _ = f.Section("LIST")
	if l := r.U32s("list", 3); !slices.Equal(l, []uint32{9, 8, 7}) || string(r.Bytes("x", 3)) != "xyz" || r.Close() != nil {
		t.Fatalf("list %v, %v", l, r.Err())
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Section("MORE"); err == nil {
		t.Fatal("section past the end")
	}
}

// formatErr returns err as a *FormatError, failing the test otherwise.
func formatErr(t *testing.T, err error) *FormatError {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *FormatError", err)
	}
	return fe
}

// resign recomputes the checksum of a frame that fills data.
func resign(data []byte) []byte {
	out := slices.Clone(data)
	if len(out) >= 4 {
		binary.LittleEndian.PutUint32(out[len(out)-4:], Checksum(out[:len(out)-4]))
	}
	return out
}

func TestParseCorrupt(t *testing.T) {
	good := sample()
	put32 := func(off int, v uint32) []byte {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint32(b[off:], v)
		return resign(b)
	}
	put64 := func(off int, v uint64) []byte {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint64(b[off:], v)
		return resign(b)
	}
	for _, tc := range []struct {
		name, field string
		data        []byte
	}{
		{"empty", "magic", nil},
		{"magic", "magic", append([]byte("TESX"), good[4:]...)},
		{"flags", "flags", resign(append(append([]byte("TEST\x07\x00\x01\x00"), good[8:len(good)-4]...), 0, 0, 0, 0))},
		{"huge section count", "section count", put32(8, math.MaxUint32)},
		{"section count one too many", "section header", put32(8, 4)},
		{"huge section length", "length", put64(16, math.MaxUint64)},
		{"section length past the end", "length", put64(16, uint64(len(good)))},
		{"checksum", "checksum", append(slices.Clone(good[:len(good)-1]), good[len(good)-1]^1)},
		{"bit flip", "checksum", func() []byte { b := slices.Clone(good); b[26] ^= 4; return b }()},
	} {
		_, _, err := Parse(tc.data, "TEST")
		if fe := formatErr(t, err); fe.Field != tc.field {
			t.Errorf("%s: error %v, want field %q", tc.name, err, tc.field)
		}
	}
	// Every truncation is refused.
	for n := range len(good) {
		if _, _, err := Parse(good[:n], "TEST"); err == nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
	}
}

func TestSectionOrder(t *testing.T) {
	f, _, err := Parse(sample(), "TEST")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Section("EMPT"); formatErr(t, err).Section != "ONE_" {
		t.Fatalf("wrong tag: %v", err)
	}
	f, _, _ = Parse(sample(), "TEST")
	f.Section("ONE_")
	if err := f.Close(); formatErr(t, err).Reason != "2 unexpected sections" {
		t.Fatalf("unread sections: %v", err)
	}
}

func TestReaderBounds(t *testing.T) {
	le := binary.LittleEndian
	r := NewReader(le.AppendUint32(nil, 3), "S")
	if r.Count("n", 2, 10); r.Err() == nil {
		t.Fatal("3 elements of 2 bytes in 0 bytes accepted")
	}
	if fe := formatErr(t, r.Err()); fe.Section != "S" || fe.Field != "n" || fe.Offset != 0 {
		t.Fatalf("error %+v", fe)
	}
	r = NewReader(append(le.AppendUint32(nil, 3), make([]byte, 6)...), "S")
	if n := r.Count("n", 2, 10); n != 3 || r.Err() != nil {
		t.Fatal(n, r.Err())
	}
	r = NewReader(append(le.AppendUint32(nil, 3), make([]byte, 6)...), "S")
	if r.Count("n", 2, 2); r.Err() == nil {
		t.Fatal("count above the limit accepted")
	}
	// The product of count and size is computed without overflow.
	if Fits(1<<63, 4, math.MaxInt) || Fits(math.MaxUint64, math.MaxUint64, math.MaxInt) || !Fits(0, math.MaxUint64, 0) {
		t.Fatal("Fits overflows")
	}
	r = NewReader([]byte{2}, "S")
	if r.Bool("flag"); r.Err() == nil {
		t.Fatal("boolean 2 accepted")
	}
	r = NewReader(le.AppendUint32(nil, 11), "S")
	if r.Int("x", 10); r.Err() == nil {
		t.Fatal("int above limit accepted")
	}
	r = NewReader(le.AppendUint64(nil, 11), "S")
	if r.Int64("x", 10); r.Err() == nil {
		t.Fatal("int64 above limit accepted")
	}
	r = NewReader([]byte{0x80}, "S")
	if r.Uvarint("v"); r.Err() == nil {
		t.Fatal("truncated varint accepted")
	}
	r = NewReader([]byte{1, 2, 3}, "S")
	if r.U32("x"); r.Err() == nil || r.U8("y") != 0 {
		t.Fatal("truncated read accepted, or error not sticky")
	}
	r = NewReader([]byte{1, 2}, "S")
	r.U8("x")
	if fe := formatErr(t, r.Close()); fe.Reason != "1 trailing bytes" {
		t.Fatal(fe)
	}
}

// TestHostileAllocation: a frame whose header claims 2^32−1 sections and a
// section that claims 2^64−1 bytes is refused without allocating more than
// the error.
func TestHostileAllocation(t *testing.T) {
	hostile := [][]byte{
		resign([]byte("TEST\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00")),
		resign(append([]byte("TEST\x01\x00\x00\x00\x01\x00\x00\x00BIG_\xff\xff\xff\xff\xff\xff\xff\xff"), 0, 0, 0, 0)),
	}
	for _, h := range hostile {
		allocs := testing.AllocsPerRun(20, func() {
			if _, _, err := Parse(h, "TEST"); err == nil {
				t.Fatal("accepted")
			}
		})
		if allocs > 4 {
			t.Errorf("%d allocations to refuse % x", int(allocs), h)
		}
	}
}

// FuzzParse: arbitrary bytes never panic; each input is also tried with its
// checksum recomputed so that the fuzzer gets past it. Whatever parses has
// sections that all lie inside the input, and re-writing them gives the
// same bytes (the framing is canonical).
func FuzzParse(f *testing.F) {
	f.Add(sample())
	w := NewWriter(nil, "TEST", 0, 0)
	f.Add(w.Finish())
	f.Add([]byte("TEST\x01\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, resign(data)} {
			fr, rest, err := Parse(in, "TEST")
			if err != nil {
				formatErr(t, err)
				continue
			}
			w := NewWriter(nil, "TEST", fr.Version, 0)
			for fr.n > 0 {
				tag := string(fr.body[fr.off : fr.off+4])
				r, err := fr.Section(tag)
				if err != nil {
					t.Fatal(err)
				}
				w.Section(tag)
				w.Bytes(r.Bytes("payload", r.Len()))
				if r.Close() != nil {
					t.Fatal(r.Err())
				}
			}
			if err := fr.Close(); err != nil {
				t.Fatal(err)
			}
			if again := w.Finish(); !bytes.Equal(append(again, rest...), in) {
				t.Fatal("re-written frame differs")
			}
		}
	})
}

// TestParseWhole: one frame of the given version is accepted; another
// version or trailing bytes are FormatErrors naming the field.
func TestParseWhole(t *testing.T) {
	frame := sample()
	if f, err := ParseWhole(frame, "TEST", 7); err != nil || f.Version != 7 {
		t.Fatalf("ParseWhole: %v, %v", f.Version, err)
	}
	for _, c := range []struct {
		data    []byte
		version uint16
		field   string
	}{
		{frame, 8, "version"},
		{append(slices.Clone(frame), 0), 7, "end"},
	} {
		_, err := ParseWhole(c.data, "TEST", c.version)
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("version %d, %d bytes: %v, want a FormatError on %q", c.version, len(c.data), err, c.field)
		}
	}
}
