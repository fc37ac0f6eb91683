package anomaly

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// codecParams are small enough that a few hundred records cover the
// learning period, several fits, and a history ring that has wrapped.
var codecParams = LikelihoodParams{LearningPeriod: 20, EstimationSamples: 10, HistoricWindowSize: 64,
	ReestimationPeriod: 7, AveragingWindow: 5}

// TestLikelihoodSaveLoadContinue saves a Likelihood at every record count
// from 0 to 300 (before, during and after the ring wraps), loads it, and
// checks that the copy and the original give bit-identical likelihoods on
// the next 100 records and that the encoding is canonical.
func TestLikelihoodSaveLoadContinue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	series := make([][2]float64, 400)
	for i := range series {
		series[i] = [2]float64{math.Sin(float64(i) / 5), rng.Float64() * rng.Float64()}
	}
	for cut := 0; cut <= 300; cut += 13 {
		a := mustLikelihood(t, codecParams)
		for _, r := range series[:cut] {
			compute(t, a, r[0], r[1])
		}
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		c, rest, err := DecodeLikelihood(append(b, 9))
		if err != nil || !bytes.Equal(rest, []byte{9}) {
			t.Fatalf("cut %d: decode: %v, rest %v", cut, err, rest)
		}
		if b2, _ := c.MarshalBinary(); !bytes.Equal(b, b2) {
			t.Fatalf("cut %d: re-encoding differs", cut)
		}
		for i, r := range series[cut : cut+100] {
			x, y := compute(t, a, r[0], r[1]), compute(t, c, r[0], r[1])
			if math.Float64bits(x) != math.Float64bits(y) {
				t.Fatalf("cut %d, record %d after: %v vs %v", cut, i, x, y)
			}
		}
	}
}

func TestSpatialRangeSaveLoad(t *testing.T) {
	s, _ := NewSpatialRange(0.05)
	for _, v := range []float64{3, 1, 2} {
		s.Check(v)
	}
	b, _ := s.AppendBinary(nil)
	c, rest, err := DecodeSpatialRange(b)
	if err != nil || len(rest) != 0 || *c != *s {
		t.Fatalf("decode: %+v, %v; want %+v", c, err, s)
	}
	bad := append([]byte(nil), b...)
	bad[len(bad)-5] = 0 // the seen byte (before the checksum): unseen, with bounds [1, 3]
	if _, _, err := DecodeSpatialRange(binfmt.Resign(bad, 1)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("unseen range with bounds: %v", err)
	}
}

// TestLikelihoodDecodeRefuses checks that a window whose count disagrees
// with its parameters, a truncated frame and a history longer than the
// records seen are refused.
func TestLikelihoodDecodeRefuses(t *testing.T) {
	a := mustLikelihood(t, codecParams)
	for i := range 40 {
		compute(t, a, float64(i%3), 0.25)
	}
	b, _ := a.MarshalBinary()
	if _, _, err := DecodeLikelihood(b[:len(b)-1]); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated: %v", err)
	}
	// The AveragingWindow parameter is the fifth uint32 of PARM.
	bad := append([]byte(nil), b...)
	bad[binfmt.HeaderSize+12+16] = 6
	if _, _, err := DecodeLikelihood(binfmt.Resign(bad, 1)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("window count 5 with AveragingWindow 6: %v", err)
	}
	// Records (first field of STAT) below the history's length.
	bad = append([]byte(nil), b...)
	stat := bytes.Index(bad, []byte("STAT")) + 12
	bad[stat] = 3
	if _, _, err := DecodeLikelihood(binfmt.Resign(bad, 1)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("3 records with a history of 40: %v", err)
	}
}

// FuzzDecodeLikelihood checks that the decoder never panics, that what it
// accepts re-encodes to the same bytes, and that it computes.
func FuzzDecodeLikelihood(f *testing.F) {
	a, _ := NewLikelihood(codecParams)
	for i := range 50 {
		b, _ := a.MarshalBinary()
		if i%10 == 0 {
			f.Add(b)
		}
		_, _ = a.Compute(float64(i%4), float64(i%3)/2)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, rest, err := DecodeLikelihood(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		b, _ := l.MarshalBinary()
		if !bytes.Equal(b, data[:len(data)-len(rest)]) {
			t.Fatal("accepted encoding is not canonical")
		}
		if _, err := l.Compute(1, 0.5); err != nil {
			t.Fatal(err)
		}
	})
}
