package htm

import (
	"errors"
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of a zero and of a nil
// TemporalMemory returns an error or a zero result (before, a nil
// *TemporalMemory's Anomaly panicked, and the zero value's Compute).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&TemporalMemory{}, (*TemporalMemory)(nil), Params{}} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
	var tm *TemporalMemory
	if a := tm.Anomaly(); a != 0 {
		t.Errorf("nil Anomaly = %v", a)
	}
	if err := new(TemporalMemory).Compute([]uint32{0}, true); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("zero Compute: %v, want ErrNotInitialized", err)
	}
}
