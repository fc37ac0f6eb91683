package anomaly

import (
	"fmt"
	"math"
)

// LikelihoodParams configures a Likelihood.
type LikelihoodParams struct {
	// LearningPeriod (≥ 0) is the number of initial records during which
	// the model is still learning: their raw scores are left out of the
	// fitted distribution while they are in the history.
	LearningPeriod int
	// EstimationSamples (≥ 1) is the number of records after the learning
	// period collected before the first fit. Compute returns 0.5 for the
	// first LearningPeriod + EstimationSamples records.
	EstimationSamples int
	// HistoricWindowSize (≥ 1) is the number of most recent records the
	// distribution is fitted to.
	HistoricWindowSize int
	// ReestimationPeriod (≥ 1): the distribution is refitted whenever the
	// record count is a multiple of it.
	ReestimationPeriod int
	// AveragingWindow (≥ 1) is the length of the moving average of the raw
	// scores.
	AveragingWindow int
}

// DefaultLikelihoodParams returns htm.core's and NuPIC's defaults:
// learningPeriod 288, estimationSamples 100, historicWindowSize 8640,
// reestimationPeriod 100, averaging window 10 (source:
// docs/anchors.md, "htm.core API details").
func DefaultLikelihoodParams() LikelihoodParams {
	return LikelihoodParams{LearningPeriod: 288, EstimationSamples: 100, HistoricWindowSize: 8640,
		ReestimationPeriod: 100, AveragingWindow: 10}
}

// Constants of the estimation (NuPIC's AnomalyLikelihood).
const (
	minMean          = 0.03   // floor of the fitted mean
	minVariance      = 0.0003 // floor of the fitted variance
	flatVariance     = 1.5e-5 // metric variance below which the null distribution is used
	nullMean         = 0.5    // the null distribution
	nullVariance     = 1e6
	redThreshold     = 1e-5 // a tail probability at most this is "red"
	yellowThreshold  = 1e-3 // consecutive reds after the first become this
	maxHistoricWidth = 1 << 24
)

// Distribution is a fitted normal distribution of the averaged raw scores.
type Distribution struct {
	Mean, Variance float64
	// Null is true for the null distribution (mean 0.5, variance 10⁶),
	// used when the metric has been flat, which makes every likelihood
	// about 0.5.
	Null bool
}

// Likelihood is the anomaly likelihood of Ahmad et al. (2017) with the
// exact rules of NuPIC's AnomalyLikelihood, which NAB's HTM detectors use.
// Create one with NewLikelihood and feed it every record with Compute. A
// Likelihood must not be used by several goroutines at once.
type Likelihood struct {
	p LikelihoodParams

	// History of (metric value, raw score), a ring of HistoricWindowSize
	// that grows to that size as records arrive (so a decoded or young
	// Likelihood holds only what it has seen).
	values, raws []float64
	head, n      int

	// The last AveragingWindow raw scores, a ring.
	window      []float64
	wHead, wN   int
	iteration   uint64
	dist        Distribution
	stdev       float64
	estimated   bool
	prevQ       float64 // unfiltered tail probability of the previous record
	hasPrev     bool
	averaged    []float64 // scratch of the estimation
	estimations int
}

// NewLikelihood validates p and returns an empty Likelihood.
func NewLikelihood(p LikelihoodParams) (*Likelihood, error) {
	switch {
	case p.LearningPeriod < 0:
		return nil, fmt.Errorf("%w: LearningPeriod %d < 0", ErrParams, p.LearningPeriod)
	case p.EstimationSamples < 1:
		return nil, fmt.Errorf("%w: EstimationSamples %d < 1", ErrParams, p.EstimationSamples)
	case p.HistoricWindowSize < 1 || p.HistoricWindowSize > maxHistoricWidth:
		return nil, fmt.Errorf("%w: HistoricWindowSize %d outside [1, %d]", ErrParams, p.HistoricWindowSize, maxHistoricWidth)
	case p.ReestimationPeriod < 1:
		return nil, fmt.Errorf("%w: ReestimationPeriod %d < 1", ErrParams, p.ReestimationPeriod)
	case p.AveragingWindow < 1 || p.AveragingWindow > maxHistoricWidth:
		return nil, fmt.Errorf("%w: AveragingWindow %d", ErrParams, p.AveragingWindow)
	}
	return &Likelihood{p: p, window: make([]float64, p.AveragingWindow)}, nil
}

// Params returns the parameters.
func (l *Likelihood) Params() LikelihoodParams {
	if l == nil || l.window == nil {
		return LikelihoodParams{}
	}
	return l.p
}

// Records returns the number of records computed so far.
func (l *Likelihood) Records() uint64 {
	if l == nil || l.window == nil {
		return 0
	}
	return l.iteration
}

// Distribution returns the current fitted distribution, and false before
// the first fit.
func (l *Likelihood) Distribution() (Distribution, bool) {
	if l == nil || l.window == nil {
		return Distribution{}, false
	}
	return l.dist, l.estimated
}

// Estimations returns the number of fits so far.
func (l *Likelihood) Estimations() int {
	if l == nil || l.window == nil {
		return 0
	}
	return l.estimations
}

