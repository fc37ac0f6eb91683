package bitvec

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func randSet(rng *rand.Rand, n, k int) ([]uint64, []uint32) {
	v := make([]uint64, Len(n))
	for c := 0; c < k; {
		i := uint32(rng.IntN(n))
		if !Get(v, i) {
			Set(v, i)
			c++
		}
	}
	return v, AppendOnes(nil, v)
}

func BenchmarkAndCount(b *testing.B) {
	for _, n := range []int{2048, 65536, 1 << 20} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			x, _ := randSet(rng, n, n/50)
			y, _ := randSet(rng, n, n/50)
			for b.Loop() {
				_ = AndCount(x, y)
			}
		})
	}
}

func BenchmarkCountSparse(b *testing.B) {
	for _, k := range []int{10, 20, 40, 80} {
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			x, _ := randSet(rng, 2048, 40)
			_, idx := randSet(rng, 2048, k)
			for b.Loop() {
				_ = CountSparse(x, idx)
			}
		})
	}
}

func BenchmarkAppendOnes(b *testing.B) {
	for _, tc := range []struct{ n, k int }{{2048, 40}, {2048, 1024}, {1 << 20, 20972}} {
		b.Run(fmt.Sprintf("%d/%d", tc.n, tc.k), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			// Many different inputs, so that the branch predictor cannot
			// learn one bit pattern.
			xs := make([][]uint64, 256)
			for i := range xs {
				xs[i], _ = randSet(rng, tc.n, tc.k)
			}
			dst := make([]uint32, 0, tc.k+4)
			i := 0
			for b.Loop() {
				dst = AppendOnes(dst[:0], xs[i&255])
				i++
			}
		})
	}
}
