package sequences

import (
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/dendrite"
)

// highOrder is the original set of HighOrderDataset(numPredictions = 1) of
// Cui et al. (2016), over the symbols 0…9 (benchmarks.md §2.3). Sequences
// 2i and 2i+1 share everything but their first and last element, so the
// last element can only be predicted from the first.
var highOrder = [][]int{
	{6, 8, 7, 4, 2, 3, 0},
	{1, 8, 7, 4, 2, 3, 5},
	{6, 3, 4, 2, 7, 8, 5},
	{1, 3, 4, 2, 7, 8, 0},
	{0, 9, 7, 8, 5, 3, 4, 1},
	{2, 9, 7, 8, 5, 3, 4, 6},
	{0, 4, 3, 5, 8, 7, 9, 6},
	{2, 4, 3, 5, 8, 7, 9, 1},
}

// NumSymbols is the number of sequence symbols (0…9).
const NumSymbols = 10

// HighOrderSet returns the 8 sequences of the original set (a fresh copy).
func HighOrderSet() [][]int { return cloneSet(highOrder) }

// PerturbedSet returns the perturbed set used after the switch: the
// endings of each pair (2i, 2i+1) are swapped, so every learned last
// element becomes wrong while the shared middles stay valid.
func PerturbedSet() [][]int {
	s := cloneSet(highOrder)
	for i := 0; i+1 < len(s); i += 2 {
		a, b := s[i], s[i+1]
		a[len(a)-1], b[len(b)-1] = b[len(b)-1], a[len(a)-1]
	}
	return s
}

func cloneSet(set [][]int) [][]int {
	out := make([][]int, len(set))
	for i, s := range set {
		out[i] = append([]int(nil), s...)
	}
	return out
}

// Element is one input of the stream.
type Element struct {
	// Category is the symbol presented: 0…NumSymbols−1 for a sequence
	// symbol (after the per-seed relabelling), NumSymbols… for a noise
	// symbol.
	Category int
	// Seq is the index of the sequence in its set (−1 for a noise
	// symbol) and Pos the position in it.
	Seq, Pos int
	// Last marks the last element of a sequence, the only one scored.
	Last bool
	// Perturbed marks an element of a sequence drawn from the perturbed
	// set.
	Perturbed bool
}

// Noise reports whether e is a noise symbol between sequences.
func (e Element) Noise() bool { return e.Seq < 0 }

// StreamConfig defines the input stream.
type StreamConfig struct {
	Steps           int    // number of elements
	Sequences       int    // how many sequences of the set are used (1…8; the first ones)
	NoiseCategories int    // number of noise symbols (5000 in Cui et al.)
	SwitchAt        int    // sequences starting at step ≥ SwitchAt use the perturbed set; < 0: never
	Seed            uint64 // seeds the relabelling and all draws
}

// Stream generates the element stream: a sequence chosen uniformly from
// the set, then one noise symbol chosen uniformly from NoiseCategories
// extra categories, repeated until Steps elements. The symbols 0…9 are
// relabelled by a random permutation drawn from the seed. The draws do
// not depend on SwitchAt, so the streams with and without the switch are
// the same up to the swapped endings.
func Stream(c StreamConfig) ([]Element, error) {
	if c.Steps < 1 {
		return nil, fmt.Errorf("sequences: steps = %d must be positive", c.Steps)
	}
	if c.Sequences < 1 || c.Sequences > len(highOrder) {
		return nil, fmt.Errorf("sequences: %d sequences: must lie in [1, %d]", c.Sequences, len(highOrder))
	}
	if c.NoiseCategories < 1 {
		return nil, fmt.Errorf("sequences: %d noise categories: must be positive", c.NoiseCategories)
	}
	rng := rand.New(rand.NewPCG(c.Seed, streamStream))
	perm := rng.Perm(NumSymbols)
	orig, pert := highOrder[:c.Sequences], PerturbedSet()[:c.Sequences]
	out := make([]Element, 0, c.Steps+8)
	for len(out) < c.Steps {
		k := rng.IntN(len(orig))
		set, perturbed := orig, false
		if c.SwitchAt >= 0 && len(out) >= c.SwitchAt {
			set, perturbed = pert, true
		}
		seq := set[k]
		for i, s := range seq {
			out = append(out, Element{Category: perm[s], Seq: k, Pos: i, Last: i == len(seq)-1, Perturbed: perturbed})
		}
		out = append(out, Element{Category: NumSymbols + rng.IntN(c.NoiseCategories), Seq: -1})
	}
	return out[:c.Steps], nil
}

// Streams of the random generators derived from the seed (the second word
// of each PCG), so that the draws of one purpose never depend on another.
const (
	streamStream = 1 + iota
	streamEncoder
	streamNoise
	streamDeath
	streamProbe
)

// Encoder maps categories to random SDRs of ActiveBits of Size columns,
// like htm's SDRCategoryEncoder: independent uniform draws per category,
// so two symbols overlap by about ActiveBits²/Size columns by chance.
type Encoder struct {
	Size, ActiveBits int
	codes            [][]uint32
	byColumn         [][]int32 // column → categories whose code holds it
}

// NewEncoder draws the codes of categories categories from seed.
func NewEncoder(size, activeBits, categories int, seed uint64) (*Encoder, error) {
	if activeBits < 1 || activeBits > size {
		return nil, fmt.Errorf("sequences: %d active bits of %d: must lie in [1, size]", activeBits, size)
	}
	rng := rand.New(rand.NewPCG(seed, streamEncoder))
	e := &Encoder{Size: size, ActiveBits: activeBits, codes: make([][]uint32, categories), byColumn: make([][]int32, size)}
	for c := range e.codes {
		p, err := dendrite.RandomPattern(nil, size, activeBits, rng)
		if err != nil {
			return nil, err
		}
		e.codes[c] = p
		for _, col := range p {
			e.byColumn[col] = append(e.byColumn[col], int32(c))
		}
	}
	return e, nil
}

// Code returns the SDR (sorted active columns) of category c; read-only.
func (e *Encoder) Code(c int) []uint32 { return e.codes[c] }

// Categories returns the number of categories.
func (e *Encoder) Categories() int { return len(e.codes) }

// Decode returns the category whose code overlaps most with the sorted
// columns, and that overlap; ties go to the lowest category. It returns
// (−1, 0) when no code overlaps the columns. counts is scratch space of
// Categories() entries, all zero, and is left zero.
func (e *Encoder) Decode(columns []uint32, counts []int32) (int, int) {
	best, bestN := -1, int32(0)
	for _, col := range columns {
		for _, c := range e.byColumn[col] {
			counts[c]++
		}
	}
	for _, col := range columns {
		for _, c := range e.byColumn[col] {
			if n := counts[c]; n > bestN || (n == bestN && n > 0 && int(c) < best) {
				best, bestN = int(c), n
			}
		}
	}
	for _, col := range columns {
		for _, c := range e.byColumn[col] {
			counts[c] = 0
		}
	}
	return best, int(bestN)
}
