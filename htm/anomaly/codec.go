package anomaly

import (
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// ErrCorrupt is wrapped by the errors of the decoders for data that is not
// a valid encoding.
var ErrCorrupt = errors.New("anomaly: corrupt encoded data")

// Binary format of a Likelihood, version 1: the module's framing
// (internal/binfmt; magic "DALK") with four sections:
//
//	"PARM"  LearningPeriod, EstimationSamples, HistoricWindowSize,
//	        ReestimationPeriod, AveragingWindow, each uint32
//	"WIND"  the averaging ring as stored: head uint32, filled uint32,
//	        count uint32 (= AveragingWindow) + count × float64
//	"HIST"  the history, oldest first: count uint32 + count × (value,
//	        raw float64)
//	"STAT"  records uint64; fitted mean, variance float64, null byte,
//	        stdev float64, fitted byte; previous tail probability
//	        float64, has-previous byte; fits uint64
//
// The averaging ring is stored as it lies in memory because its sum is
// taken in storage order (a different order could change the last bit of
// the average); the history is stored oldest first because it is only
// read in that order. The encoding is canonical, and a decoded Likelihood
// computes exactly what the original would have.
const (
	likeMagic   = "DALK"
	likeVersion = 1
	rangeMagic  = "DASR"
	rangeVer    = 1
)

// AppendBinary appends the encoding of l to b.
func (l *Likelihood) AppendBinary(b []byte) ([]byte, error) {
	if l == nil || l.window == nil {
		return b, ErrNotInitialized
	}
	w := binfmt.NewWriter(b, likeMagic, likeVersion, 128+8*len(l.window)+16*l.n)
	w.Section("PARM")
	p := l.p
	for _, v := range []int{p.LearningPeriod, p.EstimationSamples, p.HistoricWindowSize, p.ReestimationPeriod, p.AveragingWindow} {
		w.U32(uint32(v))
	}
	w.Section("WIND")
	w.U32(uint32(l.wHead))
	w.U32(uint32(l.wN))
	w.U32(uint32(len(l.window)))
	for _, v := range l.window {
		w.F64(v)
	}
	w.Section("HIST")
	w.U32(uint32(l.n))
	h := p.HistoricWindowSize
	start := (l.head - l.n + h) % h
	for j := range l.n {
		k := (start + j) % h
		w.F64(l.values[k])
		w.F64(l.raws[k])
	}
	w.Section("STAT")
	w.U64(l.iteration)
	w.F64(l.dist.Mean)
	w.F64(l.dist.Variance)
	w.Bool(l.dist.Null)
	w.F64(l.stdev)
	w.Bool(l.estimated)
	w.F64(l.prevQ)
	w.Bool(l.hasPrev)
	w.U64(uint64(l.estimations))
	return w.Finish(), nil
}

// MarshalBinary encodes l (see AppendBinary).
func (l *Likelihood) MarshalBinary() ([]byte, error) { return l.AppendBinary(nil) }

// DecodeLikelihood decodes the Likelihood at the start of data and returns
// it with the bytes that follow. It allocates in proportion to len(data).
func DecodeLikelihood(data []byte) (*Likelihood, []byte, error) {
	l, rest, err := decodeLikelihood(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: likelihood: %v", ErrCorrupt, err)
	}
	return l, rest, nil
}

func decodeLikelihood(data []byte) (*Likelihood, []byte, error) {
	f, rest, err := binfmt.Parse(data, likeMagic)
	if err != nil {
		return nil, nil, err
	}
	if f.Version != likeVersion {
		return nil, nil, fmt.Errorf("version %d, want %d", f.Version, likeVersion)
	}
	r, err := f.Section("PARM")
	if err != nil {
		return nil, nil, err
	}
	var p LikelihoodParams
	for _, v := range []*int{&p.LearningPeriod, &p.EstimationSamples, &p.HistoricWindowSize, &p.ReestimationPeriod, &p.AveragingWindow} {
		*v = r.Int("params", math.MaxInt32)
	}
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	if r, err = f.Section("WIND"); err != nil {
		return nil, nil, err
	}
	wHead, wN := r.Int("window head", maxHistoricWidth), r.Int("window filled", maxHistoricWidth)
	if k := r.Count("window", 8, maxHistoricWidth); r.Err() == nil && k != p.AveragingWindow {
		return nil, nil, fmt.Errorf("window of %d values, AveragingWindow %d", k, p.AveragingWindow)
	}
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	l, err := NewLikelihood(p) // its window is bounded by the count just checked
	if err != nil {
		return nil, nil, err
	}
	for i := range l.window {
		l.window[i] = r.F64("window")
	}
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	if r, err = f.Section("HIST"); err != nil {
		return nil, nil, err
	}
	n := r.Count("history", 16, p.HistoricWindowSize)
	l.values, l.raws = make([]float64, n), make([]float64, n)
	for i := range n {
		l.values[i], l.raws[i] = r.F64("value"), r.F64("raw")
	}
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	l.n, l.head = n, n%p.HistoricWindowSize
	l.wHead, l.wN = wHead, wN
	if r, err = f.Section("STAT"); err != nil {
		return nil, nil, err
	}
	l.iteration = r.U64("records")
	l.dist.Mean, l.dist.Variance, l.dist.Null = r.F64("mean"), r.F64("variance"), r.Bool("null")
	l.stdev, l.estimated = r.F64("stdev"), r.Bool("fitted")
	l.prevQ, l.hasPrev = r.F64("previous tail"), r.Bool("has previous")
	l.estimations = r.Int64("fits", math.MaxInt64)
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	if err := f.Close(); err != nil {
		return nil, nil, err
	}
	return l, rest, l.check()
}

// check validates the invariants of a decoded Likelihood that Compute
// relies on or that every reachable state has.
func (l *Likelihood) check() error {
	aw, h := len(l.window), l.p.HistoricWindowSize
	switch {
	case uint64(l.n) != min(l.iteration, uint64(h)):
		return fmt.Errorf("history of %d records after %d records (window %d)", l.n, l.iteration, h)
	case uint64(l.wN) != min(l.iteration, uint64(aw)):
		return fmt.Errorf("averaging ring filled %d after %d records (window %d)", l.wN, l.iteration, aw)
	case l.wHead >= aw || (l.wN < aw && l.wHead != l.wN):
		return fmt.Errorf("averaging ring head %d, filled %d of %d", l.wHead, l.wN, aw)
	}
	for _, v := range l.window {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("averaged raw score %v outside [0, 1]", v)
		}
	}
	for i := range l.n {
		if math.IsNaN(l.values[i]) || math.IsInf(l.values[i], 0) || !(l.raws[i] >= 0 && l.raws[i] <= 1) {
			return fmt.Errorf("history record %d: value %v, raw %v", i, l.values[i], l.raws[i])
		}
	}
	if l.estimated && !(l.stdev > 0) {
		return fmt.Errorf("fitted with standard deviation %v", l.stdev)
	}
	return nil
}

