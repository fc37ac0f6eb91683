package htmdetect

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/sdr"
)

// ErrInput is wrapped by the errors of Step for an input it cannot take
// (a NaN or infinite value, or a value out of the encoder's range).
var ErrInput = errors.New("htmdetect: invalid input")

// Params configures a Detector: the stages of the pipeline, each with its
// own package's parameters.
type Params struct {
	// Value encodes the metric value.
	Value encoder.RDSEParams
	// Time encodes the timestamp; TimeOff disables it (the value alone
	// then feeds the spatial pooler).
	Time    encoder.DateParams
	TimeOff bool
	// SP is the spatial pooler. Its input size must be the encoders'
	// total (Value.Size plus the date encoder's size); NewParams sets it.
	SP spatial.Params
	// TM is the temporal memory; TM.NumColumns must equal the pooler's
	// number of columns.
	TM htm.Params
	// Likelihood is the anomaly likelihood of the raw scores.
	Likelihood anomaly.LikelihoodParams
	// SpatialTolerance is the tolerance of the spatial-range rule (a value
	// more than SpatialTolerance·(max − min) outside the range seen so far
	// scores 1); a negative value disables the rule.
	SpatialTolerance float64
	// SkipRepeats leaves out of the temporal memory a step whose active
	// columns are exactly those of the previous step, and gives it a raw
	// anomaly of 0 (see the package documentation, "Repeated inputs").
	SkipRepeats bool
}

// NumentaTMParams returns the detector of NAB's numentaTM detector, written
// from its description in docs/benchmarks.md §1.5, for a file whose
// values span [inputMin, inputMax] and whose probationary period is
// probation rows:
//
//   - value: RDSE of 400 bits, 21 active, seed 42, resolution
//     max(0.001, (range + 40 % padding)/130) (NumentaRDSEParams);
//   - time: the time of day, 21 bits, radius 9.49 h, 54 bits
//     (NumentaDateParams);
//   - spatial pooler: NumentaSpatialParams(454): 2048 columns, 40 active,
//     potentialPct 0.8, synPermConnected 0.2, inc 0.003, dec 0.0005, no
//     boosting, seed 1956, permanences initialised uniformly on [0, 1) as
//     in the spatial pooler paper (spatial.InitUniform);
//   - temporal memory (nupic.core's TemporalMemory as configured by
//     numentaTM): 32 cells per column, activationThreshold 20, minThreshold
//     13, maxNewSynapseCount 31, maxSynapsesPerSegment 128,
//     maxSegmentsPerCell 128, initialPermanence 0.24, connectedPermanence
//     0.5, permanenceIncrement 0.04, permanenceDecrement 0.008,
//     predictedSegmentDecrement 0.001, seed 1960;
//   - likelihood: NumentaLikelihoodParams(probation);
//   - spatial-range rule with tolerance 0.05.
func NumentaTMParams(inputMin, inputMax float64, probation int) Params {
	date := NumentaDateParams()
	p := Params{
		Value:            NumentaRDSEParams(inputMin, inputMax),
		Time:             date,
		TM:               NumentaTMTemporalParams(),
		Likelihood:       NumentaLikelihoodParams(probation),
		SpatialTolerance: NumentaSpatialTolerance,
	}
	p.SP = NumentaSpatialParams(p.inputSize())
	return p
}

// NumentaTMTemporalParams returns the temporal memory of NAB's numentaTM
// detector (benchmarks.md §1.5) in htm.Params terms.
func NumentaTMTemporalParams() htm.Params {
	tp := htm.DefaultParams()
	tp.NumColumns = 2048
	tp.CellsPerColumn = 32
	tp.ActivationThreshold = 20
	tp.MinThreshold = 13
	tp.MaxNewSynapseCount = 31
	tp.MaxSynapsesPerSegment = 128
	tp.MaxSegmentsPerCell = 128
	tp.InitialPermanence = 0.24
	tp.ConnectedPermanence = 0.5
	tp.PermanenceIncrement = 0.04
	tp.PermanenceDecrement = 0.008
	tp.PredictedSegmentDecrement = 0.001
	tp.Seed = 1960
	return tp
}

