package sdr

import (
	"fmt"
	"math"
	"strings"
)

// Stats accumulates the count, minimum, mean, variance and maximum of a
// stream of numbers in one pass, with Welford's algorithm:
//
//	δ = x − mean,  mean += δ/n,  M2 += δ·(x − mean),  Var = M2/n
//
// The zero value is an empty Stats, ready to use. Stats of an empty stream
// are NaN. A NaN sample makes the mean and variance NaN.
type Stats struct {
	n        int
	mean, m2 float64
	min, max float64
}

// Add adds the sample x.
func (st *Stats) Add(x float64) {
	st.n++
	if st.n == 1 {
		st.mean, st.m2, st.min, st.max = x, 0, x, x
		return
	}
	d := x - st.mean
	st.mean += d / float64(st.n)
	st.m2 += d * (x - st.mean)
	st.min = math.Min(st.min, x)
	st.max = math.Max(st.max, x)
}

// Merge adds all the samples summarised by o, as if they had been added to
// st one by one (up to rounding), using Chan et al.'s pairwise update. It
// lets parallel workers keep their own Stats and combine them at the end.
func (st *Stats) Merge(o Stats) {
	switch {
	case o.n == 0:
		return
	case st.n == 0:
		*st = o
		return
	}
	n := st.n + o.n
	d := o.mean - st.mean
	st.mean += d * float64(o.n) / float64(n)
	st.m2 += o.m2 + d*d*float64(st.n)*float64(o.n)/float64(n)
	st.min = math.Min(st.min, o.min)
	st.max = math.Max(st.max, o.max)
	st.n = n
}

// N returns the number of samples.
func (st *Stats) N() int { return st.n }

// Min returns the smallest sample, or NaN if there is none.
func (st *Stats) Min() float64 { return st.orNaN(st.min) }

// Max returns the largest sample, or NaN if there is none.
func (st *Stats) Max() float64 { return st.orNaN(st.max) }

// Mean returns the arithmetic mean of the samples, or NaN if there is none.
func (st *Stats) Mean() float64 { return st.orNaN(st.mean) }

// Var returns the population variance of the samples, M2/n, or NaN if there
// is none.
func (st *Stats) Var() float64 { return st.orNaN(st.m2 / float64(st.n)) }

// SampleVar returns the unbiased sample variance, M2/(n−1), or NaN if there
// are fewer than two samples.
func (st *Stats) SampleVar() float64 {
	if st.n < 2 {
		return math.NaN()
	}
	return st.m2 / float64(st.n-1)
}

// Std returns the population standard deviation, √Var.
func (st *Stats) Std() float64 { return math.Sqrt(st.Var()) }

// StdErr returns the standard error of the mean, √(SampleVar/n), or NaN if
// there are fewer than two samples.
func (st *Stats) StdErr() float64 { return math.Sqrt(st.SampleVar() / float64(st.n)) }

func (st *Stats) orNaN(x float64) float64 {
	if st.n == 0 {
		return math.NaN()
	}
	return x
}

// String returns a one-line summary such as
// "n=3 min/mean/std/max 1 / 2 / 0.816497 / 3".
func (st *Stats) String() string {
	return fmt.Sprintf("n=%d min/mean/std/max %s", st.n, mmsm(st.Min(), st.Mean(), st.Std(), st.Max()))
}

func mmsm(min, mean, std, max float64) string {
	return fmt.Sprintf("%.6g / %.6g / %.6g / %.6g", min, mean, std, max)
}

// ema is an exponential moving average and variance with a warm-up: the
// n-th sample has weight α = 1/min(n, period), so for the first period
// samples the mean and variance are exactly the plain (population) ones,
// and afterwards each new sample has weight 1/period. Minimum and maximum
// are over all samples.
type ema struct {
	period   int
	n        int
	mean, v  float64
	min, max float64
}

func (e *ema) add(x float64) {
	e.n++
	if e.n == 1 {
		e.mean, e.v, e.min, e.max = x, 0, x, x
		return
	}
	alpha := 1 / float64(min(e.n, e.period))
	d := x - e.mean
	inc := alpha * d
	e.mean += inc
	e.v = (1 - alpha) * (e.v + d*inc)
	e.min = math.Min(e.min, x)
	e.max = math.Max(e.max, x)
}

func (e *ema) orNaN(x float64) float64 {
	if e.n == 0 {
		return math.NaN()
	}
	return x
}

func (e *ema) summary() string {
	return mmsm(e.orNaN(e.min), e.orNaN(e.mean), e.orNaN(math.Sqrt(e.v)), e.orNaN(e.max))
}

func checkPeriod(period int) error {
	if period < 1 {
		return fmt.Errorf("%w: period %d < 1", ErrFraction, period)
	}
	return nil
}

// Sparsity tracks the sparsity (Sum/Size) of a stream of SDRs: its
// exponential moving average and standard deviation over a period, and its
// minimum and maximum over all samples. Min, Mean, Std and Max are NaN
// before the first Add.
type Sparsity struct {
	e ema
}