// AppendBinary appends the encoding of s: the module's framing (magic
// "DASR", version 1) with one section "RANG": tolerance, minimum, maximum
// (float64) and a byte, 1 once a value has been seen.
func (s *SpatialRange) AppendBinary(b []byte) ([]byte, error) {
	if s == nil {
		return b, ErrNotInitialized
	}
	w := binfmt.NewWriter(b, rangeMagic, rangeVer, 64)
	w.Section("RANG")
	w.F64(s.tol)
	w.F64(s.min)
	w.F64(s.max)
	w.Bool(s.seen)
	return w.Finish(), nil
}

// DecodeSpatialRange decodes the SpatialRange at the start of data and
// returns it with the bytes that follow.
func DecodeSpatialRange(data []byte) (*SpatialRange, []byte, error) {
	s, rest, err := decodeSpatialRange(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: spatial range: %v", ErrCorrupt, err)
	}
	return s, rest, nil
}

func decodeSpatialRange(data []byte) (*SpatialRange, []byte, error) {
	f, rest, err := binfmt.Parse(data, rangeMagic)
	if err != nil {
		return nil, nil, err
	}
	if f.Version != rangeVer {
		return nil, nil, fmt.Errorf("version %d, want %d", f.Version, rangeVer)
	}
	r, err := f.Section("RANG")
	if err != nil {
		return nil, nil, err
	}
	tol, lo, hi, seen := r.F64("tolerance"), r.F64("minimum"), r.F64("maximum"), r.Bool("seen")
	if err := r.Close(); err != nil {
		return nil, nil, err
	}
	if err := f.Close(); err != nil {
		return nil, nil, err
	}
	s, err := NewSpatialRange(tol)
	if err != nil {
		return nil, nil, err
	}
	finite := !math.IsNaN(lo) && !math.IsNaN(hi) && !math.IsInf(lo, 0) && !math.IsInf(hi, 0)
	if seen && !(finite && lo <= hi) || !seen && (lo != 0 || hi != 0) {
		return nil, nil, fmt.Errorf("range [%v, %v], seen %v", lo, hi, seen)
	}
	s.min, s.max, s.seen = lo, hi, seen
	return s, rest, nil
}
