// Package sim is a Monte Carlo simulator of the model of Ahmad & Hawkins
// (2016): it draws real patterns and real segments and counts how often
// a segment fires, to check the equations of package theory.
//
// # Model
//
// A population has n cells; a pattern is a set of exactly a active
// cells, uniform among the C(n,a) such sets. A segment is a set of s
// distinct cells; it fires on a pattern iff its overlap (the number of
// its cells that are active) is at least θ. Nothing is drawn from a
// theoretical distribution: every sample builds the pattern and the
// segment as lists of cells and counts the overlap.
//
//   - fp (E2): a random segment of s cells against a random pattern;
//     the event is overlap ≥ θ. A segment formed by subsampling s cells
//     of a uniformly random pattern is a uniformly random s-set, so it is
//     drawn as one.
//   - fn (E3): a stored random pattern of a cells, a segment of s of its
//     cells, and noise exactly as the reference code's addNoise: v of the
//     a active cells are switched off and v of the n−a inactive ones
//     switched on (a stays constant); the event is overlap < θ.
//   - union (E4): a segment holding the union of M random s-sets (a real
//     union, whose size varies), against a random pattern; the event is
//     overlap ≥ θ. The reference is theory.UnionFPMix, the average over
//     the exact distribution of the union size; Result.TheoryPaper gives
//     the paper's plug-in of the expected size (theory.UnionFP), an
//     approximation that the simulation distinguishes from the exact
//     value when the samples are many.
//   - neuron (E5): a neuron of m independent random segments fires falsely
//     on a random pattern iff any segment does; a sample is one
//     (neuron, pattern) pair, and the reference is theory.Neuron.
//
// # Kernel
//
// Direct runs use a bit-sliced kernel (see countGE): 64 segments are
// packed into a lane table holding one 64-bit word per cell, the pattern
// is a list of its a active cells, and the a table words are added into
// 64 vertical counters with a carry-save (Harley–Seal) tree; a bit-serial
// comparator gives the 64 firing decisions. One pattern against 64
// segments costs about 6·a simple operations, instead of 64·s bitmap
// probes. Random k-sets are drawn by partial Fisher–Yates on a permutation
// of the cells that is restored after every draw (so a draw depends only
// on the random stream), with exactly unbiased bounded integers.
//
// # Blocks, tasks and determinism
//
// A direct run is cut into blocks: a block draws its own segments (a
// multiple of 64) and its own test patterns, and tests every segment
// against every pattern; blocks are independent. A block is one task. An
// importance run is cut into tasks of 16384 samples. The division depends
// only on the Config. Task t draws from the PCG stream derived from
// (Seed, t) by SplitMix64 (package internal/rng), and a task yields exact
// integer counts, so the totals — and the result — are the same bit for
// bit for any number of workers, in any order, and after splitting the
// run into shards (tasks t with t mod Shards == Shard) and merging them
// (Merge). Memory is bounded: about 12·n bytes plus one block of
// patterns per worker, whatever the number of samples.
//
// # Statistics
//
// Direct estimate: p̂ = hits/samples. Within a block the samples share
// segments and patterns. For fp and fn this does not even create pairwise
// correlation: every segment has the same chance p of firing on a random
// pattern (and every pattern on a random segment), so the hits are
// pairwise independent and the variance is exactly binomial. For union
// and neuron the chance varies between segments (with the union size, or
// with how a neuron's segments overlap), and hits sharing a segment are
// correlated. Run therefore estimates the design effect d = (variance of
// p̂ from the spread of the block hit counts) / (binomial variance), set
// to at least 1 (and to 1 when it cannot be estimated: fewer than two
// blocks, or no hit). The 95% interval is the Wilson score interval for
// p̂ with the effective sample size samples/d; with no hit it is
// [0, 3.84/samples]. For fp and fn that zero-hit bound is also rigorous
// once the run has at least 50 blocks (2·10^5 samples or more): by the
// pairwise independence a block of N samples has a hit with probability
// at least Np/(1+Np) (second-moment bound), so K blocks all miss with
// probability at most (1+Np)^−K, below 2.5% at p = 3.84/(KN) for K ≥ 50.
//
// z = (p̂ − P)/sqrt(P(1−P)·d/samples), P the theory value: the standard
// error is the one the estimator has if the theory is right. If P is 0 or
// 1, z is 0 when p̂ equals it and undefined (nil) otherwise — an event of
// probability 0 was seen, or one of probability 1 was missed.
//
// z is only a good test when many hits are expected. Result.Verdict applies
// the agreement rule of verdict.go (the one the paper experiment uses): a
// direct run expecting E = N·P/d hits is judged by |z| ≤ ZLimit when
// E ≥ InformativeHits (10), by the two-sided exact binomial test at the
// same level when fewer are expected, and is "not informative" below
// MinExpectedHits (1), where it can refute the theory but never confirm it.
//
// # Importance sampling
//
// Method "importance" (fp and fn) estimates probabilities far below
// 1/samples: fp ≈ 4.04e-21 at n=10000, a=64, s=24, θ=12 to about 1% with
// 10^6 samples in well under a second. The proposal mixes uniform
// patterns (share λ = 0.1) with patterns whose overlap b with the
// segment is uniform on the event's range, built from real cells (see
// importance.go); each sample is weighted by the likelihood ratio
// w(b) = p(b)/q(b), p the hypergeometric law of the overlap computed in
// log space. The estimate is the mean of w·1[event], with the normal 95%
// interval from the sample variance of the weighted indicators (the
// weights are bounded by 1/λ, and the relative variance per sample is at
// most K/(1−λ) − 1 for an event range of K values); with no sample in the
// event the upper bound is the largest weight times the Clopper–Pearson
// bound 1 − 0.025^(1/samples). For importance runs z uses the exact
// standard error of the estimator under the model instead of the binomial
// one.
//
// # Cancellation
//
// Run stops handing out tasks when its context is cancelled and returns
// the counts of the finished tasks, flagged Partial; a partial result
// cannot be merged.
package sim
