package sequences

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChangeWindows checks the accuracy windows defined by the change: a
// run correct before step 100, wrong at steps 100–129, correct after. With
// a moving window of 10 and RecoveryLevel 0.9 the accuracy is back at 0.9
// at step 138 (steps 129–138: nine of ten correct), so "during recovery"
// is steps 100–138 (9 of 39 correct) and "after recovery" steps 139–299
// (161 predictions, all correct). Counted by hand from this construction.
func TestChangeWindows(t *testing.T) {
	var s []Score
	for step := range 300 {
		s = append(s, Score{Step: step, Correct: step < 100 || step >= 130})
	}
	c := changeOf(s, 100, 10)
	if c == nil || c.RecoveredStep == nil || *c.RecoveredStep != 138 {
		t.Fatalf("change %+v, want recovery at step 138", c)
	}
	if c.AccuracyRecovering == nil || math.Abs(*c.AccuracyRecovering-9.0/39) > 1e-12 {
		t.Errorf("during recovery %v, want 9/39", c.AccuracyRecovering)
	}
	if c.AccuracyRecovered == nil || *c.AccuracyRecovered != 1 || c.RecoveredPredictions != 161 {
		t.Errorf("after recovery %v over %d, want 1 over 161", c.AccuracyRecovered, c.RecoveredPredictions)
	}
	// Never recovered: "during recovery" runs to the end, nothing after.
	for i := 100; i < 300; i++ {
		s[i].Correct = false
	}
	c = changeOf(s, 100, 10)
	if c.RecoveredStep != nil || c.AccuracyRecovering == nil || *c.AccuracyRecovering != 0 || c.AccuracyRecovered != nil {
		t.Errorf("never recovered: %+v", c)
	}
	// Never fell: nothing is recovering, everything after the change is after recovery.
	for i := range s {
		s[i].Correct = true
	}
	c = changeOf(s, 100, 10)
	if c.AccuracyRecovering != nil || c.AccuracyRecovered == nil || *c.AccuracyRecovered != 1 || c.RecoveredPredictions != 200 {
		t.Errorf("never fell: %+v", c)
	}
}

// TestPublishedClaim checks that the cell-death result is set beside the
// published claim (Hawkins & Ahmad 2016: up to 40 % has almost no effect)
// with the protocol difference.
func TestPublishedClaim(t *testing.T) {
	rec := 3543
	tr := &TaskResult{Name: TaskCellDeath, Sweep: []Variant{{Value: 0.4, Change: &Change{AccuracyBefore: 1, MinWindowAccuracy: 0.63, RecoverySteps: &rec}}}}
	got := publishedClaim(tr, DefaultConfig(0))
	for _, w := range []string{"up to 40 %", "from 1.00 to 0.63", "after 3543 steps", "protocols differ"} {
		if !strings.Contains(got, w) {
			t.Errorf("claim lacks %q: %s", w, got)
		}
	}
	if publishedClaim(&TaskResult{Name: TaskHighOrder}, DefaultConfig(0)) != "" {
		t.Error("a claim for the high-order task")
	}
}

func TestMeanSD(t *testing.T) {
	// {1, 2, 3, 4}: mean 2.5, sample variance (2.25+0.25+0.25+2.25)/3 = 5/3.
	m, sd := meanSD([]float64{1, 2, 3, 4})
	if m != 2.5 || math.Abs(sd-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("meanSD = %v, %v", m, sd)
	}
	if m, sd := meanSD([]float64{7}); m != 7 || sd != 0 {
		t.Errorf("one value: %v, %v", m, sd)
	}
	if m, sd := meanSD(nil); m != 0 || sd != 0 {
		t.Errorf("no value: %v, %v", m, sd)
	}
}

// TestSeeds checks Config.Seeds: seed S's numbers are those of a run with
// Seeds = 1, and seed S+1's those of a run with seed S+1 alone.
func TestSeeds(t *testing.T) {
	cfg := shortConfig(2)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt, cfg.Probes = 1200, 800, 801, 0
	one, err := Run(context.Background(), cfg, []string{TaskSwitch})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seeds = 2
	two, err := Run(context.Background(), cfg, []string{TaskSwitch})
	if err != nil {
		t.Fatal(err)
	}
	next := cfg
	next.Seeds, next.Seed, next.TM.Seed = 1, cfg.Seed+1, cfg.Seed+1
	alone, err := Run(context.Background(), next, []string{TaskSwitch})
	if err != nil {
		t.Fatal(err)
	}
	if len(two.Seeds) != 1 || len(two.Seeds[0].Final) != 2 {
		t.Fatalf("seed stats %+v", two.Seeds)
	}
	st := two.Seeds[0]
	if st.Final[0] != one.Tasks[0].FinalAccuracy || st.Final[1] != alone.Tasks[0].FinalAccuracy || two.Tasks[0].FinalAccuracy != one.Tasks[0].FinalAccuracy {
		t.Errorf("per-seed finals %v, want %v and %v", st.Final, one.Tasks[0].FinalAccuracy, alone.Tasks[0].FinalAccuracy)
	}
	if m, _ := meanSD(st.Final); st.FinalMean != m {
		t.Errorf("mean %v, want %v", st.FinalMean, m)
	}
	page, err := two.html(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Over 2 seeds") {
		t.Error("page has no table over seeds")
	}
	bad := cfg
	bad.Seeds = MaxSeeds + 1
	if bad.Validate() == nil {
		t.Error("Seeds above MaxSeeds accepted")
	}
}

