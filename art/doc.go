// Package art is fuzzy adaptive resonance theory (fuzzy ART; Carpenter,
// Grossberg & Rosen 1991, "Fuzzy ART: Fast stable learning and
// categorization of analog patterns by an adaptive resonance system",
// Neural Networks 4:759–771) and a streaming anomaly detector built on it.
//
// # Model
//
// An input is a vector x ∈ [0, 1]^M, presented as its complement code
// I = (x, 1 − x), so |I| = M for every input (|·| is the L1 norm, ∧ the
// component-wise minimum). A category j has weights w_j ∈ [0, 1]^{2M}; read
// as (u, 1 − v) it is the box [u, v] of the inputs it has learned, and
// M − |w_j| is the box's total edge length. For an input, every category
// gets the choice T_j = |I ∧ w_j| / (α + |w_j|) and the match
// |I ∧ w_j| / M; among the categories whose match reaches the vigilance ρ,
// the one with the largest choice learns, w_j ← β(I ∧ w_j) + (1 − β)w_j
// (with fast learning, β = 1, the box grows just enough to hold the
// input); if none reaches ρ, I becomes a new category. A box can therefore
// grow to a total edge length of at most M(1 − ρ). The novelty of an input,
// min_j (|w_j| − |I ∧ w_j|) / M, is how much, per feature, the nearest box
// would have to grow to hold it: 0 inside a box.
//
// # Detector
//
// The detector scales each value to [0, 1] by the series' range (NAB gives
// every detector the file's minimum and maximum), takes as input the means
// of the last Window blocks of Block rows (with Params.Shape, followed by
// the same means scaled by their own minimum and maximum, the window's
// shape), and presents it to the network.
// The raw signal of a row is the input's novelty or, with Params.Created,
// 1 if the input created a category (with Params.Vigilances, the fraction
// of several networks, one per vigilance, in which it did); the score is
// the raw signal, or the log-likelihood of its moving average under NAB's
// anomaly likelihood (package htm/anomaly) together with NAB's
// spatial-range rule, as NAB's HTM detectors score their raw anomaly.
//
// None of these detectors is registered with package nab: every variant
// tried scored under NAB's `numenta` (docs/BENCHMARKS.md, "Fuzzy ART"),
// so they stay unexported, with the test that repeats their runs. The idea
// of detecting anomalies with ART comes from ARTime (M. Hampton, NAB's
// leader); nothing here is taken from its code, which is AGPL-3: the
// network is the 1991 paper's, the detector our own.
package art
