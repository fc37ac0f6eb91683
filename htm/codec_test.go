package htm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/golden"
)

// stepSnapshot is every output of one step.
type stepSnapshot struct {
	active, winner, predictive []uint32
	anomaly                    float64
}

func snapshot(tm *TemporalMemory) stepSnapshot {
	return stepSnapshot{slices.Clone(tm.ActiveCells()), slices.Clone(tm.WinnerCells()),
		slices.Clone(tm.PredictiveCells()), tm.Anomaly()}
}

func (a stepSnapshot) equal(b stepSnapshot) bool {
	return slices.Equal(a.active, b.active) && slices.Equal(a.winner, b.winner) &&
		slices.Equal(a.predictive, b.predictive) && a.anomaly == b.anomaly
}

// mixedInput returns step i of a stream that mixes a repeating sequence,
// random inputs, resets (nil with reset = true) and learning-off steps.
type mixedInput struct {
	rng *rand.Rand
	seq [][]uint32
	n   int
}

func newMixedInput(seed uint64, columns, w int) *mixedInput {
	m := &mixedInput{rng: rand.New(rand.NewPCG(seed, 99)), n: columns}
	for range 12 {
		m.seq = append(m.seq, randomColumns(m.rng, columns, w))
	}
	return m
}

func (m *mixedInput) next(i int) (cols []uint32, learn, reset bool) {
	switch r := m.rng.IntN(20); {
	case r == 0:
		return nil, true, true
	case r < 5:
		return randomColumns(m.rng, m.n, len(m.seq[0])), true, false
	case r == 5:
		return m.seq[i%len(m.seq)], false, false
	default:
		return m.seq[i%len(m.seq)], true, false
	}
}

func smallParams() Params {
	p := DefaultParams()
	p.NumColumns, p.CellsPerColumn = 256, 8
	p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments = 4, 30, 1500
	p.PredictedSegmentDecrement = 0.004
	return p
}

// TestSaveLoadIdentical: save at step t, reload, run both to t + k on the
// same input: every output of every step is identical, and so is the final
// encoding. Checked at several t, with caps that make eviction frequent.
func TestSaveLoadIdentical(t *testing.T) {
	for _, p := range []Params{smallParams(), DefaultParams()} {
		cols, w := p.NumColumns, 20
		if cols == 2048 {
			w = 40
		}
		tm := mustNew(t, p)
		in := newMixedInput(1, cols, w)
		step := 0
		for _, saveAt := range []int{0, 1, 150, 700} {
			for ; step < saveAt; step++ {
				x, learn, reset := in.next(step)
				if reset {
					tm.Reset()
					continue
				}
				compute(t, tm, x, learn)
			}
			var buf bytes.Buffer
			if err := tm.Save(&buf); err != nil {
				t.Fatal(err)
			}
			enc := slices.Clone(buf.Bytes())
			re, err := Load(&buf)
			if err != nil {
				t.Fatalf("t=%d: %v", saveAt, err)
			}
			if enc2, _ := re.MarshalBinary(); !bytes.Equal(enc, enc2) {
				t.Fatalf("t=%d: re-encoding differs", saveAt)
			}
			if !snapshot(tm).equal(snapshot(re)) || re.Iteration() != tm.Iteration() {
				t.Fatalf("t=%d: outputs differ right after loading", saveAt)
			}
			// Run both on a copy of the input stream.
			inA := *in
			inA.rng = rand.New(rand.NewPCG(uint64(saveAt), 5))
			inB := inA
			inB.rng = rand.New(rand.NewPCG(uint64(saveAt), 5))
			for k := range 300 {
				xa, la, ra := inA.next(saveAt + k)
				xb, lb, rb := inB.next(saveAt + k)
				for _, c := range []struct {
					tm   *TemporalMemory
					x    []uint32
					l, r bool
				}{{tm, xa, la, ra}, {re, xb, lb, rb}} {
					if c.r {
						c.tm.Reset()
					} else {
						compute(t, c.tm, c.x, c.l)
					}
				}
				if !snapshot(tm).equal(snapshot(re)) {
					t.Fatalf("t=%d: step %d after loading differs", saveAt, k)
				}
			}
			a, _ := tm.MarshalBinary()
			b, _ := re.MarshalBinary()
			if !bytes.Equal(a, b) {
				t.Fatalf("t=%d: final states differ", saveAt)
			}
			if err := re.Connections().CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			step += 300
		}
		if tm.Connections().NumSegments() == 0 {
			t.Fatal("nothing learned")
		}
	}
}

// resign recomputes the trailing checksum of an encoding (CRC-32C of the
// current version, IEEE CRC-32 of versions 1 and 2).
func resign(b []byte) []byte { return binfmt.Resign(b, tmVersion) }

