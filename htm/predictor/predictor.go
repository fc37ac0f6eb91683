// Package predictor implements the SDR classifier of HTM systems (Cui,
// Ahmad & Hawkins 2016, "Continuous online sequence learning with an
// unsupervised neural network model", Neural Computation 28(11), §2.4): it
// learns to predict, from the active cells of a temporal memory at time t,
// which bucket the input will fall in at time t+k, for one or more
// horizons k.
//
// # Model
//
// For each horizon k the predictor is a single-layer network with one
// output per bucket and a softmax on top: with x the binary input pattern
// and w_ij the weight from input bit i to bucket j,
//
//	a_j = Σ_i w_ij·x_i,   y_j = exp(a_j) / Σ_j′ exp(a_j′),
//
// y is the predicted probability distribution (PDF) over buckets. Learning
// is online gradient descent on the cross-entropy: when the bucket b of
// time t becomes known, the pattern x of time t−k is presented again and
//
//	w_ij ← w_ij + Alpha·(z_j − y_j)·x_i,   z = one-hot(b),
//
// so the weights converge to the log-odds of the buckets that follow each
// active input bit. Weights and PDFs are float64: htm.core's float32 PDFs
// failed to converge (htm.core issues #646/#667). Only the rows of input
// bits that have been active are stored, and buckets are added as they
// appear (a bucket never seen has weight 0 everywhere).
//
// Buckets are small non-negative integers chosen by the caller — a
// category index, or ⌊(v − min)/resolution⌋ for a scalar v (for example
// encoder.Scalar.Bucket). For each bucket the predictor also keeps a moving
// average of the actual values seen in it (rate ValueAlpha), so that a
// predicted bucket can be turned back into a value: the predicted value is
// the average value of the most probable bucket.
package predictor

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dendritic/dendritic/sdr"
)

// Errors returned by this package; test for them with errors.Is.
var (
	// ErrParams is returned by New for invalid parameters.
	ErrParams = errors.New("predictor: invalid parameters")
	// ErrInput is returned for an invalid input, bucket, value or horizon.
	ErrInput = errors.New("predictor: invalid input")
	// ErrNotInitialized is returned by the methods of a nil *Predictor,
	// which needs New; accessors return zero values instead.
	ErrNotInitialized = errors.New("predictor: nil Predictor (made by New)")
)

// Params configures a Predictor.
type Params struct {
	// InputSize is the number of bits of the input SDRs.
	InputSize int
	// Steps are the horizons k ≥ 0 to predict (0 classifies the current
	// input), distinct.
	Steps []int
	// Alpha, in (0, 1], is the learning rate of the weights.
	Alpha float64
	// ValueAlpha, in (0, 1], is the rate of the moving average of the
	// actual values of each bucket: v ← v + ValueAlpha·(value − v). The
	// first value of a bucket initialises it.
	ValueAlpha float64
	// MaxBuckets bounds the bucket indices (0 ≤ bucket < MaxBuckets) and so
	// the memory: each stored input row holds up to MaxBuckets weights.
	MaxBuckets int
}

// DefaultParams returns a predictor for the given input size and horizons
// with NuPIC's and htm.core's default rates: Alpha 0.001, ValueAlpha 0.3,
// and at most 65536 buckets. Cui et al. (2016) used Alpha 0.01 on the NYC
// taxi data, htm.core's hotgym 0.1.
func DefaultParams(inputSize int, steps ...int) Params {
	return Params{InputSize: inputSize, Steps: slices.Clone(steps), Alpha: 0.001, ValueAlpha: 0.3, MaxBuckets: 1 << 16}
}

// Prediction is the prediction of one horizon.
type Prediction struct {
	// Steps is the horizon k.
	Steps int
	// PDF[j] is the probability that the input k steps ahead falls in
	// bucket j, for j < Buckets(); it sums to 1 (it is empty before any
	// learning).
	PDF []float64
	// Bucket is the most probable bucket (the lowest on ties), or −1 when
	// no bucket is known yet.
	Bucket int
	// Value is the average actual value of Bucket, or NaN.
	Value float64
}

