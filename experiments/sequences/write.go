package sequences

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// Summary is the short JSON form of a Result printed by the command line:
// the tasks with their final accuracies and the theory comparison.
type Summary struct {
	Seed          uint64         `json:"seed"`
	Steps         int            `json:"steps"`
	Tasks         []TaskResult   `json:"tasks"`
	Theory        *TheorySummary `json:"theory,omitempty"`
	PrefixSeconds float64        `json:"prefix_seconds"`
	Seconds       float64        `json:"seconds"`
	// Seeds is Result.Seeds without the bands (result.json has them).
	Seeds []SeedStats `json:"seeds,omitempty"`
}

// TheorySummary is the part of the theory comparison in the summary: the
// in-run rows and the census without its histogram.
type TheorySummary struct {
	Segments          int     `json:"segments"`
	Able              int     `json:"able_segments"`
	SegmentsPerColumn float64 `json:"segments_per_column"`
	MeanConnectedAble float64 `json:"mean_connected_able"`
	InRun             []InRun `json:"in_run"`
	// ProbeAgreement counts the probe thresholds at which the census
	// theory lies in the 95% interval of the measured column rate, per
	// probe kind ("uniform": cell-level theory; "bursting": column-level).
	ProbeAgreement map[string][2]int `json:"probe_agreement,omitempty"`
}

// Summary returns the summary of r.
func (r *Result) Summary() Summary {
	s := Summary{Seed: r.Config.Seed, Steps: r.Config.Steps, Tasks: r.Tasks, PrefixSeconds: r.PrefixSeconds, Seconds: r.Seconds}
	for _, st := range r.Seeds {
		st.Band = Band{}
		s.Seeds = append(s.Seeds, st)
	}
	if t := r.Theory; t != nil {
		s.Theory = &TheorySummary{
			Segments: t.Census.Segments, Able: t.Census.Able, SegmentsPerColumn: t.Census.SegmentsPerColumn,
			MeanConnectedAble: t.Census.MeanConnectedAble, InRun: t.InRun,
		}
		if len(t.Probes) > 0 {
			s.Theory.ProbeAgreement = t.ProbeAgreement()
		}
	}
	return s
}

// ProbeAgreement counts, per probe kind, the thresholds at which the
// matching census theory (cell-level for uniform probes, column-level for
// bursting ones) lies in the 95% interval of the measured column rate,
// and the number of thresholds.
func (t *Theory) ProbeAgreement() map[string][2]int {
	out := map[string][2]int{}
	for _, p := range t.Probes {
		th := p.CensusColumn
		if p.Kind == ProbeBursting {
			th = p.ColumnLevelColumn
		}
		v := out[p.Kind]
		if th >= p.ColumnRate.Lo95 && th <= p.ColumnRate.Hi95 {
			v[0]++
		}
		v[1]++
		out[p.Kind] = v
	}
	return out
}

// Write writes the report of r into dir (created if needed): for each task
// a CSV of every scored prediction (variant, value, step, correct, moving
// and cumulative accuracy) and an SVG of the moving accuracy; SVGs of the
// sweeps; the theory's CSV and SVG; summary.json (Summary) and
// result.json (the whole Result); and index.html, one self-contained
// page. It returns the names of the files written.
func Write(dir string, r *Result) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	put := func(name string, data []byte) error {
		files = append(files, name)
		return os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	figs, err := r.figures()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tasks {
		if err := put(t.Name+".csv", scoresCSV(&t, r.Config.Window)); err != nil {
			return nil, err
		}
	}
	for _, f := range figs {
		if err := put(f.File, f.SVG); err != nil {
			return nil, err
		}
	}
	if r.Theory != nil && len(r.Theory.Probes) > 0 {
		if err := put("false-predictions.csv", probesCSV(r.Theory.Probes)); err != nil {
			return nil, err
		}
	}
	sum, err := json.MarshalIndent(r.Summary(), "", "  ")
	if err != nil {
		return nil, err
	}
	if err := put("summary.json", append(sum, '\n')); err != nil {
		return nil, err
	}
	full, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := put("result.json", append(full, '\n')); err != nil {
		return nil, err
	}
	page, err := r.html(figs)
	if err != nil {
		return nil, err
	}
	if err := put("index.html", page); err != nil {
		return nil, err
	}
	return files, nil
}

