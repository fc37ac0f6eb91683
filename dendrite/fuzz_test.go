package dendrite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		signed := slices.Clone(data)
		if len(signed) >= 4 {
			binary.LittleEndian.PutUint32(signed[len(signed)-4:], crc32.ChecksumIEEE(signed[:len(signed)-4]))
		}
		for _, in := range [][]byte{data, signed} {
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
