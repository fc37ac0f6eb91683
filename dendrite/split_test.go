package dendrite

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOverSplit: ComputeActivityOver gives the same segments and the same
// counters for every segment whatever the number of workers, and the
// split path is the one taken with 2 or more (run it with -race). The
// expected result is the serial count (one worker), which TestDifferential
// checks against the reference model.
func TestOverSplit(t *testing.T) {
	const inputs = 4096
	c, err := New(Config{NumCells: 50, NumInputs: inputs, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 40})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var p []uint32
	var buf []Synapse
	for i := range 5000 {
		p, _ = RandomPattern(p, inputs, 30, rng)
		buf = buf[:0]
		for _, in := range p {
			buf = append(buf, Synapse{in, rng.Float32()})
		}
		if _, err := c.CreateSegmentWith(uint32(i%50), buf); err != nil {
			t.Fatal(err)
		}
	}
	for _, thr := range [][2]int{{4, 6}, {8, 6}, {300, 6}, {4, 300}, {1, 1}} {
		conThr, potThr := thr[0], thr[1]
		for step := range 4 {
			active := randomSorted(rng, inputs, 300+100*step)
			var serial Activity
			serial.SetWorkers(1)
			if err := c.ComputeActivityOver(&serial, active, conThr, potThr); err != nil {
				t.Fatal(err)
			}
			if serial.isSplit {
				t.Fatal("one worker split the count")
			}
			if len(serial.Touched()) == 0 {
				t.Fatalf("thresholds %v: no segment reached a threshold: the test tests nothing", thr)
			}
			for _, w := range []int{2, 3, 0} {
				var act Activity
				act.SetWorkers(w)
				for range 2 { // the second call reuses the buffers
					if err := c.ComputeActivityOver(&act, active, conThr, potThr); err != nil {
						t.Fatal(err)
					}
					if w != 0 && !act.isSplit {
						t.Fatalf("workers %d: the count was not split", w)
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
