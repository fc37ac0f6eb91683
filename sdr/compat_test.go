package sdr

import (
	"bytes"
	"flag"
	"fmt"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files and the current-version fixtures under testdata/")

// compatSDR is the SDR of the fixture files: 16 × 32 cells, 2% active.
func compatSDR(t testing.TB) *SDR {
	s := mustNew(t, 16, 32)
	if err := s.Randomize(0.02, newRNG(77)); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCompatFixtures loads every saved fixture (one per format version,
// written by the code of that version and never rewritten by a later one;
// -update rewrites only the fixture of the version written now) and checks
// that it holds the SDR it was saved from.
func TestCompatFixtures(t *testing.T) {
	fixtures := []golden.SavedFixture{{File: "sdr-v1.bin", Version: 1}, {File: "sdr-v2.bin", Version: 2}}
	want := compatSDR(t)
	enc, err := want.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckFixtures(t, *update, fixtures, func(int) []byte { return enc }, func(g *golden.File, i int, data, enc []byte) {
		name := fixtures[i].File
		var got SDR
		if err := got.UnmarshalBinary(data); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		checkInvariants(t, &got)
		if !got.Equal(want) {
			t.Errorf("%s: decoded %v, want %v", name, &got, want)
		}
		if again, _ := got.MarshalBinary(); !bytes.Equal(again, enc) {
			t.Errorf("%s: the loaded SDR encodes differently from the rebuilt one", name)
		}
		g.Check(name+"/content", contentKey(&got))
	})
}

// contentKey writes the dimensions and active cells of s without spaces.
func contentKey(s *SDR) string {
	b := fmt.Appendf(nil, "dims=%d", s.Dims()[0])
	for _, d := range s.Dims()[1:] {
		b = fmt.Appendf(b, "x%d", d)
	}
	b = append(b, ";active="...)
	for i, c := range s.Sparse() {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", c)
	}
	return string(b)
}
