package sequences

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/theory"
)

func TestPerturbedSet(t *testing.T) {
	o, p := HighOrderSet(), PerturbedSet()
	for i := range o {
		n := len(o[i])
		if !slices.Equal(o[i][:n-1], p[i][:n-1]) {
			t.Fatalf("sequence %d: the perturbed set changes more than the ending", i)
		}
		mate := i ^ 1
		if p[i][n-1] != o[mate][len(o[mate])-1] {
			t.Fatalf("sequence %d: ending %d, want the ending of its pair %d", i, p[i][n-1], o[mate][len(o[mate])-1])
		}
	}
	// The pairs share their middle and differ in first and last element.
	for i := 0; i < len(o); i += 2 {
		a, b := o[i], o[i+1]
		if len(a) != len(b) || !slices.Equal(a[1:len(a)-1], b[1:len(b)-1]) || a[0] == b[0] || a[len(a)-1] == b[len(b)-1] {
			t.Fatalf("pair %d is not a high-order pair: %v %v", i/2, a, b)
		}
	}
}

func TestStream(t *testing.T) {
	c := StreamConfig{Steps: 3000, Sequences: 8, NoiseCategories: 5000, SwitchAt: -1, Seed: 7}
	clean, err := Stream(c)
	if err != nil {
		t.Fatal(err)
	}
	c.SwitchAt = 1500
	sw, err := Stream(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(clean) != 3000 || len(sw) != 3000 {
		t.Fatalf("lengths %d, %d", len(clean), len(sw))
	}
	perturbed := 0
	for i, e := range clean {
		s := sw[i]
		if e.Seq != s.Seq || e.Pos != s.Pos || e.Last != s.Last {
			t.Fatalf("step %d: the switch changed the draws", i)
		}
		if e.Category != s.Category && !(s.Last && s.Perturbed) {
			t.Fatalf("step %d: the switch changed more than an ending", i)
		}
		if s.Perturbed {
			perturbed++
		}
		if e.Noise() {
			if e.Category < NumSymbols || e.Category >= NumSymbols+5000 {
				t.Fatalf("step %d: noise category %d", i, e.Category)
			}
			continue
		}
		if e.Last && i+1 < len(clean) && !clean[i+1].Noise() {
			t.Fatalf("step %d: a sequence is not followed by a noise symbol", i)
		}
		if e.Pos > 0 && (clean[i-1].Seq != e.Seq || clean[i-1].Pos != e.Pos-1) {
			t.Fatalf("step %d: sequence broken", i)
		}
		if e.Last != (e.Pos == len(HighOrderSet()[e.Seq])-1) {
			t.Fatalf("step %d: Last mismarked", i)
		}
		if s.Perturbed && i < 1500 {
			t.Fatalf("step %d: perturbed before the switch", i)
		}
	}
	if perturbed < 1000 {
		t.Fatalf("%d perturbed elements", perturbed)
	}
	again, _ := Stream(StreamConfig{Steps: 3000, Sequences: 8, NoiseCategories: 5000, SwitchAt: -1, Seed: 7})
	if !slices.Equal(clean, again) {
		t.Fatal("Stream is not deterministic")
	}
	for _, bad := range []StreamConfig{{Steps: 0, Sequences: 8, NoiseCategories: 1}, {Steps: 5, Sequences: 9, NoiseCategories: 1}, {Steps: 5, Sequences: 8}} {
		if _, err := Stream(bad); err == nil {
			t.Errorf("Stream(%+v): no error", bad)
		}
	}
}

func TestEncoderDecode(t *testing.T) {
	e, err := NewEncoder(2048, 41, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int32, e.Categories())
	rng := rand.New(rand.NewPCG(1, 1))
	for c := range e.Categories() {
		code := e.Code(c)
		if len(code) != 41 || !slices.IsSorted(code) {
			t.Fatalf("code %d: %v", c, code)
		}
		got, ov := e.Decode(code, counts)
		if got != c || ov != 41 {
			t.Fatalf("Decode(code %d) = %d (overlap %d)", c, got, ov)
		}
		noisy, _ := dendrite.NoisyPattern(nil, code, 2048, 20, rng)
		if got, _ := e.Decode(noisy, counts); got != c {
			t.Fatalf("Decode(noisy code %d) = %d", c, got)
		}
	}
	if got, ov := e.Decode(nil, counts); got != -1 || ov != 0 {
		t.Fatalf("Decode(nothing) = %d, %d", got, ov)
	}
	if slices.ContainsFunc(counts, func(x int32) bool { return x != 0 }) {
		t.Fatal("Decode left its scratch dirty")
	}
}

func TestParseTasks(t *testing.T) {
	got, err := ParseTasks([]string{"switch, high-order", "switch"})
	if err != nil || !slices.Equal(got, []string{TaskHighOrder, TaskSwitch}) {
		t.Fatalf("got %v, %v", got, err)
	}
	if got, _ := ParseTasks(nil); !slices.Equal(got, Tasks()) {
		t.Fatalf("default %v", got)
	}
	if _, err := ParseTasks([]string{"high-order,bogus"}); !errors.Is(err, ErrTask) {
		t.Fatalf("unknown task: %v", err)
	}
}

func TestPredictFalsePrediction(t *testing.T) {
	q := FalsePredictionQuery{Columns: 2048, CellsPerColumn: 32, ActiveCells: 1312, Synapses: 32, Threshold: 10, SegmentsPerColumn: 40}
	fp, err := PredictFalsePrediction(q)
	if err != nil {
		t.Fatal(err)
	}
	seg, _ := theory.FP(65536, 1312, 32, 10)
	col, _ := theory.Neuron(65536, 1312, 32, 10, 40)
	if seg.Cmp(fp.Segment) != 0 || math.Abs(fp.Column.Float64()/col.Float64()-1) > 1e-12 {
		t.Fatalf("got %v %v, want %v %v", fp.Segment, fp.Column, seg, col)
	}
	if math.Abs(fp.FalseColumns-2048*col.Float64()) > 1e-9*fp.FalseColumns {
		t.Fatalf("false columns %v", fp.FalseColumns)
	}
	// Below the float64 range E5 is m·P.
	q.ActiveCells, q.Threshold, q.Synapses = 41, 32, 32
	fp, _ = PredictFalsePrediction(q)
	seg, _ = theory.FP(65536, 41, 32, 32)
	if want := seg.MulFloat64(40); fp.Column.Cmp(want) != 0 || fp.Column.IsZero() {
		t.Fatalf("tiny: %v, want %v", fp.Column, want)
	}
	if _, err := PredictFalsePrediction(FalsePredictionQuery{Columns: 0}); err == nil {
		t.Fatal("no error for an empty layer")
	}
}

func TestCensus(t *testing.T) {
	// Two columns of two cells; column 0 holds segments of 3 and 1
	// connected synapses, column 1 one of 2 (and an unconnected one).
	c, err := dendrite.New(dendrite.Config{NumCells: 4, ConnectedPermanence: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(cell uint32, perms ...float32) {
		var syn []dendrite.Synapse
		for i, p := range perms {
			syn = append(syn, dendrite.Synapse{Input: uint32(i), Permanence: p})
		}
		if _, err := c.CreateSegmentWith(cell, syn); err != nil {
			t.Fatal(err)
		}
	}
	mk(0, 0.6, 0.7, 0.5)
	mk(1, 0.6, 0.2)
	mk(3, 0.9, 0.8, 0.1)
	cs, err := TakeCensus(c, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Segments != 3 || cs.Synapses != 8 || cs.Connected != 6 || cs.Able != 2 || !slices.Equal(cs.ConnectedHist, []int{0, 1, 1, 1}) {
		t.Fatalf("census %+v", cs)
	}
	seg, col, err := cs.FalseRates(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := func(s int) float64 { f, _ := theory.FP(4, 2, s, 2); return f.Float64() }
	wantSeg := (p(3) + p(1) + p(2)) / 3
	wantCol := ((1 - (1-p(3))*(1-p(1))) + p(2)) / 2
	if math.Abs(seg-wantSeg) > 1e-15 || math.Abs(col-wantCol) > 1e-15 {
		t.Fatalf("rates %v %v, want %v %v", seg, col, wantSeg, wantCol)
	}
}

func TestRateOf(t *testing.T) {
	r := rateOf([]int{0, 0, 0}, []int{100, 100, 100})
	if r.Rate != 0 || r.Lo95 != 0 || r.Hi95 <= 0 || r.Hi95 > 0.02 {
		t.Fatalf("zero: %+v", r)
	}
	// Clustered events: the interval is wider than for independent trials.
	k := make([]int, 100)
	n := make([]int, 100)
	for i := range n {
		n[i] = 1000
	}
	k[3], k[50] = 40, 60
	r = rateOf(k, n)
	if r.Rate != 1e-3 || r.DesignEffect < 10 || !(r.Lo95 < 1e-3 && r.Hi95 > 2e-3) {
		t.Fatalf("clustered: %+v", r)
	}
}

// shortConfig is a quick configuration: 4 sequences, 3,000 steps.
func shortConfig(seed uint64) Config {
	cfg := DefaultConfig(seed)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt = 3000, 2000, 2001
	cfg.Sequences = 4
	cfg.Window, cfg.FinalWindow = 50, 100
	cfg.NoiseLevels = []float64{0.5}
	cfg.DeadFractions = []float64{0.6}
	cfg.Probes = 50
	cfg.Seeds, cfg.Workers = 1, 2
	return cfg
}

// TestHighOrderShort: with four sequences the network learns the last
// elements within a few thousand steps.
func TestHighOrderShort(t *testing.T) {
	cfg := shortConfig(1)
	res, err := Run(context.Background(), cfg, []string{TaskHighOrder})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Task(TaskHighOrder)
	if tr == nil || tr.FinalPredictions != 100 {
		t.Fatalf("result %+v", tr)
	}
	if tr.FinalAccuracy < 0.95 {
		t.Fatalf("final accuracy %.3f after %d steps, want ≥ 0.95", tr.FinalAccuracy, cfg.Steps)
	}
	if res.Theory == nil || len(res.Theory.InRun) != 2 || len(res.Theory.Probes) != 2*(cfg.TM.ActivationThreshold-1) {
		t.Fatalf("theory %+v", res.Theory)
	}
	for _, r := range res.Theory.InRun {
		if r.Steps == 0 || r.Measured.Trials == 0 || r.Parametric.Column.Float64() >= 1e-10 {
			t.Errorf("in-run %+v", r)
		}
	}
}

// TestDeterminism: the same seed gives the same accuracy series, whatever
// the number of workers; another seed does not.
func TestDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every task three times")
	}
	cfg := shortConfig(5)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt = 2400, 1200, 1201
	cfg.Probes = 0
	run := func(cfg Config) *Result {
		t.Helper()
		r, err := Run(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := run(cfg)
	cfg.Workers = 1
	b := run(cfg)
	for i := range a.Tasks {
		ta, tb := a.Tasks[i], b.Tasks[i]
		if len(ta.Curves) != len(tb.Curves) {
			t.Fatalf("%s: %d and %d runs", ta.Name, len(ta.Curves), len(tb.Curves))
		}
		for j := range ta.Curves {
			if !slices.Equal(ta.Curves[j].Scores, tb.Curves[j].Scores) || ta.Curves[j].Segments != tb.Curves[j].Segments {
				t.Fatalf("%s/%s: not deterministic", ta.Name, ta.Curves[j].Label)
			}
		}
	}
	if l := a.Task(TaskCellDeath).Lesion; l == nil || l.DeadCells != int(math.Round(0.4*2048*32)) {
		t.Fatalf("lesion %+v", l)
	}
	cfg.Seed, cfg.TM.Seed = 6, 6
	c := run(cfg)
	if slices.Equal(a.Tasks[0].Curves[0].Scores, c.Tasks[0].Curves[0].Scores) {
		t.Fatal("another seed gives the same run")
	}
}

func TestWrite(t *testing.T) {
	cfg := shortConfig(2)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt = 1500, 1000, 1001
	res, err := Run(context.Background(), cfg, []string{TaskHighOrder, TaskCellDeath})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := Write(dir, res)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"high-order.csv", "high-order.svg", "cell-death.csv", "cell-death-sweep.svg", "false-predictions.svg",
		"false-predictions.csv", "summary.json", "result.json", "index.html"} {
		if !slices.Contains(files, f) {
			t.Errorf("%s not written", f)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, want := range []string{"<svg", "Theory meets the network", "cell-death", "Methods"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	var sum map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	tasks := sum["tasks"].([]any)
	if len(tasks) != 2 || tasks[0].(map[string]any)["name"] != TaskHighOrder {
		t.Fatalf("summary tasks %v", tasks)
	}
	csvData, _ := os.ReadFile(filepath.Join(dir, "high-order.csv"))
	lines := strings.Split(strings.TrimSpace(string(csvData)), "\n")
	if lines[0] != "variant,value,step,correct,window_accuracy,cumulative_accuracy" || len(lines) != res.Tasks[0].Predictions+1 {
		t.Fatalf("csv: %q… (%d lines)", lines[0], len(lines))
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig(0).Validate(); err != nil {
		t.Fatal(err)
	}
	for _, mod := range []func(*Config){
		func(c *Config) { c.SwitchAt = c.Steps },
		func(c *Config) { c.KillAt = c.SwitchAt - 1 },
		func(c *Config) { c.Sequences = 0 },
		func(c *Config) { c.NoiseLevels = []float64{1.5} },
		func(c *Config) { c.DeadFraction = -0.1 },
		func(c *Config) { c.TM.ActivationThreshold = 0 },
		// Sizes bounded (the store grows with the steps, in every worker).
		func(c *Config) { c.Steps = MaxSteps + 1 },
		func(c *Config) { c.Probes = MaxProbes + 1 },
	} {
		c := DefaultConfig(0)
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("no error for %+v", c)
		}
	}
}

// TestCellDeathZero: killing no cell continues exactly as the high-order
// run (KillCells of no cell changes nothing).
func TestCellDeathZero(t *testing.T) {
	cfg := shortConfig(3)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt = 2000, 1000, 1001
	cfg.DeadFraction, cfg.DeadFractions = 0, nil
	cfg.Probes = 0
	res, err := Run(context.Background(), cfg, []string{TaskHighOrder, TaskCellDeath})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Task(TaskHighOrder).Headline, res.Task(TaskCellDeath).Headline
	if !slices.Equal(a.Scores, b.Scores) || a.Segments != b.Segments || b.Lesion.DeadCells != 0 {
		t.Fatalf("cell death of 0 cells differs from the high-order run (%d and %d segments)", a.Segments, b.Segments)
	}
}
