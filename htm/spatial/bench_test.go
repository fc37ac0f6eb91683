package spatial

import (
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

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

// BenchmarkHandOff times one hand-off of an empty phase to the helpers
// and back (Compute makes two per step), with 2 workers: the overhead
// that the parallel part of a step must win back.
func BenchmarkHandOff(b *testing.B) {
	s, err := New(DefaultParams([]int{1000}, []int{2048}))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetWorkers(2); err != nil || s.Workers() != 2 {
		b.Fatal("no 2 workers", err)
	}
	s.run(phaseNone) // starts the helpers
	for b.Loop() {
		s.run(phaseNone)
	}
}
