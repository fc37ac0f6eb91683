package main

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/batch"
	"github.com/dendritic/dendritic/theory"
)

// Benchmark cases of the theory package and of the batch path. Each runs
// testing.Benchmark (about 1 s) and reports the time per operation.

// benchPerOp runs f under testing.Benchmark and returns the time per
// operation in units of unit nanoseconds (1 for ns, 1e3 for µs, 1e6 for
// ms). f reports a failure through *errp.
func benchPerOp(unit float64, f func(b *testing.B, errp *error)) (float64, error) {
	var err error
	r := testing.Benchmark(func(b *testing.B) { f(b, &err) })
	if err != nil {
		return 0, err
	}
	if r.N == 0 {
		return 0, fmt.Errorf("the benchmark did not run")
	}
	return float64(r.T.Nanoseconds()) / float64(r.N) / unit, nil
}

// benchFPSet is a fixed set of realistic (n, a, s, θ) with s in 20..100:
// the populations of the paper's figures and tables at 0.5–2 % activity.
var benchFPSet = func() [][4]int {
	var set [][4]int
	for _, na := range [][2]int{{2048, 40}, {10000, 64}, {10000, 200}, {16000, 320}, {100000, 2000}, {200000, 2000}} {
		for _, s := range []int{20, 24, 32, 40, 64, 100} {
			for _, th := range []int{s / 4, s / 2, 3 * s / 4} {
				set = append(set, [4]int{na[0], na[1], s, th})
			}
		}
	}
	return set
}()

// benchFNSet: the noise tables of the paper (a=128, s=30) and the
// "why neurons" example, at several thresholds and noise levels.
var benchFNSet = func() [][4]int {
	var set [][4]int
	for _, th := range []int{8, 12, 16} {
		for _, v := range []int{19, 32, 45, 64, 102} {
			set = append(set, [4]int{128, 30, th, v})
		}
	}
	set = append(set, [4]int{2000, 20, 10, 1000}, [4]int{40, 20, 10, 20}, [4]int{64, 24, 12, 32})
	return set
}()

// benchBatchInput is a table of 10,000 fp rows cycling over benchFPSet.
func benchBatchInput(rows int) string {
	var b strings.Builder
	b.WriteString("id,quantity,n,a,s,theta\n")
	for i := range rows {
		p := benchFPSet[i%len(benchFPSet)]
		fmt.Fprintf(&b, "r%d,fp,%d,%d,%d,%d\n", i, p[0], p[1], p[2], p[3])
	}
	return b.String()
}

func init() {
	registerBench(benchCase{
		Name: "theory/fp-fast", Suite: "theory", Unit: "ns/value",
		Run: func() (float64, error) {
			return benchPerOp(1, func(b *testing.B, errp *error) {
				i := 0
				for b.Loop() {
					p := benchFPSet[i]
					if _, err := theory.FP(p[0], p[1], p[2], p[3]); err != nil {
						*errp = err
						return
					}
					if i++; i == len(benchFPSet) {
						i = 0
					}
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "theory/fp-exact-200000", Suite: "theory", Unit: "ms/value",
		Run: func() (float64, error) {
			return benchPerOp(1e6, func(b *testing.B, errp *error) {
				for b.Loop() {
					if _, err := theory.FPBig(200000, 2000, 20, 10); err != nil {
						*errp = err
						return
					}
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "theory/fn-fast", Suite: "theory", Unit: "ns/value",
		Run: func() (float64, error) {
			return benchPerOp(1, func(b *testing.B, errp *error) {
				i := 0
				for b.Loop() {
					p := benchFNSet[i]
					if _, err := theory.FN(p[0], p[1], p[2], p[3]); err != nil {
						*errp = err
						return
					}
					if i++; i == len(benchFNSet) {
						i = 0
					}
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "theory/union-fp-exact-fast", Suite: "theory", Unit: "µs/value",
		Run: func() (float64, error) {
			return benchPerOp(1e3, func(b *testing.B, errp *error) {
				for b.Loop() {
					if _, err := theory.UnionFPMix(10000, 200, 25, 15, 19); err != nil {
						*errp = err
						return
					}
				}
			})
		},
	})
	registerBench(benchCase{
		Name: "theory/batch-10000", Suite: "theory", Unit: "ms",
		Run: func() (float64, error) {
			in := benchBatchInput(10000)
			return benchPerOp(1e6, func(b *testing.B, errp *error) {
				for b.Loop() {
					failed, err := batch.Run(strings.NewReader(in), io.Discard, false)
					if err == nil && failed > 0 {
						err = fmt.Errorf("%d rows failed", failed)
					}
					if err != nil {
						*errp = err
						return
					}
				}
			})
		},
	})
}
