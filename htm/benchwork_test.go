package htm_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// The benchmarks whose workloads `dendritic bench` also runs live here, in
// the external test package, because internal/benchwork imports htm.

// BenchmarkStepSequence is the case tm/step-2048x32: 2048 columns × 32
// cells, default parameters, 40 active columns, learning on, on a
// repeating sequence of 100 random inputs (no resets), measured after 30
// repetitions of warm-up, when the sequence is predicted.
func BenchmarkStepSequence(b *testing.B) { benchwork.Bench(b, benchwork.TMStep) }

// BenchmarkHelloTM is the case hello/tm: one op is the 5000 steps of a
// fresh TM of 2048 columns × 8 cells on the hello workload's SP output.
func BenchmarkHelloTM(b *testing.B) { benchwork.BenchEpisode(b, benchwork.HelloTM) }
