package btm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
)

// smallParams is a small fixed-size TM (NAB's thresholds on 256 columns of
// 8 cells, tight caps) whose runs exercise every mechanism quickly.
func smallParams() Params {
	p := NABParams()
	p.NumberOfCols = 256
	p.CellsPerColumn = 8
	p.MaxSegmentsPerCell = 4
	p.MaxSynapsesPerSegment = 24
	return p
}

// mixedStream is an input stream: a repeating sequence of 12 patterns of
// 30 columns with noise (each column replaced with probability 0.1), a
// random pattern at every 17th step, a reset every 150 steps and
// learning off every 41st step: all paths (backtracking, PAM, queue,
// eviction) are taken.
type mixedStream struct {
	rng  *rand.Rand
	seq  [][]uint32
	n    int
	seen []bool
	buf  []uint32
}

func newMixedStream(seed uint64, n int) *mixedStream {
	m := &mixedStream{rng: rand.New(rand.NewPCG(seed, 7)), n: n, seen: make([]bool, n)}
	for range 12 {
		m.seq = append(m.seq, randomColumns(m.rng, n, 30))
	}
	return m
}

func (m *mixedStream) next(i int) (cols []uint32, learn, reset bool) {
	if i%17 == 16 {
		return randomColumns(m.rng, m.n, 30), true, false
	}
	clear(m.seen)
	for _, c := range m.seq[i%len(m.seq)] {
		if m.rng.Float64() < 0.1 {
			c = uint32(m.rng.IntN(m.n))
		}
		m.seen[c] = true
	}
	m.buf = m.buf[:0]
	for c, ok := range m.seen {
		if ok {
			m.buf = append(m.buf, uint32(c))
		}
	}
	return m.buf, i%41 != 40, i%150 == 149
}

func run(t testing.TB, tm *TM, m *mixedStream, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		cols, learn, reset := m.next(i)
		if reset {
			if err := tm.Reset(); err != nil {
				t.Fatal(err)
			}
		}
		compute(t, tm, cols, learn)
	}
}

func encode(t testing.TB, tm *TM) []byte {
	t.Helper()
	b, err := tm.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameOutputs compares every output of two TMs.
func sameOutputs(t *testing.T, step int, a, b *TM) {
	t.Helper()
	ac, av := a.ColumnConfidences()
	bc, bv := b.ColumnConfidences()
	if a.Anomaly() != b.Anomaly() || !slices.Equal(a.ActiveCells(), b.ActiveCells()) ||
		!slices.Equal(a.PredictiveCells(), b.PredictiveCells()) || !slices.Equal(ac, bc) || !slices.Equal(av, bv) ||
		!slices.Equal(a.LearnActiveCells(), b.LearnActiveCells()) || a.NumSynapses() != b.NumSynapses() {
		t.Fatalf("step %d: outputs differ", step)
	}
}

// TestSaveLoadIdentical: a TM saved at step t and loaded produces the same
// outputs as the original at every step to t+k, and the same encoding.
func TestSaveLoadIdentical(t *testing.T) {
	for _, p := range []Params{smallParams(), func() Params {
		p := DefaultParams() // unlimited, with global decay
		p.NumberOfCols, p.CellsPerColumn, p.MaxAge = 256, 6, 60
		p.NewSynapseCount, p.ActivationThreshold, p.MinThreshold = 20, 13, 10
		return p
	}()} {
		tm := mustNew(t, p)
		m := newMixedStream(3, p.NumberOfCols)
		run(t, tm, m, 0, 700)
		var buf bytes.Buffer
		if err := tm.Save(&buf); err != nil {
			t.Fatal(err)
		}
		saved := slices.Clone(buf.Bytes())
		tm2, err := Load(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(encode(t, tm2), saved) {
			t.Fatal("re-encoding a loaded TM changed its bytes")
		}
		for i := 700; i < 1100; i++ {
			cols, learn, reset := m.next(i)
			if reset {
				tm.Reset()
				tm2.Reset()
			}
			compute(t, tm, cols, learn)
			compute(t, tm2, cols, learn)
			sameOutputs(t, i, tm, tm2)
		}
		if !bytes.Equal(encode(t, tm), encode(t, tm2)) {
			t.Fatal("encodings differ after 400 more steps")
		}
		if tm.Diagnostics().InfBacktrackPast == 0 || tm.Diagnostics().LrnBacktracks == 0 {
			t.Fatalf("the stream did not exercise backtracking: %+v", tm.Diagnostics())
		}
	}
}

// TestDeterminism: the same seed and input give bit-identical states; a
// different seed gives a different one.
func TestDeterminism(t *testing.T) {
	state := func(seed uint64) []byte {
		p := smallParams()
		p.Seed = seed
		tm := mustNew(t, p)
		run(t, tm, newMixedStream(5, p.NumberOfCols), 0, 500)
		return encode(t, tm)
	}
	a, b, c := state(1), state(1), state(2)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different states")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds, same state")
	}
}

// TestLoadCorrupt: every truncation and single-byte corruption of a valid
// encoding is refused with ErrCorrupt, never a panic.
func TestLoadCorrupt(t *testing.T) {
	p := smallParams()
	tm := mustNew(t, p)
	run(t, tm, newMixedStream(9, p.NumberOfCols), 0, 200)
	b := encode(t, tm)
	for n := 0; n < len(b); n += 1 + n/50 {
		if err := new(TM).UnmarshalBinary(b[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	for i := 0; i < len(b); i += 1 + i/40 {
		c := slices.Clone(b)
		c[i] ^= 0x5a
		if err := new(TM).UnmarshalBinary(c); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	var nilTM *TM
	if err := nilTM.UnmarshalBinary(b); !errors.Is(err, ErrUninit) {
		t.Fatalf("nil receiver: %v", err)
	}
}

// FuzzLoad: the decoder never panics, and whatever it accepts re-encodes
// to the same bytes (the encoding is canonical). Seeds are valid
// encodings, the checksum is recomputed on the mutated body so that the
// fuzzer reaches the field checks.
func FuzzLoad(f *testing.F) {
	p := smallParams()
	p.NumberOfCols = 64
	p.ActivationThreshold, p.MinThreshold, p.NewSynapseCount = 3, 2, 4
	for _, steps := range []int{0, 3, 40} {
		tm, _ := New(p)
		m := newMixedStream(uint64(steps), 64)
		for i := range steps {
			cols, learn, _ := m.next(i)
			tm.Compute(cols[:min(len(cols), 8)], learn)
		}
		b, _ := tm.MarshalBinary()
		f.Add(b[:len(b)-4])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := appendCRC(slices.Clone(body))
		tm := new(TM)
		if err := tm.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		if got := encode(t, tm); !bytes.Equal(got, b) {
			t.Fatal("accepted encoding is not canonical")
		}
		tm.Compute([]uint32{1, 2, 3}, true)
	})
}

// appendCRC appends the checksum of b.
func appendCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}
