package taxi

import (
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/predictor"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/sdr"
)

// ForecastParams configures a Forecaster: an HTM model that predicts a
// scalar series some steps ahead (Cui, Ahmad & Hawkins 2016, "Continuous
// online sequence learning with an unsupervised neural network model").
type ForecastParams struct {
	// Value encodes the predicted metric. Its buckets (encoder.Scalar's
	// Bucket) are the predictor's classes, so it must be non-periodic.
	Value encoder.ScalarParams
	// TimeOfDay and DayOfWeek, when their ActiveBits is nonzero, encode
	// the two context fields of a record (in the units the caller passes
	// to Step, e.g. minutes and days).
	TimeOfDay, DayOfWeek encoder.ScalarParams
	// SP is the spatial pooler; its input size must be the encoders' total.
	SP spatial.Params
	// TM is the temporal memory.
	TM htm.Params
	// Steps is the horizon: Step returns the prediction of the value Steps
	// records ahead.
	Steps int
	// Alpha and ValueAlpha are the predictor's rates (predictor.Params).
	Alpha, ValueAlpha float64
	// PredictiveCells adds the temporal memory's predictive cells (those
	// depolarised by an active segment: its prediction of the next record)
	// to its active cells in the predictor's input. Without it the
	// predictor reads the active cells alone.
	//
	// Cui et al. (2016) decode the predictions from the state of the
	// network after each record, and in HTM a cell's state is active,
	// predictive (depolarised) or inactive (Hawkins & Ahmad 2016); the
	// predictive cells are the part of that state that looks ahead. After
	// a correctly predicted record the active cells are just the 40
	// predicted, context-specific cells; the predictive cells add the
	// memory's own expectation of the next record. On the taxi data (steps
	// 10000 on, DefaultParams) the active cells alone give NRMSE
	// 0.459 and MAPE 0.115, active and predictive cells 0.313 and 0.084.
	PredictiveCells bool
}

