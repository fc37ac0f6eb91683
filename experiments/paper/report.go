package paper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
)

// Simulation kinds and methods passed to a Simulator.
const (
	KindFP     = "fp"     // E2: a random segment against a random pattern
	KindFN     = "fn"     // E3: a learned pattern under noise
	KindUnion  = "union"  // E4: a segment holding M patterns
	KindNeuron = "neuron" // E5: a neuron of m segments

	MethodDirect     = "direct"     // plain Monte Carlo
	MethodImportance = "importance" // importance sampling (fp and fn)
)

// Simulator runs one simulation. params holds the integer parameters by
// their theory names ("n", "a", "s", "theta", and "noise", "patterns" or
// "segments" for the kinds that use them). It must be deterministic: the
// same arguments give the same SimPoint. It should return promptly with an
// error (or a partial result) when ctx is cancelled.
type Simulator interface {
	Simulate(ctx context.Context, kind string, params theory.Args, samples int64, seed uint64, method string) (SimPoint, error)
}

// SimPoint is the result of one simulation.
type SimPoint struct {
	Samples  int64      // samples actually drawn
	Hits     int64      // samples in which the event occurred
	Estimate float64    // estimated probability
	SE       float64    // standard error of Estimate (importance sampling: used for z)
	CI95     [2]float64 // 95% confidence interval of the probability
	// DesignEffect is the ratio of the estimator's variance to the
	// binomial variance (direct Monte Carlo with shared segments or
	// patterns; values below 1, including 0 for unknown, count as 1).
	DesignEffect float64
}

// Options controls a report.
type Options struct {
	// Samples is the number of samples of a direct Monte Carlo point (F5,
	// F6, F3 unions). A neuron point of m segments draws Samples/m
	// neurons (at least MinNeuronSamples), so that every point costs about
	// the same. 0 means DefaultSamples.
	Samples int64
	// ISSamples is the number of samples of an importance-sampled point;
	// 0 means Samples/25 clamped to [1e4, 4e6] (an importance sample costs
	// about as much as 200 direct ones).
	ISSamples int64
	// Seed is the master seed; each simulated point gets its own seed
	// derived from Seed and the point's identity.
	Seed uint64
	// Only selects figures and tables by id (see IDs); empty means all.
	Only []string
	// Sim runs the simulations; nil leaves every simulated field null.
	Sim Simulator
	// Progress, if not nil, is called before each simulation and once
	// when the simulations are finished.
	Progress func(Progress)

	// Shard and Shards split the simulations of a sweep: with Shards > 1
	// only the jobs whose index i (the position in Jobs) satisfies
	// i mod Shards == Shard are simulated; the others stay null and the
	// report is not Complete. Shards 0 or 1 means every job.
	Shard, Shards int
	// Reuse, if not nil, is asked for each job before it is simulated; a
	// result it returns (with a finite estimate) is used exactly as if the
	// Simulator had returned it, and the Simulator is not called. This is
	// how a sweep resumes (see ReadPoints).
	Reuse func(Job) (SimPoint, bool)
	// Finished, if not nil, is called after each simulation that
	// succeeded (not for reused results), in job order, from the goroutine
	// of Build. An error stops the simulations and is returned by Build.
	Finished func(Record) error
}

// Progress reports the state of the simulations.
type Progress struct {
	Done, Total int    // simulations finished (reused ones included) and requested (of this shard)
	Label       string // the simulation about to run (empty when finished)
}

// DefaultSamples is the default Options.Samples.
const DefaultSamples = 100_000_000

// MinNeuronSamples is the fewest neurons simulated for a neuron point.
const MinNeuronSamples = 10_000

// ZLimit is the largest |z| at which a simulated point agrees with theory
// (sim.ZLimit).
const ZLimit = sim.ZLimit

// IDs lists the ids of every figure and table, in report order.
func IDs() []string {
	return []string{"F1", "F2", "F3", "F4", "F5", "F6", "F7", "E5", "T1B", "T1C", "T1D", "E7"}
}

// ParseOnly splits a comma-separated list of ids (case-insensitive, spaces
// ignored) and checks each against IDs. An empty string gives nil (all).
func ParseOnly(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		id := strings.ToUpper(strings.TrimSpace(f))
		if id == "" {
			continue
		}
		if !slices.Contains(IDs(), id) {
			return nil, fmt.Errorf("unknown figure or table %q (want one of %s)", strings.TrimSpace(f), strings.Join(IDs(), ","))
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty selection")
	}
	return out, nil
}

// Report is everything the report shows; it is written as report.json.
type Report struct {
	Title   string  `json:"title"`
	Source  string  `json:"source"`
	Options Setting `json:"options"`
	// Complete is false when some requested simulations did not run (the
	// build was interrupted, a simulation failed, or only one shard of the
	// simulations was run): their fields are null.
	Complete    bool         `json:"complete"`
	Figures     []*Figure    `json:"figures"`
	Tables      []*Table     `json:"tables"`
	Agreement   Agreement    `json:"agreement"`
	Corrections []Correction `json:"corrections"`
}

