package art

import (
	"time"

	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/nab"
)

// NABParams returns the detector's parameters for a NAB file with the given
// range and probationary period P (rows), fixed before any corpus run:
// blocks of max(1, ⌊P/64⌋) rows (the probationary period holds 64 blocks),
// a window of 8 blocks, vigilance 0.9 (a box may span on average a tenth
// of the range per feature), choice 0.001 and fast learning (β = 1), as in
// Carpenter, Grossberg & Rosen (1991)'s simulations; no likelihood.
func NABParams(lo, hi float64, probation int) Params {
	return Params{Min: lo, Max: hi, Block: max(1, probation/64), Window: 8,
		Vigilance: 0.9, Choice: 0.001, Learning: 1}
}

// nabLikelihood is NAB's likelihood of its HTM detectors for a file with
// probationary period P (nab.NumentaLikelihoodParams).
func nabLikelihood(probation int) *anomaly.LikelihoodParams {
	p := nab.NumentaLikelihoodParams(probation)
	return &p
}

func factory(params func(nab.FileInfo) Params) nab.DetectorFactory {
	return func(info nab.FileInfo) (nab.Detector, error) {
		d, err := New(params(info))
		if err != nil {
			return nil, err
		}
		return nab.DetectorFunc(func(_ time.Time, v float64) (float64, error) {
			o, err := d.Step(v)
			return o.Score, err
		}), nil
	}
}
