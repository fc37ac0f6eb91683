package benchwork

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

// overlapPair returns two random SDRs of 2048 cells with 40 active (2 %,
// the paper's standard), from a fixed seed.
func overlapPair() (x, y *sdr.SDR, err error) {
	rng := rand.New(rand.NewPCG(2016, 1))
	for _, p := range []**sdr.SDR{&x, &y} {
		if *p, err = sdr.New(2048); err != nil {
			return nil, nil, err
		}
		if err = (*p).RandomizeCount(40, rng); err != nil {
			return nil, nil, err
		}
	}
	return x, y, nil
}

// Overlap2048: one SDR.Overlap of two 2048-cell SDRs with 40 active cells
// each, the paper's typical dendrite input, per operation. It must not
// allocate (case sdr/overlap-2048-allocs).
func Overlap2048(b *testing.B) error {
	x, y, err := overlapPair()
	if err != nil {
		return err
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := x.Overlap(y); err != nil { // b.Loop keeps the call
			return err
		}
	}
	return nil
}

// overlapAllocs returns the allocations of one Overlap2048 operation.
func overlapAllocs() (float64, error) {
	x, y, err := overlapPair()
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
}

func init() {
	register(Case{Name: "sdr/overlap-2048", Suite: "sdr", Unit: "ns/op", Run: perOp(Overlap2048, 1)})
	register(Case{Name: "sdr/overlap-2048-allocs", Suite: "sdr", Unit: "allocs/op", Run: overlapAllocs})
}
