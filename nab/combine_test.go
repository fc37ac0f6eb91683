package nab

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

// TestPeaks follows the rule by hand: with probationary period 10 the
// window is R = ⌊10/5⌋ = 2 rows, and a row keeps its score only if it is
// above both of the previous two scores.
func TestPeaks(t *testing.T) {
	if _, err := Peaks(nil); err == nil {
		t.Error("Peaks(nil) accepted")
	}
	f, err := Peaks(constant(0.1, 0.5, 0.4, 0.6, 0.6, 0.2, 0.1, 0.15, 0.3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f(FileInfo{Probation: -1}); err == nil {
		t.Error("a negative probationary period was accepted")
	}
	d, err := f(FileInfo{Probation: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Row by row: no history, above 0.1, under 0.5, above 0.5 and 0.4,
	// ties 0.6, under 0.6 twice, under 0.2, above 0.1 and 0.15.
	for i, want := range []float64{0.1, 0.5, 0, 0.6, 0, 0, 0, 0, 0.3} {
		if got, err := d.Score(time.Time{}, 0); err != nil || got != want {
			t.Errorf("row %d: %v, %v; want %v", i, got, err, want)
		}
	}
	// R = 0 (a period under 5 rows) passes every score through.
	d, err = f(FileInfo{Probation: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.1, 0.5, 0.4, 0.6, 0.6} {
		if got, err := d.Score(time.Time{}, 0); err != nil || got != want {
			t.Errorf("R=0 row %d: %v, %v; want %v", i, got, err, want)
		}
	}
	// NaN is passed through and stays out of the window.
	f, _ = Peaks(constant(0.2, math.NaN(), 0.1, 0.3))
	d, _ = f(FileInfo{Probation: 5}) // R = 1
	for i, want := range []float64{0.2, math.NaN(), 0, 0.3} {
		got, err := d.Score(time.Time{}, 0)
		if err != nil || !(got == want || got != got && want != want) {
			t.Errorf("NaN row %d: %v, %v; want %v", i, got, err, want)
		}
	}
}

// TestPeaksReference compares Peaks with the rule computed directly from
// its definition, on random scores (fixed seed) and windows of 0–7 rows.
func TestPeaksReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		n := 1 + r.IntN(60)
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(r.IntN(6)) / 5 // ties are common
		}
		probation := r.IntN(40)
		f, err := Peaks(constant(vals...))
		if err != nil {
			t.Fatal(err)
		}
		d, err := f(FileInfo{Probation: probation})
		if err != nil {
			t.Fatal(err)
		}
		R := probation / 5
		for i, s := range vals {
			want := s
			for j := max(0, i-R); j < i; j++ {
				if vals[j] >= s {
					want = 0
				}
			}
			if got, _ := d.Score(time.Time{}, 0); got != want {
				t.Fatalf("trial %d (R=%d) row %d: %v, want %v (scores %v)", trial, R, i, got, want, vals)
			}
		}
	}
}

// ExamplePeaks keeps only the rows where a detector's score rises above
// every score of the previous ⌊P/5⌋ rows (here P = 10, so two rows).
func ExamplePeaks() {
	scores := []float64{0.2, 0.9, 0.95, 0.9, 0.3, 0.1, 0.8}
	i := 0
	member := func(FileInfo) (Detector, error) {
		return DetectorFunc(func(time.Time, float64) (float64, error) {
			s := scores[i]
			i++
			return s, nil
		}), nil
	}
	f, err := Peaks(member)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := f(FileInfo{Rows: len(scores), Probation: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range scores {
		s, _ := d.Score(time.Time{}, 0)
		fmt.Print(s, " ")
	}
	fmt.Println()
	// Output: 0.2 0.9 0.95 0 0 0 0.8
}
