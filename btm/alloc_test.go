package btm

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestWarmSequenceNoAllocs: on the repeating sequence of BenchmarkStepSequence
// (NAB's parameters, 100 inputs of 40 columns), once the store has reached
// its steady state, a whole repetition of the sequence allocates nothing
// at all (AllocsPerRun with one run counts every allocation of the 100
// steps, where a per-step average would round a few away).
//
// Warm is measured, not assumed: the store is steady when the numbers of
// segments, synapses and slots have not changed over 3 consecutive
// repetitions. On this seed the store grows to 41,840 segments, 836,800
// synapses during the first ~5000 steps (a benchmark warmed up for 30
// repetitions measures the end of that growth) and the check holds after
// 5300 steps; the limit of 100 repetitions only stops a store that never
// settles. (The code before the pools passes this test too: its
// allocations were all growth; TestGrowthAllocsAmortised is the one it
// fails.)
func TestWarmSequenceNoAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("some 5,000 steps of a 2048 × 32 TM")
	}
	tm := mustNew(t, NABParams())
	seq := randomSequence(1, 100, 2048, 40)
	rep := func() {
		for _, cols := range seq {
			if err := tm.Compute(cols, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	type size struct{ segs, syns, slots int }
	var last size
	same := 0
	for r := 0; same < 3; r++ {
		if r == 100 {
			t.Fatalf("the store still grows after %d repetitions: %+v", r, last)
		}
		rep()
		now := size{tm.NumSegments(), tm.NumSynapses(), len(tm.segs)}
		if now == last {
			same++
		} else {
			last, same = now, 0
		}
	}
	d := tm.Diagnostics()
	if a := testing.AllocsPerRun(1, rep); a != 0 {
		t.Fatalf("%v allocations in one repetition of a steady sequence", a)
	}
	if e := tm.Diagnostics(); e.RestartsMaxSeq == d.RestartsMaxSeq || e.InfBacktracks == d.InfBacktracks {
		t.Fatal("no restart or backtracking during the measurement: the test misses those paths")
	}
}

// cappedParams is a small fixed-size TM for random input: 64 columns of 4
// cells, 3 segments per cell, 12 synapses per segment, thresholds scaled
// to 10 active columns. Every non-start cell reaches its cap within some
// 100 random steps, after which every new segment evicts one.
func cappedParams() Params {
	p := NABParams()
	p.NumberOfCols, p.CellsPerColumn = 64, 4
	p.NewSynapseCount, p.ActivationThreshold, p.MinThreshold = 8, 6, 5
	p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment = 3, 12
	return p
}

// TestWarmRandomAllocs: on random input, once every cell has reached the
// segment cap, the store stops growing: a new segment takes the slot of
// the segment it evicts, with its synapse block, and lists move between
// blocks of the pools' free lists. Random input never becomes periodic,
// though: a scratch list (the predicted cells, the free list of one block
// class, …) may still reach a new maximum, and then doubles its capacity,
// so allocations get rare rather than absent. On this seed, counted step
// by step with GOGC=off over 100,000 steps (steps numbered from 1), the
// cap is reached at step 106, and then 31 steps allocate up to step
// 30,573 (two of them, 20,750 and 23,469, in the window below), and steps
// 54,904, 73,428 and 92,801 only after it. The test warms up for 10,000 steps and counts
// the allocations of steps 20,000–30,000 (AllocsPerRun runs the function
// once before measuring): 2 with the pools and doubling scratch, 40 with
// per-list append growth (the code before them); a path that allocates
// on every step gives thousands. The bound 10 leaves room for the
// runtime's own rare allocations.
func TestWarmRandomAllocs(t *testing.T) {
	p := cappedParams()
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(5, 6))
	inputs := randomSequence(5, 1024, p.NumberOfCols, 10)
	step := func() {
		if err := tm.Compute(inputs[rng.IntN(len(inputs))], true); err != nil {
			t.Fatal(err)
		}
	}
	for range 10000 {
		step()
	}
	for cell := range tm.ncells {
		if cell%tm.k != 0 && tm.NumSegmentsOf(cell) != p.MaxSegmentsPerCell {
			t.Fatalf("cell %d has %d segments: the cap is not reached", cell, tm.NumSegmentsOf(cell))
		}
	}
	a := testing.AllocsPerRun(1, func() {
		for range 10000 {
			step()
		}
	})
	if a > 10 {
		t.Fatalf("%v allocations in 10,000 warm random steps", a)
	}
}

// TestGrowthAllocsAmortised: while the store grows (uniformly random input
// on NAB's parameters, the case btm/step-2048x32-random, which adds some
// 40 segments and 800 synapses per step), its storage allocates per chunk,
// not per list: over steps 1000–2000 (the window benchwork times; the
// store grows by 39,968 segments) the pools measured 40 allocations
// (chunks, free lists and slot slices doubling) against 345,190 for the
// per-segment and per-list slices before them. The bound 200 leaves room
// for the runtime's own allocations during the second or so of the
// window.
func TestGrowthAllocsAmortised(t *testing.T) {
	if testing.Short() {
		t.Skip("2000 steps of a growing 2048 × 32 TM")
	}
	tm := mustNew(t, NABParams())
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := randomSequence(3, 4096, 2048, 40)
	step := func() {
		if err := tm.Compute(inputs[rng.IntN(len(inputs))], true); err != nil {
			t.Fatal(err)
		}
	}
	for range 1000 {
		step()
	}
	before := tm.NumSegments()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range 1000 {
		step()
	}
	runtime.ReadMemStats(&m1)
	if grew := tm.NumSegments() - before; grew < 30000 {
		t.Fatalf("the store grew by %d segments only: the test misses the growth it is about", grew)
	}
	if n := m1.Mallocs - m0.Mallocs; n > 200 {
		t.Fatalf("%d allocations over 1000 steps of a growing store", n)
	}
}
