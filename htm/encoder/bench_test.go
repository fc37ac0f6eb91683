package encoder

import (
	"math"
	"testing"
	"time"

	"github.com/dendritic/dendritic/sdr"
)

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
