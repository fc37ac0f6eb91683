package sequences

import (
	"context"
	"math"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"testing"
)

// TestHeadlineAccuracies runs the four tasks with the default protocol and
// seed 0 and checks the final accuracies that README.md's "Sequence memory"
// table prints (three decimals, so the tolerance is half a unit of the last
// printed digit). The run is deterministic: a change of behaviour that
// moves a number must update the README with it. Sweeps and probes are
// left out: they do not change the headline runs.
func TestHeadlineAccuracies(t *testing.T) {
	if testing.Short() {
		t.Skip("four full-length runs: skipped in -short mode")
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig(0)
	cfg.NoiseLevels, cfg.DeadFractions = []float64{cfg.NoiseLevel}, []float64{cfg.DeadFraction}
	cfg.Probes, cfg.Seeds = 0, 1 // seed 0 alone: the README's per-seed column
	cfg.Workers = runtime.GOMAXPROCS(0)
	res, err := Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, task := range Tasks() {
		m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(task) + ` \| ([0-9.]+) \|`).FindSubmatch(data)
		if m == nil {
			t.Errorf("README.md has no row for task %q in the sequence table", task)
			continue
		}
		want, _ := strconv.ParseFloat(string(m[1]), 64)
		tr := res.Task(task)
		if tr == nil {
			t.Fatalf("no result for %s", task)
		}
		if math.Abs(tr.FinalAccuracy-want) > 0.0005 {
			t.Errorf("%s: final accuracy %.4f, README says %.3f", task, tr.FinalAccuracy, want)
		}
		checked++
	}
	if checked != len(Tasks()) {
		t.Fatalf("checked %d of %d tasks", checked, len(Tasks()))
	}
}
