package art

import (
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns an error or a zero result instead of panicking.
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&Network{}, (*Network)(nil), &Detector{}, (*Detector)(nil), Params{}, NetworkParams{}} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
	if _, err := (&Network{}).Learn([]float64{0.5}); err != ErrNotInitialized {
		t.Errorf("zero Network: %v, want ErrNotInitialized", err)
	}
	if _, err := (*Detector)(nil).Step(1); err != ErrNotInitialized {
		t.Errorf("nil Detector: %v, want ErrNotInitialized", err)
	}
}
