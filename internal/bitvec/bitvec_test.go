package bitvec

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

func naiveAndCount(a, b []uint64) int {
	c := 0
	for i := range a {
		for j := 0; j < 64; j++ {
			if a[i]>>j&1 == 1 && b[i]>>j&1 == 1 {
				c++
			}
		}
	}
	return c
}

func randWords(rng *rand.Rand, n int) []uint64 {
	v := make([]uint64, n)
	for i := range v {
		v[i] = rng.Uint64() & rng.Uint64()
	}
	return v
}

func TestLenTailMask(t *testing.T) {
	for _, tc := range []struct {
		n, words int
		mask     uint64
	}{
		{0, 0, ^uint64(0)}, {1, 1, 1}, {63, 1, 1<<63 - 1}, {64, 1, ^uint64(0)},
		{65, 2, 1}, {2048, 32, ^uint64(0)}, {1000, 16, 1<<40 - 1},
	} {
		if got := Len(tc.n); got != tc.words {
			t.Errorf("Len(%d) = %d, want %d", tc.n, got, tc.words)
		}
		if got := TailMask(tc.n); got != tc.mask {
			t.Errorf("TailMask(%d) = %#x, want %#x", tc.n, got, tc.mask)
		}
	}
}

func TestGetSetClear(t *testing.T) {
	v := make([]uint64, 3)
	for _, i := range []uint32{0, 1, 63, 64, 130, 191} {
		Set(v, i)
		if !Get(v, i) {
			t.Fatalf("bit %d not set", i)
		}
	}
	if Count(v) != 6 {
		t.Fatalf("Count = %d, want 6", Count(v))
	}
	Clear(v, 64)
	if Get(v, 64) || Count(v) != 5 {
		t.Fatalf("Clear(64) failed: %x", v)
	}
}

func TestKernelsAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		a, b := randWords(rng, n), randWords(rng, n)
		if got, want := AndCount(a, b), naiveAndCount(a, b); got != want {
			t.Fatalf("AndCount(len %d) = %d, want %d", n, got, want)
		}
		if got, want := Count(a), naiveAndCount(a, a); got != want {
			t.Fatalf("Count(len %d) = %d, want %d", n, got, want)
		}
		ones := AppendOnes(nil, a)
		if !slices.IsSorted(ones) || len(ones) != Count(a) {
			t.Fatalf("AppendOnes: %v", ones)
		}
		if got := CountSparse(b, ones); got != AndCount(a, b) {
			t.Fatalf("CountSparse = %d, want %d", got, AndCount(a, b))
		}
		nbits := 64*n - int(rng.Uint64N(64))
		if n == 0 {
			nbits = 0
		}
		zeros := AppendZeros(nil, a, nbits)
		for _, z := range zeros {
			if Get(a, z) || int(z) >= nbits {
				t.Fatalf("AppendZeros returned %d", z)
			}
		}
		ones = AppendOnes(nil, a)
		inRange := 0
		for _, o := range ones {
			if int(o) < nbits {
				inRange++
			}
		}
		if inRange+len(zeros) != nbits {
			t.Fatalf("ones %d + zeros %d != n %d", inRange, len(zeros), nbits)
		}
	}
}

// FuzzAndCount checks the unrolled kernel against the bit-by-bit reference.
func FuzzAndCount(f *testing.F) {
	f.Add([]byte{0xff, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Fuzz(func(t *testing.T, data []byte) {
		var a, b []uint64
		for len(data) >= 16 {
			a = append(a, binary.LittleEndian.Uint64(data))
			b = append(b, binary.LittleEndian.Uint64(data[8:]))
			data = data[16:]
		}
		if got, want := AndCount(a, b), naiveAndCount(a, b); got != want {
			t.Fatalf("AndCount = %d, want %d", got, want)
		}
		want := 0
		for _, w := range a {
			want += bits.OnesCount64(w)
		}
		if got := Count(a); got != want {
			t.Fatalf("Count = %d, want %d", got, want)
		}
	})
}
