package golden

import (
	"encoding/binary"
	"errors"
	"testing"
)

// HostileFields overwrites every 4 bytes of enc from byte first on, in
// turn, with 2^31 − 1 and then 2^24, seals each copy with seal (which
// redoes the checksum), and decodes it: whichever field is a count or a
// size then claims far more than the input holds. Each copy must decode
// or fail with an error matching corrupt, and a refused one may allocate
// at most limit bytes (issue 10 item 10: sizes are checked against the
// input before anything is allocated). The last 4 bytes (a checksum) are
// left alone; enc itself, sealed, must decode, so that the probe reaches
// the parser rather than the checksum.
func HostileFields(t *testing.T, enc []byte, first int, seal func([]byte) []byte, decode func([]byte) error, corrupt error, limit uint64) {
	t.Helper()
	if err := decode(seal(append([]byte(nil), enc...))); err != nil {
		t.Fatalf("the sealed original does not decode (a probe would only test the checksum): %v", err)
	}
	for _, huge := range []uint32{1<<31 - 1, 1 << 24} {
		for off := first; off+4 <= len(enc)-4; off++ {
			h := append([]byte(nil), enc...)
			binary.LittleEndian.PutUint32(h[off:], huge)
			h = seal(h)
			err := decode(h)
			if err == nil {
				continue
			}
			if !errors.Is(err, corrupt) {
				t.Fatalf("offset %d = %d: %v, want %v", off, huge, err, corrupt)
			}
			// One cheap measurement first; a suspect is measured again
			// the careful way (BytesAllocated takes the least of five).
			if BytesAllocatedOnce(func() { _ = decode(h) }) <= limit {
				continue
			}
			if got := BytesAllocated(func() { _ = decode(h) }); got > limit {
				t.Errorf("offset %d = %d: %d bytes allocated before refusing (limit %d): %v", off, huge, got, limit, err)
			}
		}
	}
}
