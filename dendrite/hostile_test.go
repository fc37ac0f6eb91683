package dendrite

import (
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/golden"
)

// TestDecodeHostileFields: every field of a small store with segments
// and a free list (fuzzSeed) in turn claims a huge size
// (golden.HostileFields); a refused file may allocate at most 64 bytes
// per input byte plus 4 KiB, the bound of TestDecodeHostileAllocation:
// sizes are checked against the input before anything is allocated.
func TestDecodeHostileFields(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a few thousand corrupted stores")
	}
	enc := fuzzSeed(3)
	seal := func(b []byte) []byte { return binfmt.Resign(b, codecVersion) }
	decode := func(b []byte) error { return new(Connections).UnmarshalBinary(b) }
	golden.HostileFields(t, enc, 8, seal, decode, ErrCorrupt, 64*uint64(len(enc))+4096)
}
