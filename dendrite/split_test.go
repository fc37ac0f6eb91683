package dendrite

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// splitStore returns a store of segs segments × 30 synapses (at most 40)
// on 50 cells onto inputs inputs, permanences uniform in [0, 1), and the
// generator that made it, seeded with seed.
func splitStore(t *testing.T, inputs, segs int, seed uint64) (*Connections, *rand.Rand) {
	c, err := New(Config{NumCells: 50, NumInputs: inputs, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 40})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var p []uint32
	var buf []Synapse
	for i := range segs {
		p, _ = RandomPattern(p, inputs, 30, rng)
		buf = buf[:0]
		for _, in := range p {
			buf = append(buf, Synapse{in, rng.Float32()})
		}
		if _, err := c.CreateSegmentWith(uint32(i%50), buf); err != nil {
			t.Fatal(err)
		}
	}
	return c, rng
}

// TestOverSplit: ComputeActivityOver gives the same segments and the same
// counters for every segment whatever the number of workers, and the
// split path is the one taken with 2 or more (run it with -race). The
// expected result is the serial count (one worker), which TestDifferential
// checks against the reference model.
func TestOverSplit(t *testing.T) {
	const inputs = 4096
	c, rng := splitStore(t, inputs, 5000, 11)
	for _, thr := range [][2]int{{4, 6}, {8, 6}, {300, 6}, {4, 300}, {1, 1}} {
		conThr, potThr := thr[0], thr[1]
		for step := range 4 {
			active := randomSorted(rng, inputs, 300+100*step)
			var serial Activity
			serial.SetWorkers(1)
			if err := c.ComputeActivityOver(&serial, active, conThr, potThr); err != nil {
				t.Fatal(err)
			}
			if serial.isSplit || serial.job != nil {
				t.Fatal("one worker split the count")
			}
			if len(serial.Touched()) == 0 {
				t.Fatalf("thresholds %v: no segment reached a threshold: the test tests nothing", thr)
			}
			for _, w := range []int{2, 3, 0} {
				var act Activity
				act.SetWorkers(w)
				for i := range 6 { // the later calls reuse the buffers
					splitMode = []int{splitByHelper, splitByCaller, splitNormal}[i%3]
					err := c.ComputeActivityOver(&act, active, conThr, potThr)
					mode := splitMode
					splitMode = splitNormal
					if err != nil {
						t.Fatal(err)
					}
					if w != 0 && act.job == nil {
						t.Fatalf("workers %d: the count was not split", w)
					}
					if w != 0 && mode != splitNormal && act.isSplit != (mode == splitByHelper) {
						t.Fatalf("workers %d, mode %d: isSplit %v", w, mode, act.isSplit)
					}
					if !slices.Equal(act.Touched(), serial.Touched()) {
						t.Fatalf("thresholds %v, workers %d: touched %d segments, serial %d", thr, w, len(act.Touched()), len(serial.Touched()))
					}
					for s := range Segment(c.SegmentSlots()) {
						p1, c1 := serial.Counts(s)
						p2, c2 := act.Counts(s)
						if p1 != p2 || c1 != c2 {
							t.Fatalf("workers %d: segment %d counts (%d, %d), serial (%d, %d)", w, s, p2, c2, p1, c1)
						}
					}
					if !slices.Equal(act.AppendActive(nil, conThr), serial.AppendActive(nil, conThr)) ||
						!slices.Equal(act.AppendMatching(nil, potThr), serial.AppendMatching(nil, potThr)) {
						t.Fatalf("workers %d: AppendActive or AppendMatching differs", w)
					}
				}
			}
		}
	}
}

// BenchmarkOverSplit: ComputeActivityOver on a store like a 2048 × 32
// temporal memory's after ~1500 steps of random input (60 000 segments ×
// 20 synapses, at most 255 a segment) with the 1280 cells of 40 columns
// active, on 1 and 2 workers.
func BenchmarkOverSplit(b *testing.B) {
	const inputs = 65536
	c, err := New(Config{NumCells: inputs, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 255})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 14))
	var p []uint32
	var buf []Synapse
	for range 60000 {
		p, _ = RandomPattern(p, inputs, 20, rng)
		buf = buf[:0]
		for _, in := range p {
			buf = append(buf, Synapse{in, 0.21})
		}
		if _, err := c.CreateSegmentWith(uint32(rng.IntN(inputs)), buf); err != nil {
			b.Fatal(err)
		}
	}
	cols, _ := RandomPattern(nil, 2048, 40, rng)
	var active []uint32
	for _, col := range cols {
		for k := range uint32(32) {
			active = append(active, col*32+k)
		}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			var act Activity
			act.SetWorkers(w)
			b.ReportAllocs()
			for b.Loop() {
				if err := c.ComputeActivityOver(&act, active, 13, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOverSplitConcurrent: goroutines that count into Activities of their
// own over one store share the package's helper; each still gets the
// serial result (run it with -race).
func TestOverSplitConcurrent(t *testing.T) {
	const inputs = 4096
	c, rng := splitStore(t, inputs, 4000, 15)
	active := randomSorted(rng, inputs, 500)
	var serial Activity
	serial.SetWorkers(1)
	if err := c.ComputeActivityOver(&serial, active, 4, 6); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(serial.Touched())
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var act Activity
			act.SetWorkers(2)
			for range 50 {
				if err := c.ComputeActivityOver(&act, active, 4, 6); err != nil {
					errs <- err
					return
				}
				if !slices.Equal(act.Touched(), want) {
					errs <- fmt.Errorf("touched %d segments, serial %d", len(act.Touched()), len(want))
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
