package htm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
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

// resign recomputes the trailing checksum of an encoding.
func resign(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

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
// encoding is rejected with ErrCorrupt (changes with a recomputed checksum
// may be valid; they must not panic, and must decode to a consistent TM).
func TestLoadCorrupt(t *testing.T) {
	enc := trainedEncoding(t)
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
	good.UnmarshalBinary(enc[:40])
	if b, _ := good.MarshalBinary(); !bytes.Equal(b, enc) {
		t.Fatal("failed decode changed the receiver")
	}
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
	tm, _ = lesioned(f) // version 2, with dead cells
	withDead, _ := tm.MarshalBinary()
	f.Add(withDead)
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
