package htmdetect

import (
	"github.com/dendritic/dendritic/nab"
)

// The detectors this package adds to the NAB registry (nab.Register).
const (
	// NameHTM is the HTM detector scored like NAB's numenta detectors:
	// the log-likelihood of the raw anomaly, or 1 on a spatial anomaly.
	NameHTM = "htm"
	// NameHTMRaw is the raw anomaly score of the same pipeline (the
	// fraction of unpredicted active columns), without the likelihood and
	// without the spatial-range rule.
	NameHTMRaw = "htm-raw"
	// NameNumenta is NAB's "numenta" detector: the same pipeline with
	// NuPIC's backtracking temporal memory (package btm).
	NameNumenta = "numenta"
	// NameNumentaRaw is the raw anomaly of the numenta pipeline.
	NameNumentaRaw = "numenta-raw"
)

func init() {
	nab.MustRegister(nab.Registration{Name: NameHTM,
		Summary: "NAB's numentaTM configuration: RDSE + time of day, spatial pooler, temporal memory, likelihood",
		New:     func(uint64) (nab.DetectorFactory, error) { return NABFactory(NumentaTMParamsFor, ScoreFinal), nil },
		Load:    loader(ScoreFinal)})
	nab.MustRegister(nab.Registration{Name: NameHTMRaw,
		Summary: "the raw anomaly of the htm pipeline (fraction of unpredicted active columns)",
		New:     func(uint64) (nab.DetectorFactory, error) { return NABFactory(NumentaTMParamsFor, ScoreRaw), nil },
		Load:    loader(ScoreRaw)})
	nab.MustRegister(nab.Registration{Name: NameNumenta,
		Summary: "NAB's numenta configuration: the htm pipeline with NuPIC's backtracking temporal memory",
		New:     func(seed uint64) (nab.DetectorFactory, error) { return NumentaFactorySeeded(ScoreFinal, seed), nil },
		Load:    loader(ScoreFinal)})
	nab.MustRegister(nab.Registration{Name: NameNumentaRaw,
		Summary: "the raw anomaly of the numenta pipeline (active columns without confidence)",
		New:     func(seed uint64) (nab.DetectorFactory, error) { return NumentaFactorySeeded(ScoreRaw, seed), nil },
		Load:    loader(ScoreRaw)})
}

// NumentaTMParamsFor returns NumentaTMParams for a NAB file.
func NumentaTMParamsFor(info nab.FileInfo) Params {
	return NumentaTMParams(info.Min, info.Max, info.Probation)
}

// ScoreFunc picks the NAB score of a record from the detector's outputs.
type ScoreFunc func(Output) float64

// ScoreFinal is the final score of NAB's numenta detectors (Output.Score).
func ScoreFinal(o Output) float64 { return o.Score }

// ScoreRaw is the raw anomaly score (Output.Raw).
func ScoreRaw(o Output) float64 { return o.Raw }

// NABFactory returns a NAB detector factory that builds, for each file, a
// Detector with params(info) and scores each record with score.
func NABFactory(params func(nab.FileInfo) Params, score ScoreFunc) nab.DetectorFactory {
	return func(info nab.FileInfo) (nab.Detector, error) {
		d, err := New(params(info))
		if err != nil {
			return nil, err
		}
		return d.nabDetector(score), nil
	}
}
