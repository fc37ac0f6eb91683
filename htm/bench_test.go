package htm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkStepRandom: the TM of BenchmarkStepSequence (benchwork_test.go)
// on uniformly random inputs (every column bursts, every step grows 40
// segments), after 1000 steps of warm-up. Without MaxSegments the store
// grows by 800 synapses per step, so the time per step grows with b.N;
// the maxSegments variant bounds it.
func BenchmarkStepRandom(b *testing.B) {
	for _, c := range []struct {
		name        string
		maxSegments int
	}{{"default", 0}, {"maxSegments=65536", 65536}} {
		b.Run(c.name, func(b *testing.B) {
			p := DefaultParams()
			p.MaxSegments = c.maxSegments
			tm := mustNew(b, p)
			rng := rand.New(rand.NewPCG(3, 4))
			inputs := make([][]uint32, 4096)
			for i := range inputs {
				inputs[i] = randomColumns(rng, 2048, 40)
			}
			for i := range 1000 {
				compute(b, tm, inputs[rng.IntN(len(inputs))], true)
				_ = i
			}
			b.ReportAllocs()
			for b.Loop() {
				x := inputs[rng.IntN(len(inputs))]
				if err := tm.Compute(x, true); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/step")
			b.ReportMetric(float64(tm.Connections().NumSegments()), "segments")
		})
	}
}

// BenchmarkStepRandomWindow is the case tm/step-2048x32-random of
// `dendritic bench` as a benchmark, for profiles and benchstat: one op is
// steps 1000–2000 of a fresh default TM on uniformly random input (the
// first 1000 steps are untimed); µs/step is the time of one of them. The
// sub-benchmarks set the number of workers (SetWorkers).
func BenchmarkStepRandomWindow(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := make([][]uint32, 2000)
	for i := range inputs {
		inputs[i] = randomColumns(rng, 2048, 40)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				tm := mustNew(b, DefaultParams())
				tm.SetWorkers(workers)
				for _, x := range inputs[:1000] {
					compute(b, tm, x, true)
				}
				b.StartTimer()
				for _, x := range inputs[1000:] {
					if err := tm.Compute(x, true); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "µs/step")
		})
	}
}
