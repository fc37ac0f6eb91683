// Package taxi is the NYC taxi experiment of Cui, Ahmad & Hawkins (2016),
// "Continuous online sequence learning with an unsupervised neural network
// model": an HTM model (scalar encoders of the passenger count, the time of
// day and the day of week, a spatial pooler, the temporal memory and an
// SDR classifier) learns the series online, in a single pass, and predicts
// each count Steps (5, 2.5 hours) ahead. Predictions are scored from step
// 10000 on (the protocol's skipTrain) by NRMSE = sqrt(mean((pred −
// truth)²)) / std(whole series) and MAPE = Σ|pred − truth| / Σ|truth|,
// beside the published numbers and the shift baseline x[t+5] := x[t].
package taxi

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrInput is wrapped by the errors of Forecaster.Step for an input it
// cannot take (a non-finite value).
var ErrInput = errors.New("taxi: invalid input")

// Skip is the first step scored by default (skipTrain of Cui et al.).
const Skip = 10000

// Reference is a published result beside which a run is shown.
type Reference struct {
	Model      string  `json:"model"`
	NRMSE      float64 `json:"nrmse"`
	MAPE       float64 `json:"mape"`
	Provenance string  `json:"provenance"`
}

// Published are the reference numbers of benchmarks.md §2.2, recomputed
// there from the prediction files stored in numenta/htmresearch.
var Published = []Reference{
	{Model: "HTM (Cui et al. 2016)", NRMSE: 0.286, MAPE: 0.081, Provenance: "htmresearch prediction/nyc_taxi_TM_pred.csv"},
	{Model: "LSTM-6000", NRMSE: 0.274, MAPE: 0.082, Provenance: "htmresearch results/nyc_taxi_experiment_continuous/learning_window6001.0/0.log"},
	{Model: "LSTM-3000", NRMSE: 0.298, MAPE: 0.088, Provenance: "htmresearch, same experiment"},
	{Model: "ESN online", NRMSE: 0.286, MAPE: 0.096, Provenance: "htmresearch prediction/nyc_taxi_esn_online_pred.csv"},
	{Model: "shift (x[t+5] := x[t])", NRMSE: 0.927, MAPE: 0.322, Provenance: "naive baseline"},
}

// Data is the NYC taxi series: passenger counts per 30 minutes with the
// time of day (minutes) and day of week (0 = Monday).
type Data struct {
	Times           []time.Time
	Count, TOD, DOW []float64
}

// ReadCSV reads the taxi CSV: a header row naming at least timestamp and
// passenger_count (timeofday and dayofweek are derived from the timestamp
// when absent), optionally followed by NuPIC's two extra header rows (field
// types and flags), then one record per row.
func ReadCSV(r io.Reader, name string) (*Data, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (expected a header timestamp,passenger_count,...)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	iTime, okT := col["timestamp"]
	iCount, okC := col["passenger_count"]
	if !okT || !okC {
		return nil, fmt.Errorf("%s:1: header %q lacks timestamp or passenger_count", name, strings.Join(header, ","))
	}
	iTOD, hasTOD := col["timeofday"]
	iDOW, hasDOW := col["dayofweek"]
	d := &Data{}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), len(header))
		}
		// NuPIC's second and third header rows: types ("datetime,int,...")
		// and flags ("T,,,").
		if len(d.Times) == 0 && line <= 3 {
			if f := strings.TrimSpace(rec[iTime]); f == "datetime" || f == "T" || f == "" {
				continue
			}
		}
		t, err := time.Parse("2006-01-02 15:04:05", strings.TrimSpace(rec[iTime]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: timestamp %q is not of the form YYYY-MM-DD HH:MM:SS", name, line, rec[iTime])
		}
		num := func(i int, what string) (float64, error) {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%s:%d: %s %q is not a finite number", name, line, what, rec[i])
			}
			return v, nil
		}
		c, err := num(iCount, "passenger_count")
		if err != nil {
			return nil, err
		}
		tod := float64(t.Hour()*60 + t.Minute())
		if hasTOD {
			if tod, err = num(iTOD, "timeofday"); err != nil {
				return nil, err
			}
		}
		dow := float64((int(t.Weekday()) + 6) % 7) // Monday = 0
		if hasDOW {
			if dow, err = num(iDOW, "dayofweek"); err != nil {
				return nil, err
			}
		}
		d.Times = append(d.Times, t)
		d.Count = append(d.Count, c)
		d.TOD = append(d.TOD, tod)
		d.DOW = append(d.DOW, dow)
	}
	if len(d.Times) == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	return d, nil
}

// Load reads the taxi CSV file at path (ReadCSV).
func Load(path string) (*Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, path)
}

