package sdr

import (
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns an error or a zero result instead of panicking (before, the zero Metrics' String panicked).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&SDR{}, (*SDR)(nil), &Metrics{}, (*Metrics)(nil)} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
}
