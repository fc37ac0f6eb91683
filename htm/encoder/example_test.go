package encoder_test

import (
	"fmt"
	"time"

	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/sdr"
)

// A scalar encoder over [0, 100] with 110 bits and 10 active: neighbouring
// values share most of their bits, values a radius (10) apart share none.
func ExampleScalar() {
	e, err := encoder.NewScalar(encoder.ScalarParams{Minimum: 0, Maximum: 100, ActiveBits: 10, Size: 110})
	if err != nil {
		panic(err)
	}
	a, _ := sdr.New(e.Size())
	b, _ := sdr.New(e.Size())
	_ = e.Encode(20, a)
	for _, v := range []float64{20, 23, 30} {
		_ = e.Encode(v, b)
		o, _ := a.Overlap(b)
		fmt.Printf("overlap(20, %v) = %d\n", v, o)
	}
	fmt.Println(e.Encode(101, b))
	// Output:
	// overlap(20, 20) = 10
	// overlap(20, 23) = 7
	// overlap(20, 30) = 0
	// encoder: invalid input: scalar: 101 outside [0, 100]
}

// The RDSE needs no range: buckets d < w apart share at least w−d bits,
// farther buckets only chance bits.
func ExampleRDSE() {
	e, err := encoder.NewRDSE(encoder.RDSEParams{Size: 400, ActiveBits: 21, Resolution: 1, Seed: 42})
	if err != nil {
		panic(err)
	}
	a, _ := sdr.New(400)
	b, _ := sdr.New(400)
	_ = e.Encode(1000, a)
	for _, v := range []float64{1000.5, 1001, 1010, 1021} {
		_ = e.Encode(v, b)
		o, _ := a.Overlap(b)
		fmt.Printf("overlap(1000, %v) ≥ %d: %v\n", v, max(21-int(v-1000), 0), o >= 21-int(v-1000))
	}
	// Output:
	// overlap(1000, 1000.5) ≥ 21: true
	// overlap(1000, 1001) ≥ 20: true
	// overlap(1000, 1010) ≥ 11: true
	// overlap(1000, 1021) ≥ 0: true
}

// The input of the Numenta HTM detector of NAB: the value by an RDSE and
// the time of day, concatenated (400 + 54 bits).
func ExampleMulti() {
	type row struct {
		Value float64
		Time  time.Time
	}
	value, err := encoder.NewRDSE(encoder.RDSEParams{Size: 400, ActiveBits: 21, Resolution: 140.0 / 130, Seed: 42})
	if err != nil {
		panic(err)
	}
	tod, err := encoder.NewDate(encoder.DateParams{TimeOfDayWidth: 21, TimeOfDayRadius: 9.49})
	if err != nil {
		panic(err)
	}
	m, err := encoder.NewMulti(
		encoder.NewField("value", value, func(r row) float64 { return r.Value }),
		encoder.NewField("time", tod, func(r row) time.Time { return r.Time }),
	)
	if err != nil {
		panic(err)
	}
	x, _ := sdr.New(m.Size())
	_ = m.Encode(row{42, time.Date(2014, 4, 1, 12, 0, 0, 0, time.UTC)}, x)
	start, end, _ := m.Range("time")
	fmt.Println(m.Size(), x.Sum(), start, end)
	// Output: 454 42 400 454
}
