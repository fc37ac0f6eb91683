package sim

import (
	"testing"

	"github.com/dendritic/dendritic/internal/rng"
)

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
