package spatial

import (
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns an error or a zero result instead of panicking (before, 11 methods of a nil *SpatialPooler panicked).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&SpatialPooler{}, (*SpatialPooler)(nil), Params{}} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
}
