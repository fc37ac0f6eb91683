package htmdetect

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// A numenta detector whose value encoder takes its resolution from the
// probationary period rather than from the file's range: the member of the
// registered numenta-gmean-cad (nab.go) and of the variants
// numenta-probation-* (variants.go, docs/BENCHMARKS.md).

// probationRanged is numenta whose value encoder's range is the robust
// range of the probationary period instead of the file's: the 1st to the
// 99th percentile of its first P = info.Probation values (linear
// interpolation between order statistics; the values' own minimum and
// maximum when the two percentiles coincide, the file's when those do
// too). The windows numenta misses hold changes that are small against a
// range set by one spike (docs/BENCHMARKS.md, "Which windows numenta
// misses"); a range from the bulk of the values the detector has seen
// gives the RDSE a resolution that a single spike does not set. Until the
// P-th record the detector only keeps the records and scores 0 (NAB does
// not score the probationary period); at the P-th it builds numenta with
// that range and runs it over the kept records (learning, outputs
// dropped), then goes on record by record. The likelihood and the
// spatial-range rule are numenta's, and the RDSE keeps numenta's margin
// of 20 % of the range on each side. The two percentiles were fixed
// before the first run, as the usual robust range that ignores 1 % of
// the values on each side (7 rows of NAB's 750-row periods).
type probationRanged struct {
	info nab.FileInfo
	seed uint64
	// width is how the encoder's range is set from the robust one.
	width rangeWidth
	// build makes the detector for the range (newNumentaFor, or a pair
	// of them for numenta-probation-gmean-seeds).
	build func(nab.FileInfo, uint64) (stepper, error)
	d     stepper
	// plain says build is newNumentaStepper, the one build that can be
	// saved (probation_codec.go).
	plain bool
	times []time.Time
	vals  []float64
}

// rangeWidth is how probationRanged sets its encoder's range.
type rangeWidth uint8

const (
	// widthRobust is the robust range (numenta-probation-range).
	widthRobust rangeWidth = iota
	// widthGeometric widens it, from its low end, to the geometric mean of
	// its width and the file's (numenta-probation-gmean): a resolution
	// between numenta's and numenta-probation-range's.
	widthGeometric
	// widthNoise sets the width from the period's noise (noiseWidth,
	// numenta-probation-noise).
	widthNoise
)

// noiseWidth returns the width of the range whose RDSE resolution
// (NumentaRDSEParams: 1.4·width/130) is the median absolute difference of
// consecutive values in vs, the typical change from one row to the next,
// clamped to [robust, file]: one row's usual change then moves the
// encoding by about one bucket (20 of its 21 bits kept), so the noise
// does not look new, and the resolution is never finer than the robust
// range's nor coarser than numenta's.
func noiseWidth(vs []float64, robust, file float64) float64 {
	if len(vs) < 2 {
		return file
	}
	d := make([]float64, len(vs)-1)
	for i := range d {
		d[i] = math.Abs(vs[i+1] - vs[i])
	}
	slices.Sort(d)
	m := d[len(d)/2]
	if len(d)%2 == 0 {
		m = (d[len(d)/2-1] + m) / 2
	}
	return min(max(m*130/1.4, robust), file)
}

// probationLow and probationHigh are the percentiles of probationRanged's range.
const probationLow, probationHigh = 0.01, 0.99

// Step keeps or scores the record.
func (r *probationRanged) Step(t time.Time, v float64) (Output, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Output{}, fmt.Errorf("%w: value %v", ErrInput, v)
	}
	if r.d != nil {
		return r.d.Step(t, v)
	}
	r.times, r.vals = append(r.times, t), append(r.vals, v)
	if len(r.vals) < r.info.Probation {
		return Output{}, nil
	}
	lo, hi := robustRange(r.vals, r.info.Min, r.info.Max)
	switch r.width {
	case widthGeometric:
		hi = lo + math.Sqrt((hi-lo)*(r.info.Max-r.info.Min))
	case widthNoise:
		hi = lo + noiseWidth(r.vals, hi-lo, r.info.Max-r.info.Min)
	}
	i := r.info
	i.Min, i.Max = lo, hi
	d, err := r.build(i, r.seed)
	if err != nil {
		return Output{}, err
	}
	var o Output
	for k, v := range r.vals {
		if o, err = d.Step(r.times[k], v); err != nil {
			return Output{}, err
		}
	}
	r.d, r.times, r.vals = d, nil, nil
	return Output{Raw: o.Raw}, nil
}

// robustRange returns the probationLow and probationHigh quantiles of vs
// (linear interpolation between the order statistics of the sorted
// values, x(h) with h = q·(n−1)), or vs's minimum and maximum if those
// coincide, or min and max if vs is constant too.
func robustRange(vs []float64, fileMin, fileMax float64) (lo, hi float64) {
	s := slices.Clone(vs)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(h)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (h-float64(i))*(s[i+1]-s[i])
	}
	lo, hi = q(probationLow), q(probationHigh)
	if hi > lo {
		return lo, hi
	}
	if lo, hi = s[0], s[len(s)-1]; hi > lo {
		return lo, hi
	}
	return fileMin, fileMax
}

// newNumentaProbationRange returns the probationRanged numenta of a NAB
// file; a file without a probationary period is numenta over its range.
func newNumentaProbationRange(info nab.FileInfo, seed uint64) (*probationRanged, error) {
	return newProbationRanged(info, seed, widthRobust)
}

// newNumentaProbationGeometric is newNumentaProbationRange with the
// geometric mean of the two widths.
func newNumentaProbationGeometric(info nab.FileInfo, seed uint64) (*probationRanged, error) {
	return newProbationRanged(info, seed, widthGeometric)
}

// newNumentaProbationNoise is newNumentaProbationRange with the width of
// noiseWidth.
func newNumentaProbationNoise(info nab.FileInfo, seed uint64) (*probationRanged, error) {
	return newProbationRanged(info, seed, widthNoise)
}

func newProbationRanged(info nab.FileInfo, seed uint64, width rangeWidth) (*probationRanged, error) {
	r, err := newProbationRangedWith(info, seed, width, newNumentaStepper)
	if r != nil {
		r.plain = true
	}
	return r, err
}

// newNumentaStepper is newNumentaFor as a stepper, probationRanged's
// usual build.
func newNumentaStepper(info nab.FileInfo, seed uint64) (stepper, error) {
	return newNumentaFor(info, seed)
}

// MaxReplayProbation is the largest probationary period a probation-ranged
// detector accepts (the registry's MaxProbation of the detectors built on
// it): the row that ends the period runs the memory over every row of it,
// so the period bounds that row's time. At 8,640 rows, the likelihood's
// window (NumentaLikelihoodParams), that row takes 1.3 s on a sine and
// 10 s on uniform noise for numenta-gmean-cad-peaks-cal on this project's
// 2-core VM (BenchmarkProbationEnd), under the service's 120 s write
// timeout; NAB's periods are at most 750.
const MaxReplayProbation = 8640

func newProbationRangedWith(info nab.FileInfo, seed uint64, width rangeWidth, build func(nab.FileInfo, uint64) (stepper, error)) (*probationRanged, error) {
	if info.Probation > MaxReplayProbation {
		return nil, fmt.Errorf("%w: probationary period %d rows exceeds %d: the detector replays the whole period on the row that ends it", ErrInput, info.Probation, MaxReplayProbation)
	}
	r := &probationRanged{info: info, seed: seed, width: width, build: build}
	if info.Probation < 1 {
		d, err := build(info, seed)
		if err != nil {
			return nil, err
		}
		r.d = d
	}
	return r, nil
}
