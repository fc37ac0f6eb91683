package sim

import (
	"context"
	"testing"

	"github.com/dendritic/dendritic/internal/rng"
)

// BenchmarkFPDirect measures the direct fp simulation end to end (all
// sampling included) at n=2000, a=128, s=24, θ=12 with the default worker
// count, and reports segment–pattern evaluations per second.
func BenchmarkFPDirect(b *testing.B) {
	c := Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1 << 28, Seed: 1}
	var evals int64
	var secs float64
	for b.Loop() {
		r, err := Run(context.Background(), c, nil)
		if err != nil {
			b.Fatal(err)
		}
		evals += r.Evaluations
		secs += r.Seconds
	}
	b.ReportMetric(float64(evals)/secs, "evals/s")
}

// BenchmarkFPDirect1 is BenchmarkFPDirect on one worker.
func BenchmarkFPDirect1(b *testing.B) {
	c := Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1 << 27, Seed: 1, Workers: 1}
	var evals int64
	var secs float64
	for b.Loop() {
		r, err := Run(context.Background(), c, nil)
		if err != nil {
			b.Fatal(err)
		}
		evals += r.Evaluations
		secs += r.Seconds
	}
	b.ReportMetric(float64(evals)/secs, "evals/s")
}

// BenchmarkKernel measures countGE alone: one pattern of 128 cells
// against 64 segments of 24 synapses (n = 2000).
func BenchmarkKernel(b *testing.B) {
	p := rng.New(1, 0)
	const n, a = 2000, 128
	tab := make([]uint64, n)
	for j := range 64 {
		for range 24 {
			tab[rng.Bounded(p, n)] |= 1 << j
		}
	}
	cells := make([]uint32, a*64)
	for i := range cells {
		cells[i] = uint32(rng.Bounded(p, n))
	}
	var sink uint64
	i := 0
	for b.Loop() {
		sink += countGE(tab, cells[i*a:(i+1)*a], 12, 1)
		i = (i + 1) & 63
	}
	b.ReportMetric(64*float64(b.N)/b.Elapsed().Seconds(), "evals/s")
	_ = sink
}

// BenchmarkImportance measures importance-sampled fp at n=10000, a=64,
// s=24, θ=12 (fp ≈ 4.04e-21), reporting samples per second.
func BenchmarkImportance(b *testing.B) {
	c := Config{Kind: KindFP, N: 10000, A: 64, S: 24, Theta: 12, Samples: 1 << 21, Seed: 1, Method: MethodImportance}
	var evals int64
	var secs float64
	for b.Loop() {
		r, err := Run(context.Background(), c, nil)
		if err != nil {
			b.Fatal(err)
		}
		evals += r.Evaluations
		secs += r.Seconds
	}
	b.ReportMetric(float64(evals)/secs, "samples/s")
}
