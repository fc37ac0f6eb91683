package main

import "sort"

// benchCase is one entry of the canonical benchmark suite run by
// `dendritic bench`. Each file bench_*.go registers its cases from init.
type benchCase struct {
	Name  string // e.g. "theory/fp-fast"
	Suite string // suite name for --suite, e.g. "theory", "sim", "sdr"
	Unit  string // e.g. "ns/value", "evaluations/s"
	// Run measures and returns the value in Unit. It should take about a
	// second or less (use testing.Benchmark, or a timed loop).
	Run func() (float64, error)
	// Optional cases take long (minutes) and run only when their suite is
	// named: "--suite all" leaves them out.
	Optional bool
}

var benchCases []benchCase

// registerBench adds a case to the suite.
func registerBench(c benchCase) {
	for _, o := range benchCases {
		if o.Name == c.Name {
			panic("dendritic: benchmark registered twice: " + c.Name)
		}
	}
	benchCases = append(benchCases, c)
	sort.SliceStable(benchCases, func(i, j int) bool { return benchCases[i].Name < benchCases[j].Name })
}
