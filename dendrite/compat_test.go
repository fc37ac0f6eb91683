package dendrite

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files and the current-version fixtures under testdata/")

// compatStore builds the store of the fixture files: 8 cells, 50 inputs,
// per-cell and global segment caps, after random growth, adaptation and
// destruction, so that the free list, the least-recently-used order and
// the last-use stamps are all non-trivial.
func compatStore(t testing.TB) *Connections {
	c, err := New(Config{NumCells: 8, NumInputs: 50, ConnectedPermanence: 0.5,
		MaxSegmentsPerCell: 3, MaxSynapsesPerSegment: 12, MaxSegments: 18})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(41, 1))
	for range 40 {
		s, err := c.CreateSegment(uint32(rng.IntN(8)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GrowSynapses(s, randomSorted(rng, 50, 15), 1+rng.IntN(10), rng.Float32(), rng); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AdaptSegment(s, bitmapOf(50, randomSorted(rng, 50, 20)), 0.1, 0.05); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range slices.Clone(c.SegmentsOf(3)) {
		if err := c.DestroySegment(s); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// continueDigest runs a fixed script on c (activity on random inputs,
// segment creation with eviction, growth and adaptation) and returns the
// digest of every result and of the segments' synapses at the end.
func continueDigest(t testing.TB, c *Connections) string {
	rng := rand.New(rand.NewPCG(42, 2))
	h := sha256.New()
	var act Activity
	var b [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	for range 60 {
		in := randomSorted(rng, c.NumInputs(), 12)
		if err := c.ComputeActivity(&act, in); err != nil {
			t.Fatal(err)
		}
		touched := slices.Sorted(slices.Values(act.Touched()))
		for _, s := range touched {
			p, k := act.Counts(s)
			put(uint64(s)<<32 | uint64(p)<<16 | uint64(k))
		}
		s, err := c.CreateSegment(uint32(rng.IntN(c.NumCells())))
		if err != nil {
			t.Fatal(err)
		}
		put(uint64(s))
		if _, err := c.GrowSynapses(s, in, 6, 0.3+0.4*rng.Float32(), rng); err != nil {
			t.Fatal(err)
		}
		if len(touched) > 0 {
			if _, err := c.AdaptSegment(touched[0], bitmapOf(c.NumInputs(), in), 0.1, 0.05); err != nil {
				t.Fatal(err)
			}
		}
	}
	var syn []Synapse
	for i := range c.SegmentSlots() {
		cell, ok := c.CellOf(Segment(i))
		if !ok {
			continue
		}
		put(uint64(i)<<32 | uint64(cell))
		syn, _ = c.Synapses(syn[:0], Segment(i))
		for _, y := range syn {
			put(uint64(y.Input)<<32 | uint64(int64(y.Permanence*1e6)))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestCompatFixtures loads every saved fixture (one per format version,
// written by the code of that version and never rewritten by a later one)
// and checks that it holds the store it was saved from: the same encoding
// as the rebuilt store, and the same results of a fixed script of further
// operations as recorded when the fixture was written.
func TestCompatFixtures(t *testing.T) {
	fixtures := []golden.SavedFixture{{File: "dcon-v1.bin", Version: 1}, {File: "dcon-v2.bin", Version: 2}}
	enc, err := compatStore(t).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckFixtures(t, *update, fixtures, func(int) []byte { return enc }, func(g *golden.File, i int, data, enc []byte) {
		name := fixtures[i].File
		var got Connections
		if err := got.UnmarshalBinary(data); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if err := got.CheckInvariants(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if again, _ := got.MarshalBinary(); !bytes.Equal(again, enc) {
			t.Errorf("%s: the loaded store encodes differently from the rebuilt one", name)
		}
		g.Check(name+"/continue", continueDigest(t, &got))
	})
}
