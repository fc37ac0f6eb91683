package sequences

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/dendritic/dendritic/internal/htmlpage"
)

type figView struct {
	figure
	Inline template.HTML
}

type taskView struct {
	*TaskResult
	Fig, SweepFig *figView
	Files         []string
	Notes         []string
	// SeedSweep is the sweep over the seeds (nil for one seed).
	SeedSweep []SweepStats
}

type pageView struct {
	R          *Result
	Cfg        Config
	Tasks      []taskView
	Theory     *Theory
	TheoryFig  *figView
	Discussion []string
	Agreement  map[string][2]int
}

func (r *Result) html(figs []figure) ([]byte, error) {
	byID := map[string]*figView{}
	for _, f := range figs {
		byID[f.ID] = &figView{figure: f, Inline: htmlpage.InlineSVG(f.SVG, f.Title, f.Caption)}
	}
	v := pageView{R: r, Cfg: r.Config, Theory: r.Theory, TheoryFig: byID["false-predictions"]}
	for i := range r.Tasks {
		t := &r.Tasks[i]
		tv := taskView{TaskResult: t, Fig: byID[t.Name], SweepFig: byID[t.Name+"-sweep"], Files: []string{t.Name + ".csv", t.Name + ".svg"}}
		if tv.SweepFig != nil {
			tv.Files = append(tv.Files, tv.SweepFig.File)
		}
		tv.Notes = taskNotes(t, r.Config)
		if st := r.seedStats(t.Name); st != nil {
			tv.SeedSweep = st.Sweep
			if n := r.seedNote(t, st); n != "" {
				tv.Notes = append(tv.Notes, n)
			}
		}
		v.Tasks = append(v.Tasks, tv)
	}
	if r.Theory != nil {
		v.Discussion = r.Theory.discussion(r.Config)
		if len(r.Theory.Probes) > 0 {
			v.Agreement = r.Theory.ProbeAgreement()
		}
	}
	page := htmlpage.Page{Title: pageTitle, CSS: pageCSS, Body: pageBody, Funcs: template.FuncMap{
		"pct":      func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
		"acc":      func(x float64) string { return fmt.Sprintf("%.3f", x) },
		"accp":     func(x *float64) string { return fmt.Sprintf("%.3f", *x) },
		"lastseed": func() uint64 { return r.Config.Seed + uint64(max(r.Config.Seeds, 1)) - 1 },
		"recovery": func() float64 { return RecoveryLevel },
		"rate":     fmtRate,
		"secs":     func(x float64) string { return fmt.Sprintf("%.1f", x) },
		"f1":       func(x float64) string { return fmt.Sprintf("%.1f", x) },
		"f2":       func(x float64) string { return fmt.Sprintf("%.2f", x) },
		"ci": func(r Rate) string {
			return fmt.Sprintf("%s [%s, %s]", fmtRate(r.Rate), fmtRate(r.Lo95), fmtRate(r.Hi95))
		},
		"fp":    func(f FalsePrediction) string { return fmtRate(f.Column.Float64()) },
		"ptr":   func(p *float64) string { return fmtRate(*p) },
		"intp":  func(p *int) string { return fmt.Sprint(*p) },
		"notes": func() []string { return methodNotes(r.Config) },
	}}
	return page.Render(v)
}

