// Package benchwork holds the workloads of the canonical benchmark suite,
// the one `dendritic bench` runs and docs/BENCHMARKS.md reports, and shares
// them with the packages' `go test -bench` benchmarks, so that the two
// cannot measure different things under one name.
//
// A case is named suite/workload and measures one number in a stated unit;
// --suite selects the cases of one suite, and "all" every case that is not
// Optional (a case that takes minutes). The suites:
//
//	theory    the closed forms: theory/fp-fast (E2 over 108 realistic
//	          (n, a, s, θ) with s in 20..100, ns/value), theory/fn-fast (E3
//	          over the paper's noise tables, ns/value),
//	          theory/fp-exact-200000 (exact E2, ms/value),
//	          theory/union-fp-exact-fast (E4's mixture, µs/value) and
//	          theory/batch-10000 (10,000 fp rows through internal/batch, ms).
//	sdr       sdr/overlap-2048 (two 2048-cell SDRs, 40 active: ns/op) and its
//	          allocation count, sdr/overlap-2048-allocs (allocs/op, must be 0).
//	sim       whole simulator runs on all CPUs: sim/fp-direct
//	          (evaluations/s) and sim/fp-importance (samples/s).
//	tm        the temporal memory, 2048 columns × 32 cells: tm/step-2048x32 on
//	          a learned repeating sequence and tm/step-2048x32-random on random
//	          input (µs/step).
//	btm       the backtracking temporal memory with NAB's parameters, the
//	          same two workloads: btm/step-2048x32, btm/step-2048x32-random.
//	dendrite  dendrite/activity, the dense activity kernel over 250,000
//	          segments × 40 synapses (synapse checks/s).
//	hello     the stages of htm.core's benchmark_hotgym over 5000 steps:
//	          hello/encode, hello/sp-global, hello/tm, hello/likelihood
//	          (s/5000steps, the median of several episodes).
//	nab       nab/corpus-htm and nab/corpus-numenta, the htm and numenta
//	          detectors over the whole NAB corpus (s/corpus; Optional, they
//	          need ../shared/data/nab).
//
// Workloads come in three shapes. A Loop (FPFast, Overlap2048, TMStep, …)
// does its untimed set-up and then times an operation with b.Loop; `go test
// -bench` runs it with Bench on its own *testing.B, the suite through
// testing.Benchmark, converting ns/op to the case's unit. An Episode
// (HelloTM, …) is timed as a whole: one op per episode under `go test`
// (BenchEpisode), the median of several under the suite (Episode.Median). The simulator's cases are
// sim.Configs (SimFPDirect, SimFPImportance), run once by the suite and in
// a loop by package sim's benchmarks.
//
// The package imports the library packages it measures, so their internal
// (package x) test files cannot import it; the benchmarks that share a
// workload live in external test packages (package x_test).
package benchwork
