package anomaly

import (
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/sdr"
)

// Errors returned by this package; test for them with errors.Is.
var (
	// ErrParams is returned for invalid parameters.
	ErrParams = errors.New("anomaly: invalid parameters")
	// ErrInput is returned for an invalid input value.
	ErrInput = errors.New("anomaly: invalid input")
	// ErrNotInitialized is returned by the methods of a nil or zero
	// Likelihood (which needs NewLikelihood) and of a nil SpatialRange;
	// their accessors return zero values instead.
	ErrNotInitialized = errors.New("anomaly: not made by its constructor (nil or zero value)")
)

// Raw returns the raw anomaly score: the fraction of the active columns
// that are not in predicted,
//
//	raw = |active \ predicted| / |active|,
//
// or 0 when no column is active. The two SDRs must have the same size.
func Raw(active, predicted *sdr.SDR) (float64, error) {
	if active == nil || predicted == nil {
		return 0, fmt.Errorf("%w: nil SDR", ErrInput)
	}
	n := active.Sum()
	if active.Size() != predicted.Size() {
		return 0, fmt.Errorf("%w: sizes %d and %d differ", ErrInput, active.Size(), predicted.Size())
	}
	if n == 0 {
		return 0, nil
	}
	both, err := active.Overlap(predicted)
	if err != nil {
		return 0, err
	}
	return float64(n-both) / float64(n), nil
}

// LogLikelihood returns NAB's log-scaled anomaly score of a likelihood,
//
//	log(1.0000000001 − likelihood) / log(10⁻¹⁰),
//
// the base-10⁻¹⁰ logarithm of the tail probability, slightly offset so that
// a likelihood of 1 gives 1 (to within 10⁻¹¹) instead of +∞. A likelihood of
// 0.5, the value during the probationary period, gives 0.0301029996659.
func LogLikelihood(likelihood float64) float64 {
	return math.Log(1.0000000001-likelihood) / -23.02585084720009
}

// SpatialRange implements the spatial-anomaly rule of NAB's Numenta
// detector: a value is a spatial anomaly when it falls more than
// Tolerance·(max − min) above the largest or below the smallest value seen
// so far. The rule is off until two different values have been seen.
// The zero value has tolerance 0; use NewSpatialRange.
type SpatialRange struct {
	tol      float64
	min, max float64
	seen     bool
}

// NewSpatialRange returns a rule with the given tolerance (a finite
// fraction ≥ 0 of the range; NumentaSpatialTolerance for NAB).
func NewSpatialRange(tolerance float64) (*SpatialRange, error) {
	if !(tolerance >= 0) || math.IsInf(tolerance, 0) {
		return nil, fmt.Errorf("%w: spatial tolerance %v", ErrParams, tolerance)
	}
	return &SpatialRange{tol: tolerance}, nil
}

// Check reports whether v is a spatial anomaly against the values seen so
// far, then adds v to them. A NaN is ignored: it is not an anomaly and does
// not change the range.
func (s *SpatialRange) Check(v float64) bool {
	if s == nil {
		return false
	}
	if math.IsNaN(v) {
		return false
	}
	anomalous := false
	if s.seen && s.min != s.max {
		pad := s.tol * (s.max - s.min)
		anomalous = v > s.max+pad || v < s.min-pad
	}
	if !s.seen {
		s.min, s.max, s.seen = v, v, true
	}
	s.min, s.max = math.Min(s.min, v), math.Max(s.max, v)
	return anomalous
}

// Range returns the smallest and largest values seen, and false if none.
func (s *SpatialRange) Range() (lo, hi float64, ok bool) {
	if s == nil {
		return 0, 0, false
	}
	return s.min, s.max, s.seen
}
