package btm

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

// TestLoadHostileCounts: every 4 bytes after the parameters of a trained
// encoding in turn
// is overwritten with a huge value (2^31 − 1, then 2^24) and the checksum
// redone, so that whichever field is a count claims far more elements
// than the remaining input holds. Each such file must either decode or be
// refused with ErrCorrupt, and a refused one may allocate at most what
// New allocates for the encoded parameters plus a small multiple of the
// file's length (issue 10 item 10): counts are checked against the
// remaining input before anything is allocated.
func TestLoadHostileCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes some 60,000 corrupted encodings")
	}
	p := smallParams()
	tm := mustNew(t, p)
	run(t, tm, newMixedStream(7, 256), 0, 3)
	enc := encode(t, tm)
	base := golden.BytesAllocated(func() { _, _ = New(p) })
	limit := base + 64*uint64(len(enc)) + 4096
	if len(enc) > 40000 {
		t.Fatalf("%d-byte encoding: the probe wants a small one", len(enc))
	}
	body := enc[:len(enc)-4]
	// The parameters start at byte 8: 8 bytes per integer, 4 per float, 8
	// for the seed. A field that overlaps them may encode valid, larger
	// populations, which New-sized state legitimately follows; the probe
	// starts after them, at the counters and counts.
	ints, floats := p.fields()
	first := 8 + 8*len(ints) + 4*len(floats) + 8
	for _, huge := range []uint32{1<<31 - 1, 1 << 24} {
		for off := first; off+4 <= len(body); off++ {
			h := append([]byte(nil), body...)
			binary.LittleEndian.PutUint32(h[off:], huge)
			h = appendCRC(h)
			err := new(TM).UnmarshalBinary(h)
			if err == nil {
				continue
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("offset %d = %d: %v, want ErrCorrupt", off, huge, err)
			}
			// One cheap measurement first; a suspect is measured again
			// the careful way (BytesAllocated takes the least of five).
			if golden.BytesAllocatedOnce(func() { _ = new(TM).UnmarshalBinary(h) }) <= limit {
				continue
			}
			if got := golden.BytesAllocated(func() { _ = new(TM).UnmarshalBinary(h) }); got > limit {
				t.Errorf("offset %d = %d: %d bytes allocated before refusing (limit %d): %v", off, huge, got, limit, err)
			}
		}
	}
}
