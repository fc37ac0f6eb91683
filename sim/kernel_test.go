package sim

import (
	"testing"

	"github.com/dendritic/dendritic/internal/rng"
)

func TestCountGEMatchesReference(t *testing.T) {
	p := rng.New(11, 0)
	for trial := range 3000 {
		n := 1 + int(rng.Bounded(p, 300))
		tab := make([]uint64, n)
		// Random lane table with a random density.
		dens := rng.Float64(p)
		for c := range tab {
			for j := range 64 {
				if rng.Float64(p) < dens {
					tab[c] |= 1 << j
				}
			}
		}
		k := int(rng.Bounded(p, uint64(min(n, 200))+1))
		cells := make([]uint32, k)
		for i := range cells {
			cells[i] = uint32(rng.Bounded(p, uint64(n)))
		}
		theta := 1 + int(rng.Bounded(p, uint64(k)+2))
		got := countGE(tab, cells, theta, highPlanes(k))
		want := countGERef(tab, cells, theta)
		if got != want {
			t.Fatalf("trial %d (n=%d k=%d θ=%d): got %x want %x", trial, n, k, theta, got, want)
		}
	}
}

func FuzzCountGE(f *testing.F) {
	f.Add(uint64(1), 40, 12)
	f.Fuzz(func(t *testing.T, seed uint64, k, theta int) {
		if k < 0 || k > 500 || theta < 1 || theta > 600 {
			return
		}
		p := rng.New(seed, 0)
		n := 64
		tab := make([]uint64, n)
		for c := range tab {
			a, b := p.Uint64(), p.Uint64() // two draws: about a quarter of the bits set
			tab[c] = a & b
		}
		cells := make([]uint32, k)
		for i := range cells {
			cells[i] = uint32(rng.Bounded(p, uint64(n)))
		}
		if got, want := countGE(tab, cells, theta, highPlanes(k)), countGERef(tab, cells, theta); got != want {
			t.Fatalf("got %x want %x", got, want)
		}
	})
}
