package nab

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

// seqDetector scores its i-th row with vals[i % len(vals)] and can be saved:
// its state is the row count.
type seqDetector struct {
	vals []float64
	i    uint64
}

func (d *seqDetector) Score(time.Time, float64) (float64, error) {
	s := d.vals[d.i%uint64(len(d.vals))]
	d.i++
	return s, nil
}

func (d *seqDetector) MarshalBinary() ([]byte, error) {
	return binary.LittleEndian.AppendUint64(nil, d.i), nil
}

func seqLoader(vals []float64) Loader {
	return func(b []byte) (Detector, error) {
		if len(b) != 8 {
			return nil, fmt.Errorf("seq: %d bytes", len(b))
		}
		return &seqDetector{vals: vals, i: binary.LittleEndian.Uint64(b)}, nil
	}
}

var seqA, seqB = []float64{0.1, 0.9, 0.3, 0.95, 0.2, 0.4, 0.1}, []float64{0.5, 0.2, 0.6, 0.1, 0.97}

func seqFactory(vals []float64) DetectorFactory {
	return func(FileInfo) (Detector, error) { return &seqDetector{vals: vals}, nil }
}

// peaksOfMax is Peaks(MaxOf(Calibrate(seqA, 0.5, 0.8), seqB)) and its
// loader.
func peaksOfMax(t testing.TB) (DetectorFactory, Loader) {
	c, err := Calibrate(seqFactory(seqA), 0.5, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	m, err := MaxOf(c, seqFactory(seqB))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Peaks(m)
	if err != nil {
		t.Fatal(err)
	}
	return p, func(b []byte) (Detector, error) {
		return LoadPeaks(b, func(b []byte) (Detector, error) {
			return LoadMaxOf(b, func(b []byte) (Detector, error) { return LoadCalibrate(b, seqLoader(seqA)) }, seqLoader(seqB))
		})
	}
}

// TestCombinationCodec: Peaks over MaxOf over Calibrate, saved after k rows (before,
// during and after its window fills) and decoded, scores the later rows as
// the original and encodes to the same bytes.
func TestCombinationCodec(t *testing.T) {
	f, load := peaksOfMax(t)
	for _, c := range []struct{ prob, k int }{
		{15, 0}, {15, 1}, {15, 2}, {15, 3}, {15, 9}, {15, 20}, // R = 3
		{5, 4}, {20, 5}, {20, 8}, {20, 13}, {20, 31}, // R = 1, 4
	} {
		k := c.k
		a, err := f(FileInfo{Probation: c.prob})
		if err != nil {
			t.Fatal(err)
		}
		for range k {
			a.Score(time.Time{}, 0)
		}
		data, err := a.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		b, err := load(data)
		if err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		if again, _ := b.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary(); !bytes.Equal(again, data) {
			t.Fatalf("k=%d: re-encoding differs", k)
		}
		kept := 0
		for i := range 30 {
			sa, _ := a.Score(time.Time{}, 0)
			sb, err := b.Score(time.Time{}, 0)
			if err != nil || math.Float64bits(sa) != math.Float64bits(sb) {
				t.Fatalf("k=%d row %d: %v, decoded %v (%v)", k, k+i, sa, sb, err)
			}
			if sa > 0 {
				kept++
			}
		}
		if kept == 0 || kept == 30 {
			t.Fatalf("k=%d: %d of 30 rows kept: the test shows nothing", k, kept)
		}
	}
	// A member that cannot be saved makes the combination unsavable.
	m, _ := MaxOf(NullDetector)
	d, _ := m(FileInfo{})
	if _, err := d.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary(); err == nil {
		t.Error("a MaxOf over the null detector was encoded")
	}
}

// TestCombinationOutputs: MaxOf reports the raw score and likelihood of
// the member that gave the largest score, Peaks and Calibrate those of
// their member.
func TestCombinationOutputs(t *testing.T) {
	m, _ := MaxOf(outFactory(0.3, 0.7, 0.2), outFactory(0.6, 0.1, 0.5))
	d, _ := m(FileInfo{})
	raw, like, score, err := d.(outputter).Outputs(time.Time{}, 0)
	if err != nil || raw != 0.6 || like != 0.1 || score != 0.5 {
		t.Errorf("MaxOf outputs (%v, %v, %v, %v), want the second member's (0.6, 0.1, 0.5)", raw, like, score, err)
	}
	p, _ := Peaks(m)
	d, _ = p(FileInfo{Probation: 10})
	if raw, like, score, _ := d.(outputter).Outputs(time.Time{}, 0); raw != 0.6 || like != 0.1 || score != 0.5 {
		t.Errorf("Peaks outputs (%v, %v, %v)", raw, like, score)
	}
	c, _ := Calibrate(outFactory(0.3, 0.7, 0.25), 0.5, 0.25) // k = 2
	d, _ = c(FileInfo{})
	if raw, like, score, _ := d.(outputter).Outputs(time.Time{}, 0); raw != 0.3 || like != 0.7 || score != 0.0625 {
		t.Errorf("Calibrate outputs (%v, %v, %v), want (0.3, 0.7, 0.0625)", raw, like, score)
	}
}

type outDetector struct{ raw, like, score float64 }

func (d outDetector) Score(time.Time, float64) (float64, error) { return d.score, nil }
func (d outDetector) Outputs(time.Time, float64) (float64, float64, float64, error) {
	return d.raw, d.like, d.score, nil
}

func outFactory(raw, like, score float64) DetectorFactory {
	return func(FileInfo) (Detector, error) { return outDetector{raw, like, score}, nil }
}

// FuzzLoadCombination: any input is refused with ErrCorrupt or decodes to
// a detector that encodes to the same bytes and goes on scoring.
func FuzzLoadCombination(f *testing.F) {
	fac, load := peaksOfMax(f)
	for _, k := range []int{0, 2, 7} {
		d, _ := fac(FileInfo{Probation: 15})
		for range k {
			d.Score(time.Time{}, 0)
		}
		data, _ := d.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := load(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := d.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
		for range 5 {
			if s, err := d.Score(time.Time{}, 0); err != nil || s != s {
				t.Fatalf("Score: %v, %v", s, err)
			}
		}
	})
}

// BenchmarkPeaks: one row of Peaks over a saved-state member, for NAB's
// largest window (R = 150) and the service's largest (R = ⌊2^20/5⌋): the
// monotonic queue makes a row cost the same for both, with no allocation.
func BenchmarkPeaks(b *testing.B) {
	for _, prob := range []int{750, 1 << 20} {
		b.Run(fmt.Sprintf("R=%d", prob/5), func(b *testing.B) {
			f, err := Peaks(seqFactory(seqA))
			if err != nil {
				b.Fatal(err)
			}
			d, err := f(FileInfo{Probation: prob})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				d.Score(time.Time{}, 0)
			}
		})
	}
}