// DefaultParams returns the HTM model of Cui et al. (2016) for the NYC
// taxi passenger counts, as described in docs/benchmarks.md §2.2:
// scalar encoders of the count (109 bits, 29 active, 0–40000), the time of
// day in minutes (periodic, 600 bits, 29 active, period 0–1411) and the day
// of the week (periodic, 100 bits, 29 active, 0–7); a spatial pooler of
// 2048 columns with 40 active, potentialPct 0.8, synPermConnected 0.5,
// synPermActiveInc 0.0001, synPermInactiveDec 0.0005, no boosting; a
// temporal memory of 32 cells per column with activation and matching
// thresholds 15, 32 new synapses, at most 32 synapses per segment and 128
// segments per cell, initial permanence 0.21, increment and decrement 0.1,
// predictedSegmentDecrement 0.01; and an SDR classifier with alpha 0.01
// predicting 5 steps ahead. The potential radius of the pooler is not given
// there; the whole input is used, as in the NAB detectors. The seeds are
// NuPIC's usual 1956 (pooler) and 1960 (temporal memory).
//
// Two choices follow the papers rather than §2.2's parameter list:
//
//   - The pooler's permanences start uniform on [0, 1)
//     (spatial.InitUniform), the initialisation of the spatial pooler
//     paper (Cui, Ahmad & Hawkins 2017), whose end-to-end example is this
//     taxi task. With synPermInactiveDec 0.0005 the near-threshold
//     initialisation (spatial.InitNearThreshold) keeps the pooler's codes
//     drifting for months of data (see package spatial), and the temporal
//     memory must keep relearning them: NRMSE 0.588 and MAPE 0.150 from step 10000 with the active
//     cells alone as the predictor's input, 0.459 and 0.115 with InitUniform.
//   - The predictor reads the active and the predictive cells
//     (PredictiveCells; see there), which brings these to 0.313 and 0.084
//     (published: 0.286 and 0.081).
//
// The prediction is the average value of the most probable bucket
// (predictor.Prediction.Value), the model's single best prediction, as the
// predictor package describes; the expected value over the predicted
// distribution does worse here (NRMSE 0.349, MAPE 0.117).
func DefaultParams() ForecastParams {
	p := ForecastParams{
		Value:     encoder.ScalarParams{Minimum: 0, Maximum: 40000, Size: 109, ActiveBits: 29, ClipInput: true},
		TimeOfDay: encoder.ScalarParams{Minimum: 0, Maximum: 1411, Size: 600, ActiveBits: 29, Periodic: true},
		DayOfWeek: encoder.ScalarParams{Minimum: 0, Maximum: 7, Size: 100, ActiveBits: 29, Periodic: true},
		Steps:     5, Alpha: 0.01, ValueAlpha: 0.3,
	}
	in := 109 + 600 + 100
	sp := spatial.DefaultParams([]int{in}, []int{2048})
	sp.PotentialRadius = in
	sp.PotentialPct = 0.8
	sp.GlobalInhibition = true
	sp.LocalAreaDensity = 0
	sp.NumActiveColumnsPerInhArea = 40
	sp.SynPermConnected = 0.5
	sp.SynPermActiveInc = 0.0001
	sp.SynPermInactiveDec = 0.0005
	sp.BoostStrength = 0
	sp.Seed = 1956
	sp.InitPermanence = spatial.InitUniform
	p.SP = sp
	p.PredictiveCells = true

	tm := htm.DefaultParams()
	tm.NumColumns = 2048
	tm.CellsPerColumn = 32
	tm.ActivationThreshold = 15
	tm.MinThreshold = 15
	tm.MaxNewSynapseCount = 32
	tm.MaxSynapsesPerSegment = 32
	tm.MaxSegmentsPerCell = 128
	tm.InitialPermanence = 0.21
	tm.PermanenceIncrement = 0.1
	tm.PermanenceDecrement = 0.1
	tm.PredictedSegmentDecrement = 0.01
	tm.Seed = 1960
	p.TM = tm
	return p
}

// Forecaster predicts a scalar series Steps records ahead, learning online.
// It is deterministic. A Forecaster must not be used by several goroutines
// at once.
type Forecaster struct {
	p         ForecastParams
	value     *encoder.Scalar
	tod, dow  *encoder.Scalar
	sp        *spatial.SpatialPooler
	tm        *htm.TemporalMemory
	pred      *predictor.Predictor
	bits      []uint32
	input     *sdr.SDR
	columns   *sdr.SDR
	cells     *sdr.SDR
	cellBuf   []uint32
	pdf       []float64
	offsetTod uint32
	offsetDow uint32
}

