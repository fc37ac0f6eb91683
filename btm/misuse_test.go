package btm

import (
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns an error or a zero result instead of panicking (checked since the other models were).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&TM{}, (*TM)(nil), Params{}} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
}
