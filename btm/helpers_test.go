package btm

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func mustNew(t testing.TB, p Params) *TM {
	t.Helper()
	tm, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func compute(t testing.TB, tm *TM, cols []uint32, learn bool) {
	t.Helper()
	if err := tm.Compute(cols, learn); err != nil {
		t.Fatal(err)
	}
}

// randomColumns returns w distinct columns of n, sorted.
func randomColumns(rng *rand.Rand, n, w int) []uint32 {
	perm := rng.Perm(n)[:w]
	out := make([]uint32, w)
	for i, c := range perm {
		out[i] = uint32(c)
	}
	slices.Sort(out)
	return out
}

// block returns the columns [i·w, (i+1)·w): disjoint patterns.
func block(i, w int) []uint32 {
	out := make([]uint32, w)
	for j := range out {
		out[j] = uint32(i*w + j)
	}
	return out
}

// bursting counts the active columns whose cells are all active in the
// inference state.
func bursting(tm *TM) int {
	n, k := 0, tm.k
	act := tm.ActiveCells()
	for i := 0; i < len(act); {
		col := act[i] / k
		j := i
		for j < len(act) && act[j]/k == col {
			j++
		}
		if uint32(j-i) == k {
			n++
		}
		i = j
	}
	return n
}

// contains reports whether every element of sub is in the sorted set.
func containsAll(set, sub []uint32) bool {
	for _, x := range sub {
		if _, ok := slices.BinarySearch(set, x); !ok {
			return false
		}
	}
	return true
}

func containsNone(set, sub []uint32) bool {
	for _, x := range sub {
		if _, ok := slices.BinarySearch(set, x); ok {
			return false
		}
	}
	return true
}

// randomSequence returns length random patterns of w of n columns, from
// a generator seeded with seed.
func randomSequence(seed uint64, length, n, w int) [][]uint32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	seq := make([][]uint32, length)
	for i := range seq {
		seq[i] = randomColumns(rng, n, w)
	}
	return seq
}