// NewForecaster returns an untrained Forecaster.
func NewForecaster(p ForecastParams) (*Forecaster, error) {
	f := &Forecaster{p: p}
	var err error
	if p.Value.Periodic {
		return nil, errors.New("htmdetect: the value encoder of a forecaster must not be periodic")
	}
	if f.value, err = encoder.NewScalar(p.Value); err != nil {
		return nil, fmt.Errorf("htmdetect: value encoder: %w", err)
	}
	n := f.value.Size()
	if p.TimeOfDay.ActiveBits != 0 {
		if f.tod, err = encoder.NewScalar(p.TimeOfDay); err != nil {
			return nil, fmt.Errorf("htmdetect: time-of-day encoder: %w", err)
		}
		f.offsetTod = uint32(n)
		n += f.tod.Size()
	}
	if p.DayOfWeek.ActiveBits != 0 {
		if f.dow, err = encoder.NewScalar(p.DayOfWeek); err != nil {
			return nil, fmt.Errorf("htmdetect: day-of-week encoder: %w", err)
		}
		f.offsetDow = uint32(n)
		n += f.dow.Size()
	}
	if f.input, err = sdr.New(n); err != nil {
		return nil, fmt.Errorf("htmdetect: %w", err)
	}
	if f.sp, err = spatial.New(p.SP); err != nil {
		return nil, fmt.Errorf("htmdetect: spatial pooler: %w", err)
	}
	if f.sp.NumInputs() != n {
		return nil, fmt.Errorf("htmdetect: the spatial pooler has %d inputs, the encoders %d bits", f.sp.NumInputs(), n)
	}
	if p.TM.NumColumns != f.sp.NumColumns() {
		return nil, fmt.Errorf("htmdetect: the temporal memory has %d columns, the spatial pooler %d", p.TM.NumColumns, f.sp.NumColumns())
	}
	if f.columns, err = sdr.New(f.sp.NumColumns()); err != nil {
		return nil, fmt.Errorf("htmdetect: %w", err)
	}
	if f.tm, err = htm.New(p.TM); err != nil {
		return nil, fmt.Errorf("htmdetect: temporal memory: %w", err)
	}
	if f.cells, err = sdr.New(f.tm.NumCells()); err != nil {
		return nil, fmt.Errorf("htmdetect: %w", err)
	}
	pp := predictor.DefaultParams(f.tm.NumCells(), p.Steps)
	pp.Alpha, pp.ValueAlpha = p.Alpha, p.ValueAlpha
	pp.MaxBuckets = f.value.Buckets()
	if f.pred, err = predictor.New(pp); err != nil {
		return nil, fmt.Errorf("htmdetect: predictor: %w", err)
	}
	return f, nil
}

// Step feeds the next record — the value and its two context fields (ignored
// when their encoder is off) — through the model, learning, and returns the
// prediction of the value Steps records ahead (NaN until the predictor has
// learned something) and the raw anomaly score of this record.
func (f *Forecaster) Step(value, timeOfDay, dayOfWeek float64) (prediction, rawAnomaly float64, err error) {
	bucket, err := f.value.Bucket(value)
	if err != nil {
		return math.NaN(), 0, fmt.Errorf("%w: %v", ErrInput, err)
	}
	bits, err := f.value.AppendEncode(f.bits[:0], value)
	if err != nil {
		return math.NaN(), 0, fmt.Errorf("%w: %v", ErrInput, err)
	}
	for _, part := range []struct {
		enc *encoder.Scalar
		v   float64
		off uint32
	}{{f.tod, timeOfDay, f.offsetTod}, {f.dow, dayOfWeek, f.offsetDow}} {
		if part.enc == nil {
			continue
		}
		k := len(bits)
		if bits, err = part.enc.AppendEncode(bits, part.v); err != nil {
			return math.NaN(), 0, fmt.Errorf("%w: %v", ErrInput, err)
		}
		for i := k; i < len(bits); i++ {
			bits[i] += part.off
		}
	}
	f.bits = bits
	if err := f.input.SetSparse(bits); err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	if err := f.sp.Compute(f.input, true, f.columns); err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	if err := f.tm.Compute(f.columns.Sparse(), true); err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	input := f.tm.ActiveCells()
	if f.p.PredictiveCells {
		f.cellBuf = mergeSorted(f.cellBuf[:0], input, f.tm.PredictiveCells())
		input = f.cellBuf
	}
	if err := f.cells.SetSparse(input); err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	pr, err := f.pred.Infer(f.cells, f.p.Steps, f.pdf)
	if err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	f.pdf = pr.PDF
	if err := f.pred.Learn(f.cells, bucket, value); err != nil {
		return math.NaN(), 0, fmt.Errorf("htmdetect: %w", err)
	}
	return pr.Value, f.tm.Anomaly(), nil
}

