package sequences

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/dendrite"

	"github.com/dendritic/dendritic/htm"
)

func smallTM(t *testing.T, seed uint64) *htm.TemporalMemory {
	t.Helper()
	p := TMParams(seed)
	p.NumColumns, p.CellsPerColumn = 512, 8
	tm, err := htm.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestLesionNoDeadIsIdentity: with no dead cell, the lesioned copy
// continues exactly as the original temporal memory.
func TestLesionNoDeadIsIdentity(t *testing.T) {
	tm := smallTM(t, 3)
	rng := rand.New(rand.NewPCG(9, 9))
	seqs := make([][]uint32, 30)
	for i := range seqs {
		seqs[i], _ = DeadCells(512, 20.0/512, rng) // 20 random columns
	}
	in := func(i int) []uint32 {
		if i%7 == 6 {
			x, _ := DeadCells(512, 20.0/512, rng)
			return x
		}
		return seqs[i%len(seqs)]
	}
	for i := range 400 {
		if err := tm.Compute(in(i), true); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Lesion(tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.PredictiveCells(), tm.PredictiveCells()) {
		t.Fatal("predictive cells differ after the takeover")
	}
	predicted := 0
	for i := 400; i < 800; i++ {
		x := in(i)
		if err := tm.Compute(x, true); err != nil {
			t.Fatal(err)
		}
		if err := l.Compute(x, true); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(l.ActiveCells(), tm.ActiveCells()) || !slices.Equal(l.WinnerCells(), tm.WinnerCells()) ||
			!slices.Equal(l.PredictiveCells(), tm.PredictiveCells()) || l.Anomaly() != tm.Anomaly() {
			t.Fatalf("step %d: lesioned copy diverges from htm.TemporalMemory", i)
		}
		if len(tm.PredictiveCells()) > 0 {
			predicted++
		}
	}
	if predicted == 0 {
		t.Fatal("the test never exercised predictions")
	}
	if l.Connections().NumSynapses() != tm.Connections().NumSynapses() || l.Iteration() != tm.Iteration() {
		t.Fatal("stores differ")
	}
}

// TestLesionDeadCells: dead cells are never active, winners or
// predictive, and nothing connects to them.
func TestLesionDeadCells(t *testing.T) {
	tm := smallTM(t, 4)
	rng := rand.New(rand.NewPCG(1, 1))
	seqs := make([][]uint32, 20)
	for i := range seqs {
		seqs[i], _ = DeadCells(512, 20.0/512, rng)
	}
	for i := range 300 {
		if err := tm.Compute(seqs[i%len(seqs)], true); err != nil {
			t.Fatal(err)
		}
	}
	dead, err := DeadCells(tm.NumCells(), 0.5, rng)
	if err != nil {
		t.Fatal(err)
	}
	// Kill every cell of column 0 too.
	for c := uint32(0); c < 8; c++ {
		dead = append(dead, c)
	}
	l, err := Lesion(tm, dead)
	if err != nil {
		t.Fatal(err)
	}
	if segs, syns := l.Removed(); segs == 0 || syns == 0 {
		t.Fatalf("lesion removed %d segments and %d synapses", segs, syns)
	}
	check := func(when string) {
		t.Helper()
		for _, list := range [][]uint32{l.ActiveCells(), l.WinnerCells(), l.PredictiveCells()} {
			for _, c := range list {
				if l.Dead(c) {
					t.Fatalf("%s: dead cell %d in use", when, c)
				}
			}
		}
		c := l.Connections()
		if err := c.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
		var syn []dendrite.Synapse
		for cell := uint32(0); cell < uint32(c.NumCells()); cell++ {
			for _, s := range c.SegmentsOf(cell) {
				if l.Dead(cell) {
					t.Fatalf("%s: dead cell %d has a segment", when, cell)
				}
				syn, _ = c.Synapses(syn[:0], s)
				for _, y := range syn {
					if l.Dead(y.Input) {
						t.Fatalf("%s: synapse onto dead cell %d", when, y.Input)
					}
				}
			}
		}
	}
	check("after the lesion")
	x := append([]uint32{0}, seqs[0]...)
	slices.Sort(x)
	x = slices.Compact(x)
	for i := range 300 {
		in := seqs[i%len(seqs)]
		if i%5 == 0 {
			in = x
		}
		if err := l.Compute(in, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range l.ActiveCells() {
			if l.Dead(c) {
				t.Fatalf("step %d: dead cell %d active", i, c)
			}
		}
	}
	check("after 300 steps")
	if l.NumDead() < 2000 {
		t.Fatalf("%d dead cells", l.NumDead())
	}
}
