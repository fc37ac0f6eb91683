package sim_test

import (
	"context"
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
	"github.com/dendritic/dendritic/sim"
)

// The benchmarks of whole simulator runs use the configurations of
// `dendritic bench` (package internal/benchwork, which imports sim: hence
// the external test package).

// BenchmarkFPDirect is the case sim/fp-direct, run in a loop: the direct
// fp simulation end to end (all sampling included) at n=2000, a=128,
// s=24, θ=12 with the default worker count, in segment–pattern
// evaluations per second.
func BenchmarkFPDirect(b *testing.B) { benchRate(b, benchwork.SimFPDirect(), "evals/s") }

// BenchmarkFPDirect1 is BenchmarkFPDirect on one worker, with a quarter
// of the samples.
func BenchmarkFPDirect1(b *testing.B) {
	c := benchwork.SimFPDirect()
	c.Workers, c.Samples = 1, c.Samples/4
	benchRate(b, c, "evals/s")
}

// BenchmarkImportance is the case sim/fp-importance, run in a loop:
// importance-sampled fp at n=10000, a=64, s=24, θ=12 (fp ≈ 4.04e-21), in
// samples per second.
func BenchmarkImportance(b *testing.B) { benchRate(b, benchwork.SimFPImportance(), "samples/s") }

// benchRate runs c once per op and reports its evaluations per second of
// simulation time under unit.
func benchRate(b *testing.B, c sim.Config, unit string) {
	var evals int64
	var secs float64
	for b.Loop() {
		r, err := sim.Run(context.Background(), c, nil)
		if err != nil {
			b.Fatal(err)
		}
		evals += r.Evaluations
		secs += r.Seconds
	}
	b.ReportMetric(float64(evals)/secs, unit)
}