func scoresCSV(t *TaskResult, w int) []byte {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"variant", "value", "step", "correct", "window_accuracy", "cumulative_accuracy"})
	for _, c := range t.Curves {
		win, cum := WindowAccuracy(c.Scores, w)
		for i, s := range c.Scores {
			ok := "0"
			if s.Correct {
				ok = "1"
			}
			cw.Write([]string{c.Label, ftoa(c.Value), strconv.Itoa(s.Step), ok, ftoa(win[i]), ftoa(cum[i])})
		}
	}
	cw.Flush()
	return buf.Bytes()
}

func probesCSV(rows []ProbeRow) []byte {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"kind", "threshold", "active_cells", "measured_segment_rate", "measured_column_rate", "column_lo95", "column_hi95",
		"columns_predicted", "column_trials", "census_segment", "census_column", "column_level_segment", "column_level_column",
		"parametric_column", "parametric_able_column"})
	for _, p := range rows {
		cw.Write([]string{p.Kind, strconv.Itoa(p.Threshold), strconv.Itoa(p.ActiveCells), ftoa(p.SegmentRate),
			ftoa(p.ColumnRate.Rate), ftoa(p.ColumnRate.Lo95), ftoa(p.ColumnRate.Hi95), strconv.Itoa(p.ColumnRate.Count),
			strconv.Itoa(p.ColumnRate.Trials), ftoa(p.CensusSegment), ftoa(p.CensusColumn), ftoa(p.ColumnLevelSegment),
			ftoa(p.ColumnLevelColumn), ftoa(p.ParametricColumn), ftoa(p.ParametricAbleColumn)})
	}
	cw.Flush()
	return buf.Bytes()
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// figure is one rendered chart.
type figure struct {
	ID, Title, File, Caption string
	SVG                      []byte
}

// chartSpec is a figure before rendering.
type chartSpec struct {
	id, title, caption string
	c                  *chart
}

func (r *Result) figures() ([]figure, error) {
	var figs []figure
	for _, s := range r.chartSpecs() {
		svg, err := s.c.svg()
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", s.id, err)
		}
		figs = append(figs, figure{ID: s.id, Title: s.title, File: s.id + ".svg", Caption: s.caption, SVG: svg})
	}
	return figs, nil
}

