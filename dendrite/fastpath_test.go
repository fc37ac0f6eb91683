package dendrite

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestReinforceAll: on segments whose synapses are all onto active inputs,
// ReinforceAll leaves the store exactly as AdaptSegment does (same saved
// bytes, invariants hold), for permanences at 0, at 1, around the
// connected threshold and in between, and for increments from the
// smallest it accepts (Epsilon) to one that saturates every synapse.
func TestReinforceAll(t *testing.T) {
	const inputs = 300
	rng := rand.New(rand.NewPCG(7, 8))
	perms := []float32{0, 1, 1, 1, 0.5, 0.5 - Epsilon, 0.49999, 0.95, 0.21, 0.9999999}
	for _, inc := range []float32{Epsilon, 0.1, 0.5, 1} {
		a, _ := New(Config{NumCells: 8, NumInputs: inputs, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 255})
		var segs []Segment
		for cell := range uint32(8) {
			for range 3 {
				s, err := a.CreateSegment(cell)
				if err != nil {
					t.Fatal(err)
				}
				for _, in := range randomSorted(rng, inputs, 1+rng.IntN(40)) {
					if err := a.CreateSynapse(s, in, perms[rng.IntN(len(perms))]); err != nil {
						t.Fatal(err)
					}
				}
				segs = append(segs, s)
			}
		}
		data, _ := a.MarshalBinary()
		b := new(Connections)
		if err := b.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		for _, s := range segs {
			syn, _ := a.Synapses(nil, s)
			var active []uint32
			for _, x := range syn {
				active = append(active, x.Input)
			}
			// Sorted (CreateSynapse appends in input order), plus other
			// active inputs that the segment does not sample.
			bm := bitmapOf(inputs, active)
			for i := range inputs / 7 {
				bm[i*7>>6] |= 1 << (i * 7 & 63)
			}
			na, errA := a.AdaptSegment(s, bm, inc, 0.3)
			nb, errB := b.ReinforceAll(s, inc)
			if na != nb || errA != nil || errB != nil {
				t.Fatalf("inc %v, segment %d: AdaptSegment %d %v, ReinforceAll %d %v", inc, s, na, errA, nb, errB)
			}
		}
		da, _ := a.MarshalBinary()
		db, _ := b.MarshalBinary()
		if !bytes.Equal(da, db) {
			t.Errorf("inc %v: stores differ after learning", inc)
		}
		if err := b.CheckInvariants(); err != nil {
			t.Errorf("inc %v: %v", inc, err)
		}
	}
	c, _ := New(Config{NumCells: 1, NumInputs: 4, ConnectedPermanence: 0.5})
	s, _ := c.CreateSegment(0)
	for _, inc := range []float32{-0.1, 0, Epsilon / 2, float32(math.Inf(1)), float32(math.NaN())} {
		if _, err := c.ReinforceAll(s, inc); !errors.Is(err, ErrInput) {
			t.Errorf("ReinforceAll(%v): %v, want ErrInput", inc, err)
		}
	}
	if _, err := c.ReinforceAll(s+1, 0.1); !errors.Is(err, ErrSegment) {
		t.Errorf("ReinforceAll of a free slot: %v, want ErrSegment", err)
	}
}

// TestSortTouched: both ways of sortTouched (the bitmap of the slots and
// the sorts) give the sorted list without duplicates, and the bitmap is
// left clear for the next call.
func TestSortTouched(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var a Activity
	for _, slots := range []int{1, 63, 64, 65, 4280, 200000} {
		for _, n := range []int{0, 1, 5, 40, 63, 64, 300, 5000} {
			var want []Segment
			for range n {
				s := Segment(rng.IntN(slots))
				want = append(want, s)
				if rng.IntN(4) == 0 {
					want = append(want, s) // a duplicate, as the split count makes
				}
			}
			a.touched = append(a.touched[:0], want...)
			slices.Sort(want)
			want = slices.Compact(want)
			a.sortTouched(slots)
			if !slices.Equal(a.touched, want) {
				t.Fatalf("%d slots, %d segments: got %v, want %v", slots, n, a.touched, want)
			}
			for _, w := range a.mark {
				if w != 0 {
					t.Fatalf("%d slots, %d segments: bitmap left set", slots, n)
				}
			}
		}
	}
}

// TestLeadingOnes: the four-at-a-time test by products agrees with a
// plain count, with permanences just below 1 and tiny ones among the ones.
func TestLeadingOnes(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	below := math.Nextafter32(1, 0)
	others := []float32{0, below, 0.5, math.SmallestNonzeroFloat32, Epsilon}
	for range 2000 {
		p := make([]float32, rng.IntN(30))
		for i := range p {
			p[i] = 1
			if rng.IntN(8) == 0 {
				p[i] = others[rng.IntN(len(others))]
			}
		}
		want := 0
		for want < len(p) && p[want] == 1 {
			want++
		}
		if got := leadingOnes(p); got != want {
			t.Fatalf("leadingOnes(%v) = %d, want %d", p, got, want)
		}
	}
}