// mergeSorted appends to dst the union of the increasing slices a and b,
// increasing and without duplicates.
func mergeSorted(dst, a, b []uint32) []uint32 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			dst = append(dst, a[i])
			i++
		case a[i] > b[j]:
			dst = append(dst, b[j])
			j++
		default:
			dst = append(dst, a[i])
			i++
			j++
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// ForecastScore holds the errors of a forecast over the evaluated steps.
type ForecastScore struct {
	// NRMSE is the root-mean-square error divided by the standard
	// deviation of the whole series.
	NRMSE float64
	// MAPE is the sum-normalised absolute percentage error
	// Σ|pred − truth| / Σ|truth|.
	MAPE float64
	// N is the number of steps evaluated.
	N int
}

// EvaluateForecast scores predictions of a series x: pred[t] predicts
// x[t+horizon]. It evaluates the steps t ≥ skip with the metrics of Cui et
// al. (2016) as defined in docs/benchmarks.md §2.2: NRMSE =
// sqrt(mean((pred − truth)²)) / std(x) with the population standard
// deviation of the whole series, and MAPE = Σ|pred − truth| / Σ|truth|.
//
// The last horizon steps have no truth. With wrap set they are scored
// against the first values of the series, truth[t] = x[(t+horizon) mod
// len(x)], exactly as the published evaluation did (it took the truth as
// np.roll(x, −horizon)); this is what reproduces its shift baseline, 0.927 /
// 0.322 on the NYC taxi data (0.926 without). Without wrap they are left
// out. A NaN prediction among the evaluated steps is an error.
func EvaluateForecast(x, pred []float64, horizon, skip int, wrap bool) (ForecastScore, error) {
	if len(pred) != len(x) {
		return ForecastScore{}, fmt.Errorf("htmdetect: %d predictions for %d values", len(pred), len(x))
	}
	if horizon < 0 || skip < 0 {
		return ForecastScore{}, fmt.Errorf("htmdetect: negative horizon %d or skip %d", horizon, skip)
	}
	end := len(x) - horizon
	if wrap {
		end = len(x)
	}
	if skip >= end || horizon >= len(x) {
		return ForecastScore{}, fmt.Errorf("htmdetect: nothing to evaluate: skip %d, %d values, horizon %d", skip, len(x), horizon)
	}
	var p, truth []float64
	for t := skip; t < end; t++ {
		if math.IsNaN(pred[t]) || math.IsInf(pred[t], 0) {
			return ForecastScore{}, fmt.Errorf("htmdetect: prediction %d is %v", t, pred[t])
		}
		p = append(p, pred[t])
		truth = append(truth, x[(t+horizon)%len(x)])
	}
	sd := Std(x)
	if sd == 0 {
		return ForecastScore{}, errors.New("htmdetect: the series is constant (NRMSE undefined)")
	}
	mape, err := MAPE(p, truth)
	if err != nil {
		return ForecastScore{}, err
	}
	return ForecastScore{NRMSE: RMSE(p, truth) / sd, MAPE: mape, N: len(p)}, nil
}

// RMSE returns sqrt(mean((pred − truth)²)), NaN for empty or unequal inputs.
func RMSE(pred, truth []float64) float64 {
	if len(pred) != len(truth) || len(pred) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i := range pred {
		d := pred[i] - truth[i]
		s += d * d
	}
	return math.Sqrt(s / float64(len(pred)))
}

// MAPE returns the sum-normalised absolute percentage error
// Σ|pred − truth| / Σ|truth| (the "altMAPE" of Cui et al. 2016), which stays
// finite when a single truth value is 0.
func MAPE(pred, truth []float64) (float64, error) {
	if len(pred) != len(truth) || len(pred) == 0 {
		return math.NaN(), fmt.Errorf("htmdetect: MAPE of %d predictions and %d truths", len(pred), len(truth))
	}
	num, den := 0.0, 0.0
	for i := range pred {
		num += math.Abs(pred[i] - truth[i])
		den += math.Abs(truth[i])
	}
	if den == 0 {
		return math.NaN(), errors.New("htmdetect: MAPE undefined: every truth is 0")
	}
	return num / den, nil
}

// Std returns the population standard deviation of x (NaN if empty).
func Std(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}