func (r *Result) chartSpecs() []chartSpec {
	cfg := r.Config
	var specs []chartSpec
	add := func(id, title, caption string, c *chart) {
		specs = append(specs, chartSpec{id, title, caption, c})
	}
	for _, t := range r.Tasks {
		c := &chart{
			title:  fmt.Sprintf("%s: accuracy on the last element (moving over %d predictions)", t.Name, cfg.Window),
			xlabel: "step", ylabel: "accuracy", xMin: 0, xMax: float64(cfg.Steps), yMin: 0, yMax: 1.02, yStep: 0.1,
			xStep:        niceStep(float64(cfg.Steps)),
			legendBottom: true,
		}
		if step := changeStep(cfg, t.Name); step >= 0 {
			c.vlines = []float64{float64(step)}
		}
		for i, cv := range t.Curves {
			win, _ := WindowAccuracy(cv.Scores, cfg.Window)
			s := series{label: cv.Label, color: i, width: 1}
			if cv == t.Headline {
				s.width = 1.8
				s.label += " (headline)"
			}
			if len(t.Curves) == 1 {
				s.label = cv.Label
			}
			for j, sc := range cv.Scores {
				s.xs = append(s.xs, float64(sc.Step))
				s.ys = append(s.ys, win[j])
			}
			c.series = append(c.series, s)
		}
		caption := fmt.Sprintf("Fraction of the last %d last-element predictions that were correct, after each scored step.", cfg.Window)
		if len(c.vlines) > 0 {
			caption += fmt.Sprintf(" The dashed grey line marks the change at step %d.", changeStep(cfg, t.Name))
		}
		if st := r.seedStats(t.Name); st != nil {
			caption += r.drawSeeds(c, &t, st)
		}
		add(t.Name, t.Name, caption, c)
		if len(t.Sweep) > 1 {
			what := "fraction of active columns replaced at every step"
			if t.Name == TaskCellDeath {
				what = "fraction of cells killed"
			}
			sc := &chart{
				title:  fmt.Sprintf("%s: accuracy against the %s", t.Name, what),
				xlabel: what, ylabel: "accuracy", yMin: 0, yMax: 1.02, yStep: 0.1, legendBottom: true, legendLeft: true,
				xMin: 0, xMax: 1, xStep: 0.1,
			}
			fin := series{label: fmt.Sprintf("final accuracy (last %d predictions)", cfg.FinalWindow), color: 0}
			low := series{label: fmt.Sprintf("lowest moving accuracy after the change (%d predictions)", cfg.Window), color: 1, style: "dashed"}
			for _, v := range t.Sweep {
				fin.xs, fin.ys = append(fin.xs, v.Value), append(fin.ys, v.FinalAccuracy)
				if v.Change != nil {
					low.xs, low.ys = append(low.xs, v.Value), append(low.ys, v.Change.MinWindowAccuracy)
				}
			}
			sc.series = []series{fin, low, {label: "", xs: fin.xs, ys: fin.ys, color: 0, markers: true}}
			sc.series[2].label = "runs"
			caption := "Final and lowest moving accuracy of every run of the sweep."
			if st := r.seedStats(t.Name); st != nil && len(st.Sweep) == len(t.Sweep) {
				caption += r.drawSweepSeeds(sc, st)
			}
			add(t.Name+"-sweep", t.Name+" sweep", caption, sc)
		}
	}
	if r.Theory != nil && len(r.Theory.Probes) > 0 {
		c := &chart{
			title:  "False predictions of the trained network for random inputs, against the threshold θ",
			xlabel: "threshold θ (active connected synapses needed)", ylabel: "fraction of columns predicted",
			xMin: 1.5, xMax: float64(cfg.TM.ActivationThreshold) + 0.5, xStep: 1, logY: true, legendLeft: true, legendBottom: true,
		}
		var ys []float64
		get := func(kind string, f func(p ProbeRow) float64, lo, hi func(p ProbeRow) float64) ([]float64, []float64, []float64, []float64) {
			var xs, v, l, h []float64
			for _, p := range r.Theory.Probes {
				if p.Kind != kind {
					continue
				}
				xs = append(xs, float64(p.Threshold))
				v = append(v, f(p))
				if lo != nil {
					l, h = append(l, lo(p)), append(h, hi(p))
				}
			}
			ys = append(ys, v...)
			return xs, v, l, h
		}
		xs, par, _, _ := get(ProbeUniform, func(p ProbeRow) float64 { return p.ParametricColumn }, nil, nil)
		_, able, _, _ := get(ProbeUniform, func(p ProbeRow) float64 { return p.ParametricAbleColumn }, nil, nil)
		_, cen, _, _ := get(ProbeUniform, func(p ProbeRow) float64 { return p.CensusColumn }, nil, nil)
		_, colLvl, _, _ := get(ProbeBursting, func(p ProbeRow) float64 { return p.ColumnLevelColumn }, nil, nil)
		meas := func(p ProbeRow) float64 { return p.ColumnRate.Rate }
		lo := func(p ProbeRow) float64 { return p.ColumnRate.Lo95 }
		hi := func(p ProbeRow) float64 { return p.ColumnRate.Hi95 }
		ux, uy, ul, uh := get(ProbeUniform, meas, lo, hi)
		bx, by, bl, bh := get(ProbeBursting, meas, lo, hi)
		c.series = []series{
			{label: "E5 from the parameters (s = maxNewSynapseCount, all segments)", xs: xs, ys: par, color: 5, style: "dotted"},
			{label: "E5 from the segments that can fire (mean s and m)", xs: xs, ys: able, color: 3, style: "dashed"},
			{label: "E2/E5 over the actual segments, cells (uniform input)", xs: xs, ys: cen, color: 0},
			{label: "E2/E5 over the actual segments, columns (bursting input)", xs: xs, ys: colLvl, color: 1},
			{label: "measured, uniform random cells (95% CI)", xs: ux, ys: uy, lo: ul, hi: uh, color: 0, markers: true, dx: -0.08},
			{label: "measured, bursting random columns (95% CI)", xs: bx, ys: by, lo: bl, hi: bh, color: 1, markers: true, dx: 0.08},
		}
		lowest := 0.0
		for _, y := range ys {
			if y > 0 {
				lowest = min(lowest, math.Log10(y))
			}
		}
		c.yMin, c.yMax = math.Floor(math.Max(-20, lowest-0.3)), 0.2
		caption := fmt.Sprintf("Each probe presents one random input to the store at the end of the high-order run, without learning; "+
			"a column counts as predicted when one of its segments has at least θ active connected synapses (the network uses θ = %d). "+
			"%d probes of each kind; measured zeros are not drawn (their 95%% upper bounds are in the table); an interval whose lower bound is 0 stops one decade below its point.", cfg.TM.ActivationThreshold, cfg.Probes)
		add("false-predictions", "false predictions", caption, c)
	}
	return specs
}
