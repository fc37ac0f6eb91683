package nab

import "github.com/dendritic/dendritic/htm/anomaly"

// NumentaLikelihoodParams returns the anomaly likelihood of NAB's HTM
// detectors (numenta, numentaTM; docs/benchmarks.md §1.5) for a file with
// probationary period P (ProbationaryPeriod): learningPeriod ⌊P/2⌋,
// estimationSamples P − ⌊P/2⌋ (at least 1), reestimationPeriod 100,
// historicWindowSize 8640, averaging window 10. It lives here, below every
// detector package, because more than one of them scores with it.
func NumentaLikelihoodParams(probationaryPeriod int) anomaly.LikelihoodParams {
	lp := max(0, probationaryPeriod/2)
	return anomaly.LikelihoodParams{LearningPeriod: lp, EstimationSamples: max(1, probationaryPeriod-lp),
		HistoricWindowSize: 8640, ReestimationPeriod: 100, AveragingWindow: 10}
}

// NumentaSpatialTolerance is the tolerance of the spatial-range rule of
// NAB's HTM detectors: 5 % of the range seen so far.
const NumentaSpatialTolerance = 0.05
