package htm

import (
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

// TestLoadHostileFields: every field of a trained encoding in turn claims
// a huge size (golden.HostileFields); a refused file may allocate at most
// 64 bytes per input byte plus 4 KiB (the bound of
// TestLoadHostileAllocation): sizes are checked against the input before
// anything is allocated, the per-cell state only after the connections,
// which hold a byte per cell.
func TestLoadHostileFields(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a few thousand corrupted encodings")
	}
	enc := trainedEncoding(t)
	decode := func(b []byte) error { return new(TemporalMemory).UnmarshalBinary(b) }
	golden.HostileFields(t, enc, 8, resign, decode, ErrCorrupt, 64*uint64(len(enc))+4096)
}
