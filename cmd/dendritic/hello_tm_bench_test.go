package main

import (
	"testing"

	"github.com/dendritic/dendritic/htm"
)

// BenchmarkHelloTM: one op is the 5000 steps of the hello/tm bench case.
func BenchmarkHelloTM(b *testing.B) {
	cols, err := helloColumns()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		tm, err := htm.New(helloTMParams())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, c := range cols {
			if err := tm.Compute(c, true); err != nil {
				b.Fatal(err)
			}
		}
	}
}
