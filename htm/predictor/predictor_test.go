package predictor

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

func mustNew(t testing.TB, p Params) *Predictor {
	t.Helper()
	pr, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// symbols returns n random SDRs of 1024 bits with 20 active.
func symbols(t testing.TB, n int, seed uint64) []*sdr.SDR {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]*sdr.SDR, n)
	for i := range out {
		out[i], _ = sdr.New(1024)
		if err := out[i].RandomizeCount(20, r); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestDeterministicSequence learns the cycle 0 → 1 → … → 5 → 0 (each
// element a random SDR, bucket = element, value = 10·element) and must
// then predict it perfectly at horizons 0, 1 and 3.
func TestDeterministicSequence(t *testing.T) {
	const n = 6
	sym := symbols(t, n, 1)
	p := DefaultParams(1024, 0, 1, 3)
	p.Alpha = 0.1
	pr := mustNew(t, p)
	for step := range 300 {
		e := step % n
		if err := pr.Learn(sym[e], e, 10*float64(e)); err != nil {
			t.Fatal(err)
		}
	}
	if pr.Buckets() != n {
		t.Fatalf("%d buckets", pr.Buckets())
	}
	var pdf []float64
	for e := range n {
		for _, k := range []int{0, 1, 3} {
			pred, err := pr.Infer(sym[e], k, pdf)
			if err != nil {
				t.Fatal(err)
			}
			pdf = pred.PDF
			want := (e + k) % n
			if pred.Bucket != want || pred.Value != 10*float64(want) || pred.PDF[want] < 0.95 {
				t.Errorf("element %d, horizon %d: bucket %d (p %.3f), value %v; want %d",
					e, k, pred.Bucket, pred.PDF[pred.Bucket], pred.Value, want)
			}
			sum := 0.0
			for _, y := range pred.PDF {
				if y < 0 {
					t.Fatalf("negative probability %v", y)
				}
				sum += y
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("PDF sums to %v", sum)
			}
		}
	}
}

// TestConvergence: A is followed by B with probability 0.7 and by C with
// probability 0.3. With a small learning rate the PDF converges to the
// true conditional probabilities (the fixed point of the cross-entropy
// gradient), which float32 PDFs did not do in htm.core (#646).
func TestConvergence(t *testing.T) {
	sym := symbols(t, 3, 2)
	p := DefaultParams(1024, 1)
	p.Alpha = 0.0005 // 20 active bits: the logits move by 0.01 per update
	pr := mustNew(t, p)
	r := rand.New(rand.NewPCG(3, 3))
	for range 20000 {
		next := 1
		if r.Float64() < 0.3 {
			next = 2
		}
		_ = pr.Learn(sym[0], 0, 0)
		_ = pr.Learn(sym[next], next, float64(next))
		pr.Reset() // pairs are independent
	}
	pred, _ := pr.Infer(sym[0], 1, nil)
	// A fluctuation band of a few percent is expected from the online
	// updates at this rate.
	t.Logf("PDF %v", pred.PDF)
	if math.Abs(pred.PDF[1]-0.7) > 0.04 || math.Abs(pred.PDF[2]-0.3) > 0.04 || pred.PDF[0] > 0.01 {
		t.Errorf("PDF %v, want ≈ [0, 0.7, 0.3]", pred.PDF)
	}
	if pred.Bucket != 1 || pred.Value != 1 {
		t.Errorf("prediction %+v", pred)
	}
}

func TestReset(t *testing.T) {
	sym := symbols(t, 2, 4)
	pr := mustNew(t, DefaultParams(1024, 1))
	_ = pr.Learn(sym[0], 0, 0)
	pr.Reset()
	// After Reset, sym[1] is not associated with what came before it.
	_ = pr.Learn(sym[1], 1, 1)
	pred, _ := pr.Infer(sym[0], 1, nil)
	if pred.PDF[0] != 0.5 || pred.PDF[1] != 0.5 {
		t.Errorf("PDF %v after Reset, want uniform", pred.PDF)
	}
	_ = pr.Learn(sym[0], 0, 0)
	pred, _ = pr.Infer(sym[1], 1, nil)
	if pred.Bucket != 0 {
		t.Errorf("sym[1] should now predict bucket 0: %+v", pred)
	}
}

func TestUntrained(t *testing.T) {
	pr := mustNew(t, DefaultParams(1024, 1))
	x, _ := sdr.New(1024)
	pred, err := pr.Infer(x, 1, nil)
	if err != nil || len(pred.PDF) != 0 || pred.Bucket != -1 || !math.IsNaN(pred.Value) {
		t.Errorf("untrained: %+v, %v", pred, err)
	}
	if _, ok := pr.BucketValue(0); ok {
		t.Error("value of an unknown bucket")
	}
}

func TestValueAverage(t *testing.T) {
	sym := symbols(t, 1, 5)
	p := DefaultParams(1024, 0)
	p.ValueAlpha = 0.5
	pr := mustNew(t, p)
	_ = pr.Learn(sym[0], 3, 10)
	_ = pr.Learn(sym[0], 3, 20) // 10 + 0.5·(20 − 10) = 15
	if v, ok := pr.BucketValue(3); !ok || v != 15 {
		t.Errorf("value %v %v, want 15", v, ok)
	}
	if pr.Buckets() != 4 {
		t.Errorf("%d buckets", pr.Buckets())
	}
	if _, ok := pr.BucketValue(1); ok {
		t.Error("bucket 1 was never learned")
	}
}

func TestErrors(t *testing.T) {
	for i, p := range []Params{
		{InputSize: 0, Steps: []int{1}, Alpha: 0.1, ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Alpha: 0.1, ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{-1}, Alpha: 0.1, ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{1, 1}, Alpha: 0.1, ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{1}, Alpha: 0, ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{1}, Alpha: math.NaN(), ValueAlpha: 0.3, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{1}, Alpha: 0.1, ValueAlpha: 1.5, MaxBuckets: 10},
		{InputSize: 10, Steps: []int{1}, Alpha: 0.1, ValueAlpha: 0.3, MaxBuckets: 0},
	} {
		if _, err := New(p); !errors.Is(err, ErrParams) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	p := DefaultParams(10, 1)
	p.MaxBuckets = 5
	pr := mustNew(t, p)
	x, _ := sdr.New(10)
	y, _ := sdr.New(11)
	for i, err := range []error{
		pr.Learn(x, -1, 0), pr.Learn(x, 5, 0), pr.Learn(x, 0, math.NaN()), pr.Learn(y, 0, 0), pr.Learn(nil, 0, 0),
	} {
		if !errors.Is(err, ErrInput) {
			t.Errorf("Learn case %d: %v", i, err)
		}
	}
	if _, err := pr.Infer(x, 2, nil); !errors.Is(err, ErrInput) {
		t.Errorf("unknown horizon: %v", err)
	}
	if _, err := pr.Infer(y, 1, nil); !errors.Is(err, ErrInput) {
		t.Errorf("wrong size: %v", err)
	}
	if pr.Buckets() != 0 {
		t.Error("a failed Learn added a bucket")
	}
}

func TestAllocs(t *testing.T) {
	sym := symbols(t, 4, 6)
	pr := mustNew(t, DefaultParams(1024, 1, 5))
	for i := range 40 {
		_ = pr.Learn(sym[i%4], i%4, float64(i%4))
	}
	pred, _ := pr.Infer(sym[0], 5, nil)
	i := 0
	if a := testing.AllocsPerRun(100, func() {
		pred, _ = pr.Infer(sym[i%4], 1, pred.PDF)
		_ = pr.Learn(sym[i%4], i%4, 1)
		i++
	}); a != 0 {
		t.Errorf("%v allocations per Infer+Learn", a)
	}
}
