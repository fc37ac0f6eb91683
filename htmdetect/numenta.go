package htmdetect

import (
	"fmt"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/nab"
)

// NumentaParams returns the stages of NAB's "numenta" detector other than
// its temporal memory, for a file whose values span [inputMin, inputMax]
// and whose probationary period is probation rows: the encoders, spatial
// pooler, likelihood and spatial-range rule of NumentaTMParams
// (benchmarks.md §1.5 and backtracking-tm.md §9–10 give them as identical
// for both detectors), except the pooler's initial permanences:
// spatial.InitNearThreshold, which connects half of the potential synapses
// as NuPIC's pooler does (initConnectedPct 0.5: connected permanences
// uniform on [0.2, 1), the others on [0, 0.2)), instead of InitUniform's
// 80 %. With InitUniform the raw scores of this detector are about twice
// NuPIC's published ones (e.g. mean 0.051 against 0.010 on
// ec2_cpu_utilization_825cc2); with half connected they match (0.008),
// and the NAB score goes from 69.5 / 60.5 / 75.1 to 70.3 / 63.6 / 74.4
// (TestNumentaRawMatchesNuPIC). Params.TM is NumentaTMParams' and is not
// used by NewNumenta.
func NumentaParams(inputMin, inputMax float64, probation int) Params {
	p := NumentaTMParams(inputMin, inputMax, probation)
	p.SP.InitPermanence = spatial.InitNearThreshold
	return p
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
	d.btm, d.seq = tm, tm
	return d, nil
}

// NumentaSeed is the run seed under which NumentaFactory uses NuPIC's own
// seeds (RDSE 42, spatial pooler 1956, temporal memory 1960); it is also
// the default of `dendritic nab run --seed`.
const NumentaSeed = 42

// NumentaFactory returns a NAB detector factory for the numenta
// configuration (NumentaParams of each file, btm.NABParams), scoring each
// record with score, with NuPIC's seeds (NumentaFactorySeeded with
// NumentaSeed).
func NumentaFactory(score ScoreFunc) nab.DetectorFactory {
	return NumentaFactorySeeded(score, NumentaSeed)
}

// NumentaFactorySeeded is NumentaFactory with every seed of the pipeline
// (the RDSE's, the spatial pooler's and the temporal memory's) shifted by
// seed − NumentaSeed, so that seed NumentaSeed gives NuPIC's seeds and
// other seeds give independent runs of the same configuration (the
// five-seed spread of docs/BENCHMARKS.md).
func NumentaFactorySeeded(score ScoreFunc, seed uint64) nab.DetectorFactory {
	shift := seed - NumentaSeed // wraps around for seed < 42: still distinct
	return func(info nab.FileInfo) (nab.Detector, error) {
		p, tp := NumentaParams(info.Min, info.Max, info.Probation), btm.NABParams()
		p.Value.Seed += shift
		p.SP.Seed += shift
		tp.Seed += shift
		d, err := NewNumenta(p, tp)
		if err != nil {
			return nil, err
		}
		return d.nabDetector(score), nil
	}
}
