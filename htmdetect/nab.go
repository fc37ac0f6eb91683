package htmdetect

import (
	"fmt"

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
	// NameNumentaGMeanCAD is, row by row, the larger of two final scores:
	// numenta's with the value encoder's resolution taken from the
	// probationary period (numenta-probation-gmean: the range from the
	// period's 1st percentile, as wide as the geometric mean of the
	// period's 1st-to-99th-percentile width and the file's), and NAB's
	// contextOSE (package cad, found through the registry). The finer
	// resolution catches small changes against a range set by one spike
	// and costs false alarms on noisy series; contextOSE has NAB's best
	// low-FP score among the published open detectors. Over the seeds
	// 42–46 it beats numenta on all three profiles (docs/BENCHMARKS.md).
	NameNumentaGMeanCAD = "numenta-gmean-cad"
	// NameNumentaPeaks is nab.Peaks over the row-by-row maximum of three
	// final scores: numenta-probation-gmean at the run seed and at the
	// next seed, and contextOSE. Peaks keeps a row's score only where it
	// rises above the previous fifth of a probationary period, so a run of
	// high scores counts once; over the seeds 42–46 it beats
	// numenta-gmean-cad on all three profiles (docs/BENCHMARKS.md).
	NameNumentaPeaks = "numenta-gmean2-cad-peaks"
	// NameNumentaCalPeaks is nab.Peaks over the row-by-row maximum of
	// numenta-probation-gmean's final score put on contextOSE's scale
	// (nab.Calibrate from NumentaThreshold to ContextOSEThreshold) and
	// contextOSE's: the maximum then thresholds each member at its own
	// operating point, where without the calibration contextOSE's higher
	// scale sets the threshold for both. Over the seeds 42–46 it beats
	// numenta-gmean2-cad-peaks on all three profiles (docs/BENCHMARKS.md).
	NameNumentaCalPeaks = "numenta-gmean-cad-peaks-cal"
)

// NAB's published standard-profile thresholds of its numenta and
// contextOSE detectors (NAB's config/thresholds.json, commit ea702d75):
// the operating points at which NuPIC's HTM likelihood and CAD OSE scored
// their published results. NameNumentaCalPeaks maps the first onto the
// second.
const (
	NumentaThreshold    = 0.5421876907348634
	ContextOSEThreshold = 0.7655273437500002
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
	nab.MustRegister(nab.Registration{Name: NameNumentaGMeanCAD, MaxProbation: MaxReplayProbation,
		Summary: "the row-by-row maximum of numenta with a resolution from the probationary period and contextOSE",
		New:     newNumentaGMeanCAD,
		Load: withContextOSE(NameNumentaGMeanCAD, func(b []byte, ose nab.Loader) (nab.Detector, error) {
			return nab.LoadMaxOf(b, loadProbation, ose)
		})})
	nab.MustRegister(nab.Registration{Name: NameNumentaPeaks, MaxProbation: MaxReplayProbation,
		Summary: "new highs (nab.Peaks) of the maximum of two probation-resolution numentas (seeds s, s+1) and contextOSE",
		New:     newNumentaPeaks,
		Load: withContextOSE(NameNumentaPeaks, func(b []byte, ose nab.Loader) (nab.Detector, error) {
			return nab.LoadPeaks(b, func(b []byte) (nab.Detector, error) {
				return nab.LoadMaxOf(b, loadProbation, loadProbation, ose)
			})
		})})
	nab.MustRegister(nab.Registration{Name: NameNumentaCalPeaks, MaxProbation: MaxReplayProbation,
		Summary: "new highs (nab.Peaks) of the maximum of a probation-resolution numenta, put on contextOSE's scale (nab.Calibrate), and contextOSE",
		New:     newNumentaCalPeaks,
		Load: withContextOSE(NameNumentaCalPeaks, func(b []byte, ose nab.Loader) (nab.Detector, error) {
			cal := func(b []byte) (nab.Detector, error) { return nab.LoadCalibrate(b, loadProbation) }
			return nab.LoadPeaks(b, func(b []byte) (nab.Detector, error) {
				return nab.LoadMaxOf(b, cal, ose)
			})
		})})
}

// withContextOSE returns the decoder of the combination name, which
// decodes with load once the registry's decoder of contextOSE is found.
func withContextOSE(name string, load func(b []byte, ose nab.Loader) (nab.Detector, error)) nab.Loader {
	return func(b []byte) (nab.Detector, error) {
		ose, err := contextOSELoader(name)
		if err != nil {
			return nil, err
		}
		return load(b, ose)
	}
}

// contextOSELoader returns the registry's decoder of contextOSE (package
// cad), which the detector name needs.
func contextOSELoader(name string) (nab.Loader, error) {
	load, err := nab.LookupLoad("contextOSE")
	if err == nil && load == nil {
		err = fmt.Errorf("contextOSE has no decoder")
	}
	if err != nil {
		return nil, fmt.Errorf("htmdetect: %s needs the contextOSE detector (package cad): %w", name, err)
	}
	return load, nil
}

// contextOSEFactory returns the registry's contextOSE (package cad) at a
// run seed, which the detector name needs.
func contextOSEFactory(name string, seed uint64) (nab.DetectorFactory, error) {
	ose, err := nab.Lookup("contextOSE", seed)
	if err != nil {
		return nil, fmt.Errorf("htmdetect: %s needs the contextOSE detector (package cad): %w", name, err)
	}
	return ose, nil
}

// newNumentaGMeanCAD returns the factory of NameNumentaGMeanCAD at a run
// seed (numenta's seeds shifted as in NumentaFactorySeeded).
func newNumentaGMeanCAD(seed uint64) (nab.DetectorFactory, error) {
	ose, err := contextOSEFactory(NameNumentaGMeanCAD, seed)
	if err != nil {
		return nil, err
	}
	return nab.MaxOf(probationGeometricFactory(seed), ose)
}

// newNumentaPeaks returns the factory of NameNumentaPeaks at a run seed.
func newNumentaPeaks(seed uint64) (nab.DetectorFactory, error) {
	ose, err := contextOSEFactory(NameNumentaPeaks, seed)
	if err != nil {
		return nil, err
	}
	m, err := nab.MaxOf(probationGeometricFactory(seed), probationGeometricFactory(seed+1), ose)
	if err != nil {
		return nil, err
	}
	return nab.Peaks(m)
}

// newNumentaCalPeaks returns the factory of NameNumentaCalPeaks at a run
// seed: Peaks(MaxOf(Calibrate(gmean(s)), contextOSE)).
func newNumentaCalPeaks(seed uint64) (nab.DetectorFactory, error) {
	ose, err := contextOSEFactory(NameNumentaCalPeaks, seed)
	if err != nil {
		return nil, err
	}
	g, err := nab.Calibrate(probationGeometricFactory(seed), NumentaThreshold, ContextOSEThreshold)
	if err != nil {
		return nil, err
	}
	m, err := nab.MaxOf(g, ose)
	if err != nil {
		return nil, err
	}
	return nab.Peaks(m)
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
