// Package anomaly turns the predictions of an HTM model into anomaly
// scores, as the HTM detectors of the Numenta Anomaly Benchmark (NAB) do.
//
// # Model
//
// The raw anomaly score of a step is the fraction of the currently active
// columns that the temporal memory did not predict at the previous step
// (Raw): 0 when everything was predicted, 1 when nothing was. Raw scores are
// noisy, and a stream that is always a little unpredictable keeps them high,
// so the anomaly likelihood (Ahmad, Lavin, Purdy & Agha 2017,
// "Unsupervised real-time anomaly detection for streaming data",
// Neurocomputing 262:134–147, §4.2) asks instead how unusual the recent
// raw scores are for this stream: it models the moving average of the raw
// scores over the last AveragingWindow steps as a normal distribution,
// fitted to the recent history and refitted periodically, and reports
//
//	likelihood = 1 − Q(m)
//
// where m is the current moving average and Q the (two-sided, see
// Likelihood) tail probability of the fitted normal. Likelihood is thus
// the probability that the stream is in an anomalous state — P(anomalous),
// high means anomalous. It is not 1 − likelihood: htm.core once returned
// the complement by mistake (htm.core issues #665/#666); values here are
// oriented like NuPIC's and NAB's. NAB's detectors then apply
// LogLikelihood, which spreads the values near 1 over [0, 1] (0.5 ↦ 0.0301,
// 1 − 10⁻⁵ ↦ 0.5, 1 ↦ 1).
//
// The Numenta detector also flags a "spatial anomaly" when a value falls
// more than 5 % of the range seen so far outside that range (SpatialRange);
// its final score is 1 on a spatial anomaly and the log-likelihood
// otherwise.
//
// The exact rules (learning and estimation periods, skip of the learning
// period, floors of the fitted mean and variance, the null distribution for
// a flat metric, the filter of consecutive very small tail probabilities)
// follow the description of NuPIC's AnomalyLikelihood used by NAB's
// numenta, numentaTM and htmcore detectors in the project's
// docs/benchmarks.md §1.5; see Likelihood.Compute.
package anomaly