// TestSeedsWorkers: the seeds run side by side, and the answer is the same
// on one worker and on four (every number of the result but the times).
func TestSeedsWorkers(t *testing.T) {
	cfg := shortConfig(5)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt, cfg.Probes, cfg.Seeds = 1200, 800, 801, 10, 3
	cfg.NoiseLevels = []float64{0.2, 0.5}
	var got []string
	for _, w := range []int{1, 4} {
		cfg.Workers = w
		r, err := Run(context.Background(), cfg, []string{TaskSwitch, TaskNoise})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Seeds) != 2 || r.Seeds[0].Task != TaskNoise || len(r.Seeds[0].Sweep) != 3 || len(r.Seeds[1].Band.Steps) == 0 {
			t.Fatalf("workers %d: %d seed stats", w, len(r.Seeds))
		}
		r.Seconds, r.PrefixSeconds = 0, 0
		for i := range r.Tasks {
			r.Tasks[i].Seconds = 0
			for j := range r.Tasks[i].Sweep {
				r.Tasks[i].Sweep[j].Seconds = 0
			}
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	if got[0] != got[1] {
		t.Errorf("one worker and four differ:\n%s\n%s", got[0], got[1])
	}
}

// TestSeedsDrawn: with several seeds the page states their number and the
// figures draw the band and the error bars over them.
func TestSeedsDrawn(t *testing.T) {
	cfg := shortConfig(5)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt, cfg.Probes, cfg.Seeds = 1200, 800, 801, 0, 2
	cfg.DeadFractions = []float64{0.2, 0.6}
	r, err := Run(context.Background(), cfg, []string{TaskCellDeath})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	page, fig, sweep := read("index.html"), read("cell-death.svg"), read("cell-death-sweep.svg")
	for _, want := range []string{"2 seeds, 5–6", "mean ± 1 sample standard deviation over the 2 seeds 5–6", "final accuracy over 2 seeds", "Over the 2 seeds 5–6 (mean ± 1 sample s.d.), the headline run (dead 0.40): lowest moving accuracy after the change"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Without seeds the chart has no band: the band is the only
	// translucent fill.
	if !strings.Contains(fig, "seeds 5–6: mean ± 1 s.d.") || !strings.Contains(fig, "fill-opacity") {
		t.Errorf("moving-accuracy figure has no band over the seeds")
	}
	if !strings.Contains(sweep, "final, seeds 5–6: mean ± 1 s.d.") {
		t.Errorf("sweep figure has no error bars over the seeds")
	}
	r.Seeds = nil
	figs, err := r.figures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if strings.Contains(string(f.SVG), "fill-opacity") || strings.Contains(string(f.SVG), "s.d.") {
			t.Errorf("%s: one seed's figure draws a spread", f.ID)
		}
	}
	cut, err := r.html(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cut), "the run over\n2 seeds was interrupted") {
		t.Error("an interrupted run's page does not say so")
	}
	r.Config.Seeds = 1
	one, err := r.html(nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(one), "2 seeds") || !strings.Contains(string(one), "One seed, 5") {
		t.Error("one seed's page misstates the seeds")
	}
}

// TestBand: the band over runs is the mean and sample s.d. of each run's
// moving accuracy at its last score at or before each step; hand-worked
// with window 2: run A scores 1,0,1 at steps 10,20,30 (moving 1, 0.5,
// 0.5), run B scores 1,1 at steps 15,25 (moving 1, 1).
func TestBand(t *testing.T) {
	a := []Score{{10, true}, {20, false}, {30, true}}
	b := []Score{{15, true}, {25, true}}
	got := band([][]Score{a, b}, 2, 40)
	// bandPoints steps over [0, 40): 0.2, 0.4, … truncated to integers;
	// the first step at which both runs have scored is 15.
	if got.Steps[0] != 15 || got.Mean[0] != 1 || got.SD[0] != 0 {
		t.Fatalf("first point %d: %v ± %v", got.Steps[0], got.Mean[0], got.SD[0])
	}
	last := len(got.Steps) - 1
	if got.Steps[last] != 40 || got.Mean[last] != 0.75 || math.Abs(got.SD[last]-math.Sqrt(0.125)) > 1e-15 {
		t.Fatalf("last point %d: %v ± %v", got.Steps[last], got.Mean[last], got.SD[last])
	}
}
