package btm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkStepSequence: NAB parameters (2048 columns × 32 cells), 40
// active columns, learning on, a repeating sequence of 100 random inputs
// without resets, after 30 repetitions of warm-up.
func BenchmarkStepSequence(b *testing.B) {
	tm := mustNew(b, NABParams())
	seq := randomSequence(1, 100, 2048, 40)
	for i := range 30 * len(seq) {
		compute(b, tm, seq[i%len(seq)], true)
	}
	i, anomaly := 0, 0.0
	b.ReportAllocs()
	for b.Loop() {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			b.Fatal(err)
		}
		anomaly += tm.Anomaly()
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/step")
	b.ReportMetric(anomaly/float64(b.N), "anomaly")
}

// BenchmarkStepRandom: the same TM on uniformly random inputs (every step
// bursts, backtracks over the whole history and grows 40 segments) after
// 2000 steps of warm-up; the 128-segment cap bounds the store.
func BenchmarkStepRandom(b *testing.B) {
	tm := mustNew(b, NABParams())
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := randomSequence(3, 4096, 2048, 40)
	for range 2000 {
		compute(b, tm, inputs[rng.IntN(len(inputs))], true)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := tm.Compute(inputs[rng.IntN(len(inputs))], true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/step")
	b.ReportMetric(float64(tm.NumSegments()), "segments")
}
