package btm

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestPresets: DefaultParams is NuPIC's BacktrackingTM constructor
// defaults and NABParams the numenta detector's TM (backtracking-tm.md
// §10); both validate.
func TestPresets(t *testing.T) {
	d := DefaultParams()
	if d.NumberOfCols != 500 || d.CellsPerColumn != 10 || d.InitialPerm != 0.11 || d.MinThreshold != 8 ||
		d.NewSynapseCount != 15 || d.GlobalDecay != 0.1 || d.ActivationThreshold != 12 || d.PamLength != 1 ||
		d.MaxAge != 100000 || d.MaxSegmentsPerCell != Unlimited || d.Seed != 42 {
		t.Fatalf("DefaultParams = %+v", d)
	}
	n := NABParams()
	if n.NumberOfCols != 2048 || n.CellsPerColumn != 32 || n.ActivationThreshold != 13 || n.MinThreshold != 10 ||
		n.NewSynapseCount != 20 || n.InitialPerm != 0.21 || n.ConnectedPerm != 0.5 || n.PermanenceInc != 0.1 ||
		n.PermanenceDec != 0.1 || n.MaxSegmentsPerCell != 128 || n.MaxSynapsesPerSegment != 32 || n.PamLength != 3 ||
		n.MaxInfBacktrack != 10 || n.MaxLrnBacktrack != 5 || n.MaxSeqLength != 32 || n.Seed != 1960 ||
		n.GlobalDecay != 0 || n.MaxAge != 0 {
		t.Fatalf("NABParams = %+v", n)
	}
	for _, p := range []Params{d, n} {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Params)
		want string
	}{
		{"cols", func(p *Params) { p.NumberOfCols = 0 }, "numberOfCols"},
		{"one cell", func(p *Params) { p.CellsPerColumn = 1 }, "cellsPerColumn"},
		{"too many cells", func(p *Params) { p.NumberOfCols = MaxCells }, "numberOfCols×cellsPerColumn"},
		{"pam", func(p *Params) { p.PamLength = 0 }, "pamLength"},
		{"backtrack", func(p *Params) { p.MaxInfBacktrack = -1 }, "maxInfBacktrack"},
		{"nan perm", func(p *Params) { p.InitialPerm = float32(math.NaN()) }, "initialPerm"},
		{"perm over max", func(p *Params) { p.ConnectedPerm = 1.5 }, "connectedPerm"},
		{"half fixed", func(p *Params) { p.MaxSegmentsPerCell = Unlimited }, "both"},
		{"zero segs", func(p *Params) { p.MaxSegmentsPerCell = 0 }, "maxSegmentsPerCell"},
		{"fixed with decay", func(p *Params) { p.GlobalDecay = 0.1 }, "globalDecay"},
		{"fixed with age", func(p *Params) { p.MaxAge = 10 }, "maxAge"},
		{"syn < new", func(p *Params) { p.MaxSynapsesPerSegment = 10 }, "newSynapseCount"},
	} {
		p := NABParams()
		c.edit(&p)
		err := p.Validate()
		if !errors.Is(err, ErrParams) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an ErrParams naming %q", c.name, err, c.want)
		}
		if _, err := New(p); err == nil {
			t.Errorf("%s: New accepted it", c.name)
		}
	}
}

func TestParseParams(t *testing.T) {
	p, err := ParseParams([]byte(`{"numberOfCols": 64, "pamLength": 3}`))
	if err != nil || p.NumberOfCols != 64 || p.PamLength != 3 || p.CellsPerColumn != 10 {
		t.Fatalf("%+v, %v", p, err)
	}
	for _, bad := range []string{`{"numColumns": 64}`, `{"pamLength": 0}`, `{} {}`, `[`} {
		if _, err := ParseParams([]byte(bad)); !errors.Is(err, ErrParams) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestComputeValidation: unsorted, repeated or out-of-range columns are
// refused with ErrInput and change nothing.
func TestComputeValidation(t *testing.T) {
	p := smallParams()
	tm := mustNew(t, p)
	run(t, tm, newMixedStream(1, p.NumberOfCols), 0, 50)
	before := encode(t, tm)
	for _, cols := range [][]uint32{{3, 2}, {4, 4}, {uint32(p.NumberOfCols)}} {
		if err := tm.Compute(cols, true); !errors.Is(err, ErrInput) {
			t.Errorf("%v: %v", cols, err)
		}
	}
	if !bytes.Equal(before, encode(t, tm)) {
		t.Fatal("a refused input changed the state")
	}
	compute(t, tm, nil, true) // an empty input is valid
	if tm.Anomaly() != 0 {
		t.Fatalf("anomaly of an empty input %v, want 0 (§9)", tm.Anomaly())
	}
}

// TestZeroValue: a nil or zero TM returns errors and zero values, never
// panics.
func TestZeroValue(t *testing.T) {
	for _, tm := range []*TM{nil, new(TM)} {
		if err := tm.Compute([]uint32{1}, true); !errors.Is(err, ErrUninit) {
			t.Fatal(err)
		}
		if err := tm.Reset(); !errors.Is(err, ErrUninit) {
			t.Fatal(err)
		}
		if _, err := tm.MarshalBinary(); !errors.Is(err, ErrUninit) {
			t.Fatal(err)
		}
		if err := tm.Save(&bytes.Buffer{}); !errors.Is(err, ErrUninit) {
			t.Fatal(err)
		}
		c, v := tm.ColumnConfidences()
		if tm.Anomaly() != 0 || tm.ActiveCells() != nil || tm.PredictedColumns() != nil || c != nil || v != nil ||
			tm.NumSegments() != 0 || tm.Iteration() != 0 || tm.NumSegmentsOf(3) != 0 || tm.Params() != (Params{}) {
			t.Fatal("non-zero accessor on a zero TM")
		}
		tm.Diagnostics()
		tm.PredictiveCells()
		tm.CellConfidences()
		tm.LearnActiveCells()
		tm.LearnPredictedCells()
		tm.LearnIteration()
		tm.NumSynapses()
	}
	if _, err := Load(nil); err == nil {
		t.Fatal("Load(nil) accepted")
	}
	if err := mustNew(t, smallParams()).Save(nil); err == nil {
		t.Fatal("Save(nil) accepted")
	}
}

// TestNoAllocs: once a repeating sequence is learned (restarts every
// maxSeqLength steps with learning backtracking, inference backtracking
// at path joins included), a step allocates nothing.
func TestNoAllocs(t *testing.T) {
	tm := mustNew(t, NABParams())
	seq := randomSequence(1, 10, 2048, 40)
	i := 0
	step := func() {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			t.Fatal(err)
		}
		i++
	}
	for range 1500 {
		step()
	}
	d := tm.Diagnostics()
	if a := testing.AllocsPerRun(300, step); a != 0 {
		t.Fatalf("%v allocations per step", a)
	}
	if e := tm.Diagnostics(); e.RestartsMaxSeq == d.RestartsMaxSeq {
		t.Fatal("no restart during the measurement: the test misses the backtracking paths")
	}
}
