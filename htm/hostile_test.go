package htm

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

// TestLoadHostileFields: every 4 bytes of a trained encoding in turn are
// overwritten with a huge value (2^31 − 1, then 2^24) and the frame
// re-signed, so that whichever field is a count or a size claims far
// more than the remaining input holds. Each such file must decode or be
// refused with ErrCorrupt, and a refused one may allocate at most 64
// bytes per input byte plus 4 KiB (the bound of TestLoadHostileAllocation;
// issue 10 item 10): sizes are checked against the input before anything
// is allocated, the per-cell state only after the connections, which
// hold a byte per cell.
func TestLoadHostileFields(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a few thousand corrupted encodings")
	}
	enc := trainedEncoding(t)
	limit := 64*uint64(len(enc)) + 4096
	for _, huge := range []uint32{1<<31 - 1, 1 << 24} {
		for off := 8; off+4 <= len(enc)-4; off++ {
			h := append([]byte(nil), enc...)
			binary.LittleEndian.PutUint32(h[off:], huge)
			h = resign(h)
			err := new(TemporalMemory).UnmarshalBinary(h)
			if err == nil {
				continue
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("offset %d = %d: %v, want ErrCorrupt", off, huge, err)
			}
			// One cheap measurement first; a suspect is measured again
			// the careful way (BytesAllocated takes the least of five).
			if golden.BytesAllocatedOnce(func() { _ = new(TemporalMemory).UnmarshalBinary(h) }) <= limit {
				continue
			}
			if got := golden.BytesAllocated(func() { _ = new(TemporalMemory).UnmarshalBinary(h) }); got > limit {
				t.Errorf("offset %d = %d: %d bytes allocated before refusing (limit %d): %v", off, huge, got, limit, err)
			}
		}
	}
}