// inputSize is the number of encoder bits: the RDSE's size plus the date
// encoder's (54 for the time of day of width 21 and radius 9.49 h).
func (p Params) inputSize() int {
	n := p.Value.Size
	if !p.TimeOff {
		if d, err := encoder.NewDate(p.Time); err == nil {
			n += d.Size()
		}
	}
	return n
}

// Output is the detector's view of one record.
type Output struct {
	// Raw is the raw anomaly score: the fraction of the active columns that
	// the temporal memory did not predict.
	Raw float64
	// Likelihood is the anomaly likelihood of the raw scores (0.5 during
	// the likelihood's learning and estimation periods).
	Likelihood float64
	// LogLikelihood is anomaly.LogLikelihood(Likelihood), NAB's scale.
	LogLikelihood float64
	// Spatial reports a spatial anomaly: the value fell outside the range
	// seen so far by more than the tolerance.
	Spatial bool
	// Score is the final anomaly score of NAB's numenta detectors:
	// 1 on a spatial anomaly, LogLikelihood otherwise.
	Score float64
}

// Detector is a streaming HTM anomaly detector for one series: encoders,
// spatial pooler, temporal memory, anomaly likelihood and the spatial-range
// rule. Feed it the records in order with Step. It is deterministic: the
// same records give the same outputs, bit for bit. A Detector must not be
// used by several goroutines at once.
type Detector struct {
	p       Params
	value   *encoder.RDSE
	date    *encoder.Date
	sp      *spatial.SpatialPooler
	tm      *htm.TemporalMemory // nil for NewNumenta's detector
	btm     *btm.TM             // NewNumenta's temporal memory, nil for New's
	seq     sequenceMemory      // the temporal memory Step runs (tm or btm)
	like    *anomaly.Likelihood
	srange  *anomaly.SpatialRange
	bits    []uint32
	input   *sdr.SDR
	columns *sdr.SDR
	prev    []uint32 // the previous step's active columns
	stepped bool     // a step has been taken
}

// sequenceMemory is what Step needs of a temporal memory: one step on
// the active columns, and the raw anomaly score of that step.
type sequenceMemory interface {
	Compute(activeColumns []uint32, learn bool) error
	Anomaly() float64
}

// detectorWorkers is the number of goroutines a detector's spatial pooler
// and temporal memory use for one step: 1. Detectors run many at a time
// (`nab run` one per file on every core, `serve` one per model), so
// splitting each step over the cores would only make the detectors wait
// for each other's helpers; the results are the same for any number.
const detectorWorkers = 1

// New returns a Detector with parameters p.
func New(p Params) (*Detector, error) {
	d, err := newPipeline(p)
	if err != nil {
		return nil, err
	}
	if p.TM.NumColumns != d.sp.NumColumns() {
		return nil, fmt.Errorf("htmdetect: the temporal memory has %d columns, the spatial pooler %d", p.TM.NumColumns, d.sp.NumColumns())
	}
	if d.tm, err = htm.New(p.TM); err != nil {
		return nil, fmt.Errorf("htmdetect: temporal memory: %w", err)
	}
	d.tm.SetWorkers(detectorWorkers)
	d.seq = d.tm
	return d, nil
}

