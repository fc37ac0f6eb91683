package anomaly

import (
	"errors"
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of a zero and of a nil
// Likelihood or SpatialRange returns an error or a zero result (before,
// the zero Likelihood's Compute panicked with an index out of range).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&Likelihood{}, (*Likelihood)(nil), &SpatialRange{}, (*SpatialRange)(nil), LikelihoodParams{}, Distribution{}} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
	if _, err := new(Likelihood).Compute(1, 0.5); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("zero Compute: %v, want ErrNotInitialized", err)
	}
}
