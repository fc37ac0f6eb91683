package btm

import (
	"errors"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

// TestLoadHostileCounts: every field after the parameters of a small
// trained encoding in turn claims a huge size (golden.HostileFields); a
// refused file may allocate at most what New allocates for the encoded
// parameters plus 64 bytes per input byte and 4 KiB: counts are checked
// against the remaining input before anything is allocated. (With that
// check disabled the probe dies with "runtime: out of memory".)
//
// The parameters start at byte 8: 8 bytes per integer, 4 per float, 8 for
// the seed. A field overlapping them may encode valid, larger populations,
// which New-sized state legitimately follows, so the probe starts after
// them.
func TestLoadHostileCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes some 60,000 corrupted encodings")
	}
	p := smallParams()
	tm := mustNew(t, p)
	run(t, tm, newMixedStream(7, 256), 0, 3)
	enc := encode(t, tm)
	if len(enc) > 40000 {
		t.Fatalf("%d-byte encoding: the probe wants a small one", len(enc))
	}
	base := golden.BytesAllocated(func() { _, _ = New(p) })
	ints, floats := p.fields()
	first := 8 + 8*len(ints) + 4*len(floats) + 8
	seal := func(b []byte) []byte { return appendCRC(b[:len(b)-4]) }
	decode := func(b []byte) error { return new(TM).UnmarshalBinary(b) }
	golden.HostileFields(t, enc, first, seal, decode, ErrCorrupt, base+64*uint64(len(enc))+4096)
}

// TestLoadHugeTinyFile: a 965-byte encoding of a TM of MaxCells cells
// (the parameters allow 2^20; New allocates some 50 MB of per-cell state
// for them) with 3 segments is refused, in every truncation and every HostileFields
// corruption, after allocating at most 64 KiB plus 64 bytes per input
// byte: the decoder allocates the per-cell state only once the whole
// input is valid (before, each refusal cost the 50 MB). The valid
// encoding itself decodes for at most what New allocates plus the same
// allowance. 64 KiB covers the constant part: the TM header, the
// histories' slots (MaxInfBacktrack + MaxLrnBacktrack + 2 slice headers)
// and the reader; 64 bytes per byte is TestLoadHostileCounts' allowance.
func TestLoadHugeTinyFile(t *testing.T) {
	p := NABParams()
	p.NumberOfCols = MaxCells / p.CellsPerColumn
	tm := mustNew(t, p)
	for i := range 2 {
		compute(t, tm, block(i, 3), true)
	}
	if tm.NumSegments() == 0 {
		t.Fatal("no segments: the probe misses the segment fields")
	}
	enc := encode(t, tm)
	decode := func(b []byte) error { return new(TM).UnmarshalBinary(b) }
	limit := uint64(64<<10 + 64*len(enc))
	newBytes := golden.BytesAllocated(func() { _, _ = New(p) })
	if got := golden.BytesAllocated(func() {
		if err := decode(enc); err != nil {
			t.Fatal(err)
		}
	}); got > newBytes+limit {
		t.Fatalf("the valid %d-byte encoding allocates %d bytes, New %d", len(enc), got, newBytes)
	}
	seal := func(b []byte) []byte { return appendCRC(b[:len(b)-4]) }
	body := enc[:len(enc)-4]
	for n := 8; n < len(body); n++ {
		b := appendCRC(slices.Clone(body[:n]))
		if err := decode(b); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
		if golden.BytesAllocatedOnce(func() { _ = decode(b) }) <= limit {
			continue
		}
		if got := golden.BytesAllocated(func() { _ = decode(b) }); got > limit {
			t.Fatalf("truncated to %d of %d bytes: %d bytes allocated before refusing (limit %d)", n, len(body), got, limit)
		}
	}
	if testing.Short() {
		return // the corruptions that stay valid cost 50 MB each, some 10 s
	}
	ints, floats := p.fields()
	first := 8 + 8*len(ints) + 4*len(floats) + 8
	golden.HostileFields(t, enc, first, seal, decode, ErrCorrupt, limit)
}
