package theory_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
	"github.com/dendritic/dendritic/theory"
)

// The benchmarks shared with `dendritic bench` run its workloads (package
// internal/benchwork, which imports theory: hence the external test
// package).

// BenchmarkFPFast is the case theory/fp-fast: the fast E2 over 108
// realistic (n, a, s, θ) with s in 20..100 (target ≤ 1 µs per value;
// scipy.stats.hypergeom.sf takes 60–95 µs here).
func BenchmarkFPFast(b *testing.B) { benchwork.Bench(b, benchwork.FPFast) }

// BenchmarkFPExact200000 is the case theory/fp-exact-200000: exact E2 at
// n=200000, a=2000, s=20, θ=10 (target ≤ 10 ms).
func BenchmarkFPExact200000(b *testing.B) { benchwork.Bench(b, benchwork.FPExact200000) }

// BenchmarkFNFast is the case theory/fn-fast: the fast E3 over the paper's
// noise tables.
func BenchmarkFNFast(b *testing.B) { benchwork.Bench(b, benchwork.FNFast) }

// BenchmarkUnionFPMix is the case theory/union-fp-exact-fast: E4's
// mixture at n=10000, a=200, s=25, θ=15, m=19.
func BenchmarkUnionFPMix(b *testing.B) { benchwork.Bench(b, benchwork.UnionFPExactFast) }

// BenchmarkFPExactLarge is exact E2 with a long tail: n=200000,
// a=s=2000, θ=20.
func BenchmarkFPExactLarge(b *testing.B) {
	for b.Loop() {
		if _, err := theory.FPBig(200000, 2000, 2000, 20); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThresholdsPaper is E7 over the paper's grid (theory.PaperGrid).
func BenchmarkThresholdsPaper(b *testing.B) {
	g := theory.PaperGrid()
	for b.Loop() {
		if _, err := theory.Thresholds(g); err != nil {
			b.Fatal(err)
		}
	}
}
