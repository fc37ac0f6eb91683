package sdr

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchPair returns two random n-cell SDRs with a active cells each.
func benchPair(b *testing.B, n, a int) (*SDR, *SDR) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := mustNew(b, n), mustNew(b, n)
	_ = x.RandomizeCount(a, rng)
	_ = y.RandomizeCount(a, rng)
	return x, y
}

// BenchmarkOverlapSizes covers both kernels: AND+popcount for dense-ish
// SDRs and probing for very sparse large ones.
func BenchmarkOverlapSizes(b *testing.B) {
	for _, tc := range []struct{ n, a int }{
		{2048, 40}, {65536, 1311}, {65536, 40}, {1 << 20, 20972}, {1 << 20, 40},
	} {
		b.Run(fmt.Sprintf("n=%d/a=%d", tc.n, tc.a), func(b *testing.B) {
			x, y := benchPair(b, tc.n, tc.a)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = x.Overlap(y)
			}
		})
	}
}

func BenchmarkRandomize2048(b *testing.B) {
	s := mustNew(b, 2048)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Randomize(0.02, rng)
	}
}

func BenchmarkAddNoise(b *testing.B) {
	s := mustNew(b, 2048)
	rng := rand.New(rand.NewPCG(1, 2))
	_ = s.RandomizeCount(40, rng)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.AddNoise(0.25, rng)
	}
}

func BenchmarkUnion(b *testing.B) {
	x, y := benchPair(b, 2048, 40)
	out := mustNew(b, 2048)
	b.ReportAllocs()
	for b.Loop() {
		_ = out.Union(x, y)
	}
}

func BenchmarkSetSparse(b *testing.B) {
	x, _ := benchPair(b, 2048, 40)
	idx := x.Sparse()
	s := mustNew(b, 2048)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.SetSparse(idx)
	}
}

func BenchmarkMarshalBinary(b *testing.B) {
	x, _ := benchPair(b, 2048, 40)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = x.MarshalBinary()
	}
}

func BenchmarkUnmarshalBinary(b *testing.B) {
	x, _ := benchPair(b, 2048, 40)
	data, _ := x.MarshalBinary()
	var s SDR
	b.ReportAllocs()
	for b.Loop() {
		_ = s.UnmarshalBinary(data)
	}
}
