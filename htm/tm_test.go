package htm

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/sdr"
)

func randomColumns(rng *rand.Rand, n, w int) []uint32 {
	p, err := dendrite.RandomPattern(nil, n, w, rng)
	if err != nil {
		panic(err)
	}
	return p
}

func mustNew(t testing.TB, p Params) *TemporalMemory {
	t.Helper()
	tm, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func compute(t testing.TB, tm *TemporalMemory, cols []uint32, learn bool) {
	t.Helper()
	if err := tm.Compute(cols, learn); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	// htm.core TemporalMemory.hpp defaults (docs/anchors.md).
	want := Params{2048, 32, 13, 10, 20, 0.21, 0.5, 0.1, 0.1, 0, 255, 255, 0, 42}
	if p != want {
		t.Fatalf("defaults %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	for _, key := range []string{"numColumns", "cellsPerColumn", "activationThreshold", "minThreshold",
		"maxNewSynapseCount", "initialPermanence", "connectedPermanence", "permanenceIncrement",
		"permanenceDecrement", "predictedSegmentDecrement", "maxSegmentsPerCell", "maxSynapsesPerSegment",
		"maxSegments", "seed"} {
		if !strings.Contains(string(b), `"`+key+`"`) {
			t.Errorf("JSON lacks %q: %s", key, b)
		}
	}
	q, err := ParseParams(b)
	if err != nil || q != p {
		t.Fatalf("round trip: %+v %v", q, err)
	}
	q, err = ParseParams([]byte(`{"cellsPerColumn": 4, "activationThreshold": 8}`))
	if err != nil || q.CellsPerColumn != 4 || q.ActivationThreshold != 8 || q.MinThreshold != 10 {
		t.Fatalf("partial: %+v %v", q, err)
	}
	for _, bad := range []string{
		`{"cellPerColumn": 4}`,          // misspelt
		`{"newSynapseCount": 20}`,       // NuPIC's old name
		`{"cellsPerColumn": 0}`,         // invalid value
		`{"cellsPerColumn": 4} {}`,      // trailing data
		`{"initialPermanence": "0.2"}`,  // wrong type
		`{"maxNewSynapseCount": 300}`,   // > maxSynapsesPerSegment
		`{"activationThreshold": 25}`,   // > maxNewSynapseCount
		`{"connectedPermanence": 1.01}`, // out of range
	} {
		if _, err := ParseParams([]byte(bad)); !errors.Is(err, ErrParams) {
			t.Errorf("%s: err %v", bad, err)
		}
	}
}

func TestValidate(t *testing.T) {
	nan := float32(0)
	nan /= nan
	for name, mod := range map[string]func(*Params){
		"numColumns":                func(p *Params) { p.NumColumns = 0 },
		"cellsPerColumn":            func(p *Params) { p.CellsPerColumn = -1 },
		"numColumns×cellsPerColumn": func(p *Params) { p.NumColumns, p.CellsPerColumn = 1<<13, 1<<12 },
		"activationThreshold":       func(p *Params) { p.ActivationThreshold = 0 },
		"minThreshold":              func(p *Params) { p.MinThreshold = 21 },
		"maxNewSynapseCount":        func(p *Params) { p.MaxNewSynapseCount = 0 },
		"initialPermanence":         func(p *Params) { p.InitialPermanence = 0 },
		"connectedPermanence":       func(p *Params) { p.ConnectedPermanence = nan },
		"permanenceIncrement":       func(p *Params) { p.PermanenceIncrement = -0.1 },
		"permanenceDecrement":       func(p *Params) { p.PermanenceDecrement = 2 },
		"predictedSegmentDecrement": func(p *Params) { p.PredictedSegmentDecrement = nan },
		"maxSegmentsPerCell":        func(p *Params) { p.MaxSegmentsPerCell = 0 },
		"maxSynapsesPerSegment":     func(p *Params) { p.MaxSynapsesPerSegment = 0 },
		"maxSegments":               func(p *Params) { p.MaxSegments = -1 },
	} {
		p := DefaultParams()
		mod(&p)
		err := p.Validate()
		if !errors.Is(err, ErrParams) || !strings.Contains(err.Error(), name+" =") {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := New(p); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestComputeValidation(t *testing.T) {
	p := DefaultParams()
	p.NumColumns = 100
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(1, 1))
	for range 5 {
		compute(t, tm, randomColumns(rng, 100, 10), true)
	}
	before, _ := tm.MarshalBinary()
	for _, cols := range [][]uint32{{3, 2}, {4, 4}, {99, 100}} {
		if err := tm.Compute(cols, true); !errors.Is(err, ErrInput) {
			t.Errorf("%v: err %v", cols, err)
		}
	}
	x, _ := sdr.New(99)
	if err := tm.ComputeSDR(x, true); !errors.Is(err, ErrInput) {
		t.Error(err)
	}
	if err := tm.ComputeSDR(nil, true); !errors.Is(err, ErrInput) {
		t.Error(err)
	}
	after, _ := tm.MarshalBinary()
	if !bytes.Equal(before, after) {
		t.Fatal("invalid input changed the state")
	}
	y, _ := sdr.New(100)
	y.SetSparse([]uint32{1, 5, 7})
	if err := tm.ComputeSDR(y, true); err != nil {
		t.Fatal(err)
	}
	if got := columnsOf(nil, tm.ActiveCells(), 32); !slices.Equal(got, []uint32{1, 5, 7}) {
		t.Fatalf("active columns %v", got)
	}
}

// TestBurst: the first input is unpredicted, so every active column
// bursts: all its cells are active and exactly one is the winner.
func TestBurst(t *testing.T) {
	p := DefaultParams()
	p.NumColumns, p.CellsPerColumn = 64, 4
	tm := mustNew(t, p)
	compute(t, tm, []uint32{0, 3, 63}, true)
	if want := []uint32{0, 1, 2, 3, 12, 13, 14, 15, 252, 253, 254, 255}; !slices.Equal(tm.ActiveCells(), want) {
		t.Fatalf("active %v", tm.ActiveCells())
	}
	w := tm.WinnerCells()
	if len(w) != 3 || tm.ColumnOf(w[0]) != 0 || tm.ColumnOf(w[1]) != 3 || tm.ColumnOf(w[2]) != 63 {
		t.Fatalf("winners %v", w)
	}
	if tm.Anomaly() != 1 || len(tm.PredictiveCells()) != 0 {
		t.Fatalf("anomaly %v, predictive %v", tm.Anomaly(), tm.PredictiveCells())
	}
	// Nothing to learn from yet: no previous winners, no segment.
	if tm.Connections().NumSegments() != 0 {
		t.Fatalf("%d segments", tm.Connections().NumSegments())
	}
	compute(t, tm, []uint32{5, 6}, true)
	// Each bursting column's winner grows one segment towards the 3
	// previous winners.
	c := tm.Connections()
	if c.NumSegments() != 2 || c.NumSynapses() != 6 {
		t.Fatalf("%d segments, %d synapses", c.NumSegments(), c.NumSynapses())
	}
	for _, w := range tm.WinnerCells() {
		if c.NumSegmentsOf(w) != 1 {
			t.Fatalf("winner %d has %d segments", w, c.NumSegmentsOf(w))
		}
	}
	compute(t, tm, nil, true)
	if tm.Anomaly() != 0 || len(tm.ActiveCells()) != 0 {
		t.Fatal("empty input")
	}
}

// sequenceParams is a small TM that learns in a few repetitions.
func sequenceParams() Params {
	p := DefaultParams()
	p.NumColumns, p.CellsPerColumn = 512, 8
	return p
}

// TestLearnSequence: after a few repetitions of A B C D (with resets) each
// element is predicted exactly (one predictive cell in each column of the
// next element, nowhere else) and the anomaly is 0.
func TestLearnSequence(t *testing.T) {
	tm := mustNew(t, sequenceParams())
	rng := rand.New(rand.NewPCG(2, 2))
	seq := make([][]uint32, 4)
	for i := range seq {
		seq[i] = randomColumns(rng, 512, 20)
	}
	for range 6 {
		for _, x := range seq {
			compute(t, tm, x, true)
		}
		tm.Reset()
	}
	for i, x := range seq {
		compute(t, tm, x, false)
		if i > 0 && tm.Anomaly() != 0 {
			t.Errorf("element %d: anomaly %v", i, tm.Anomaly())
		}
		if i+1 < len(seq) {
			cols := tm.PredictedColumns(nil)
			if !slices.Equal(cols, seq[i+1]) || len(tm.PredictiveCells()) != len(seq[i+1]) {
				t.Errorf("element %d: predicted %v (%d cells), want %v", i, cols, len(tm.PredictiveCells()), seq[i+1])
			}
		}
	}
	if err := tm.Connections().CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestHighOrder: A B C D and X B C Y share B C; after learning, the
// prediction after C depends on the first element (D after A B C, Y after
// X B C), which a first-order model cannot do. While the contexts are
// being separated, C's A-context cells briefly precede Y too; that
// transition is unlearned only through predictedSegmentDecrement.
func TestHighOrder(t *testing.T) {
	p := sequenceParams()
	p.PredictedSegmentDecrement = 0.05
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(3, 3))
	A, B, C, D, X, Y := randomColumns(rng, 512, 20), randomColumns(rng, 512, 20), randomColumns(rng, 512, 20),
		randomColumns(rng, 512, 20), randomColumns(rng, 512, 20), randomColumns(rng, 512, 20)
	s1, s2 := [][]uint32{A, B, C, D}, [][]uint32{X, B, C, Y}
	for range 15 {
		for _, s := range [][][]uint32{s1, s2} {
			for _, x := range s {
				compute(t, tm, x, true)
			}
			tm.Reset()
		}
	}
	for _, s := range [][][]uint32{s1, s2} {
		for _, x := range s[:3] {
			compute(t, tm, x, false)
		}
		if got := tm.PredictedColumns(nil); !slices.Equal(got, s[3]) {
			t.Errorf("after %v…: predicted %d columns, %d of the right ending", s[0][:2], len(got), overlap(got, s[3]))
		}
		compute(t, tm, s[3], false)
		if tm.Anomaly() != 0 {
			t.Errorf("ending anomaly %v", tm.Anomaly())
		}
		tm.Reset()
	}
}

func overlap(a, b []uint32) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

// TestPunish: with predictedSegmentDecrement, a transition A→B that stops
// occurring (A→C instead) is forgotten; without it, it is kept.
func TestPunish(t *testing.T) {
	for _, psd := range []float32{0, 0.1} {
		p := sequenceParams()
		p.PredictedSegmentDecrement = psd
		tm := mustNew(t, p)
		rng := rand.New(rand.NewPCG(4, 4))
		A, B, C := randomColumns(rng, 512, 20), randomColumns(rng, 512, 20), randomColumns(rng, 512, 20)
		for _, next := range [][]uint32{B, B, B, B, B, C, C, C, C, C, C} {
			compute(t, tm, A, true)
			compute(t, tm, next, true)
			tm.Reset()
		}
		compute(t, tm, A, false)
		got := overlap(tm.PredictedColumns(nil), B)
		if psd == 0 && got != len(B) {
			t.Errorf("psd 0: B predicted in %d of %d columns", got, len(B))
		}
		if psd > 0 && got != 0 {
			t.Errorf("psd %v: B still predicted in %d columns", psd, got)
		}
		if overlap(tm.PredictedColumns(nil), C) != len(C) {
			t.Errorf("psd %v: C not predicted", psd)
		}
	}
}

// TestDeterminism: equal seeds give equal runs; another seed gives another
// run (ties between least-used cells are broken at random).
func TestDeterminism(t *testing.T) {
	run := func(seed uint64) [][]uint32 {
		p := sequenceParams()
		p.Seed = seed
		tm := mustNew(t, p)
		rng := rand.New(rand.NewPCG(5, 5))
		var out [][]uint32
		for i := range 200 {
			compute(t, tm, randomColumns(rng, 512, 20), i%3 != 0)
			out = append(out, slices.Clone(tm.WinnerCells()), slices.Clone(tm.PredictiveCells()))
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatal("same seed, different runs")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Fatal("different seeds, same run")
	}
}

// TestBounded: random input creates a segment per bursting column per
// step; the caps hold and the store stays consistent.
func TestBounded(t *testing.T) {
	p := sequenceParams()
	p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments = 3, 24, 2000
	p.PredictedSegmentDecrement = 0.01
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(6, 6))
	seq := make([][]uint32, 10)
	for i := range seq {
		seq[i] = randomColumns(rng, 512, 20)
	}
	for i := range 1500 {
		x := seq[i%len(seq)]
		if i%4 == 0 {
			x = randomColumns(rng, 512, 20)
		}
		compute(t, tm, x, true)
		if i%100 == 0 {
			if err := tm.Connections().CheckInvariants(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
	}
	c := tm.Connections()
	if c.NumSegments() != 2000 {
		t.Errorf("%d segments, want the cap 2000", c.NumSegments())
	}
	for cell := range uint32(tm.NumCells()) {
		if c.NumSegmentsOf(cell) > 3 {
			t.Fatalf("cell %d: %d segments", cell, c.NumSegmentsOf(cell))
		}
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestQualityGate mirrors htm.core's ConnectionsPerformanceTest gate: after
// learning a set of sequences, the mean anomaly is at most 0.021 (the
// first element after each reset is unpredictable and not counted).
func TestQualityGate(t *testing.T) {
	p := DefaultParams()
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(7, 7))
	seqs := make([][][]uint32, 20)
	for i := range seqs {
		seqs[i] = make([][]uint32, 10)
		for j := range seqs[i] {
			seqs[i][j] = randomColumns(rng, 2048, 40)
		}
	}
	for range 6 {
		for _, s := range seqs {
			for _, x := range s {
				compute(t, tm, x, true)
			}
			tm.Reset()
		}
	}
	sum, n := 0.0, 0
	for _, s := range seqs {
		for j, x := range s {
			compute(t, tm, x, false)
			if j > 0 {
				sum += tm.Anomaly()
				n++
			}
		}
		tm.Reset()
	}
	if mean := sum / float64(n); mean > 0.021 {
		t.Errorf("mean anomaly after learning %v > 0.021", mean)
	}
}

// TestNoAllocs: once warm, a step allocates nothing, on a learned sequence
// and on random input with a global segment bound.
func TestNoAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rng := rand.New(rand.NewPCG(8, 8))
	pool := make([][]uint32, 512)
	for i := range pool {
		pool[i] = randomColumns(rng, 2048, 40)
	}
	tm := mustNew(t, DefaultParams())
	i := 0
	// A 50-step sequence with a reset at its end: once learned, the store
	// stops growing. (Without resets the wrap-around context keeps
	// growing a few segments every few hundred steps, as in htm.core,
	// and their storage is allocated.)
	step := func() {
		if i%50 == 0 {
			tm.Reset()
		}
		if err := tm.Compute(pool[i%50], true); err != nil {
			t.Fatal(err)
		}
		i++
	}
	for range 1000 {
		step()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 500 {
		step()
	}
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n != 0 {
		t.Errorf("sequence: %d allocations in 500 steps, want 0", n)
	}
	p := DefaultParams()
	p.NumColumns, p.MaxSegments = 512, 2000
	tm = mustNew(t, p)
	for i := range pool {
		pool[i] = randomColumns(rng, 512, 20)
	}
	step = func() {
		if err := tm.Compute(pool[rng.IntN(len(pool))], true); err != nil {
			t.Fatal(err)
		}
	}
	for range 3000 {
		step()
	}
	if a := testing.AllocsPerRun(500, step); a != 0 {
		t.Errorf("random input: %v allocations per step", a)
	}
}

// FuzzParseParams: arbitrary bytes never panic; an error wraps ErrParams;
// accepted parameters are valid and survive a JSON round trip (json.Marshal
// then ParseParams gives the same Params).
func FuzzParseParams(f *testing.F) {
	b, _ := json.Marshal(DefaultParams())
	f.Add(b)
	f.Add([]byte(`{"cellsPerColumn": 4, "activationThreshold": 8}`))
	f.Add([]byte(`{"maxNewSynapseCount": 300}`))
	f.Add([]byte(`{"seed": 18446744073709551615, "connectedPermanence": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseParams(data)
		if err != nil {
			if !errors.Is(err, ErrParams) {
				t.Fatalf("error %v does not wrap ErrParams", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted invalid parameters: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if q, err := ParseParams(b); err != nil || q != p {
			t.Fatalf("round trip of %s: %+v, %v", b, q, err)
		}
	})
}
