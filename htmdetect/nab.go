package htmdetect

import (
	"fmt"
	"sort"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// The detectors that "dendritic nab run" knows, by name.
const (
	// NameHTM is the HTM detector scored like NAB's numenta detectors:
	// the log-likelihood of the raw anomaly, or 1 on a spatial anomaly.
	NameHTM = "htm"
	// NameHTMRaw is the raw anomaly score of the same pipeline (the
	// fraction of unpredicted active columns), without the likelihood and
	// without the spatial-range rule.
	NameHTMRaw = "htm-raw"
	// NameNull scores 0 everywhere (NAB's null detector, 0 by definition).
	NameNull = "null"
	// NameRandom scores uniformly at random, seeded (NAB's random detector).
	NameRandom = "random"
)

// Names returns the names accepted by Factory, sorted.
func Names() []string {
	n := []string{NameHTM, NameHTMRaw, NameNull, NameRandom}
	sort.Strings(n)
	return n
}

// Factory returns the NAB detector factory of a detector name (see Names).
// seed seeds the random detector; the HTM detectors have their own fixed
// seeds (NumentaTMParams).
func Factory(name string, seed uint64) (nab.DetectorFactory, error) {
	switch name {
	case NameHTM:
		return NABFactory(NumentaTMParamsFor, ScoreFinal), nil
	case NameHTMRaw:
		return NABFactory(NumentaTMParamsFor, ScoreRaw), nil
	case NameNull:
		return nab.NullDetector, nil
	case NameRandom:
		return nab.RandomDetector(seed), nil
	}
	return nil, fmt.Errorf("htmdetect: unknown detector %q (known: %v)", name, Names())
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

// nabDetector adapts d to nab.Detector, scoring each record with score.
func (d *Detector) nabDetector(score ScoreFunc) nab.Detector {
	return nab.DetectorFunc(func(t time.Time, v float64) (float64, error) {
		o, err := d.Step(t, v)
		if err != nil {
			return 0, err
		}
		return score(o), nil
	})
}
