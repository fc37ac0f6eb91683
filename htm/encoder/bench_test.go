package encoder

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dendritic/dendritic/sdr"
)

// BenchmarkHelloEncode times one step of the input stage of htm.core's
// hello benchmark: an RDSE of 1000 bits at 20 % sparsity and radius 0.03
// encodes sin(x), x += 0.01, then 1 % of the active bits are moved by
// noise. s/5000steps is the time of the 5000-step run.
func BenchmarkHelloEncode(b *testing.B) {
	e, err := NewRDSE(RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	out, _ := sdr.New(1000)
	r := rand.New(rand.NewPCG(1, 2))
	x := 0.0
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Encode(math.Sin(x), out); err != nil {
			b.Fatal(err)
		}
		if err := out.AddNoise(0.01, r); err != nil {
			b.Fatal(err)
		}
		x += 0.01
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*5000, "s/5000steps")
}

// BenchmarkNumentaEncode times the input encoder of NAB's Numenta detector
// (RDSE value + time of day, 454 bits) on 5-minute records.
func BenchmarkNumentaEncode(b *testing.B) {
	type row struct {
		Value float64
		Time  time.Time
	}
	v, _ := NewRDSE(nabRDSE)
	d, _ := NewDate(nabDate)
	m, err := NewMulti(NewField("value", v, func(r row) float64 { return r.Value }),
		NewField("time", d, func(r row) time.Time { return r.Time }))
	if err != nil {
		b.Fatal(err)
	}
	out, _ := sdr.New(m.Size())
	t0 := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		r := row{Value: 50 + 50*math.Sin(float64(i)/100), Time: t0.Add(time.Duration(i) * 5 * time.Minute)}
		if err := m.Encode(r, out); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
