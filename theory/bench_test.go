package theory

import "testing"

// fpBenchConfigs are realistic segment questions with s ≤ 100.
var fpBenchConfigs = [][4]int{
	{10000, 64, 24, 12}, {200000, 2000, 20, 10}, {2048, 40, 20, 10},
	{16000, 512, 30, 15}, {100000, 2000, 100, 50}, {4000, 128, 24, 12},
	{190000, 5700, 50, 3}, {1000, 5, 50, 3},
}

// BenchmarkFPFast measures the fast E2 (target ≤ 1 µs per value for
// s ≤ 100; scipy.stats.hypergeom.sf takes 60–95 µs here).
func BenchmarkFPFast(b *testing.B) {
	i := 0
	for b.Loop() {
		c := fpBenchConfigs[i%len(fpBenchConfigs)]
		if _, err := FP(c[0], c[1], c[2], c[3]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFPExact200000 measures exact E2 at n=200000, a=2000, s=20,
// θ=10 (target ≤ 10 ms).
func BenchmarkFPExact200000(b *testing.B) {
	for b.Loop() {
		if _, err := FPBig(200000, 2000, 20, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFPExactLarge is exact E2 with a long tail: n=200000,
// a=s=2000, θ=20.
func BenchmarkFPExactLarge(b *testing.B) {
	for b.Loop() {
		if _, err := FPBig(200000, 2000, 2000, 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFNFast(b *testing.B) {
	for b.Loop() {
		if _, err := FN(128, 30, 12, 45); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnionFPMix(b *testing.B) {
	for b.Loop() {
		if _, err := UnionFPMix(10000, 200, 25, 15, 19); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkThresholdsPaper(b *testing.B) {
	g := PaperGrid()
	for b.Loop() {
		if _, err := Thresholds(g); err != nil {
			b.Fatal(err)
		}
	}
}
