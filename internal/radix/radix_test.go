package radix

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortMatchesSlicesSort compares with slices.Sort on random lists of
// many lengths and value ranges (including values that agree in their
// high bytes, whose passes are skipped).
func TestSortMatchesSlicesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var spare32 []uint32
	var spare64 []uint64
	for _, n := range []int{0, 1, 5, 63, 64, 65, 200, 5000} {
		for _, mask := range []uint64{0xff, 0xffff, 0xffffffff, ^uint64(0)} {
			x32 := make([]uint32, n)
			x64 := make([]uint64, n)
			for i := range n {
				x32[i] = uint32(r.Uint64() & mask)
				x64[i] = r.Uint64() & mask
			}
			w32, w64 := slices.Clone(x32), slices.Clone(x64)
			slices.Sort(w32)
			slices.Sort(w64)
			spare32 = Sort(x32, spare32, 0)
			spare64 = Sort(x64, spare64, 0)
			if !slices.Equal(x32, w32) || !slices.Equal(x64, w64) {
				t.Fatalf("n=%d mask=%x: not sorted", n, mask)
			}
		}
	}
}

// TestSortUpperBitsStable: keys cell<<32|segment given in segment order
// come out in (cell, segment) order when only the cell bits are sorted.
func TestSortUpperBitsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint64, 3000)
	for i := range keys {
		keys[i] = uint64(r.IntN(300))<<32 | uint64(i) // segments increasing
	}
	want := slices.Clone(keys)
	slices.Sort(want)
	Sort(keys, nil, 32)
	if !slices.Equal(keys, want) {
		t.Fatal("upper-bit sort is not stable")
	}
}

func TestSortNoAllocs(t *testing.T) {
	x := make([]uint32, 1000)
	spare := make([]uint32, 1000)
	r := rand.New(rand.NewPCG(5, 6))
	if a := testing.AllocsPerRun(100, func() {
		for i := range x {
			x[i] = r.Uint32()
		}
		spare = Sort(x, spare, 0)
	}); a != 0 {
		t.Errorf("%v allocations per sort", a)
	}
}
