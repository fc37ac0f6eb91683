package sdr

import (
	"errors"
	"math"
	"strings"
	"testing"
)

const tol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// twoPass returns the mean and population variance of xs the textbook way.
func twoPass(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs))
}

func TestStats(t *testing.T) {
	var st Stats
	if st.N() != 0 || !math.IsNaN(st.Mean()) || !math.IsNaN(st.Min()) || !math.IsNaN(st.Var()) ||
		!math.IsNaN(st.SampleVar()) || !math.IsNaN(st.StdErr()) {
		t.Fatal("empty Stats not NaN")
	}
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	for _, x := range xs {
		st.Add(x)
	}
	// The classic example: mean 5, population std 2.
	if st.N() != 8 || st.Mean() != 5 || st.Std() != 2 || st.Min() != 2 || st.Max() != 9 {
		t.Fatalf("Stats = %v", &st)
	}
	if !near(st.SampleVar(), 32.0/7) || !near(st.StdErr(), math.Sqrt(32.0/7/8)) {
		t.Fatalf("SampleVar %v StdErr %v", st.SampleVar(), st.StdErr())
	}
	if got, want := st.String(), "n=8 min/mean/std/max 2 / 5 / 2 / 9"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

// TestStatsStable checks Welford's update on data with a huge offset,
// where the naive sum-of-squares formula loses every digit.
func TestStatsStable(t *testing.T) {
	var st Stats
	xs := []float64{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}
	for _, x := range xs {
		st.Add(x)
	}
	if st.Mean() != 1e9+10 || st.Var() != 22.5 {
		t.Fatalf("mean %v var %v, want 1e9+10 and 22.5", st.Mean(), st.Var())
	}
}

func TestStatsMerge(t *testing.T) {
	rng := newRNG(20)
	var all, a, b, empty Stats
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = rng.NormFloat64()*3 + 10
		all.Add(xs[i])
		if i < 300 {
			a.Add(xs[i])
		} else {
			b.Add(xs[i])
		}
	}
	a.Merge(b)
	a.Merge(empty)
	if a.N() != all.N() || !near(a.Mean(), all.Mean()) || !near(a.Var(), all.Var()) ||
		a.Min() != all.Min() || a.Max() != all.Max() {
		t.Fatalf("merged %v, all %v", &a, &all)
	}
	mean, variance := twoPass(xs)
	if !near(all.Mean(), mean) || math.Abs(all.Var()-variance) > 1e-10 {
		t.Fatalf("Stats %v %v, two-pass %v %v", all.Mean(), all.Var(), mean, variance)
	}
	empty.Merge(b)
	if empty.N() != b.N() || empty.Mean() != b.Mean() {
		t.Fatal("merge into empty")
	}
}

// TestEMAWarmup checks that for the first period samples the moving
// average and variance are exactly the plain ones.
func TestEMAWarmup(t *testing.T) {
	e := ema{period: 10}
	xs := []float64{0.1, 0.5, 0.2, 0.9, 0.4, 0.3}
	for _, x := range xs {
		e.add(x)
	}
	mean, variance := twoPass(xs)
	if !near(e.mean, mean) || !near(e.v, variance) {
		t.Fatalf("ema mean %v var %v, want %v %v", e.mean, e.v, mean, variance)
	}
	// After the warm-up a step change decays with factor (1 − 1/period).
	e = ema{period: 4}
	for range 4 {
		e.add(0)
	}
	e.add(1)
	if !near(e.mean, 0.25) {
		t.Fatalf("mean after step = %v, want 0.25", e.mean)
	}
	e.add(1)
	if !near(e.mean, 0.25+0.75*0.25) {
		t.Fatalf("mean after 2 steps = %v", e.mean)
	}
}

