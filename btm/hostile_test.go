package btm

import (
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
