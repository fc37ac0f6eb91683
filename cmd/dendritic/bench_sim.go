package main

import (
	"context"

	"github.com/dendritic/dendritic/sim"
)

// Benchmark cases of the simulator: whole runs (sampling included) on all
// CPUs, reporting throughput.
func init() {
	registerBench(benchCase{
		Name: "sim/fp-direct", Suite: "sim", Unit: "evaluations/s",
		// E2 at n=2000, a=128, s=24, θ=12: 2^29 segment–pattern evaluations.
		Run: func() (float64, error) {
			return simBench(sim.Config{Kind: sim.KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1 << 29, Seed: 1})
		},
	})
	registerBench(benchCase{
		Name: "sim/fp-importance", Suite: "sim", Unit: "samples/s",
		// fp ≈ 4.04e-21 at n=10000, a=64, s=24, θ=12: 2^21 importance samples.
		Run: func() (float64, error) {
			return simBench(sim.Config{Kind: sim.KindFP, N: 10000, A: 64, S: 24, Theta: 12, Samples: 1 << 21, Seed: 1,
				Method: sim.MethodImportance})
		},
	})
}

func simBench(c sim.Config) (float64, error) {
	r, err := sim.Run(context.Background(), c, nil)
	if err != nil {
		return 0, err
	}
	return r.EvaluationsPerSecond, nil
}
