package main

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

// benchOverlapPair returns two random SDRs of 2048 cells with 40 active
// (2 %, the paper's standard), from a fixed seed.
func benchOverlapPair() (x, y *sdr.SDR, err error) {
	rng := rand.New(rand.NewPCG(2016, 1))
	if x, err = sdr.New(2048); err != nil {
		return nil, nil, err
	}
	if y, err = sdr.New(2048); err != nil {
		return nil, nil, err
	}
	if err = x.RandomizeCount(40, rng); err != nil {
		return nil, nil, err
	}
	if err = y.RandomizeCount(40, rng); err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

func init() {
	registerBench(benchCase{
		Name: "sdr/overlap-2048", Suite: "sdr", Unit: "ns/op",
		Run: func() (float64, error) {
			x, y, err := benchOverlapPair()
			if err != nil {
				return 0, err
			}
			return benchPerOp(1, func(b *testing.B, errp *error) {
				for b.Loop() {
					if _, err := x.Overlap(y); err != nil { // b.Loop keeps the call
						*errp = err
						return
					}
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "sdr/overlap-2048-allocs", Suite: "sdr", Unit: "allocs/op",
		Run: func() (float64, error) {
			x, y, err := benchOverlapPair()
			if err != nil {
				return 0, err
			}
			var oerr error
			allocs := testing.AllocsPerRun(10000, func() {
				if _, err := x.Overlap(y); err != nil {
					oerr = err
				}
			})
			if oerr != nil {
				return 0, fmt.Errorf("overlap: %w", oerr)
			}
			return allocs, nil
		},
	})
}