// Setting records the options a report was built with.
type Setting struct {
	Samples   int64    `json:"samples"`
	ISSamples int64    `json:"is_samples"`
	Seed      uint64   `json:"seed"`
	Only      []string `json:"only"`
	Simulated bool     `json:"simulated"`
}

// Figure is one figure: its axes, its series and every plotted point.
type Figure struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Caption string   `json:"caption"`
	XLabel  string   `json:"x_label"`
	YLabel  string   `json:"y_label"`
	XMin    float64  `json:"x_min"`
	XMax    float64  `json:"x_max"`
	LogX    bool     `json:"log_x"`
	LogY    bool     `json:"log_y"`
	Series  []Series `json:"series"`
	Points  []*Point `json:"points"`
	Notes   []string `json:"notes,omitempty"`
	Files   []string `json:"files"`

	legend   legendPos
	shade    *shade  // F7: shaded area under a series
	hline    float64 // F7: a horizontal reference line (log10 units), 0 for none
	band     *band   // F7: a shaded range of x under everything
	pubLabel string  // the legend of the published values ("" for the published simulation)
	yMinLog  float64 // lowest decade of a log y axis (0: from the data)
	yMaxLog  float64
	yMax     float64 // linear y axis maximum (0: from the data)
	xStep    float64 // spacing of the x ticks of a linear axis (0: gonum's default)
	yStep    float64 // spacing of the y ticks of a linear axis (0: gonum's default)
}

// Series is one curve (or marker set) of a figure.
type Series struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Quantity is the theory quantity of the series (e.g. "fp", "union-fp").
	Quantity string `json:"quantity"`
	// Style: "solid", "dashed" or "dotted" line; "markers" for points
	// without a line.
	Style string `json:"style"`
	color int
	glyph bool
}

// Point is one plotted point.
type Point struct {
	Series string      `json:"series"`
	X      float64     `json:"x"`
	Params theory.Args `json:"params"`
	// Theory is the value as a float64; TheoryLog10 its base-10
	// logarithm (null for exact 0); TheoryText 17 significant digits.
	Theory      float64  `json:"theory"`
	TheoryLog10 *float64 `json:"theory_log10"`
	TheoryText  string   `json:"theory_text"`
	// Published is the value published for this point (the paper's
	// simulation, where there was one), if any.
	Published *float64 `json:"published,omitempty"`
	// Simulation request (empty if the point is not simulated).
	SimKind   string `json:"sim_kind,omitempty"`
	SimMethod string `json:"sim_method,omitempty"`
	// Simulation result: null when not simulated.
	Samples   *int64   `json:"samples,omitempty"`
	Hits      *int64   `json:"hits,omitempty"`
	Simulated *float64 `json:"simulated"`
	SE        *float64 `json:"se,omitempty"`
	// DesignEffect is the simulator's variance ratio to binomial, when > 1.
	DesignEffect *float64    `json:"design_effect,omitempty"`
	CI95         *[2]float64 `json:"ci95"`
	Z            *float64    `json:"z"`
	// ExpectedHits is N·p/d, the hits a direct Monte Carlo point expects
	// if the theory is right (null for importance sampling).
	ExpectedHits *float64 `json:"expected_hits,omitempty"`
	// Test is the test that decides Verdict: TestZ or TestExact (see
	// agreement.go for the rule); PValue the exact test's two-sided
	// p-value.
	Test   string   `json:"test,omitempty"`
	PValue *float64 `json:"p_value,omitempty"`
	// Verdict is VerdictAgree, VerdictDisagree or VerdictNotInformative
	// (empty when not simulated).
	Verdict string `json:"verdict,omitempty"`
	// Agree reports whether the point agrees with theory: null when not
	// simulated or not informative.
	Agree *bool `json:"agree"`

	simSamples int64
	seed       uint64
	sim        SimPoint
	theoryF    theory.Float
}

// Agreement summarises theory against simulation with the rule of
// agreement.go: Agree + Disagree + NotInformative = Simulated.
type Agreement struct {
	Requested      int `json:"requested"`
	Simulated      int `json:"simulated"`
	Agree          int `json:"agree"`
	Disagree       int `json:"disagree"`
	NotInformative int `json:"not_informative"`
	// ZTested points were judged by |z| (at least InformativeHits expected
	// hits, or importance sampling); MaxAbsZ is their largest |z|
	// (math.MaxFloat64 when one is undefined).
	ZTested int     `json:"z_tested"`
	MaxAbsZ float64 `json:"max_abs_z"`
	ZLimit  float64 `json:"z_limit"`
	// ExactTested points (MinExpectedHits to InformativeHits expected
	// hits) were judged by the exact binomial test; MinPValue is the
	// smallest p-value among them (1 when there is none).
	ExactTested     int     `json:"exact_tested"`
	MinPValue       float64 `json:"min_p_value"`
	Alpha           float64 `json:"alpha"`
	InformativeHits float64 `json:"informative_hits"`
	MinExpectedHits float64 `json:"min_expected_hits"`
}

