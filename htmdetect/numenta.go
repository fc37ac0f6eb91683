package htmdetect

import (
	"fmt"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/nab"
)

// NumentaParams returns the stages of NAB's "numenta" detector other than
// its temporal memory, for a file whose values span [inputMin, inputMax]
// and whose probationary period is probation rows: the encoders, spatial
// pooler, likelihood and spatial-range rule are those of NumentaTMParams
// (benchmarks.md §1.5 and backtracking-tm.md §9–10 describe them as
// identical for both detectors). Params.TM is left at NumentaTMParams'
// value and is not used by NewNumenta.
func NumentaParams(inputMin, inputMax float64, probation int) Params {
	return NumentaTMParams(inputMin, inputMax, probation)
}

// NewNumenta returns the detector of NAB's "numenta" configuration: the
// pipeline of p (encoders, spatial pooler, likelihood, spatial rule, as
// in New) with NuPIC's backtracking temporal memory tp
// (btm.NABParams() for NAB) in place of the standard one. Its raw anomaly
// is btm's: the fraction of the active columns without confidence after
// the previous step (backtracking-tm.md §9).
func NewNumenta(p Params, tp btm.Params) (*Detector, error) {
	d, err := newPipeline(p)
	if err != nil {
		return nil, err
	}
	if tp.NumberOfCols != d.sp.NumColumns() {
		return nil, fmt.Errorf("htmdetect: the backtracking temporal memory has %d columns, the spatial pooler %d", tp.NumberOfCols, d.sp.NumColumns())
	}
	tm, err := btm.New(tp)
	if err != nil {
		return nil, fmt.Errorf("htmdetect: backtracking temporal memory: %w", err)
	}
	d.seq = tm
	return d, nil
}

// NumentaFactory returns a NAB detector factory for the numenta
// configuration (NumentaParams of each file, btm.NABParams), scoring each
// record with score.
func NumentaFactory(score ScoreFunc) nab.DetectorFactory {
	return func(info nab.FileInfo) (nab.Detector, error) {
		d, err := NewNumenta(NumentaParams(info.Min, info.Max, info.Probation), btm.NABParams())
		if err != nil {
			return nil, err
		}
		return d.nabDetector(score), nil
	}
}
