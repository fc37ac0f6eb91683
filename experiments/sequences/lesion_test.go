package sequences

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeadCells: round(fraction·n) distinct sorted cells below n,
// reproducible from the generator; a fraction outside [0, 1] is an error.
func TestDeadCells(t *testing.T) {
	for _, f := range []float64{0, 0.3, 1} {
		a, err := DeadCells(1000, f, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != int(math.Round(f*1000)) || !slices.IsSorted(a) || len(slices.Compact(slices.Clone(a))) != len(a) ||
			(len(a) > 0 && a[len(a)-1] >= 1000) {
			t.Fatalf("fraction %v: %d cells %v…", f, len(a), a[:min(5, len(a))])
		}
		b, _ := DeadCells(1000, f, rand.New(rand.NewPCG(1, 2)))
		if !slices.Equal(a, b) {
			t.Fatal("not reproducible")
		}
	}
	for _, f := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := DeadCells(1000, f, rand.New(rand.NewPCG(1, 2))); err == nil {
			t.Errorf("fraction %v: no error", f)
		}
	}
}

// TestCellDeathTask: the cell-death runs share the high-order run's
// predictions up to the kill step; the lesion kills round(f·cells) cells
// and destroys segments and synapses onto dead cells; killing every cell silences the
// layer (no segment is left or grows again, and no prediction is right).
func TestCellDeathTask(t *testing.T) {
	cfg := shortConfig(7)
	cfg.DeadFraction, cfg.DeadFractions = 0.4, []float64{0.4, 1}
	cfg.Probes = 0
	res, err := Run(context.Background(), cfg, []string{TaskHighOrder, TaskCellDeath})
	if err != nil {
		t.Fatal(err)
	}
	high := res.Task(TaskHighOrder).Headline
	tr := res.Task(TaskCellDeath)
	if len(tr.Curves) != 2 {
		t.Fatalf("%d runs", len(tr.Curves))
	}
	cells := cfg.TM.NumColumns * cfg.TM.CellsPerColumn
	for _, c := range tr.Curves {
		l := c.Lesion
		if l == nil || l.DeadCells != int(math.Round(c.Value*float64(cells))) || l.SegmentsRemoved == 0 ||
			(l.SynapsesRemoved == 0) != (c.Value == 1) { // all cells dead: every segment goes first
			t.Fatalf("%s: lesion %+v", c.Label, l)
		}
		n := 0
		for n < len(c.Scores) && c.Scores[n].Step < cfg.KillAt {
			n++
		}
		if n == 0 || n > len(high.Scores) || !slices.Equal(c.Scores[:n], high.Scores[:n]) {
			t.Fatalf("%s: differs from the high-order run before the kill step", c.Label)
		}
		if c.Value == 1 {
			if c.Segments != 0 {
				t.Fatalf("all cells dead: %d segments at the end", c.Segments)
			}
			for _, s := range c.Scores[n:] {
				if s.Correct {
					t.Fatalf("all cells dead: correct prediction at step %d", s.Step)
				}
			}
		}
	}
	if tr.Lesion != tr.Curves[0].Lesion || tr.FinalAccuracy < 0.5 {
		t.Fatalf("headline: lesion %+v, final accuracy %v", tr.Lesion, tr.FinalAccuracy)
	}
}
