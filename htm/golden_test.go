package htm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/dendrite"
)

// goldenCase is a fixed run of a TemporalMemory whose every output is
// pinned by a digest, so that optimisations of htm and dendrite can be
// checked to change nothing at all: not the active, winner and predictive
// cells, the anomaly, the active and matching segments (their identifiers
// included), nor the store's size at every step; nor the complete state
// (MarshalBinary: segment identifiers, free list, synapse order,
// permanences, last-use stamps, random generator) every 1000 steps and at
// the end.
type goldenCase struct {
	name   string
	params func() Params
	steps  int
	// input makes the input stream: a function that returns the input of
	// step i and whether to learn and to reset before it.
	input func() inputFunc
	want  string // hex digest of the run
}

type inputFunc func(rng *rand.Rand, i int) (cols []uint32, learn, reset bool)

// randomInput is uniformly random input: w of n columns.
func randomInput(n, w int) func() inputFunc {
	return func() inputFunc {
		return func(rng *rand.Rand, _ int) ([]uint32, bool, bool) {
			return randomColumns(rng, n, w), true, false
		}
	}
}

// sequenceInput repeats a sequence of length random inputs (w of n
// columns); with noise > 0, each column of a step is replaced by a random
// one with probability noise (duplicates merged), so that columns are
// partly predicted, segments match without being active, and predictions
// go wrong.
func sequenceInput(n, w, length int, noise float64) func() inputFunc {
	return func() inputFunc { return newSequenceInput(n, w, length, noise) }
}

func newSequenceInput(n, w, length int, noise float64) inputFunc {
	var seq [][]uint32
	var buf []uint32
	var seen []bool
	return func(rng *rand.Rand, i int) ([]uint32, bool, bool) {
		if seq == nil {
			for range length {
				seq = append(seq, randomColumns(rng, n, w))
			}
			seen = make([]bool, n)
		}
		x := seq[i%length]
		if noise == 0 {
			return x, true, false
		}
		clear(seen)
		for _, c := range x {
			if rng.Float64() < noise {
				c = uint32(rng.IntN(n))
			}
			seen[c] = true
		}
		buf = buf[:0]
		for c, ok := range seen {
			if ok {
				buf = append(buf, uint32(c))
			}
		}
		return buf, i%97 != 13, i%211 == 0
	}
}

var goldenCases = []goldenCase{
	{
		name:   "random-default",
		params: DefaultParams,
		steps:  3000,
		input:  randomInput(2048, 40),
		want:   "6c9efbd22093e76fcade404c15e3991859c4bd96d4991448b5352437cffbd133",
	},
	{
		name: "random-bounded",
		params: func() Params {
			p := DefaultParams()
			p.MaxSegments = 20000
			p.MaxSegmentsPerCell = 6
			p.PredictedSegmentDecrement = 0.004
			return p
		},
		steps: 3000,
		input: randomInput(2048, 40),
		want:  "30206bf519c50b5c94a4fa1134b3994ef934c230977951561a540bc1d0607d3b",
	},
	{
		name:   "sequence-default",
		params: DefaultParams,
		steps:  3000,
		input:  sequenceInput(2048, 40, 100, 0),
		want:   "34a8dae325672889e32b4065f4a8cb8e2fd6b10c5d32beb8cd259a03885ae43b",
	},
	{
		name: "sequence-noisy-capped",
		params: func() Params {
			p := DefaultParams()
			p.MaxSegmentsPerCell = 3
			p.MaxSynapsesPerSegment = 26
			p.MaxSegments = 30000
			p.PredictedSegmentDecrement = 0.01
			return p
		},
		steps: 3000,
		input: sequenceInput(2048, 40, 25, 0.15),
		want:  "5eb4513740fd9b62f37eec5d4d8b5e2e5a1d2e6e9c3f701e16ea4fec416786ee",
	},
	{
		name:   "mixed-small",
		params: smallParams,
		steps:  4000,
		input: func() inputFunc {
			var m *mixedInput
			return func(rng *rand.Rand, i int) ([]uint32, bool, bool) {
				if m == nil {
					m = newMixedInput(rng.Uint64(), 256, 10)
				}
				return m.next(i)
			}
		},
		want: "48f40b99844d1ec428e687af9f66f7a23e76856d6d6b4d4dc888db3cd3895758",
	},
}

func hashU32s(h hash.Hash, tag byte, x []uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(len(x)))
	h.Write([]byte{tag})
	h.Write(b[:])
	for _, v := range x {
		binary.LittleEndian.PutUint32(b[:], v)
		h.Write(b[:])
	}
}

func segsToU32(dst []uint32, segs []dendrite.Segment) []uint32 {
	dst = dst[:0]
	for _, s := range segs {
		dst = append(dst, uint32(s))
	}
	return dst
}

// outputHasher hashes every output of a step; it holds scratch buffers.
type outputHasher struct {
	segs []dendrite.Segment
	u    []uint32
}

// hash writes to h the active, winner and predictive cells, the active and
// matching segments, the anomaly and the store's size after a step.
func (sc *outputHasher) hash(h hash.Hash, tm *TemporalMemory) {
	var b [8]byte
	hashU32s(h, 'a', tm.ActiveCells())
	hashU32s(h, 'w', tm.WinnerCells())
	hashU32s(h, 'p', tm.PredictiveCells())
	sc.segs = tm.ActiveSegments(sc.segs[:0])
	sc.u = segsToU32(sc.u, sc.segs)
	hashU32s(h, 'A', sc.u)
	sc.segs = tm.MatchingSegments(sc.segs[:0])
	sc.u = segsToU32(sc.u, sc.segs)
	hashU32s(h, 'M', sc.u)
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(tm.Anomaly()))
	h.Write(b[:])
	conns := tm.Connections()
	binary.LittleEndian.PutUint64(b[:], uint64(conns.NumSegments())<<32|uint64(conns.NumSynapses()))
	h.Write(b[:])
}

// runGolden runs c and returns the digest of every output.
func runGolden(t testing.TB, c goldenCase) string {
	tm := mustNew(t, c.params())
	rng := rand.New(rand.NewPCG(0x601d, uint64(len(c.name))))
	h := sha256.New()
	var sc outputHasher
	state := func() {
		enc, err := tm.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte{'S'})
		h.Write(enc)
	}
	input := c.input()
	for i := range c.steps {
		cols, learn, reset := input(rng, i)
		if reset {
			tm.Reset()
		}
		compute(t, tm, cols, learn)
		sc.hash(h, tm)
		if (i+1)%1000 == 0 {
			state()
		}
	}
	state()
	if err := tm.Connections().CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestGolden pins the exact behaviour of the TemporalMemory (and of the
// dendrite store under it) on fixed runs: random input (every column
// bursts, with and without global and per-cell eviction and punishment),
// a learned repeating sequence, a noisy sequence with tight caps (weakest
// synapse eviction, wrong predictions, resets, learning off) and a small
// mixed stream. The digests were recorded before any optimisation of the
// step; a change of behaviour, however small, changes them.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.steps*c.params().NumColumns > 1_100_000 {
				t.Skip("short")
			}
			if got := runGolden(t, c); got != c.want {
				t.Errorf("digest %s, want %s", got, c.want)
			}
		})
	}
}