// NewSparsity returns a Sparsity metric whose moving average has the given
// period: the n-th sample has weight 1/min(n, period), so the average is
// exact for the first period samples and decays with time constant period
// afterwards. period must be at least 1.
func NewSparsity(period int) (*Sparsity, error) {
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	return &Sparsity{e: ema{period: period}}, nil
}

// Add records the sparsity of s.
func (m *Sparsity) Add(s *SDR) error {
	if m == nil || s == nil {
		return ErrNil
	}
	m.e.add(s.Sparsity())
	return nil
}

// N returns the number of SDRs added.
func (m *Sparsity) N() int { return m.e.n }

// Min returns the smallest sparsity seen.
func (m *Sparsity) Min() float64 { return m.e.orNaN(m.e.min) }

// Mean returns the moving average of the sparsity.
func (m *Sparsity) Mean() float64 { return m.e.orNaN(m.e.mean) }

// Std returns the moving standard deviation of the sparsity.
func (m *Sparsity) Std() float64 { return m.e.orNaN(math.Sqrt(m.e.v)) }

// Max returns the largest sparsity seen.
func (m *Sparsity) Max() float64 { return m.e.orNaN(m.e.max) }

// String returns a one-line summary, "Sparsity Min/Mean/Std/Max a / b / c / d".
func (m *Sparsity) String() string {
	return "Sparsity Min/Mean/Std/Max " + m.e.summary()
}

// ActivationFrequency tracks how often each cell of a stream of SDRs of one
// size is active: the frequency of cell i is the moving average (over a
// period, as in Sparsity) of 1 when i is active and 0 when it is not. Min,
// Mean, Std and Max summarise the frequencies across cells; Entropy says how
// evenly the activity is spread.
type ActivationFrequency struct {
	period, n int
	freq      []float64
}

// NewActivationFrequency returns an ActivationFrequency metric for SDRs of
// the given size, with the given moving-average period (at least 1).
func NewActivationFrequency(size, period int) (*ActivationFrequency, error) {
	if size < 1 || uint64(size) > MaxSize {
		return nil, fmt.Errorf("%w: size %d", ErrDims, size)
	}
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	return &ActivationFrequency{period: period, freq: make([]float64, size)}, nil
}

// Add records the activity of s, whose size must be that of the metric. It
// takes O(Size) time.
func (m *ActivationFrequency) Add(s *SDR) error {
	if m == nil || s == nil {
		return ErrNil
	}
	if s.size != len(m.freq) {
		return sizeMismatch(len(m.freq), s.size)
	}
	m.n++
	alpha := 1 / float64(min(m.n, m.period))
	decay := 1 - alpha
	for i := range m.freq {
		m.freq[i] *= decay
	}
	for _, i := range s.sparse {
		m.freq[i] += alpha
	}
	return nil
}

// N returns the number of SDRs added.
func (m *ActivationFrequency) N() int { return m.n }

// Frequencies returns a copy of the activation frequency of every cell.
func (m *ActivationFrequency) Frequencies() []float64 {
	return append([]float64(nil), m.freq...)
}

func (m *ActivationFrequency) stats() Stats {
	var st Stats
	for _, f := range m.freq {
		st.Add(f)
	}
	return st
}

// Min returns the lowest activation frequency of any cell.
func (m *ActivationFrequency) Min() float64 { st := m.stats(); return st.Min() }

// Mean returns the mean activation frequency across cells, which equals the
// moving average of the sparsity.
func (m *ActivationFrequency) Mean() float64 { st := m.stats(); return st.Mean() }

// Std returns the standard deviation of the activation frequencies across
// cells.
func (m *ActivationFrequency) Std() float64 { st := m.stats(); return st.Std() }

// Max returns the highest activation frequency of any cell.
func (m *ActivationFrequency) Max() float64 { st := m.stats(); return st.Max() }

// binaryEntropy returns H(p) = −p·log2 p − (1−p)·log2(1−p), with H(0) =
// H(1) = 0.
func binaryEntropy(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -p*math.Log2(p) - (1-p)*math.Log2(1-p)
}

// Entropy returns the mean binary entropy of the cells' activation
// frequencies, normalised by its maximum for the observed mean frequency:
//
//	Entropy = (1/n)·Σᵢ H(fᵢ) / H(f̄),  H(p) = −p·log2 p − (1−p)·log2(1−p)
//
// It lies in [0, 1] (H is concave, so the mean of H is at most H of the
// mean): 1 when every cell is active equally often, near 0 when a few cells
// do all the work. It is 0 when f̄ is 0 or 1.
func (m *ActivationFrequency) Entropy() float64 {
	sum, mean := 0.0, 0.0
	for _, f := range m.freq {
		sum += binaryEntropy(f)
		mean += f
	}
	n := float64(len(m.freq))
	hmax := binaryEntropy(mean / n)
	if hmax == 0 {
		return 0
	}
	return min(1, sum/n/hmax)
}

