package benchwork

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/htm"
)

// The cases of the temporal memory (package htm) and of the dendrite
// activity kernel.
//
//	tm/step-2048x32         TMStep: µs per step.
//	tm/step-2048x32-random  the same TM on uniformly random inputs (every
//	                        column bursts and grows a segment): µs per step
//	                        over steps 1000–2000 (a fixed window, because the
//	                        store keeps growing; see htm's TestLongRandom).
//	dendrite/activity       DenseActivity over ActivityStore(250 000), on
//	                        GOMAXPROCS workers: synapse checks per second.

// randomColumns returns count random sorted sets of w of n columns.
func randomColumns(rng *rand.Rand, count, n, w int) ([][]uint32, error) {
	out := make([][]uint32, count)
	for i := range out {
		var err error
		if out[i], err = dendrite.RandomPattern(nil, n, w, rng); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sequenceMemory is what the TM cases need of a temporal memory (htm's
// and btm's).
type sequenceMemory interface {
	Compute(activeColumns []uint32, learn bool) error
	Anomaly() float64
}

// TMStep: one step of a temporal memory with the default parameters
// (htm.core's), 2048 columns × 32 cells, 40 active columns, learning on,
// on a repeating sequence of 100 random inputs (no resets), after 30
// repetitions of warm-up, when the sequence is predicted. It reports the
// metrics µs/step and the mean anomaly.
func TMStep(b *testing.B) error {
	tm, err := htm.New(htm.DefaultParams())
	if err != nil {
		return err
	}
	return sequenceStep(b, tm)
}

// sequenceStep is the loop of TMStep and BTMStep on tm.
func sequenceStep(b *testing.B, tm sequenceMemory) error {
	seq, err := SequenceInputs()
	if err != nil {
		return err
	}
	for i := range SequenceWarmup * len(seq) {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			return err
		}
	}
	i, anomaly := 0, 0.0
	b.ReportAllocs()
	for b.Loop() {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			return err
		}
		anomaly += tm.Anomaly()
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/step")
	b.ReportMetric(anomaly/float64(b.N), "anomaly")
	return nil
}

// tmStepRandom returns the µs per step of the default TM over steps
// 1000–2000 of uniformly random input.
func tmStepRandom() (float64, error) {
	tm, err := htm.New(htm.DefaultParams())
	if err != nil {
		return 0, err
	}
	return randomWindow(tm)
}

// randomWindow returns the µs per step of tm over steps 1000–2000 of
// uniformly random input.
func randomWindow(tm sequenceMemory) (float64, error) {
	inputs, err := RandomInputs()
	if err != nil {
		return 0, err
	}
	var t0 time.Time
	for i, x := range inputs {
		if i == RandomWindow {
			t0 = time.Now()
		}
		if err := tm.Compute(x, true); err != nil {
			return 0, err
		}
	}
	return float64(time.Since(t0).Nanoseconds()) / 1000 / 1e3, nil
}

// ActivityStore returns a dendrite store of segs segments × 40 synapses
// onto 65 536 inputs (uniform random inputs, permanences uniform in
// [0, 1), connected at 0.5, 100 segments per cell) and the bitmap of 2 %
// of the inputs active, from a fixed seed: the input of DenseActivity.
func ActivityStore(segs int) (*dendrite.Connections, []uint64, error) {
	const syn, inputs = 40, 65536
	if segs < 1 || segs > 1<<24 {
		return nil, nil, fmt.Errorf("benchwork: ActivityStore: %d segments, want 1..%d", segs, 1<<24)
	}
	c, err := dendrite.New(dendrite.Config{NumCells: (segs + 99) / 100, NumInputs: inputs, ConnectedPermanence: 0.5})
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(5, 6))
	buf := make([]dendrite.Synapse, syn)
	var p []uint32
	for i := range segs {
		if p, err = dendrite.RandomPattern(p, inputs, syn, rng); err != nil {
			return nil, nil, err
		}
		for j, in := range p {
			buf[j] = dendrite.Synapse{Input: in, Permanence: rng.Float32()}
		}
		if _, err := c.CreateSegmentWith(uint32(i/100), buf); err != nil {
			return nil, nil, err
		}
	}
	active, err := dendrite.RandomPattern(nil, inputs, inputs/50, rng)
	if err != nil {
		return nil, nil, err
	}
	bitmap := make([]uint64, inputs/64)
	for _, a := range active {
		bitmap[a/64] |= 1 << (a % 64)
	}
	return c, bitmap, nil
}

// DenseActivity returns the Loop of one ComputeActivityDense of c over
// the active inputs bitmap on workers goroutines.
func DenseActivity(c *dendrite.Connections, bitmap []uint64, workers int) Loop {
	return func(b *testing.B) error {
		if c == nil {
			return fmt.Errorf("benchwork: DenseActivity: nil store")
		}
		var act dendrite.Activity
		b.ReportAllocs()
		for b.Loop() {
			if err := c.ComputeActivityDense(&act, bitmap, workers); err != nil {
				return err
			}
		}
		return nil
	}
}

// denseChecks returns the synapse checks per second of dendrite/activity.
func denseChecks() (float64, error) {
	c, bitmap, err := ActivityStore(250_000)
	if err != nil {
		return 0, err
	}
	ns, err := perOp(DenseActivity(c, bitmap, runtime.GOMAXPROCS(0)), 1)()
	if err != nil {
		return 0, err
	}
	if ns <= 0 {
		return 0, fmt.Errorf("no time measured")
	}
	return float64(c.NumSynapses()) / (ns * 1e-9), nil
}

func init() {
	register(Case{Name: "tm/step-2048x32", Suite: "tm", Unit: "µs/step", Run: perOp(TMStep, 1e3)})
	register(Case{Name: "tm/step-2048x32-random", Suite: "tm", Unit: "µs/step", Run: tmStepRandom})
	register(Case{Name: "dendrite/activity", Suite: "dendrite", Unit: "synapse checks/s", Run: denseChecks})
}
