package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dendritic/dendritic/htmdetect"
)

func init() {
	registerLegacy(command{
		name:    "taxi",
		summary: "NYC taxi 5-step-ahead prediction with HTM (Cui et al. 2016): NRMSE and MAPE",
		run:     runTaxi,
	})
}

// defaultTaxiFile is where the project keeps its read-only copy of the data.
const defaultTaxiFile = "../shared/data/nyc_taxi/nyc_taxi.csv"

// taxiSkip is the first step scored by default (skipTrain of Cui et al.).
const taxiSkip = 10000

// taxiPublished are the reference numbers of benchmarks.md §2.2, recomputed
// there from the prediction files stored in numenta/htmresearch.
var taxiPublished = []struct {
	Model      string  `json:"model"`
	NRMSE      float64 `json:"nrmse"`
	MAPE       float64 `json:"mape"`
	Provenance string  `json:"provenance"`
}{
	{Model: "HTM (Cui et al. 2016)", NRMSE: 0.286, MAPE: 0.081, Provenance: "htmresearch prediction/nyc_taxi_TM_pred.csv"},
	{Model: "LSTM-6000", NRMSE: 0.274, MAPE: 0.082, Provenance: "htmresearch results/nyc_taxi_experiment_continuous/learning_window6001.0/0.log"},
	{Model: "LSTM-3000", NRMSE: 0.298, MAPE: 0.088, Provenance: "htmresearch, same experiment"},
	{Model: "ESN online", NRMSE: 0.286, MAPE: 0.096, Provenance: "htmresearch prediction/nyc_taxi_esn_online_pred.csv"},
	{Model: "shift (x[t+5] := x[t])", NRMSE: 0.927, MAPE: 0.322, Provenance: "naive baseline"},
}

// taxiData is the NYC taxi series: passenger counts per 30 minutes with the
// time of day (minutes) and day of week (0 = Monday).
type taxiData struct {
	Times           []time.Time
	Count, TOD, DOW []float64
	hasTOD, hasDOW  bool
	source          string
}