// discussion returns the points of the theory section, with the numbers of
// this run.
func (t *Theory) discussion(cfg Config) []string {
	cs := t.Census
	var out []string
	idle := 1 - float64(cs.Able)/float64(max(1, cs.Segments))
	out = append(out, fmt.Sprintf("Most segments cannot fire at all: %.1f%% of the %d segments have fewer than θ = %d connected synapses. "+
		"They were grown once, at %.2f permanence, after an unpredictable input (mostly the noise symbols and the first elements after them) "+
		"and never reinforced, because that transition never recurs. "+
		"The parametric E5, which gives every one of the %.1f segments per column s = maxNewSynapseCount = %d connected synapses, "+
		"therefore overestimates the false-prediction rate; the segments that can fire (%.2f per column, %.1f connected synapses on average) "+
		"and, better, the actual distribution of connected synapses (the census) are the right input to the theory.",
		100*idle, cs.Segments, cfg.TM.ActivationThreshold, cfg.TM.InitialPermanence, cs.SegmentsPerColumn, cfg.TM.MaxNewSynapseCount,
		float64(cs.Able)/float64(cs.Columns), cs.MeanConnectedAble))
	for _, row := range t.InRun {
		if row.Steps == 0 {
			continue
		}
		expected := row.CensusRate * float64(row.Measured.Trials)
		head := fmt.Sprintf("%s (%d steps, a ≈ %.0f active cells): %d of %d possible false column predictions were made",
			upperFirst(row.Condition), row.Steps, row.MeanActiveCells, row.Measured.Count, row.Measured.Trials)
		if row.Measured.Count == 0 {
			out = append(out, head+fmt.Sprintf(" (95%% upper bound %s per column and step); the theory predicts %s (census) to %s "+
				"(parametric) per column and step, about %s false columns in the whole measurement: the run cannot see chance "+
				"coincidences this rare, and it sees none, as predicted.",
				fmtRate(row.Measured.Hi95), fmtRate(row.CensusRate), fmtRate(row.Parametric.Column.Float64()), fmtRate(expected)))
			continue
		}
		out = append(out, head+fmt.Sprintf(", a rate of %s [%s, %s], while chance coincidences (census theory, %s per column "+
			"and step) would account for about %s of them. These false predictions were learned: predictions of the network that "+
			"did not come true (while it still learns, or where a context predicts several continuations), which the theory of "+
			"random coincidences does not describe.",
			fmtRate(row.Measured.Rate), fmtRate(row.Measured.Lo95), fmtRate(row.Measured.Hi95), fmtRate(row.CensusRate), fmtRate(expected)))
	}
	if len(t.Probes) == 0 {
		return out
	}
	ag := t.ProbeAgreement()
	u, b := ag[ProbeUniform], ag[ProbeBursting]
	deff := 0.0
	for _, p := range t.Probes {
		deff = max(deff, p.ColumnRate.DesignEffect)
	}
	out = append(out, fmt.Sprintf("Lowering the threshold makes false predictions measurable. For uniformly random cells, the "+
		"census theory lies within the 95%% interval of the measured fraction of predicted columns at %d of %d thresholds. "+
		"This is expected: for an input drawn uniformly at random, E2 is exact for every fixed segment, however it was learned, "+
		"so only the independence of the segments of one column (E5) is an assumption. "+
		"False predictions come in bursts, though: the segments created at one step (one per bursting column) sample the same "+
		"few winner cells, so one input that happens to cover θ of those cells fires many of them at once. The intervals "+
		"therefore treat probes, not columns, as independent; the variance is up to %.0f times that of independent columns.",
		u[0], u[1], deff))
	// Bursting: compare with the cell-level theory where the counts are
	// large enough to matter.
	var worst *ProbeRow
	for i := range t.Probes {
		p := &t.Probes[i]
		if p.Kind == ProbeBursting && p.ColumnRate.Count >= 30 && (worst == nil || p.Threshold > worst.Threshold) {
			worst = p
		}
	}
	first := func(kind string) *ProbeRow {
		for i := range t.Probes {
			if t.Probes[i].Kind == kind {
				return &t.Probes[i]
			}
		}
		return nil
	}
	if worst != nil {
		var top *ProbeRow
		for i := range t.Probes {
			if p := &t.Probes[i]; p.Kind == ProbeBursting && (top == nil || p.Threshold > top.Threshold) {
				top = p
			}
		}
		out = append(out, fmt.Sprintf("Real unexpected inputs are not uniform over cells: a bursting column activates all its %d cells. "+
			"A segment that learned one winner cell per presynaptic column sees a bursting input as an SDR of %d of %d columns, "+
			"so the exact model is E2 over columns, P_fp(%d, %d, s, θ), rather than over cells; drawing from %d columns rather "+
			"than %d cells thins the tail, by a factor %.1f at θ = %d (%s against %s per column). At θ = %d the bursting probes "+
			"predicted %s of the columns, against %s (cells) and %s (columns); the column-level theory lies in the 95%% interval "+
			"at %d of %d thresholds, and at the lowest thresholds the measured rate is below both theories, for the reason that follows.",
			cfg.TM.CellsPerColumn, cfg.ActiveBits, cfg.TM.NumColumns, cfg.TM.NumColumns, cfg.ActiveBits, cfg.TM.NumColumns,
			cfg.TM.NumColumns*cfg.TM.CellsPerColumn, top.CensusColumn/max(top.ColumnLevelColumn, 1e-300), top.Threshold,
			fmtRate(top.ColumnLevelColumn), fmtRate(top.CensusColumn), worst.Threshold, fmtRate(worst.ColumnRate.Rate),
			fmtRate(worst.CensusColumn), fmtRate(worst.ColumnLevelColumn), b[0], b[1]))
	}
	if p := first(ProbeBursting); p != nil {
		out = append(out, fmt.Sprintf("Learning also correlates the segments of a column: they learned transitions from the same few "+
			"predecessor symbols, so their synapses fall in the same presynaptic columns and they fire together. "+
			"At θ = %d the bursting probes found %s of the columns predicted while %s of the segments fired; independent segments "+
			"(column-level E5) would give %s. E5's independence assumption overstates the column rate by a factor %.2f here; "+
			"for uniform probes, which do not align with columns, the factor is %.2f.",
			p.Threshold, fmtRate(p.ColumnRate.Rate), fmtRate(p.SegmentRate), fmtRate(p.ColumnLevelColumn),
			p.ColumnLevelColumn/max(p.ColumnRate.Rate, 1e-300), ratioUniform(t.Probes, p.Threshold)))
	}
	out = append(out, fmt.Sprintf("At the network's own threshold θ = %d the theory puts the false-prediction rate of an "+
		"unexpected input near %s per column (%s for the whole layer per step) and that of a correctly predicted one, "+
		"whose %d active cells are one per column, near %s: with θ = %d of s ≈ %d synapses, false predictions play no role in "+
		"the task; the errors of the curves above are wrong learned predictions (after the switch, or with noise and dead cells), "+
		"not chance coincidences.",
		cfg.TM.ActivationThreshold, fmtRate(inRunRate(t, CondNovelNoise, true)), fmtRate(inRunRate(t, CondNovelNoise, true)*float64(cfg.TM.NumColumns)),
		cfg.ActiveBits, fmtRate(inRunRate(t, CondPredicted, false)), cfg.TM.ActivationThreshold, cfg.TM.MaxNewSynapseCount))
	return out
}