// Compute records the metric value and raw anomaly score of the next
// record and returns its anomaly likelihood, in [0, 1] (P(anomalous): high
// means anomalous). value is the input metric itself (used only to detect
// a flat metric); raw must be in [0, 1]. On invalid input Compute returns
// an error wrapping ErrInput and records nothing.
//
// For the first LearningPeriod + EstimationSamples records the likelihood
// is 0.5. After that, for record number t (counting from 0):
//
//  1. If no distribution has been fitted yet, or t is a multiple of
//     ReestimationPeriod, the distribution is fitted to the stored history
//     (the last ≤ HistoricWindowSize records, not including this one): the
//     raw scores are replaced by their moving averages over
//     AveragingWindow (over fewer at the start of the history); the first
//     skip = min(t, max(0, LearningPeriod − max(0, t − HistoricWindowSize)))
//     of them are dropped (the part of the learning period still in the
//     history); the rest give the mean and population variance, floored at
//     0.03 and 0.0003. If the metric values after the skip have a variance
//     below 1.5·10⁻⁵, the null distribution (mean 0.5, variance 10⁶) is
//     used instead.
//  2. m is the moving average of the last AveragingWindow raw scores, this
//     one included.
//  3. Its tail probability is q = ½·erfc((m′ − mean)/(stdev·1.4142)) with
//     m′ = m if m ≥ mean and m′ = 2·mean − m otherwise (both tails count,
//     so q ≤ ½ and the likelihood is at least ½).
//  4. If q ≤ 10⁻⁵ and the previous record's unfiltered q was also ≤ 10⁻⁵,
//     q is replaced by 10⁻³: only the first of a run of extreme values
//     scores extremely.
//  5. The likelihood is 1 − q.
//
// (1.4142 is NuPIC's constant, kept for parity instead of √2.)
func (l *Likelihood) Compute(value, raw float64) (float64, error) {
	if l == nil || l.window == nil {
		return 0, ErrNotInitialized
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, fmt.Errorf("%w: metric value %v", ErrInput, value)
	}
	if !(raw >= 0 && raw <= 1) {
		return 0, fmt.Errorf("%w: raw score %v outside [0, 1]", ErrInput, raw)
	}
	// The moving average, this record included.
	l.window[l.wHead] = raw
	l.wHead = (l.wHead + 1) % len(l.window)
	l.wN = min(l.wN+1, len(l.window))
	sum := 0.0
	for _, v := range l.window[:l.wN] {
		sum += v
	}
	m := sum / float64(l.wN)

	likelihood := 0.5
	if l.iteration >= uint64(l.p.LearningPeriod+l.p.EstimationSamples) {
		if !l.estimated || l.iteration%uint64(l.p.ReestimationPeriod) == 0 {
			l.estimate()
		}
		q := l.tail(m)
		f := q
		if q <= redThreshold && l.hasPrev && l.prevQ <= redThreshold {
			f = yellowThreshold
		}
		l.prevQ, l.hasPrev = q, true
		likelihood = 1 - f
	}

	h := l.p.HistoricWindowSize
	if len(l.values) < h { // still growing: head == len(l.values)
		l.values, l.raws = append(l.values, value), append(l.raws, raw)
	} else {
		l.values[l.head], l.raws[l.head] = value, raw
	}
	l.head = (l.head + 1) % h
	l.n = min(l.n+1, h)
	l.iteration++
	return likelihood, nil
}

// tail returns the two-sided tail probability of x under the fitted
// distribution.
func (l *Likelihood) tail(x float64) float64 {
	mean := l.dist.Mean
	if x < mean {
		x = float64(2*mean) - x
	}
	return 0.5 * math.Erfc((x-mean)/l.stdev/1.4142)
}

// estimate fits the distribution to the stored history (see Compute).
func (l *Likelihood) estimate() {
	l.estimations++
	h, n := l.p.HistoricWindowSize, l.n
	start := (l.head - n + h) % h // oldest stored record
	at := func(j int) int { return (start + j) % h }
	// Moving averages of the raw scores over the history, oldest first,
	// by a sliding sum.
	w := len(l.window)
	if cap(l.averaged) < n {
		l.averaged = make([]float64, n, min(h, 2*n))
	}
	avg := l.averaged[:n]
	sum := 0.0
	for j := range n {
		sum += l.raws[at(j)]
		if j >= w {
			sum -= l.raws[at(j-w)]
		}
		avg[j] = sum / float64(min(j+1, w))
	}
	t := int64(l.iteration)
	skip := int(min(t, max(0, int64(l.p.LearningPeriod)-max(0, t-int64(h)))))
	skip = min(skip, n)

	null := true
	if n-skip >= 1 {
		// Metric variance, two-pass.
		mean := 0.0
		for j := skip; j < n; j++ {
			mean += l.values[at(j)]
		}
		mean /= float64(n - skip)
		v := 0.0
		for j := skip; j < n; j++ {
			d := l.values[at(j)] - mean
			v += d * d
		}
		null = v/float64(n-skip) < flatVariance
	}
	if null {
		l.dist = Distribution{Mean: nullMean, Variance: nullVariance, Null: true}
	} else {
		mean := 0.0
		for _, a := range avg[skip:] {
			mean += a
		}
		mean /= float64(n - skip)
		v := 0.0
		for _, a := range avg[skip:] {
			d := a - mean
			v += d * d
		}
		v /= float64(n - skip)
		l.dist = Distribution{Mean: math.Max(mean, minMean), Variance: math.Max(v, minVariance)}
	}
	l.stdev = math.Sqrt(l.dist.Variance)
	l.estimated = true
	// The previous record's tail probability under the new fit.
	l.hasPrev = n > 0
	if l.hasPrev {
		l.prevQ = l.tail(avg[n-1])
	}
}