// String returns a two-line summary of the frequencies and the entropy.
func (m *ActivationFrequency) String() string {
	st := m.stats()
	return fmt.Sprintf("Activation Frequency Min/Mean/Std/Max %s\nEntropy %.6g",
		mmsm(st.Min(), st.Mean(), st.Std(), st.Max()), m.Entropy())
}

// Overlap tracks the normalised overlap between consecutive SDRs of a
// stream,
//
//	overlap(prev, cur) / max(prev.Sum, cur.Sum)
//
// (0 when both are empty), which measures how stable the representation is
// from one step to the next: 1 for a repeated SDR, near 0 for unrelated
// ones. The first SDR added, and the first after Reset, gives no sample.
type Overlap struct {
	e    ema
	prev *SDR
	have bool
}

// NewOverlap returns an Overlap metric with the given moving-average period
// (at least 1; see NewSparsity).
func NewOverlap(period int) (*Overlap, error) {
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	return &Overlap{e: ema{period: period}}, nil
}

// Add records the overlap of s with the previously added SDR, which must
// have the same size, and remembers a copy of s. Once the metric holds an
// SDR of the size of s, Add allocates nothing.
func (m *Overlap) Add(s *SDR) error {
	if m == nil || s == nil {
		return ErrNil
	}
	if m.have {
		ov, err := m.prev.Overlap(s)
		if err != nil {
			return err
		}
		v := 0.0
		if d := max(m.prev.Sum(), s.Sum()); d > 0 {
			v = float64(ov) / float64(d)
		}
		m.e.add(v)
	}
	if m.prev != nil && m.prev.size == s.size {
		_ = m.prev.CopyFrom(s) // cannot fail: sizes are equal
	} else {
		m.prev = s.Clone()
	}
	m.have = true
	return nil
}

// Reset forgets the previous SDR, so that the next Add gives no sample (use
// it between unrelated sequences). The statistics are kept.
func (m *Overlap) Reset() { m.have = false }

// N returns the number of overlap samples, one less than the number of SDRs
// added since the first (not counting Resets).
func (m *Overlap) N() int { return m.e.n }

// Min returns the smallest normalised overlap seen.
func (m *Overlap) Min() float64 { return m.e.orNaN(m.e.min) }

// Mean returns the moving average of the normalised overlap.
func (m *Overlap) Mean() float64 { return m.e.orNaN(m.e.mean) }

// Std returns the moving standard deviation of the normalised overlap.
func (m *Overlap) Std() float64 { return m.e.orNaN(math.Sqrt(m.e.v)) }

// Max returns the largest normalised overlap seen.
func (m *Overlap) Max() float64 { return m.e.orNaN(m.e.max) }

// String returns a one-line summary, "Overlap Min/Mean/Std/Max a / b / c / d".
func (m *Overlap) String() string {
	return "Overlap Min/Mean/Std/Max " + m.e.summary()
}

// Metrics bundles the Sparsity, ActivationFrequency and Overlap metrics of
// one stream of SDRs, fed by a single Add.
type Metrics struct {
	Sparsity            *Sparsity
	ActivationFrequency *ActivationFrequency
	Overlap             *Overlap
}

// NewMetrics returns the three metrics for SDRs of the given size, all with
// the given moving-average period.
func NewMetrics(size, period int) (*Metrics, error) {
	af, err := NewActivationFrequency(size, period)
	if err != nil {
		return nil, err
	}
	sp, _ := NewSparsity(period) // period already checked
	ov, _ := NewOverlap(period)
	return &Metrics{Sparsity: sp, ActivationFrequency: af, Overlap: ov}, nil
}

// Add records s in all three metrics. s must have the metrics' size; on a
// size mismatch no metric is updated.
func (m *Metrics) Add(s *SDR) error {
	if m == nil || s == nil || m.Sparsity == nil || m.ActivationFrequency == nil || m.Overlap == nil {
		return ErrNil
	}
	if s.size != len(m.ActivationFrequency.freq) {
		return sizeMismatch(len(m.ActivationFrequency.freq), s.size)
	}
	if err := m.Overlap.Add(s); err != nil {
		return err
	}
	_ = m.Sparsity.Add(s)            // cannot fail: s is not nil
	_ = m.ActivationFrequency.Add(s) // cannot fail: size checked
	return nil
}

// String returns the summaries of the three metrics, one per line (a
// metric that is nil, as in a Metrics not made by NewMetrics, reads
// "(none)").
func (m *Metrics) String() string {
	if m == nil {
		return "(no metrics)"
	}
	var b strings.Builder
	for i, x := range []fmt.Stringer{m.Sparsity, m.ActivationFrequency, m.Overlap} {
		if i > 0 {
			b.WriteByte('\n')
		}
		if isNilMetric(x) {
			b.WriteString("(none)")
		} else {
			b.WriteString(x.String())
		}
	}
	return b.String()
}

// isNilMetric reports whether x holds a nil pointer.
func isNilMetric(x fmt.Stringer) bool {
	switch v := x.(type) {
	case *Sparsity:
		return v == nil
	case *ActivationFrequency:
		return v == nil
	case *Overlap:
		return v == nil
	}
	return x == nil
}