// taskNotes states what a task's numbers show.
func taskNotes(t *TaskResult, cfg Config) []string {
	var out []string
	perSeq := 0.0
	if t.Predictions > 0 {
		perSeq = float64(t.Steps) / float64(t.Predictions)
	}
	switch t.Name {
	case TaskHighOrder:
		out = append(out, fmt.Sprintf("Final accuracy %.3f over the last %d predictions (the done criterion is ≥ 0.95).",
			t.FinalAccuracy, t.FinalPredictions))
	case TaskSwitch:
		if c := t.Change; c != nil {
			msg := fmt.Sprintf("After the switch the moving accuracy fell from %.2f to %.2f", c.AccuracyBefore, c.MinWindowAccuracy)
			if c.RecoverySteps != nil {
				msg += fmt.Sprintf(" and was back above %.0f%% %d steps (about %.0f sequences) after the switch.",
					100*RecoveryLevel, *c.RecoverySteps, float64(*c.RecoverySteps)/perSeq)
			} else {
				msg += fmt.Sprintf(" and did not return above %.0f%%.", 100*RecoveryLevel)
			}
			out = append(out, msg)
		}
	}
	if claim := publishedClaim(t, cfg); claim != "" {
		out = append(out, claim)
	}
	if len(t.Sweep) > 1 {
		var ok, hurt, lost []string
		for _, v := range t.Sweep {
			label := fmt.Sprintf("%.2f", v.Value)
			switch {
			case v.Change != nil && v.Change.MinWindowAccuracy >= RecoveryLevel:
				ok = append(ok, label)
			case v.Change != nil && v.Change.RecoverySteps != nil:
				hurt = append(hurt, fmt.Sprintf("%s (lowest %.2f, recovered after %d steps, final %.3f)", label,
					v.Change.MinWindowAccuracy, *v.Change.RecoverySteps, v.FinalAccuracy))
			default:
				lost = append(lost, fmt.Sprintf("%s (final %.3f)", label, v.FinalAccuracy))
			}
		}
		if len(ok) > 0 {
			out = append(out, fmt.Sprintf("Never below %.0f%% moving accuracy: %s.", 100*RecoveryLevel, strings.Join(ok, ", ")))
		}
		if len(hurt) > 0 {
			out = append(out, fmt.Sprintf("Fell below and recovered: %s.", strings.Join(hurt, "; ")))
		}
		if len(lost) > 0 {
			out = append(out, fmt.Sprintf("Fell below %.0f%% and had not recovered by the end: %s.", 100*RecoveryLevel, strings.Join(lost, "; ")))
		}
		if t.Name == TaskNoise {
			var delays []string
			for _, v := range t.Sweep {
				if c := v.Change; c != nil && c.FirstBelowStep != nil {
					delays = append(delays, fmt.Sprintf("%d steps at %.2f", *c.FirstBelowStep-c.Step, v.Value))
				}
			}
			if len(delays) > 0 {
				out = append(out, fmt.Sprintf("The moving accuracy first fell below %.0f%% %s after the noise started. "+
					"With learning on, noise acts twice: it removes part of the context at every step, and the network keeps "+
					"learning from the corrupted inputs (segments grow onto the winner cells of the replacement columns, and "+
					"correct segments are decremented whenever their columns are among those replaced); a delayed fall points "+
					"to the second.", 100*RecoveryLevel, strings.Join(delays, ", ")))
			}
		}
	}
	return out
}

