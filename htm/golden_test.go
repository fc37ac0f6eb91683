package htm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/internal/golden"
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
	},
	{
		name:   "sequence-default",
		params: DefaultParams,
		steps:  3000,
		input:  sequenceInput(2048, 40, 100, 0),
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
	},
}

// appendU32s appends a tagged, length-prefixed list to b.
func appendU32s(b []byte, tag byte, x []uint32) []byte {
	b = append(b, tag)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(x)))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func segsToU32(dst []uint32, segs []dendrite.Segment) []uint32 {
	dst = dst[:0]
	for _, s := range segs {
		dst = append(dst, uint32(s))
	}
	return dst
}

// outputFields names the outputs of a step that outputHasher hashes, in
// the order it hashes them.
var outputFields = [...]string{"active", "winner", "predictive", "activeSegments", "matchingSegments", "anomaly", "size"}

// outputHasher hashes every output of a step; it holds scratch buffers,
// and, if fields is set, also hashes each output on its own so that a
// golden failure can say which output changed.
type outputHasher struct {
	segs   []dendrite.Segment
	u      []uint32
	buf    []byte
	fields *[len(outputFields)]hash.Hash
}

// hash writes to h the active, winner and predictive cells, the active and
// matching segments, the anomaly and the store's size after a step.
func (sc *outputHasher) hash(h hash.Hash, tm *TemporalMemory) {
	put := func(field int) {
		h.Write(sc.buf)
		if sc.fields != nil {
			sc.fields[field].Write(sc.buf)
		}
		sc.buf = sc.buf[:0]
	}
	sc.buf = appendU32s(sc.buf[:0], 'a', tm.ActiveCells())
	put(0)
	sc.buf = appendU32s(sc.buf, 'w', tm.WinnerCells())
	put(1)
	sc.buf = appendU32s(sc.buf, 'p', tm.PredictiveCells())
	put(2)
	sc.segs = tm.ActiveSegments(sc.segs[:0])
	sc.u = segsToU32(sc.u, sc.segs)
	sc.buf = appendU32s(sc.buf, 'A', sc.u)
	put(3)
	sc.segs = tm.MatchingSegments(sc.segs[:0])
	sc.u = segsToU32(sc.u, sc.segs)
	sc.buf = appendU32s(sc.buf, 'M', sc.u)
	put(4)
	sc.buf = binary.LittleEndian.AppendUint64(sc.buf, math.Float64bits(tm.Anomaly()))
	put(5)
	conns := tm.Connections()
	sc.buf = binary.LittleEndian.AppendUint64(sc.buf, uint64(conns.NumSegments())<<32|uint64(conns.NumSynapses()))
	put(6)
}

// goldenBlock is the number of steps each per-field digest covers.
const goldenBlock = 500

// shortDigest is the first 64 bits of a SHA-256 in hex: enough to notice a
// change, short enough to keep the golden file readable.
func shortDigest(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)[:8]) }

// runGolden runs c and checks, in g, the digest of each output over each
// block of goldenBlock steps ("case/field/steps-FROM-TO"), the digest of
// the complete state (the encoding) every 1000 steps and at the end
// ("case/state@STEP"), and the digest of everything in order ("case/all",
// the digest that this test pinned in its source before the golden file).
func runGolden(t testing.TB, g *golden.File, c goldenCase) {
	tm := mustNew(t, c.params())
	rng := rand.New(rand.NewPCG(0x601d, uint64(len(c.name))))
	h := sha256.New()
	var fields [len(outputFields)]hash.Hash
	sc := outputHasher{fields: &fields}
	state := func(step int) {
		enc, err := tm.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte{'S'})
		h.Write(enc)
		g.Checkf(fmt.Sprintf("%s/state@%d", c.name, step), "%x", sha256.Sum256(enc))
	}
	input := c.input()
	for i := range c.steps {
		if i%goldenBlock == 0 {
			for f := range fields {
				fields[f] = sha256.New()
			}
		}
		cols, learn, reset := input(rng, i)
		if reset {
			tm.Reset()
		}
		compute(t, tm, cols, learn)
		sc.hash(h, tm)
		if end := i + 1; end%goldenBlock == 0 || end == c.steps {
			from := (end-1)/goldenBlock*goldenBlock + 1
			for f, name := range outputFields {
				g.Check(fmt.Sprintf("%s/%s/steps-%d-%d", c.name, name, from, end), shortDigest(fields[f]))
			}
		}
		if (i+1)%1000 == 0 {
			state(i + 1)
		}
	}
	h.Write([]byte{'S'})
	enc, _ := tm.MarshalBinary()
	h.Write(enc) // the final state again, as when the digests were first recorded
	if err := tm.Connections().CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	g.Check(c.name+"/all", hex.EncodeToString(h.Sum(nil)))
}

// TestGolden pins the exact behaviour of the TemporalMemory (and of the
// dendrite store under it) on fixed runs: random input (every column
// bursts, with and without global and per-cell eviction and punishment),
// a learned repeating sequence, a noisy sequence with tight caps (weakest
// synapse eviction, wrong predictions, resets, learning off) and a small
// mixed stream. The digests were recorded before any optimisation of the
// step; a change of behaviour, however small, changes them.
//
// The expected digests are in testdata/tm.golden: go test -run TestGolden
// -update rewrites it. A failure names each output and block of steps
// whose digest changed (or the state after which step), old and new.
func TestGolden(t *testing.T) {
	g := golden.Open(t, filepath.Join("testdata", "tm.golden"), *update)
	defer g.Close()
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.steps*c.params().NumColumns > 1_100_000 {
				t.Skip("short")
			}
			runGolden(t, g, c)
		})
	}
}
