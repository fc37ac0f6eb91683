package encoder

import (
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns an error or a zero result instead of panicking (before, the zero RDSE divided by zero and 21 methods of nil encoders panicked).
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{&Category{}, (*Category)(nil), &Date{}, (*Date)(nil), &RDSE{}, (*RDSE)(nil), &Scalar{}, (*Scalar)(nil)} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
}
