package benchwork

import (
	"context"

	"github.com/dendritic/dendritic/sim"
)

// The simulator's cases are whole runs (sampling included) on all CPUs,
// reporting throughput. The suite runs each configuration once; package
// sim's benchmarks run the same configurations in a loop.

// SimFPDirect is E2 simulated directly at n=2000, a=128, s=24, θ=12:
// 2^29 segment–pattern evaluations.
func SimFPDirect() sim.Config {
	return sim.Config{Kind: sim.KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1 << 29, Seed: 1}
}

// SimFPImportance is E2 by importance sampling at n=10000, a=64, s=24,
// θ=12 (fp ≈ 4.04e-21): 2^21 samples.
func SimFPImportance() sim.Config {
	return sim.Config{Kind: sim.KindFP, N: 10000, A: 64, S: 24, Theta: 12, Samples: 1 << 21, Seed: 1,
		Method: sim.MethodImportance}
}

// simRate returns a Case.Run that runs c once and returns its evaluations
// (or samples) per second.
func simRate(c func() sim.Config) func() (float64, error) {
	return func() (float64, error) {
		r, err := sim.Run(context.Background(), c(), nil)
		if err != nil {
			return 0, err
		}
		return r.EvaluationsPerSecond, nil
	}
}

func init() {
	register(Case{Name: "sim/fp-direct", Suite: "sim", Unit: "evaluations/s", Run: simRate(SimFPDirect)})
	register(Case{Name: "sim/fp-importance", Suite: "sim", Unit: "samples/s", Run: simRate(SimFPImportance)})
}