// trainedEncoding returns the encoding of a tiny TM (64 columns × 4
// cells) after some learning: a few kilobytes, small enough to corrupt
// every byte in turn.
func trainedEncoding(t testing.TB) []byte {
	p := smallParams()
	p.NumColumns, p.CellsPerColumn, p.MaxSegments = 64, 4, 60
	tm, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	in := newMixedInput(2, 64, 20)
	for i := range 40 {
		x, learn, reset := in.next(i)
		if reset {
			tm.Reset()
			continue
		}
		if err := tm.Compute(x, learn); err != nil {
			t.Fatal(err)
		}
	}
	b, err := tm.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoadCorrupt: every truncation and every single-byte change of a valid
// encoding (the current version, and the version 1 and 2 fixtures) is
// rejected with ErrCorrupt (changes with a recomputed checksum may be
// valid; they must not panic, and must decode to a consistent TM).
func TestLoadCorrupt(t *testing.T) {
	for _, name := range []string{"", "tm-v1.bin", "tm-v2.bin"} {
		enc := trainedEncoding(t)
		if name != "" {
			var err error
			if enc, err = os.ReadFile(filepath.Join("testdata", name)); err != nil {
				t.Fatal(err)
			}
		}
		checkCorrupt(t, enc)
	}
}

func checkCorrupt(t *testing.T, enc []byte) {
	var tm TemporalMemory
	if err := tm.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	for n := range len(enc) {
		if err := tm.UnmarshalBinary(enc[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: err %v", n, err)
		}
	}
	if err := tm.UnmarshalBinary(append(slices.Clone(enc), 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailing byte: err %v", err)
	}
	rng := rand.New(rand.NewPCG(8, 8))
	valid := 0
	for i := range len(enc) {
		b := slices.Clone(enc)
		b[i] ^= byte(1 + rng.IntN(255))
		if err := tm.UnmarshalBinary(b); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d changed: err %v", i, err)
		}
		if tm.UnmarshalBinary(resign(b)) == nil {
			valid++
			if err := tm.Connections().CheckInvariants(); err != nil {
				t.Fatalf("byte %d changed and re-signed: decoded an inconsistent TM: %v", i, err)
			}
		}
	}
	t.Logf("%d of %d re-signed single-byte changes decode to a valid TM", valid, len(enc))
	// The receiver is unchanged by a failed decode.
	var good TemporalMemory
	good.UnmarshalBinary(enc)
	want, _ := good.MarshalBinary()
	good.UnmarshalBinary(enc[:40])
	if b, _ := good.MarshalBinary(); !bytes.Equal(b, want) {
		t.Fatal("failed decode changed the receiver")
	}
}

// TestLoadHostileAllocation: small encodings whose parameters claim 2^24
// cells, or whose sections claim huge lists, are refused without
// allocating in proportion to the claims (issue 10): the per-cell state
// is allocated only after the connections, which hold a byte per cell,
// have decoded.
func TestLoadHostileAllocation(t *testing.T) {
	p := smallParams()
	p.NumColumns, p.CellsPerColumn = 1<<16, 1<<8
	big := encodeParams(t, p)
	huge := trainedEncoding(t)
	f, _, _ := binfmt.Parse(huge, tmMagic)
	f.Section("PARM")
	step, _ := f.Section("STEP")
	off := len(huge) - len(step.Rest()) - 8 // the STEP section's length field
	binary.LittleEndian.PutUint64(huge[off:], 1<<40)
	for name, h := range map[string][]byte{"2^24 cells": big, "huge section": resign(huge)} {
		var err error
		got := golden.BytesAllocated(func() { err = new(TemporalMemory).UnmarshalBinary(h) })
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("%s: %v", name, err)
		}
		if got > 64*uint64(len(h))+4096 {
			t.Errorf("%s: %d-byte encoding made the decoder allocate %d bytes (%v)", name, len(h), got, err)
		}
	}
}

// encodeParams returns the encoding of a fresh TM with parameters p whose
// connections section is replaced by that of a 1-cell store: a small file
// claiming p's populations.
func encodeParams(t *testing.T, p Params) []byte {
	small := p
	small.NumColumns, small.CellsPerColumn = 1, 1
	tm := mustNew(t, small)
	enc, _ := tm.MarshalBinary()
	f, _, _ := binfmt.Parse(enc, tmMagic)
	w := binfmt.NewWriter(nil, tmMagic, tmVersion, 0)
	r, _ := f.Section("PARM")
	w.Section("PARM")
	w.U64(uint64(p.NumColumns))
	w.U64(uint64(p.CellsPerColumn))
	w.Bytes(r.Rest()[16:])
	for _, tag := range []string{"STEP", "DEAD", "CONN"} {
		r, _ := f.Section(tag)
		w.Section(tag)
		w.Bytes(r.Rest())
	}
	return w.Finish()
}

// FuzzLoad: arbitrary bytes never panic or allocate without bound, and
// whatever decodes is a consistent TM that can run. Each input is tried as
// is and with its checksum recomputed, so the fuzzer reaches the parser.
func FuzzLoad(f *testing.F) {
	f.Add(trainedEncoding(f))
	tm, _ := New(smallParams())
	empty, _ := tm.MarshalBinary()
	f.Add(empty)
	p := smallParams()
	p.NumColumns, p.CellsPerColumn = 3, 2
	tm, _ = New(p)
	tm.Compute([]uint32{0, 2}, true)
	tm.Compute([]uint32{1}, true)
	tiny, _ := tm.MarshalBinary()
	f.Add(tiny)
	f.Add([]byte("DHTM"))
	tm, _ = lesioned(f) // with dead cells
	withDead, _ := tm.MarshalBinary()
	f.Add(withDead)
	for _, name := range []string{"tm-v1.bin", "tm-v2.bin"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, resign(slices.Clone(data))} {
			var tm TemporalMemory
			if err := tm.UnmarshalBinary(b); err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
				continue
			}
			if err := tm.Connections().CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			enc, err := tm.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var again TemporalMemory
			if err := again.UnmarshalBinary(enc); err != nil {
				t.Fatalf("re-encoding does not decode: %v", err)
			}
			if enc2, _ := again.MarshalBinary(); !bytes.Equal(enc, enc2) {
				t.Fatal("re-encoding not stable")
			}
			if err := tm.Compute([]uint32{0}, true); err != nil {
				t.Fatal(err)
			}
			if err := tm.Connections().CheckInvariants(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