// Table is one table; cells are formatted text.
type Table struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Caption string     `json:"caption"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Notes   []string   `json:"notes,omitempty"`
	File    string     `json:"file"`
}

// Correction is one error of the published material (paper spec §10),
// with the corrected values computed by package theory.
type Correction struct {
	Item        int              `json:"item"` // number in spec §10
	Title       string           `json:"title"`
	Published   string           `json:"published"`
	Corrected   string           `json:"corrected"`
	Explanation string           `json:"explanation"`
	Values      []CorrectedValue `json:"values"`
}

// CorrectedValue is one number of a correction: what the published
// material says and what the theory gives.
type CorrectedValue struct {
	What      string  `json:"what"`
	Published string  `json:"published,omitempty"`
	Value     float64 `json:"value"`
	Text      string  `json:"text"`
}

func (o Options) selected(id string) bool {
	return len(o.Only) == 0 || slices.Contains(o.Only, id)
}

func (o Options) samples() int64 {
	if o.Samples <= 0 {
		return DefaultSamples
	}
	return o.Samples
}

func (o Options) isSamples() int64 {
	if o.ISSamples > 0 {
		return o.ISSamples
	}
	return min(max(o.samples()/25, 10_000), 4_000_000)
}

// Build computes the report. If ctx is cancelled during the simulations,
// Build returns the report with the simulations finished so far
// (Complete false) together with ctx's error; the report is then still
// valid and can be written.
func Build(ctx context.Context, o Options) (*Report, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	r := &Report{
		Title:  "Ahmad & Hawkins (2016): figures and tables regenerated, with the published errors corrected",
		Source: "arXiv:1601.00720, reconstructed in docs/paper-spec.md",
		Options: Setting{
			Samples:   o.samples(),
			ISSamples: o.isSamples(),
			Seed:      o.Seed,
			Only:      o.Only,
			Simulated: o.Sim != nil,
		},
		Complete: true,
	}
	if r.Options.Only == nil {
		r.Options.Only = []string{}
	}
	b := &builder{o: o}
	figs, err := b.figures()
	if err != nil {
		return nil, err
	}
	r.Figures = figs
	tables := []struct {
		id string
		f  func(*builder) (*Table, error)
	}{
		{"T1B", (*builder).tableT1B}, {"T1C", (*builder).tableT1C},
		{"T1D", (*builder).tableT1D}, {"E7", (*builder).tableE7},
	}
	for _, tb := range tables {
		if !o.selected(tb.id) {
			continue
		}
		t, err := tb.f(b)
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", tb.id, err)
		}
		r.Tables = append(r.Tables, t)
	}
	simErr := runSims(ctx, o, r)
	r.Agreement = agreement(r)
	if simErr != nil || (o.Sim != nil && r.Agreement.Simulated < r.Agreement.Requested) {
		r.Complete = false
	}
	for _, f := range r.Figures {
		addSimNotes(f)
	}
	cs, err := corrections(r)
	if err != nil {
		return nil, fmt.Errorf("report: corrections: %w", err)
	}
	r.Corrections = cs
	return r, simErr
}

// validate checks the selection and the shard.
func (o Options) validate() error {
	for _, id := range o.Only {
		if !slices.Contains(IDs(), id) {
			return fmt.Errorf("report: unknown figure or table %q", id)
		}
	}
	if o.Shards < 0 || o.Shards > MaxShards || o.Shard < 0 || (o.Shards > 0 && o.Shard >= o.Shards) || (o.Shards == 0 && o.Shard != 0) {
		return fmt.Errorf("report: shard %d/%d: want 0 ≤ shard < shards ≤ %d", o.Shard, o.Shards, MaxShards)
	}
	return nil
}

// inShard reports whether the job at index i belongs to o's shard.
func (o Options) inShard(i int) bool {
	return o.Shards <= 1 || i%o.Shards == o.Shard
}

// figures builds the selected figures, in report order.
func (b *builder) figures() ([]*Figure, error) {
	builders := []struct {
		id string
		f  func(*builder) (*Figure, error)
	}{
		{"F1", (*builder).figF1}, {"F2", (*builder).figF2}, {"F3", (*builder).figF3},
		{"F4", (*builder).figF4}, {"F5", (*builder).figF5}, {"F6", (*builder).figF6},
		{"F7", (*builder).figF7}, {"E5", (*builder).figE5},
	}
	var figs []*Figure
	for _, fb := range builders {
		if !b.o.selected(fb.id) {
			continue
		}
		f, err := fb.f(b)
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", fb.id, err)
		}
		takeaways(f)
		figs = append(figs, f)
	}
	return figs, nil
}

// Figure returns the figure with the given id, or nil.
func (r *Report) Figure(id string) *Figure {
	for _, f := range r.Figures {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Table returns the table with the given id, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Find returns the first point of the series (any series if series is
// empty) whose parameters include all of want, or nil.
func (f *Figure) Find(series string, want theory.Args) *Point {
	for _, p := range f.Points {
		if series != "" && p.Series != series {
			continue
		}
		ok := true
		for _, k := range want.Given() {
			v, _ := want.Get(k)
			if got, has := p.Params.Get(k); !has || got != v {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return nil
}