// Predictor is an n-step-ahead SDR classifier. Create one with New. A
// Predictor must not be used by several goroutines at once.
type Predictor struct {
	p       Params
	steps   []int
	maxStep int
	// weights[s][i] is the row of input bit i for horizon steps[s] (nil
	// until bit i is active in a learned pattern); missing trailing
	// entries are 0.
	weights [][][]float64
	buckets int
	value   []float64 // moving average of the actual values per bucket
	seen    []bool
	// The last maxStep learned patterns, a ring; history[(head−k) mod] is
	// the pattern of k records ago.
	history [][]uint32
	head, n int
	logits  []float64
}

// New validates p and returns an untrained predictor.
func New(p Params) (*Predictor, error) {
	switch {
	case p.InputSize < 1 || p.InputSize > sdr.MaxDecodeSize:
		return nil, fmt.Errorf("%w: InputSize %d", ErrParams, p.InputSize)
	case len(p.Steps) == 0:
		return nil, fmt.Errorf("%w: no horizon", ErrParams)
	case !(p.Alpha > 0 && p.Alpha <= 1):
		return nil, fmt.Errorf("%w: Alpha %v outside (0, 1]", ErrParams, p.Alpha)
	case !(p.ValueAlpha > 0 && p.ValueAlpha <= 1):
		return nil, fmt.Errorf("%w: ValueAlpha %v outside (0, 1]", ErrParams, p.ValueAlpha)
	case p.MaxBuckets < 1 || p.MaxBuckets > 1<<24:
		return nil, fmt.Errorf("%w: MaxBuckets %d outside [1, 2^24]", ErrParams, p.MaxBuckets)
	}
	pr := &Predictor{p: p, steps: slices.Clone(p.Steps)}
	pr.p.Steps = slices.Clone(p.Steps)
	for i, k := range pr.steps {
		if k < 0 || k > 1<<16 || slices.Contains(pr.steps[:i], k) {
			return nil, fmt.Errorf("%w: horizons %v (distinct, in [0, 65536])", ErrParams, p.Steps)
		}
		pr.maxStep = max(pr.maxStep, k)
	}
	pr.weights = make([][][]float64, len(pr.steps))
	for s := range pr.weights {
		pr.weights[s] = make([][]float64, p.InputSize)
	}
	pr.history = make([][]uint32, pr.maxStep+1)
	return pr, nil
}

// Params returns a copy of the parameters.
func (p *Predictor) Params() Params {
	if p == nil {
		return Params{}
	}
	q := p.p
	q.Steps = slices.Clone(q.Steps)
	return q
}

// Buckets returns the number of buckets known: one more than the largest
// bucket learned.
func (p *Predictor) Buckets() int {
	if p == nil {
		return 0
	}
	return p.buckets
}

// BucketValue returns the average actual value of bucket b, and false if
// no value has been learned for it.
func (p *Predictor) BucketValue(b int) (float64, bool) {
	if p == nil {
		return 0, false
	}
	if b < 0 || b >= p.buckets || !p.seen[b] {
		return math.NaN(), false
	}
	return p.value[b], true
}

// Reset forgets the recent patterns, so that the next Learn calls do not
// associate patterns across a sequence boundary. The weights are kept.
func (p *Predictor) Reset() {
	if p == nil {
		return
	}
	p.n = 0
}

// checkInput validates an input SDR.
func (p *Predictor) checkInput(input *sdr.SDR) error {
	if input == nil {
		return fmt.Errorf("%w: nil input", ErrInput)
	}
	if input.Size() != p.p.InputSize {
		return fmt.Errorf("%w: input has %d bits, want %d", ErrInput, input.Size(), p.p.InputSize)
	}
	return nil
}

// horizon returns the index of horizon k in steps.
func (p *Predictor) horizon(k int) (int, error) {
	if s := slices.Index(p.steps, k); s >= 0 {
		return s, nil
	}
	return 0, fmt.Errorf("%w: horizon %d not among %v", ErrInput, k, p.steps)
}

