package htmdetect

import (
	"bytes"
	"encoding"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// zoned is synthetic(n, shift) with its times in a zone 5 h 30 min east of
// UTC, so that a restored time must keep its wall clock (the date encoder
// reads it) and not only its instant.
func zoned(n, shift int) *nab.Series {
	s := synthetic(n, shift)
	z := time.FixedZone("IST", 5*3600+1800)
	for i, t := range s.Timestamps {
		s.Timestamps[i] = t.In(z)
	}
	return s
}

// saveLoad encodes d, decodes it with load and checks that the decoded
// detector encodes to the same bytes.
func saveLoad(t *testing.T, d nab.Detector, load nab.Loader) nab.Detector {
	t.Helper()
	data, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	e, err := load(data)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := e.(encoding.BinaryMarshaler).MarshalBinary(); err != nil || !bytes.Equal(again, data) {
		t.Fatalf("the decoded detector encodes to other bytes (%v)", err)
	}
	return e
}

type outputsOf interface {
	Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error)
}

// sameFrom steps a and b on s's rows from i on and fails at the first row
// whose outputs differ in a bit; it returns the number of non-zero scores.
func sameFrom(t *testing.T, a, b nab.Detector, s *nab.Series, from int) int {
	t.Helper()
	nonzero := 0
	for i := from; i < s.Len(); i++ {
		ra, la, sa, err := a.(outputsOf).Outputs(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatal(err)
		}
		rb, lb, sb, err := b.(outputsOf).Outputs(s.Timestamps[i], s.Values[i])
		b := math.Float64bits
		if err != nil || b(ra) != b(rb) || b(la) != b(lb) || b(sa) != b(sb) {
			t.Fatalf("row %d: original (%v, %v, %v), decoded (%v, %v, %v, %v)", i, ra, la, sa, rb, lb, sb, err)
		}
		if sa > 0 {
			nonzero++
		}
	}
	return nonzero
}

// TestProbationCodec: numenta-probation-gmean saved while it keeps its
// probationary period, at its end and after it, then decoded, gives every
// later output bit for bit.
func TestProbationCodec(t *testing.T) {
	s := zoned(900, 700)
	info := seriesInfo(s)
	info.Probation = 300
	for _, cut := range []int{0, 1, 299, 300, 301, 650} {
		a, err := probationGeometricFactory(NumentaSeed + 2)(info)
		if err != nil {
			t.Fatal(err)
		}
		for i := range cut {
			if _, err := a.Score(s.Timestamps[i], s.Values[i]); err != nil {
				t.Fatal(err)
			}
		}
		b := saveLoad(t, a, loadProbation)
		if sameFrom(t, a, b, s, cut) == 0 {
			t.Fatalf("cut %d: every later score is 0: the test shows nothing", cut)
		}
	}
	// The -seeds variant (a pair of memories) has no encoding.
	r, err := newProbationRangedWith(info, NumentaSeed, widthGeometric, newNumentaTwoSeeds)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.MarshalBinary(); err == nil {
		t.Error("the two-memory variant was encoded")
	}
}

// TestRegisteredCombinationsSave: numenta-gmean-cad,
// numenta-gmean2-cad-peaks and numenta-gmean-cad-peaks-cal, saved mid-run
// and restored through the registry's Load, score the later rows exactly
// as the original.
func TestRegisteredCombinationsSave(t *testing.T) {
	s := zoned(1000, 800)
	info := seriesInfo(s)
	info.Probation = 300
	for _, name := range []string{NameNumentaGMeanCAD, NameNumentaPeaks, NameNumentaCalPeaks} {
		fac, err := nab.Lookup(name, NumentaSeed)
		if err != nil {
			t.Fatal(err)
		}
		load, err := nab.LookupLoad(name)
		if err != nil || load == nil {
			t.Fatalf("%s: no Load (%v)", name, err)
		}
		for _, cut := range []int{150, 500} {
			a, err := fac(info)
			if err != nil {
				t.Fatal(err)
			}
			for i := range cut {
				if _, err := a.Score(s.Timestamps[i], s.Values[i]); err != nil {
					t.Fatal(err)
				}
			}
			b := saveLoad(t, a, load)
			if sameFrom(t, a, b, s, cut) == 0 {
				t.Fatalf("%s cut %d: every later score is 0", name, cut)
			}
		}
	}
}

// FuzzUnmarshalProbation: any input is refused with ErrCorrupt or decodes
// to a detector that encodes to the same bytes and goes on stepping.
func FuzzUnmarshalProbation(f *testing.F) {
	s := synthetic(40, -1)
	info := seriesInfo(s)
	info.Probation = 30
	for _, cut := range []int{0, 5, 35} {
		d, _ := probationGeometricFactory(NumentaSeed)(info)
		for i := range cut {
			d.Score(s.Timestamps[i], s.Values[i])
		}
		data, _ := d.(encoding.BinaryMarshaler).MarshalBinary()
		if cut < 30 { // the small states; a built numenta is large
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := unmarshalProbation(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := r.MarshalBinary()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
		for i := range 3 {
			if _, err := r.Step(s.Timestamps[i], s.Values[i]); err != nil && !errors.Is(err, ErrInput) {
				t.Logf("step %d: %v", i, err) // a decoded range may be one the pipeline refuses
			}
		}
	})
}

// TestMaxReplayProbation: the probation-ranged detectors refuse a period
// longer than MaxReplayProbation (their last probationary row replays the
// whole period), and the registry says so for each registered one.
func TestMaxReplayProbation(t *testing.T) {
	for _, name := range []string{NameNumentaGMeanCAD, NameNumentaPeaks, NameNumentaCalPeaks} {
		if n, err := nab.LookupMaxProbation(name); err != nil || n != MaxReplayProbation {
			t.Errorf("%s: MaxProbation %d, %v; want %d", name, n, err, MaxReplayProbation)
		}
		fac, err := nab.Lookup(name, NumentaSeed)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fac(nab.FileInfo{Min: 0, Max: 1, Probation: MaxReplayProbation + 1}); !errors.Is(err, ErrInput) {
			t.Errorf("%s: probation %d: %v, want ErrInput", name, MaxReplayProbation+1, err)
		}
	}
	if _, err := newNumentaProbationGeometric(nab.FileInfo{Min: 0, Max: 1, Probation: MaxReplayProbation}, NumentaSeed); err != nil {
		t.Errorf("probation %d refused: %v", MaxReplayProbation, err)
	}
}