// Result is a scored run.
type Result struct {
	Data        string      `json:"data"`
	Rows        int         `json:"rows"`
	Steps       int         `json:"steps_ahead"`
	Skip        int         `json:"evaluated_from"`
	Evaluated   int         `json:"evaluated_steps"`
	NRMSE       float64     `json:"nrmse"`
	MAPE        float64     `json:"mape"`
	ShiftNRMSE  float64     `json:"shift_nrmse"`
	ShiftMAPE   float64     `json:"shift_mape"`
	MeanAnomaly float64     `json:"mean_raw_anomaly_evaluated"`
	Seconds     float64     `json:"seconds"`
	Published   []Reference `json:"published"`
	// Predictions[t] is the prediction of the value p.Steps rows after t
	// (NaN where the model has none).
	Predictions []float64 `json:"-"`
}

// Run runs the forecaster p over the series d and scores the predictions
// from step skip on.
func Run(d *Data, p ForecastParams, skip int) (*Result, error) {
	if skip < 0 || len(d.Count) <= skip+p.Steps {
		return nil, fmt.Errorf("the series has %d rows; steps %d on are scored, so it needs more than %d", len(d.Count), skip, skip+p.Steps)
	}
	f, err := NewForecaster(p)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	pred := make([]float64, len(d.Count))
	anom := 0.0
	for t := range d.Count {
		v, raw, err := f.Step(d.Count[t], d.TOD[t], d.DOW[t])
		if err != nil {
			return nil, fmt.Errorf("row %d (%s): %w", t, d.Times[t].Format(time.DateTime), err)
		}
		pred[t] = v
		if t >= skip {
			anom += raw
		}
	}
	secs := time.Since(t0).Seconds()
	sc, err := EvaluateForecast(d.Count, pred, p.Steps, skip, true)
	if err != nil {
		return nil, err
	}
	shift, err := EvaluateForecast(d.Count, d.Count, p.Steps, skip, true)
	if err != nil {
		return nil, err
	}
	return &Result{
		Rows: len(d.Count), Steps: p.Steps, Skip: skip, Evaluated: sc.N,
		NRMSE: sc.NRMSE, MAPE: sc.MAPE, ShiftNRMSE: shift.NRMSE, ShiftMAPE: shift.MAPE,
		MeanAnomaly: anom / float64(sc.N), Seconds: secs, Published: Published, Predictions: pred,
	}, nil
}

// WritePredictions writes timestamp,passenger_count,prediction,truth rows
// (the prediction and the truth of the value steps rows later) to path.
func WritePredictions(path string, d *Data, pred []float64, steps int) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fh)
	fmt.Fprintf(bw, "timestamp,passenger_count,prediction_t_plus_%d,truth_t_plus_%d\n", steps, steps)
	for t := range d.Count {
		truth := ""
		if t+steps < len(d.Count) {
			truth = strconv.FormatFloat(d.Count[t+steps], 'g', -1, 64)
		}
		pv := ""
		if !math.IsNaN(pred[t]) {
			pv = strconv.FormatFloat(pred[t], 'g', -1, 64)
		}
		fmt.Fprintf(bw, "%s,%s,%s,%s\n", d.Times[t].Format(time.DateTime), strconv.FormatFloat(d.Count[t], 'g', -1, 64), pv, truth)
	}
	if err := bw.Flush(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// WriteText writes the result as the table of 'dendritic taxi'.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("NYC taxi passenger counts, %d-step-ahead prediction (Cui, Ahmad & Hawkins 2016; benchmarks.md §2.2)\n", r.Steps)
	p("data:      %s (%d rows)\n", r.Data, r.Rows)
	p("model:     scalar encoders (count, time of day, day of week) → SP 2048/40 (uniform initial permanences)\n")
	p("           → TM 32 cells → SDR classifier of the active and predictive cells (alpha 0.01)\n")
	p("scored:    steps %d … %d (%d predictions of x[t+%d]; the last %d are scored against the first\n", r.Skip, r.Skip+r.Evaluated-1, r.Evaluated, r.Steps, r.Steps)
	p("           values, as the published np.roll evaluation did), online, single pass; %.1f s\n\n", r.Seconds)
	p("%-28s %7s %7s  %s\n", "model", "NRMSE", "MAPE", "source")
	p("%-28s %7.3f %7.3f  %s\n", "HTM (this run)", r.NRMSE, r.MAPE, "dendritic")
	p("%-28s %7.3f %7.3f  %s\n", "shift (this run)", r.ShiftNRMSE, r.ShiftMAPE, "same metric code, x[t+5] := x[t]")
	for _, x := range r.Published {
		p("%-28s %7.3f %7.3f  %s\n", x.Model, x.NRMSE, x.MAPE, x.Provenance)
	}
	p("\nNRMSE = sqrt(mean((pred − truth)²)) / std(whole series); MAPE = Σ|pred − truth| / Σ|truth|.\n")
	p("Published rows: recomputed in benchmarks.md §2.2 from htmresearch's stored predictions.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
