// Package theory computes, exactly and fast, every probability of Ahmad &
// Hawkins (2016), "How do neurons operate on sparse distributed
// representations? A mathematical theory of sparsity, neurons and active
// dendrites".
//
// # Model
//
// A population of n cells carries a pattern in which a cells are active,
// chosen uniformly among all C(n,a) such patterns. A dendritic segment has
// s synapses onto s distinct cells of the population; its overlap b with a
// pattern is the number of its synapses that see active cells, and it
// fires (an NMDA spike) when b ≥ θ. The overlap of a fixed segment with a
// random pattern is hypergeometric, and every quantity of the paper is a
// tail of that distribution or is built from one:
//
//	E1  |Ω_n(a,s,b)| = C(s,b)·C(n−s,a−b)              OverlapCount
//	E2  P_fp = Σ_{b≥θ} C(s,b)·C(n−s,a−b)/C(n,a)       FP (E2a: Match)
//	E3  P_fn = Σ_{b>s−θ} C(s,b)·C(a−s,v−b)/C(a,v)     FN
//	E4  s_M = n·(1−(1−s/n)^M), P_fp(n,a,round(s_M),θ)  UnionSynapses, UnionFP, UnionFPMix
//	E5  1 − (1 − P_fp)^m                              Neuron, NeuronBound
//	E6  binomial and leading-term approximations      FPBinomial, FPLeading
//	E7  statistics of P_fp over a parameter grid      Thresholds
//
// # Two modes
//
// Each quantity comes in a fast form returning a Float, a float64
// mantissa with an unbounded binary exponent, so that a probability of
// 1e-4863 is carried and printed as such, never as 0 unless it is exactly
// 0; and an exact form (suffix Big, or Rat for a fraction) built on
// math/big, correct to far more than 25 significant digits. The fast forms
// use the product form of the hypergeometric terms and the term-ratio
// recurrence, summing only positive terms, in double-double arithmetic
// (dd.go) rounded once, so that they return the float64 nearest the exact
// value (UnionFPMix, whose chain runs in float64, states its own bound and
// Value.Digits prints only the digits it guarantees; see the tests, which
// also check every reference value in testdata/theory-vectors.csv in both
// modes). Printing and parsing take time linear in the digits for any
// exponent (decimal.go).
//
// # Parameters
//
// The quantities by name (Quantities, Lookup, Eval) take their arguments
// as Args, keyed by the Param constants of one table (Params: name,
// meaning, unit and bounds of n, a, s, θ, b, M, v, m), from which the
// command-line flags, the batch CSV columns and the JSON keys derive. A
// missing, unused, out-of-bounds or malformed argument is an *ArgError
// whose Err is ErrMissing, ErrUnused, ErrRange or ErrSyntax.
//
// Every function validates its arguments and returns an error for values
// outside the model (a > n, negative counts, …); none panics.
package theory