// newPipeline returns a Detector with every stage of p but the temporal
// memory.
func newPipeline(p Params) (*Detector, error) {
	d := &Detector{p: p}
	var err error
	if d.value, err = encoder.NewRDSE(p.Value); err != nil {
		return nil, fmt.Errorf("htmdetect: value encoder: %w", err)
	}
	n := d.value.Size()
	if !p.TimeOff {
		if d.date, err = encoder.NewDate(p.Time); err != nil {
			return nil, fmt.Errorf("htmdetect: time encoder: %w", err)
		}
		n += d.date.Size()
	}
	if d.input, err = sdr.New(n); err != nil {
		return nil, fmt.Errorf("htmdetect: %w", err)
	}
	if d.sp, err = spatial.New(p.SP); err != nil {
		return nil, fmt.Errorf("htmdetect: spatial pooler: %w", err)
	}
	if err := d.sp.SetWorkers(detectorWorkers); err != nil {
		return nil, fmt.Errorf("htmdetect: spatial pooler: %w", err)
	}
	if d.sp.NumInputs() != n {
		return nil, fmt.Errorf("htmdetect: the spatial pooler has %d inputs, the encoders %d bits", d.sp.NumInputs(), n)
	}
	if d.columns, err = sdr.New(d.sp.NumColumns()); err != nil {
		return nil, fmt.Errorf("htmdetect: %w", err)
	}
	if d.like, err = anomaly.NewLikelihood(p.Likelihood); err != nil {
		return nil, fmt.Errorf("htmdetect: likelihood: %w", err)
	}
	if p.SpatialTolerance >= 0 {
		if d.srange, err = anomaly.NewSpatialRange(p.SpatialTolerance); err != nil {
			return nil, fmt.Errorf("htmdetect: spatial range: %w", err)
		}
	}
	return d, nil
}

// Params returns the parameters.
func (d *Detector) Params() Params { return d.p }

// TemporalMemory returns the detector's standard temporal memory, for
// inspection (nil for a detector made by NewNumenta).
func (d *Detector) TemporalMemory() *htm.TemporalMemory { return d.tm }

// BacktrackingTM returns the backtracking temporal memory of a detector
// made by NewNumenta, for inspection (nil for one made by New).
func (d *Detector) BacktrackingTM() *btm.TM { return d.btm }

// Step feeds the next record (its timestamp and value) through the
// pipeline, learning, and returns the scores. A NaN or infinite value is an
// error wrapping ErrInput, and the detector is then unchanged.
func (d *Detector) Step(t time.Time, v float64) (Output, error) {
	raw, err := d.stepRaw(t, v)
	if err != nil {
		return Output{}, err
	}
	return d.scoreRaw(v, raw)
}

// stepRaw runs the encoders, the spatial pooler and the temporal memory on
// one record and returns the raw anomaly; a NaN or infinite value is an
// error wrapping ErrInput, and the detector is then unchanged.
func (d *Detector) stepRaw(t time.Time, v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: value %v", ErrInput, v)
	}
	bits, err := d.value.AppendEncode(d.bits[:0], v)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInput, err)
	}
	if d.date != nil {
		off := uint32(d.value.Size())
		k := len(bits)
		if bits, err = d.date.AppendEncode(bits, t); err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInput, err)
		}
		for i := k; i < len(bits); i++ {
			bits[i] += off
		}
	}
	d.bits = bits
	if err := d.input.SetSparse(bits); err != nil {
		return 0, fmt.Errorf("htmdetect: %w", err)
	}
	if err := d.sp.Compute(d.input, true, d.columns); err != nil {
		return 0, fmt.Errorf("htmdetect: %w", err)
	}
	var raw float64
	cols := d.columns.Sparse()
	if d.p.SkipRepeats && d.stepped && slices.Equal(cols, d.prev) {
		raw = 0
	} else {
		if err := d.seq.Compute(cols, true); err != nil {
			return 0, fmt.Errorf("htmdetect: %w", err)
		}
		raw = d.seq.Anomaly()
	}
	d.prev = append(d.prev[:0], cols...)
	d.stepped = true
	return raw, nil
}

// scoreRaw runs the likelihood and the spatial-range rule on the value v
// and its raw anomaly, and returns the record's outputs.
func (d *Detector) scoreRaw(v, raw float64) (Output, error) {
	o := Output{Raw: raw}
	var err error
	if o.Likelihood, err = d.like.Compute(v, o.Raw); err != nil {
		return Output{}, fmt.Errorf("htmdetect: %w", err)
	}
	o.LogLikelihood = anomaly.LogLikelihood(o.Likelihood)
	if d.srange != nil {
		o.Spatial = d.srange.Check(v)
	}
	o.Score = o.LogLikelihood
	if o.Spatial {
		o.Score = 1
	}
	o.Score = min(max(o.Score, 0), 1)
	return o, nil
}