// readTaxiCSV reads the taxi CSV: a header row naming at least timestamp and
// passenger_count (timeofday and dayofweek are derived from the timestamp
// when absent), optionally followed by NuPIC's two extra header rows (field
// types and flags), then one record per row.
func readTaxiCSV(r io.Reader, name string) (*taxiData, error) {
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
	d := &taxiData{hasTOD: hasTOD, hasDOW: hasDOW, source: name}
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

type taxiResult struct {
	Data        string  `json:"data"`
	Rows        int     `json:"rows"`
	Steps       int     `json:"steps_ahead"`
	Skip        int     `json:"evaluated_from"`
	Evaluated   int     `json:"evaluated_steps"`
	NRMSE       float64 `json:"nrmse"`
	MAPE        float64 `json:"mape"`
	ShiftNRMSE  float64 `json:"shift_nrmse"`
	ShiftMAPE   float64 `json:"shift_mape"`
	MeanAnomaly float64 `json:"mean_raw_anomaly_evaluated"`
	Seconds     float64 `json:"seconds"`
	Published   any     `json:"published"`
}

func runTaxi(args []string, stdout, stderr io.Writer) int {
	const name = "dendritic taxi"
	fs := flag.NewFlagSet("taxi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "NYC taxi CSV (default "+defaultTaxiFile+" if it exists)")
	format := fs.String("format", "text", "output format: text or json")
	predictions := fs.String("predictions", "", "also write the per-step predictions to this CSV file")
	skip := fs.Int("skip", taxiSkip, "first step scored (the protocol's 10000; change it only for other data)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic taxi [--data FILE] [--format text|json] [--predictions FILE]")
		fmt.Fprintln(stderr, "\nRuns the HTM model of Cui, Ahmad & Hawkins (2016) online over the NYC taxi passenger")
		fmt.Fprintln(stderr, "counts (encoders, spatial pooler, temporal memory, SDR classifier), predicting each")
		fmt.Fprintln(stderr, "count 5 steps (2.5 h) ahead, and reports NRMSE and MAPE from step 10000 on beside")
		fmt.Fprintln(stderr, "the published numbers.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr, name); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(stderr, name, format, a...) }
	if *format != "text" && *format != "json" {
		return usageErr("unknown --format %q (text or json)", *format)
	}
	if *skip < 0 {
		return usageErr("--skip must be at least 0")
	}
	path := *data
	if path == "" {
		if _, err := os.Stat(defaultTaxiFile); err != nil {
			return usageErr("--data is required (the default %s was not found)", defaultTaxiFile)
		}
		path = defaultTaxiFile
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	fh, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	d, err := readTaxiCSV(fh, path)
	fh.Close()
	if err != nil {
		return fail(err)
	}
	p := htmdetect.TaxiForecastParams()
	if len(d.Count) <= *skip+p.Steps {
		return fail(fmt.Errorf("%s has %d rows; steps %d on are scored (--skip), so it needs more than %d", path, len(d.Count), *skip, *skip+p.Steps))
	}
	res, pred, err := taxiRun(d, p, *skip)
	if err != nil {
		return fail(err)
	}
	res.Data = path
	if *predictions != "" {
		if err := writeTaxiPredictions(*predictions, d, pred, p.Steps); err != nil {
			return fail(err)
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fail(err)
		}
		return 0
	}
	w := &nabOut{w: stdout}
	w.printf("NYC taxi passenger counts, %d-step-ahead prediction (Cui, Ahmad & Hawkins 2016; benchmarks.md §2.2)\n", res.Steps)
	w.printf("data:      %s (%d rows)\n", res.Data, res.Rows)
	w.printf("model:     scalar encoders (count, time of day, day of week) → SP 2048/40 (uniform initial permanences)\n")
	w.printf("           → TM 32 cells → SDR classifier of the active and predictive cells (alpha 0.01)\n")
	w.printf("scored:    steps %d … %d (%d predictions of x[t+%d]; the last %d are scored against the first\n", res.Skip, res.Skip+res.Evaluated-1, res.Evaluated, res.Steps, res.Steps)
	w.printf("           values, as the published np.roll evaluation did), online, single pass; %.1f s\n\n", res.Seconds)
	w.printf("%-28s %7s %7s  %s\n", "model", "NRMSE", "MAPE", "source")
	w.printf("%-28s %7.3f %7.3f  %s\n", "HTM (this run)", res.NRMSE, res.MAPE, "dendritic")
	w.printf("%-28s %7.3f %7.3f  %s\n", "shift (this run)", res.ShiftNRMSE, res.ShiftMAPE, "same metric code, x[t+5] := x[t]")
	for _, r := range taxiPublished {
		w.printf("%-28s %7.3f %7.3f  %s\n", r.Model, r.NRMSE, r.MAPE, r.Provenance)
	}
	w.printf("\nNRMSE = sqrt(mean((pred − truth)²)) / std(whole series); MAPE = Σ|pred − truth| / Σ|truth|.\n")
	w.printf("Published rows: recomputed in benchmarks.md §2.2 from htmresearch's stored predictions.\n")
	if w.err != nil {
		return fail(w.err)
	}
	return 0
}

// taxiRun runs the forecaster over the series and scores it.
func taxiRun(d *taxiData, p htmdetect.ForecastParams, skip int) (*taxiResult, []float64, error) {
	f, err := htmdetect.NewForecaster(p)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	pred := make([]float64, len(d.Count))
	anom := 0.0
	for t := range d.Count {
		v, raw, err := f.Step(d.Count[t], d.TOD[t], d.DOW[t])
		if err != nil {
			return nil, nil, fmt.Errorf("row %d (%s): %w", t, d.Times[t].Format(time.DateTime), err)
		}
		pred[t] = v
		if t >= skip {
			anom += raw
		}
	}
	secs := time.Since(t0).Seconds()
	sc, err := htmdetect.EvaluateForecast(d.Count, pred, p.Steps, skip, true)
	if err != nil {
		return nil, nil, err
	}
	shift, err := htmdetect.EvaluateForecast(d.Count, d.Count, p.Steps, skip, true)
	if err != nil {
		return nil, nil, err
	}
	return &taxiResult{
		Rows: len(d.Count), Steps: p.Steps, Skip: skip, Evaluated: sc.N,
		NRMSE: sc.NRMSE, MAPE: sc.MAPE, ShiftNRMSE: shift.NRMSE, ShiftMAPE: shift.MAPE,
		MeanAnomaly: anom / float64(sc.N), Seconds: secs, Published: taxiPublished,
	}, pred, nil
}

// writeTaxiPredictions writes timestamp,value,prediction (of the value
// steps rows later),truth rows.
func writeTaxiPredictions(path string, d *taxiData, pred []float64, steps int) error {
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