func TestSparsityMetric(t *testing.T) {
	m, err := NewSparsity(100)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(m.Mean()) {
		t.Fatal("empty metric not NaN")
	}
	s := mustNew(t, 100)
	for _, k := range []int{2, 4, 6} {
		_ = s.RandomizeCount(k, newRNG(1))
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if m.N() != 3 || m.Min() != 0.02 || m.Max() != 0.06 || !near(m.Mean(), 0.04) ||
		!near(m.Std(), math.Sqrt(8e-4/3)) {
		t.Fatalf("%v", m)
	}
	if !strings.HasPrefix(m.String(), "Sparsity Min/Mean/Std/Max 0.02 / 0.04 / ") {
		t.Fatalf("String() = %q", m.String())
	}
	if _, err := NewSparsity(0); err == nil {
		t.Fatal("period 0 accepted")
	}
	if err := m.Add(nil); !errors.Is(err, ErrNil) {
		t.Fatal(err)
	}
}

func TestActivationFrequency(t *testing.T) {
	m, err := NewActivationFrequency(4, 100)
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, 4)
	// Cell 0 is always active, cell 1 half of the time, cells 2 and 3 never.
	for i := range 10 {
		if i%2 == 0 {
			_ = s.SetSparse([]uint32{0, 1})
		} else {
			_ = s.SetSparse([]uint32{0})
		}
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	f := m.Frequencies()
	want := []float64{1, 0.5, 0, 0}
	for i := range f {
		if !near(f[i], want[i]) {
			t.Fatalf("frequencies %v, want %v", f, want)
		}
	}
	if m.N() != 10 || !near(m.Mean(), 0.375) || m.Min() != 0 || !near(m.Max(), 1) {
		t.Fatalf("%v", m)
	}
	mean, variance := twoPass(want)
	if !near(m.Std(), math.Sqrt(variance)) || !near(mean, m.Mean()) {
		t.Fatalf("Std %v", m.Std())
	}
	// Entropy: only cell 1 carries entropy (1 bit); the maximum for a mean
	// of 0.375 is H(0.375) per cell.
	if got, want := m.Entropy(), 1/(4*binaryEntropy(0.375)); !near(got, want) {
		t.Fatalf("Entropy = %v, want %v", got, want)
	}
	if err := m.Add(mustNew(t, 5)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatal(err)
	}
	if !strings.Contains(m.String(), "Entropy") {
		t.Fatalf("String() = %q", m.String())
	}
	if _, err := NewActivationFrequency(0, 1); err == nil {
		t.Fatal("size 0 accepted")
	}
}

// TestActivationFrequencyEntropy checks the normalisation: near 1 for
// uniformly random SDRs, low for a fixed SDR.
func TestActivationFrequencyEntropy(t *testing.T) {
	rng := newRNG(21)
	random, _ := NewActivationFrequency(200, 1000)
	fixed, _ := NewActivationFrequency(200, 1000)
	s, f := mustNew(t, 200), mustNew(t, 200)
	_ = f.RandomizeCount(10, rng)
	for range 2000 {
		_ = s.RandomizeCount(10, rng)
		_ = random.Add(s)
		_ = fixed.Add(f)
	}
	if e := random.Entropy(); e < 0.95 || e > 1 {
		t.Errorf("random entropy %v, want ≈ 1", e)
	}
	if e := fixed.Entropy(); e != 0 {
		t.Errorf("fixed entropy %v, want 0", e)
	}
	if !near(random.Mean(), 0.05) {
		t.Errorf("mean frequency %v, want 0.05", random.Mean())
	}
	empty, _ := NewActivationFrequency(10, 1)
	if empty.Entropy() != 0 {
		t.Error("entropy before any sample")
	}
}

func TestOverlapMetric(t *testing.T) {
	m, err := NewOverlap(100)
	if err != nil {
		t.Fatal(err)
	}
	seq := [][]uint32{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 5, 6}, {7}, {}, {}}
	s := mustNew(t, 10)
	for _, idx := range seq {
		_ = s.SetSparse(idx)
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	// Samples: 1, 0.5, 0, 0 (7 vs {}), 0 (both empty).
	if m.N() != 5 || m.Min() != 0 || m.Max() != 1 || !near(m.Mean(), 0.3) {
		t.Fatalf("%v (n=%d)", m, m.N())
	}
	m.Reset()
	_ = m.Add(mustNew(t, 20)) // a new size is fine after Reset
	if m.N() != 5 {
		t.Fatal("Add after Reset gave a sample")
	}
	if err := m.Add(mustNew(t, 10)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.String(), "Overlap Min/Mean/Std/Max 0 / 0.3 / ") {
		t.Fatalf("String() = %q", m.String())
	}
	// Steady state allocates nothing.
	a := mustNew(t, 20)
	if n := testing.AllocsPerRun(50, func() { _ = m.Add(a) }); n != 0 {
		t.Fatalf("Overlap.Add allocates %v times", n)
	}
}

func TestMetrics(t *testing.T) {
	m, err := NewMetrics(2048, 1000)
	if err != nil {
		t.Fatal(err)
	}
	rng := newRNG(22)
	s := mustNew(t, 2048)
	_ = s.RandomizeCount(40, rng)
	for range 100 {
		_ = s.AddNoise(0.1, rng) // consecutive overlap is 36/40
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if !near(m.Sparsity.Mean(), 40.0/2048) || !near(m.Overlap.Mean(), 0.9) || m.Overlap.Std() > 1e-9 {
		t.Fatalf("\n%v", m)
	}
	lines := strings.Split(m.String(), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "Sparsity") ||
		!strings.HasPrefix(lines[1], "Activation Frequency") || !strings.HasPrefix(lines[3], "Overlap") {
		t.Fatalf("String() = %q", m.String())
	}
	if err := m.Add(mustNew(t, 10)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatal(err)
	}
	if m.Sparsity.N() != 100 {
		t.Fatal("a failed Add updated a metric")
	}
	if _, err := NewMetrics(10, 0); err == nil {
		t.Fatal("period 0 accepted")
	}
}
