package rng

import (
	"slices"
	"testing"
)

func TestDeriveDistinct(t *testing.T) {
	seen := map[[2]uint64]bool{}
	for seed := uint64(0); seed < 4; seed++ {
		for i := uint64(0); i < 1000; i++ {
			a, b := Derive(seed, i)
			k := [2]uint64{a, b}
			if seen[k] {
				t.Fatalf("collision at seed %d index %d", seed, i)
			}
			seen[k] = true
		}
	}
	p := New(1, 2)
	q := New(1, 2)
	for range 10 {
		if p.Uint64() != q.Uint64() {
			t.Fatal("same (seed, index) gave different streams")
		}
	}
}

func TestBoundedUniform(t *testing.T) {
	p := New(7, 0)
	const n, draws = 7, 700000
	var c [n]int
	for range draws {
		c[Bounded(p, n)]++
	}
	for i, x := range c {
		if x < draws/n-1500 || x > draws/n+1500 {
			t.Fatalf("bucket %d has %d of %d", i, x, draws)
		}
	}
	if Bounded(p, 1) != 0 {
		t.Fatal("Bounded(1) != 0")
	}
}

func TestPickUnpick(t *testing.T) {
	p := New(3, 0)
	perm := make([]uint32, 50)
	for i := range perm {
		perm[i] = uint32(i)
	}
	id := slices.Clone(perm)
	undo := make([]uint32, 50)
	counts := make([]int, 50)
	for range 20000 {
		Pick(p, perm, 5, undo)
		s := slices.Clone(perm[:5])
		slices.Sort(s)
		if len(slices.Compact(s)) != 5 {
			t.Fatal("duplicate in subset")
		}
		for _, x := range s {
			counts[x]++
		}
		Unpick(perm, undo[:5])
		if !slices.Equal(perm, id) {
			t.Fatal("Unpick did not restore")
		}
	}
	// Each element is chosen with probability 5/50: mean 2000, sd ≈ 42.
	for i, c := range counts {
		if c < 1800 || c > 2200 {
			t.Fatalf("element %d chosen %d times", i, c)
		}
	}
}
