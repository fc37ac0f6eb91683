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

// TestCalibrate: the power k = ln(to)/ln(from) maps from onto to and keeps
// 0, 1 and the order of scores; bad parameters and scores outside [0, 1]
// are errors, NaN is passed on.
func TestCalibrate(t *testing.T) {
	if _, err := Calibrate(nil, 0.5, 0.7); err == nil {
		t.Error("Calibrate(nil) accepted")
	}
	for _, p := range [][2]float64{{0, 0.5}, {1, 0.5}, {0.5, 0}, {0.5, 1}, {-0.1, 0.5}, {math.NaN(), 0.5}, {0.5, math.Inf(1)}} {
		if _, err := Calibrate(NullDetector, p[0], p[1]); err == nil {
			t.Errorf("Calibrate(%v, %v) accepted", p[0], p[1])
		}
	}
	// NAB's published standard thresholds of numenta and contextOSE
	// (config/thresholds.json), the pair NameNumentaCalPeaks uses.
	const from, to = 0.5421876907348634, 0.7655273437500002
	scores := []float64{0, 0.2, from, 0.6, 1}
	f, err := Calibrate(constant(scores...), from, to)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := f(FileInfo{})
	prev := -1.0
	for i, s := range scores {
		got, err := d.Score(time.Time{}, 0)
		want := math.Pow(s, math.Log(to)/math.Log(from))
		if err != nil || got != want || got <= prev {
			t.Errorf("row %d: %v, %v; want %v, above %v", i, got, err, want, prev)
		}
		prev = got
	}
	for i, want := range map[int]float64{0: 0, 2: to, 4: 1} {
		if got := math.Pow(scores[i], math.Log(to)/math.Log(from)); math.Abs(got-want) > 1e-15 {
			t.Errorf("score %v maps to %v, want %v", scores[i], got, want)
		}
	}
	for _, bad := range []float64{-0.01, 1.01} {
		f, _ := Calibrate(constant(bad), from, to)
		d, _ := f(FileInfo{})
		if _, err := d.Score(time.Time{}, 0); err == nil {
			t.Errorf("score %v accepted", bad)
		}
	}
	f, _ = Calibrate(constant(math.NaN()), from, to)
	d, _ = f(FileInfo{})
	if got, err := d.Score(time.Time{}, 0); err != nil || !math.IsNaN(got) {
		t.Errorf("NaN: %v, %v", got, err)
	}
}

// ExampleCalibrate puts a detector whose operating threshold is 0.5 on
// the scale of one whose threshold is 0.8 (k = ln 0.8 / ln 0.5 ≈ 0.32).
func ExampleCalibrate() {
	scores := []float64{0, 0.25, 0.5, 1}
	i := 0
	member := func(FileInfo) (Detector, error) {
		return DetectorFunc(func(time.Time, float64) (float64, error) {
			s := scores[i]
			i++
			return s, nil
		}), nil
	}
	f, err := Calibrate(member, 0.5, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := f(FileInfo{})
	for range scores {
		s, _ := d.Score(time.Time{}, 0)
		fmt.Printf("%.4f ", s)
	}
	fmt.Println()
	// Output: 0.0000 0.6400 0.8000 1.0000
}
