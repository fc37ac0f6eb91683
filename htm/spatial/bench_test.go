package spatial

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/sdr"
)

// helloInputs returns the input stream of htm.core's hello benchmark
// (HelloSPTP): an RDSE of 1000 bits at 20 % sparsity and radius 0.03
// encoding sin(x), x += 0.01 per step, with 1 % of the active bits moved
// by noise each step.
func helloInputs(tb testing.TB, steps int) []*sdr.SDR {
	tb.Helper()
	enc, err := encoder.NewRDSE(encoder.RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	inputs := make([]*sdr.SDR, steps)
	x := 0.0
	for i := range inputs {
		s, _ := sdr.New(1000)
		if err := enc.Encode(math.Sin(x), s); err != nil {
			tb.Fatal(err)
		}
		if err := s.AddNoise(0.01, r); err != nil {
			tb.Fatal(err)
		}
		x += 0.01
		inputs[i] = s
	}
	return inputs
}

// BenchmarkHelloSPGlobal times one learning step of the hello workload's
// spatial pooler (2048 columns, htm.core defaults, global inhibition),
// cycling over 5000 inputs; s/5000steps is the figure to compare with
// htm.core's 0.49 s.
func BenchmarkHelloSPGlobal(b *testing.B) {
	inputs := helloInputs(b, 5000)
	sp, err := New(DefaultParams([]int{1000}, []int{2048}))
	if err != nil {
		b.Fatal(err)
	}
	out, _ := sdr.New(2048)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := sp.Compute(inputs[i%len(inputs)], true, out); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*5000, "s/5000steps")
}

// BenchmarkNumentaSP times one learning step of the NAB detector's pooler
// (454 inputs, 42 active, whole-input pools of 363 synapses, 40 winners).
func BenchmarkNumentaSP(b *testing.B) {
	sp, err := New(nabParams(454))
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	inputs := make([]*sdr.SDR, 500)
	for i := range inputs {
		inputs[i], _ = sdr.New(454)
		_ = inputs[i].RandomizeCount(42, r)
	}
	out, _ := sdr.New(2048)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := sp.Compute(inputs[i%len(inputs)], true, out); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