// softmax writes to y the softmax of the logits of pattern for horizon s.
func (p *Predictor) softmax(s int, pattern []uint32, y []float64) {
	clear(y)
	rows := p.weights[s]
	for _, i := range pattern {
		row := rows[i]
		for j, w := range row[:min(len(row), len(y))] {
			y[j] += w
		}
	}
	m := math.Inf(-1)
	for _, a := range y {
		m = max(m, a)
	}
	sum := 0.0
	for j, a := range y {
		e := math.Exp(a - m)
		y[j] = e
		sum += e
	}
	for j := range y {
		y[j] /= sum
	}
}

// Infer returns the prediction of horizon steps for input, the current
// pattern (typically the active cells of a temporal memory). The PDF is
// written to pdf[:Buckets()], grown if needed (pass nil to allocate, or
// the PDF of an earlier Prediction to reuse it).
func (p *Predictor) Infer(input *sdr.SDR, steps int, pdf []float64) (Prediction, error) {
	if err := p.checkInput(input); err != nil {
		return Prediction{}, err
	}
	s, err := p.horizon(steps)
	if err != nil {
		return Prediction{}, err
	}
	pdf = slices.Grow(pdf[:0], p.buckets)[:p.buckets]
	pred := Prediction{Steps: steps, PDF: pdf, Bucket: -1, Value: math.NaN()}
	if p.buckets == 0 {
		return pred, nil
	}
	p.softmax(s, input.Sparse(), pdf)
	best := 0
	for j, y := range pdf {
		if y > pdf[best] {
			best = j
		}
	}
	pred.Bucket = best
	pred.Value, _ = p.BucketValue(best)
	return pred, nil
}

// Learn records the pattern of the current time step, input, together with
// the bucket and the actual value of the current input. For every horizon
// k, the pattern of k records ago (if there is one since the last Reset)
// learns that it was followed by bucket after k steps. The value updates
// the bucket's moving average. bucket must be in [0, MaxBuckets) and value
// finite; on error nothing is learned.
func (p *Predictor) Learn(input *sdr.SDR, bucket int, value float64) error {
	if err := p.checkInput(input); err != nil {
		return err
	}
	if bucket < 0 || bucket >= p.p.MaxBuckets {
		return fmt.Errorf("%w: bucket %d outside [0, %d)", ErrInput, bucket, p.p.MaxBuckets)
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("%w: value %v", ErrInput, value)
	}
	if bucket >= p.buckets {
		p.buckets = bucket + 1
		p.value = slices.Grow(p.value, p.buckets-len(p.value))[:p.buckets]
		p.seen = slices.Grow(p.seen, p.buckets-len(p.seen))[:p.buckets]
	}
	if p.seen[bucket] {
		p.value[bucket] += float64(p.p.ValueAlpha * (value - p.value[bucket]))
	} else {
		p.value[bucket], p.seen[bucket] = value, true
	}
	// Push the pattern: history[head] is now the current one.
	h := len(p.history)
	p.head = (p.head + 1) % h
	p.history[p.head] = append(p.history[p.head][:0], input.Sparse()...)
	p.n = min(p.n+1, h)

	p.logits = slices.Grow(p.logits[:0], p.buckets)[:p.buckets]
	y := p.logits
	alpha := p.p.Alpha
	for s, k := range p.steps {
		if k >= p.n {
			continue // no pattern k records ago
		}
		pattern := p.history[(p.head-k+h)%h]
		p.softmax(s, pattern, y)
		// y becomes the error z − y, times alpha.
		for j := range y {
			y[j] = -alpha * y[j]
		}
		y[bucket] += alpha
		rows := p.weights[s]
		for _, i := range pattern {
			row := rows[i]
			if n := len(row); n < p.buckets {
				row = slices.Grow(row, p.buckets-n)[:p.buckets]
				clear(row[n:])
				rows[i] = row
			}
			for j, d := range y {
				row[j] += d
			}
		}
	}
	return nil
}