func ratioUniform(probes []ProbeRow, theta int) float64 {
	for _, p := range probes {
		if p.Kind == ProbeUniform && p.Threshold == theta && p.ColumnRate.Rate > 0 {
			return p.CensusColumn / p.ColumnRate.Rate
		}
	}
	return 0
}

// inRunRate returns the census theory of an in-run condition (the
// column-level one if columns and available).
func inRunRate(t *Theory, cond string, columns bool) float64 {
	for _, r := range t.InRun {
		if r.Condition == cond {
			if columns && r.ColumnLevelRate != nil {
				return *r.ColumnLevelRate
			}
			return r.CensusRate
		}
	}
	return 0
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func methodNotes(cfg Config) []string {
	p := cfg.TM
	return []string{
		fmt.Sprintf("Stream (benchmarks.md §2.3): a sequence drawn uniformly from the first %d of the 8 sequences of "+
			"HighOrderDataset(numPredictions = 1), then one noise symbol drawn uniformly from %d extra categories, repeated for %d steps. "+
			"The symbols 0…9 are relabelled by a random permutation drawn from the seed. No reset between sequences.",
			cfg.Sequences, cfg.NoiseCategories, cfg.Steps),
		fmt.Sprintf("Encoding: every category (sequence symbol or noise symbol) is an independent random SDR of %d of %d columns. "+
			"No spatial pooler: the SDR is the set of active columns.", cfg.ActiveBits, p.NumColumns),
		fmt.Sprintf("Temporal memory (package htm): %d columns × %d cells, activationThreshold %d, minThreshold %d, "+
			"maxNewSynapseCount %d, maxSynapsesPerSegment %d, maxSegmentsPerCell %d, initialPermanence %g, connectedPermanence %g, "+
			"permanenceIncrement %g, permanenceDecrement %g, predictedSegmentDecrement %g, seed %d; learning always on.",
			p.NumColumns, p.CellsPerColumn, p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount, p.MaxSynapsesPerSegment,
			p.MaxSegmentsPerCell, p.InitialPermanence, p.ConnectedPermanence, p.PermanenceIncrement, p.PermanenceDecrement,
			p.PredictedSegmentDecrement, p.Seed),
		"Scoring: before the last element of each sequence is presented, the predicted columns (columns holding a predictive cell) " +
			"are decoded into the category whose code overlaps them most, among all categories, noise symbols included (ties to the " +
			"lowest category; no overlap at all is an error). Only the last elements are scored: they need the first element as context.",
		fmt.Sprintf("Final accuracy: the last %d scored predictions of a run. Moving accuracy: the last %d. After a change, "+
			"\"recovered\" is the first step after the lowest moving accuracy at which it is at least %.0f%% again.",
			cfg.FinalWindow, cfg.Window, 100*RecoveryLevel),
		fmt.Sprintf("All runs share their first %d steps, which are run once; each task continues from a copy of that state. "+
			"Every random draw (stream, codes, noise, dead cells, probes, the temporal memory's own generator) derives from the seed, "+
			"so a run is reproducible exactly; only the run times vary.", cfg.SwitchAt),
		"Cell death: the cell-death runs kill their cells with htm.TemporalMemory.KillCells, which destroys the dead cells' segments " +
			"and the synapses onto them and leaves the dead cells out of every later step (a bursting column activates only its live " +
			"cells, and the least-used cell that grows a new segment is chosen among them).",
		"Clean room: the tasks are implemented from their description in benchmarks.md §2.3; no code of htmresearch or htmpapers " +
			"(AGPL) was used.",
	}
}

// publishedClaim sets the cell-death and noise results beside what
// Hawkins & Ahmad (2016, Fig. 6; docs/benchmarks.md §2.3) report, and says
// how the protocols differ; "" for the other tasks.
func publishedClaim(t *TaskResult, cfg Config) string {
	var at40 *Variant
	for i := range t.Sweep {
		if math.Abs(t.Sweep[i].Value-0.4) < 1e-9 {
			at40 = &t.Sweep[i]
		}
	}
	switch t.Name {
	case TaskCellDeath:
		s := "Published: Hawkins & Ahmad (2016, Fig. 6) report that killing up to 40 % of the cells after training has almost no effect, " +
			"and that above 40 % accuracy drops and then recovers."
		if at40 != nil && at40.Change != nil {
			c := at40.Change
			s += fmt.Sprintf(" Here 40 %% cell death drops the moving accuracy from %.2f to %.2f", c.AccuracyBefore, c.MinWindowAccuracy)
			if c.RecoverySteps != nil {
				s += fmt.Sprintf(", which is back at %.0f %% after %d steps", 100*RecoveryLevel, *c.RecoverySteps)
			}
			s += "."
		}
		return s + " The protocols differ, which probably explains the gap (this report does not test it): their stream is 5 sequences of 6 letters " +
			"(XABCDE …) each followed by random SDRs, the letters as 40 contiguous bits, accuracy the fraction of predicted " +
			"columns that become active, smoothed (exponential average 0.99, then a 60-step mean) and at most 50 %; here it is " +
			fmt.Sprintf("Cui et al.'s task (%d high-order sequences sharing their middles, scored only at the last element, ", cfg.Sequences) +
			"which needs the full high-order context, top-1 symbol accuracy without smoothing). A dead cell removes the context " +
			"it held, and that context is exactly what the last element needs, so a lesion costs more here, while their " +
			"smoothed column-overlap score hides short drops."
	case TaskNoise:
		return "Published: Cui et al. (2016) show the HTM tolerating temporal noise qualitatively (curves only); there is no number " +
			"to set beside these. Here noise replaces a fraction of the active bits of every element from the change on."
	}
	return ""
}

// pageCSS holds the page's own style rules: the headline row of a sweep.
const pageCSS = `tr.head td { font-weight: bold; }
`

const pageTitle = "High-order sequence memory: the tasks of Cui et al. (2016)"

const pageBody = `<h1>` + pageTitle + `</h1>
<p>The temporal memory of package <code>htm</code> on the discrete high-order sequence tasks of Cui, Ahmad &amp; Hawkins (2016),
<em>Continuous online sequence learning with an unsupervised neural network model</em> (benchmarks.md §2.3), and its false
predictions against the theory of Ahmad &amp; Hawkins (2016). {{if .R.Seeds}}<strong>{{len (index .R.Seeds 0).Seeds}} seeds, {{.Cfg.Seed}}–{{lastseed}}</strong>
(the original study used ten): the figures draw their mean ± 1 standard deviation, the table <a href="#seeds">over the seeds</a>
gives it in numbers, and every other number is of seed {{.Cfg.Seed}}{{else if gt .Cfg.Seeds 1}}Seed {{.Cfg.Seed}} only: the run over
{{.Cfg.Seeds}} seeds was interrupted{{else}}One seed, {{.Cfg.Seed}} (<code>--seeds 1</code>; the default is
seeds 0–9, as in the original study){{end}}. {{.Cfg.Steps}} steps per run,
{{.Cfg.Sequences}} sequences, {{.Cfg.NoiseCategories}} noise symbols. Run time {{secs .R.Seconds}} s
(shared first {{.Cfg.SwitchAt}} steps: {{secs .R.PrefixSeconds}} s).</p>
<ul>
<li><a href="#summary">Summary</a></li>
{{range .Tasks}}<li><a href="#{{.Name}}">{{.Name}}</a></li>
{{end}}{{if .Theory}}<li><a href="#theory">Theory meets the network: false predictions</a></li>
{{end}}<li><a href="#methods">Methods</a></li>
</ul>

<h2 id="summary">Summary</h2>
<table>
<tr><th class="l">task</th><th>headline</th><th>final accuracy<br>(last {{.Cfg.FinalWindow}})</th><th>predictions</th>
<th>before the change<br>(last {{.Cfg.Window}})</th><th>first {{.Cfg.Window}} after</th><th>lowest moving</th><th>recovered after<br>(steps)</th>
<th>during recovery</th><th>after recovery<br>(predictions)</th><th>run time (s)</th></tr>
{{range .Tasks}}<tr><td class="l"><a href="#{{.Name}}">{{.Name}}</a></td><td>{{.Headline.Label}}</td><td>{{acc .FinalAccuracy}}</td><td>{{.Predictions}}</td>
{{with .Change}}<td>{{acc .AccuracyBefore}}</td><td>{{acc .AccuracyFirstWindow}}</td><td>{{acc .MinWindowAccuracy}}</td><td>{{if .RecoverySteps}}{{intp .RecoverySteps}}{{else}}never{{end}}</td>
<td>{{if .AccuracyRecovering}}{{accp .AccuracyRecovering}}{{else}}—{{end}}</td><td>{{if .AccuracyRecovered}}{{accp .AccuracyRecovered}} ({{.RecoveredPredictions}}){{else}}—{{end}}</td>{{else}}<td></td><td></td><td></td><td></td><td></td><td></td>{{end}}
<td>{{secs .Seconds}}</td></tr>
{{end}}</table>
<p class="note">Run time: the shared first steps plus the task's own runs, as if the task ran alone. The windows around the
change (the switch and the start of the noise at step {{.Cfg.SwitchAt}}, the cell death at step {{.Cfg.KillAt}}): <em>before</em>, the last {{.Cfg.Window}} predictions
before it; <em>during recovery</em>, every prediction from the change until the moving accuracy is back at {{pct recovery}}
(all that follow when it never is); <em>after recovery</em>, every prediction after that to the end of the run. The final
accuracy (the last {{.Cfg.FinalWindow}} predictions) is defined by the end of the run instead, and can begin during recovery.</p>

{{if .R.Seeds}}
<h3 id="seeds">Over {{len (index .R.Seeds 0).Seeds}} seeds</h3>
<p class="note">Every number in the other tables is of seed {{.Cfg.Seed}}; this table gives each task's headline run over seeds
{{.Cfg.Seed}} to {{lastseed}} (the original study used ten): the mean and the sample standard deviation, which the figures draw
as a band (moving accuracy) and as error bars (sweeps). A run that never recovered is left out of the recovery statistics and counted.
Run time of all seeds: {{secs .R.Seconds}} s.</p>
<table>
<tr><th class="l">task</th><th>final accuracy: mean ± sd</th><th class="l">per seed</th><th>recovery steps: mean ± sd</th><th>never recovered</th><th class="l">per seed</th></tr>
{{range .R.Seeds}}<tr><td class="l">{{.Task}}</td><td>{{acc .FinalMean}} ± {{acc .FinalSD}}</td><td class="l">{{range $i, $x := .Final}}{{if $i}}, {{end}}{{acc $x}}{{end}}</td>
<td>{{if .Recovery}}{{f1 .RecoveryMean}} ± {{f1 .RecoverySD}}{{end}}</td><td>{{.NeverRecovered}}</td><td class="l">{{range $i, $x := .Recovery}}{{if $i}}, {{end}}{{$x}}{{end}}</td></tr>
{{end}}</table>
{{end}}

{{range .Tasks}}
<section id="{{.Name}}">
<h2>{{.Name}}</h2>
<p>{{.Definition}}.</p>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}{{with .Fig}}<figure>
{{.Inline}}
<figcaption>{{.Caption}}</figcaption>
</figure>{{end}}
{{if .SweepFig}}
<table>
<tr><th>value</th><th>final accuracy</th><th>before</th><th>first {{$.Cfg.Window}} after</th><th>lowest moving</th><th>recovered after (steps)</th><th>during recovery</th><th>after recovery</th>{{if .Lesion}}<th>dead cells</th><th>segments removed</th><th>synapses removed</th>{{end}}<th>segments at the end</th><th>run time (s)</th></tr>
{{$head := .Value}}{{range .Sweep}}<tr{{if eq .Value $head}} class="head"{{end}}><td>{{f2 .Value}}</td><td>{{acc .FinalAccuracy}}</td>
{{with .Change}}<td>{{acc .AccuracyBefore}}</td><td>{{acc .AccuracyFirstWindow}}</td><td>{{acc .MinWindowAccuracy}}</td><td>{{if .RecoverySteps}}{{intp .RecoverySteps}}{{else}}never{{end}}</td>
<td>{{if .AccuracyRecovering}}{{accp .AccuracyRecovering}}{{else}}—{{end}}</td><td>{{if .AccuracyRecovered}}{{accp .AccuracyRecovered}}{{else}}—{{end}}</td>{{else}}<td></td><td></td><td></td><td></td><td></td><td></td>{{end}}
{{with .Lesion}}<td>{{.DeadCells}}</td><td>{{.SegmentsRemoved}}</td><td>{{.SynapsesRemoved}}</td>{{end}}<td>{{.Segments}}</td><td>{{secs .Seconds}}</td></tr>
{{end}}</table>
{{with .SeedSweep}}<table>
<tr><th>value</th><th>final accuracy over {{len (index . 0).Final}} seeds: mean ± sd</th><th>lowest moving: mean ± sd</th><th class="l">final, per seed</th></tr>
{{range .}}<tr><td>{{f2 .Value}}</td><td>{{acc .FinalMean}} ± {{acc .FinalSD}}</td><td>{{if .Lowest}}{{acc .LowMean}} ± {{acc .LowSD}}{{end}}</td><td class="l">{{range $i, $x := .Final}}{{if $i}}, {{end}}{{acc $x}}{{end}}</td></tr>
{{end}}</table>
{{end}}{{with .SweepFig}}<figure>
{{.Inline}}
<figcaption>{{.Caption}}</figcaption>
</figure>{{end}}
{{end}}
<p class="note">Files: {{range $i, $f := .Files}}{{if $i}}, {{end}}<a href="{{$f}}">{{$f}}</a>{{end}}.</p>
</section>
{{end}}

{{with .Theory}}
<h2 id="theory">Theory meets the network: false predictions</h2>
<p>A distal segment is a pattern detector: it has s connected synapses onto the n = {{$.Cfg.TM.NumColumns}} × {{$.Cfg.TM.CellsPerColumn}}
cells of the layer and fires, putting its cell into the predictive state, when at least θ = {{$.Cfg.TM.ActivationThreshold}} of them see
active cells. If the a active cells were a random pattern unrelated to what the segment learned, it would fire with probability
E2, P_fp(n, a, s, θ); a column with m segments (on any of its cells) would be falsely predicted with probability E5,
1 − (1 − P_fp)^m. The predicted false-prediction rate is that probability per column and step; the expected number of falsely
predicted columns per step is the number of columns times it. <code>sequences.PredictFalsePrediction</code> evaluates it from
parameters, <code>Census.FalseRates</code> from the actual segments of a store (each with its own number of connected synapses).</p>
<p><strong>Measured counterpart.</strong> During the second half of the high-order run (steps {{$.Cfg.SwitchAt}} to {{$.Cfg.Steps}}),
after each step of a condition, the predicted columns that are not active at the next step are false predictions, out of
the columns not active at the next step. Two conditions: after a noise symbol never presented before, which every column bursts
for (no prediction made then rests on anything learned, so any is a chance coincidence), and after a correctly predicted element
inside a sequence (a = one cell per active column). The store at the end of the run ({{.Census.Segments}} segments) is the census.</p>

<h3>The store</h3>
<table>
<tr><th>segments</th><th>per column</th><th>synapses per segment</th><th>connected per segment</th><th>segments that can fire (≥ θ connected)</th><th>their connected synapses</th></tr>
<tr><td>{{.Census.Segments}}</td><td>{{f1 .Census.SegmentsPerColumn}}</td><td>{{f1 .Census.MeanSynapses}}</td><td>{{f2 .Census.MeanConnected}}</td><td>{{.Census.Able}}</td><td>{{f1 .Census.MeanConnectedAble}}</td></tr>
</table>

<h3>In the run</h3>
<table>
<tr><th class="l">condition</th><th>steps</th><th>a (mean)</th><th>predicted columns</th><th>false / possible</th><th>measured rate [95% CI]</th>
<th>E5, parameters</th><th>E5, segments that can fire</th><th>census, cells</th><th>census, columns</th></tr>
{{range .InRun}}<tr><td class="l">{{.Condition}}</td><td>{{.Steps}}</td><td>{{f1 .MeanActiveCells}}</td><td>{{.PredictedColumns}}</td>
<td>{{.Measured.Count}} / {{.Measured.Trials}}</td><td>{{ci .Measured}}</td><td>{{fp .Parametric}}</td><td>{{fp .ParametricAble}}</td>
<td>{{rate .CensusRate}}</td><td>{{if .ColumnLevelRate}}{{ptr .ColumnLevelRate}}{{end}}</td></tr>
{{end}}</table>
<p class="note">Theory columns are probabilities per column and step. "E5, parameters": s = maxNewSynapseCount, m = all segments per column.
"Census, columns": E2 over the {{$.Cfg.TM.NumColumns}} columns with {{$.Cfg.ActiveBits}} active, the model of a bursting input.</p>

{{if .Probes}}
<h3>Probing the trained store</h3>
{{with $.TheoryFig}}<figure>
{{.Inline}}
<figcaption>{{.Caption}}</figcaption>
</figure>{{end}}
<table>
<tr><th rowspan="2">θ</th><th colspan="4">uniform random cells</th><th colspan="4">bursting random columns</th><th colspan="2">E5 from means, columns</th></tr>
<tr><th>columns: measured [95% CI]</th><th>theory, cells</th><th>segments: measured</th><th>theory, cells</th>
<th>columns: measured [95% CI]</th><th>theory, columns</th><th>segments: measured</th><th>theory, columns</th><th>parameters</th><th>segments that can fire</th></tr>
{{range $i, $p := .Probes}}{{if eq $p.Kind "uniform"}}<tr><td>{{$p.Threshold}}</td><td>{{ci $p.ColumnRate}}</td><td>{{rate $p.CensusColumn}}</td><td>{{rate $p.SegmentRate}}</td><td>{{rate $p.CensusSegment}}</td>
{{range $.Theory.Probes}}{{if and (eq .Kind "bursting") (eq .Threshold $p.Threshold)}}<td>{{ci .ColumnRate}}</td><td>{{rate .ColumnLevelColumn}}</td><td>{{rate .SegmentRate}}</td><td>{{rate .ColumnLevelSegment}}</td>{{end}}{{end}}
<td>{{rate $p.ParametricColumn}}</td><td>{{rate $p.ParametricAbleColumn}}</td></tr>
{{end}}{{end}}</table>
<p class="note">Fraction of columns predicted and of segments firing per probe ({{$.Cfg.Probes}} probes of each kind, {{$.Cfg.ActiveBits}} × {{$.Cfg.TM.CellsPerColumn}} active cells).
"Theory, cells": E2 over the layer's cells for each segment, E5 over each column's segments (Census.FalseRates); "theory, columns": the same with
E2 over columns (Census.FalseRatesColumns). The intervals treat probes as independent; with no event the interval is that of independent columns.
Uniform: cells drawn uniformly from the layer (E2's assumption). Bursting: {{$.Cfg.ActiveBits}} random columns with all their cells
active, the form of an unexpected input. Data: <a href="false-predictions.csv">false-predictions.csv</a>.</p>
{{end}}

<h3>Discussion</h3>
<ul>
{{range $.Discussion}}<li>{{.}}</li>
{{end}}</ul>
{{end}}

<h2 id="methods">Methods</h2>
<ul>
{{range notes}}<li>{{.}}</li>
{{end}}</ul>
<p class="note">Whole result: <a href="result.json">result.json</a>; summary: <a href="summary.json">summary.json</a>.</p>
`
