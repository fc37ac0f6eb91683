package btm

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPoolLists: 200 lists grown through one pool and shrunk in place (the
// store's two operations: push, and swap-remove as unlinkOut does) hold
// exactly what plain slices given the same operations hold, so no two
// lists ever share a block; and once the lists have been through their
// sizes, the same churn takes no new chunk.
func TestPoolLists(t *testing.T) {
	var p pool[uint32]
	rng := rand.New(rand.NewPCG(1, 2))
	lists, want := make([][]uint32, 200), make([][]uint32, 200)
	churn := func(steps int) {
		for v := range uint32(steps) {
			i := rng.IntN(len(lists))
			if n := len(lists[i]); n > 0 && rng.IntN(2) == 0 {
				j := rng.IntN(n)
				lists[i][j] = lists[i][n-1]
				lists[i] = lists[i][:n-1]
				want[i][j] = want[i][n-1]
				want[i] = want[i][:n-1]
				continue
			}
			lists[i] = p.push(lists[i], v)
			want[i] = append(want[i], v)
		}
		for i := range lists {
			if !slices.Equal(lists[i], want[i]) {
				t.Fatalf("list %d: %v, want %v", i, lists[i], want[i])
			}
		}
	}
	churn(200000)
	// Free the lists' blocks and refill the lists (AllocsPerRun runs the
	// function twice) to half their capacity: every block a list passes
	// through on the way comes from a free list.
	caps := make([]int, len(lists))
	for i := range lists {
		caps[i] = cap(lists[i])
		p.put(lists[i])
		lists[i] = nil
	}
	if a := testing.AllocsPerRun(1, func() {
		for i := range lists {
			for v := range uint32(caps[i] / 4) {
				lists[i] = p.push(lists[i], v)
			}
		}
	}); a != 0 {
		t.Fatalf("%v allocations refilling within the sizes reached", a)
	}
	for i := range lists {
		var w []uint32
		for range 2 {
			for v := range uint32(caps[i] / 4) {
				w = append(w, v)
			}
		}
		if !slices.Equal(lists[i], w) {
			t.Fatalf("list %d after refill: %v, want %v", i, lists[i], w)
		}
	}
}
