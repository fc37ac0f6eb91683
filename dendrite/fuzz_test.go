package dendrite

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/golden"
)

// fuzzSeed returns the encoding of a small store after random operations.
func fuzzSeed(seed uint64) []byte {
	c, _ := New(Config{NumCells: 5, NumInputs: 40, ConnectedPermanence: 0.5, MaxSegmentsPerCell: 3, MaxSynapsesPerSegment: 10})
	rng := rand.New(rand.NewPCG(seed, 1))
	for range 30 {
		s, _ := c.CreateSegment(uint32(rng.IntN(5)))
		c.GrowSynapses(s, randomSorted(rng, 40, 12), 1+rng.IntN(8), rng.Float32(), rng)
	}
	for _, s := range c.SegmentsOf(2) {
		c.DestroySegment(s)
	}
	b, _ := c.MarshalBinary()
	return b
}

// FuzzDecode: arbitrary bytes never panic; whatever decodes is consistent,
// re-encodes to the same bytes, and keeps working. Each input is also tried
// with its trailing checksum recomputed, so that the fuzzer reaches the
// parser.
func FuzzDecode(f *testing.F) {
	f.Add(fuzzSeed(1))
	f.Add(fuzzSeed(2))
	empty, _ := New(Config{NumCells: 1, ConnectedPermanence: 0.5})
	b, _ := empty.MarshalBinary()
	f.Add(b)
	if v1, err := os.ReadFile(filepath.Join("testdata", "dcon-v1.bin")); err == nil {
		f.Add(v1) // version 1
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, binfmt.Resign(data, codecVersion)} {
			var c Connections
			if err := c.UnmarshalBinary(in); err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
				continue
			}
			if err := c.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			enc, _ := c.MarshalBinary()
			var d Connections
			if err := d.UnmarshalBinary(enc); err != nil {
				t.Fatal(err)
			}
			if enc2, _ := d.MarshalBinary(); !bytes.Equal(enc, enc2) {
				t.Fatal("re-encoding not stable")
			}
			s, err := c.CreateSegment(0)
			if err != nil {
				t.Fatal(err)
			}
			c.GrowSynapses(s, []uint32{0}, 1, 0.5, rand.New(rand.NewPCG(1, 1)))
			var act Activity
			c.ComputeActivity(&act, []uint32{0})
			if err := c.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestDecodeCorrupt: every truncation and every single-byte change of a
// valid encoding (current version and version 1) is refused with
// ErrCorrupt, and a failed decode leaves the receiver unchanged.
func TestDecodeCorrupt(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "dcon-v1.bin"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for _, enc := range [][]byte{fuzzSeed(1), v1} {
		var c Connections
		if err := c.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		before, _ := c.MarshalBinary()
		for n := range len(enc) {
			if err := c.UnmarshalBinary(enc[:n]); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("truncated to %d: %v", n, err)
			}
		}
		if err := c.UnmarshalBinary(append(slices.Clone(enc), 0)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("trailing byte: %v", err)
		}
		for i := range enc {
			b := slices.Clone(enc)
			b[i] ^= byte(1 + rng.IntN(255))
			if err := c.UnmarshalBinary(b); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("byte %d changed: %v", i, err)
			}
		}
		if after, _ := c.MarshalBinary(); !bytes.Equal(before, after) {
			t.Fatal("a failed decode changed the receiver")
		}
	}
}

// hostileStore returns a valid-checksum current-version encoding whose
// configuration claims cells × inputs and whose free section claims slots,
// with nothing behind the claims.
func hostileStore(cells, inputs, slots uint32) []byte {
	w := binfmt.NewWriter(nil, codecMagic, codecVersion, 0)
	w.Section("CONF")
	w.U32(cells)
	w.U32(inputs)
	w.F32(0.5)
	w.U32(0)
	w.U32(0)
	w.U32(0)
	w.U64(1)
	w.Section("FREE")
	w.U32(slots)
	w.U32(0)
	w.Section("CNTS")
	w.Bytes(make([]byte, 16))
	w.Section("SEGS")
	w.Bytes(make([]byte, 16))
	return w.Finish()
}

// TestDecodeHostileAllocation: small files claiming huge populations are
// refused without allocating in proportion to the claims (issue 10).
func TestDecodeHostileAllocation(t *testing.T) {
	for _, h := range [][]byte{
		hostileStore(1<<24, 1<<24, 0),
		hostileStore(4, 4, math.MaxInt32),
		hostileStore(1<<24, 1, 1),
	} {
		var err error
		got := golden.BytesAllocated(func() { err = new(Connections).UnmarshalBinary(h) })
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("%d-byte hostile store: %v", len(h), err)
		}
		if got > 64*uint64(len(h))+4096 {
			t.Errorf("%d-byte hostile store: %d bytes allocated (%v)", len(h), got, err)
		}
	}
}
