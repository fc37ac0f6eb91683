package nab

import (
	"errors"
	"math"
	"testing"
	"time"
)

func constant(vals ...float64) DetectorFactory {
	return func(FileInfo) (Detector, error) {
		i := 0
		return DetectorFunc(func(time.Time, float64) (float64, error) {
			v := vals[i%len(vals)]
			i++
			return v, nil
		}), nil
	}
}

func TestMaxOf(t *testing.T) {
	if _, err := MaxOf(); err == nil {
		t.Error("MaxOf() accepted no members")
	}
	if _, err := MaxOf(NullDetector, nil); err == nil {
		t.Error("MaxOf accepted a nil member")
	}
	f, err := MaxOf(constant(0.1, 0.9, 0.5), constant(0.3, 0.2, 0.5), NullDetector)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f(FileInfo{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.3, 0.9, 0.5, 0.3} {
		if got, err := d.Score(time.Time{}, 0); err != nil || got != want {
			t.Errorf("row %d: %v, %v; want %v", i, got, err, want)
		}
	}
	// A member's NaN is passed on (DetectSeries rejects it naming the row),
	// not hidden by the other member's score.
	f, _ = MaxOf(constant(0.5), constant(math.NaN()))
	d, _ = f(FileInfo{})
	if got, _ := d.Score(time.Time{}, 0); !math.IsNaN(got) {
		t.Errorf("NaN member: %v", got)
	}
	boom := errors.New("boom")
	f, _ = MaxOf(constant(0.5), func(FileInfo) (Detector, error) { return nil, boom })
	if _, err := f(FileInfo{}); !errors.Is(err, boom) {
		t.Errorf("member factory error: %v", err)
	}
	f, _ = MaxOf(constant(0.5), func(FileInfo) (Detector, error) {
		return DetectorFunc(func(time.Time, float64) (float64, error) { return 0, boom }), nil
	})
	d, _ = f(FileInfo{})
	if _, err := d.Score(time.Time{}, 0); !errors.Is(err, boom) {
		t.Errorf("member score error: %v", err)
	}
}
