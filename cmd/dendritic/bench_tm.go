package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/htm"
)

// Benchmark cases of the temporal memory (package htm) and of the
// dendrite activity kernel.
//
//	tm/step-2048x32         default parameters (htm.core's), 2048 columns × 32
//	                        cells, 40 active columns, learning on, a repeating
//	                        sequence of 100 random inputs (no resets), after
//	                        30 repetitions of warm-up: µs per step.
//	tm/step-2048x32-random  the same TM on uniformly random inputs (every
//	                        column bursts and grows a segment): µs per step
//	                        over steps 1000–2000 (a fixed window, because the
//	                        store keeps growing; see htm's TestLongRandom).
//	dendrite/activity       ComputeActivityDense over 250 000 segments × 40
//	                        synapses onto 65 536 inputs (2 % active), on
//	                        GOMAXPROCS workers: synapse checks per second.

// benchColumns returns a random sorted set of w of n columns.
func benchColumns(rng *rand.Rand, n, w int) []uint32 {
	p, err := dendrite.RandomPattern(nil, n, w, rng)
	if err != nil {
		panic(err)
	}
	return p
}

func init() {
	registerBench(benchCase{
		Name: "tm/step-2048x32", Suite: "tm", Unit: "µs/step",
		Run: func() (float64, error) {
			tm, err := htm.New(htm.DefaultParams())
			if err != nil {
				return 0, err
			}
			rng := rand.New(rand.NewPCG(1, 2))
			seq := make([][]uint32, 100)
			for i := range seq {
				seq[i] = benchColumns(rng, 2048, 40)
			}
			for i := range 30 * len(seq) {
				if err := tm.Compute(seq[i%len(seq)], true); err != nil {
					return 0, err
				}
			}
			i := 0
			return benchPerOp(1e3, func(b *testing.B, errp *error) {
				for b.Loop() {
					if err := tm.Compute(seq[i%len(seq)], true); err != nil {
						*errp = err
						return
					}
					i++
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "tm/step-2048x32-random", Suite: "tm", Unit: "µs/step",
		Run: func() (float64, error) {
			tm, err := htm.New(htm.DefaultParams())
			if err != nil {
				return 0, err
			}
			rng := rand.New(rand.NewPCG(3, 4))
			inputs := make([][]uint32, 2000)
			for i := range inputs {
				inputs[i] = benchColumns(rng, 2048, 40)
			}
			for _, x := range inputs[:1000] {
				if err := tm.Compute(x, true); err != nil {
					return 0, err
				}
			}
			t0 := time.Now()
			for _, x := range inputs[1000:] {
				if err := tm.Compute(x, true); err != nil {
					return 0, err
				}
			}
			return float64(time.Since(t0).Nanoseconds()) / 1000 / 1e3, nil
		},
	})
	registerBench(benchCase{
		Name: "dendrite/activity", Suite: "dendrite", Unit: "synapse checks/s",
		Run: func() (float64, error) {
			const segs, syn, inputs = 250_000, 40, 65536
			c, err := dendrite.New(dendrite.Config{NumCells: segs / 100, NumInputs: inputs, ConnectedPermanence: 0.5})
			if err != nil {
				return 0, err
			}
			rng := rand.New(rand.NewPCG(5, 6))
			buf := make([]dendrite.Synapse, syn)
			var p []uint32
			for i := range segs {
				if p, err = dendrite.RandomPattern(p, inputs, syn, rng); err != nil {
					return 0, err
				}
				for j, in := range p {
					buf[j] = dendrite.Synapse{Input: in, Permanence: rng.Float32()}
				}
				if _, err := c.CreateSegmentWith(uint32(i/100), buf); err != nil {
					return 0, err
				}
			}
			active, _ := dendrite.RandomPattern(nil, inputs, inputs/50, rng)
			bitmap := make([]uint64, inputs/64)
			for _, a := range active {
				bitmap[a/64] |= 1 << (a % 64)
			}
			var act dendrite.Activity
			workers := runtime.GOMAXPROCS(0)
			ns, err := benchPerOp(1, func(b *testing.B, errp *error) {
				for b.Loop() {
					if err := c.ComputeActivityDense(&act, bitmap, workers); err != nil {
						*errp = err
						return
					}
				}
			})
			if err != nil {
				return 0, err
			}
			if ns <= 0 {
				return 0, fmt.Errorf("no time measured")
			}
			return segs * syn / (ns * 1e-9), nil
		},
	})
}
