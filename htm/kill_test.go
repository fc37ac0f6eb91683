package htm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/internal/binfmt"
)

// lesioned returns a small TM trained on a mixed stream, then with about
// a third of its cells and every cell of column 0 killed, and its input.
func lesioned(t testing.TB) (*TemporalMemory, *mixedInput) {
	t.Helper()
	p := smallParams()
	tm := mustNew(t, p)
	in := newMixedInput(5, p.NumColumns, 20)
	run(t, tm, in, 0, 600)
	rng := rand.New(rand.NewPCG(3, 3))
	var dead []uint32
	for c := range uint32(tm.NumCells()) {
		if c < tm.k || rng.IntN(3) == 0 {
			dead = append(dead, c)
		}
	}
	dead = append(dead, dead[5], dead[1]) // duplicates are fine
	rng.Shuffle(len(dead), func(i, j int) { dead[i], dead[j] = dead[j], dead[i] })
	segs, syns, err := tm.KillCells(dead)
	if err != nil {
		t.Fatal(err)
	}
	if segs == 0 || syns == 0 {
		t.Fatalf("KillCells removed %d segments and %d synapses", segs, syns)
	}
	return tm, in
}

// run feeds steps [from, to) of in to tm; column 0 is added to every
// fifth input so that an all-dead column is exercised.
func run(t testing.TB, tm *TemporalMemory, in *mixedInput, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		x, learn, reset := in.next(i)
		if reset {
			tm.Reset()
			continue
		}
		if i%5 == 0 && (len(x) == 0 || x[0] != 0) {
			x = append([]uint32{0}, x...)
		}
		compute(t, tm, x, learn)
	}
}

// checkDead fails if a dead cell is active, winner or predictive, has a
// segment or a synapse onto it.
func checkDeadCells(t testing.TB, tm *TemporalMemory, when string) {
	t.Helper()
	for _, list := range [][]uint32{tm.ActiveCells(), tm.WinnerCells(), tm.PredictiveCells()} {
		for _, c := range list {
			if tm.IsDead(c) {
				t.Fatalf("%s: dead cell %d in use", when, c)
			}
		}
	}
	c := tm.Connections()
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	var syn []dendrite.Synapse
	for cell := range uint32(tm.NumCells()) {
		for _, s := range c.SegmentsOf(cell) {
			if tm.IsDead(cell) {
				t.Fatalf("%s: dead cell %d has a segment", when, cell)
			}
			syn, _ = c.Synapses(syn[:0], s)
			for _, y := range syn {
				if tm.IsDead(y.Input) {
					t.Fatalf("%s: synapse onto dead cell %d", when, y.Input)
				}
			}
		}
	}
}

// TestKillCells: dead cells never appear in the outputs or the store, an
// all-dead column stays silent, and the TM keeps learning.
func TestKillCells(t *testing.T) {
	tm, in := lesioned(t)
	if tm.NumDead() < tm.NumCells()/4 || !tm.IsDead(0) || len(tm.DeadCells(nil)) != tm.NumDead() {
		t.Fatalf("%d dead cells", tm.NumDead())
	}
	checkDeadCells(t, tm, "after KillCells")
	predicted := 0
	for i := 600; i < 1200; i++ {
		run(t, tm, in, i, i+1)
		checkDeadCells(t, tm, "step")
		if slices.Contains(tm.PredictedColumns(nil), 0) || (len(tm.ActiveCells()) > 0 && tm.ColumnOf(tm.ActiveCells()[0]) == 0) {
			t.Fatalf("step %d: all-dead column 0 active or predicted", i)
		}
		if len(tm.PredictiveCells()) > 0 {
			predicted++
		}
	}
	if predicted == 0 {
		t.Fatal("no predictions after the lesion")
	}
	checkDeadCells(t, tm, "end")
}

// TestKillCellsInvalid: a cell out of range is an error and changes
// nothing; killing no cell changes nothing.
func TestKillCellsInvalid(t *testing.T) {
	tm := mustNew(t, smallParams())
	run(t, tm, newMixedInput(1, 256, 20), 0, 200)
	before, _ := tm.MarshalBinary()
	if _, _, err := tm.KillCells([]uint32{3, uint32(tm.NumCells())}); !errors.Is(err, ErrInput) {
		t.Fatalf("err %v", err)
	}
	if _, _, err := tm.KillCells(nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := tm.MarshalBinary(); !bytes.Equal(before, after) || tm.NumDead() != 0 || tm.IsDead(3) {
		t.Fatal("KillCells changed the TM")
	}
}

// TestKillCellsSaveLoad: with dead cells the encoding (version 3, which
// always has a DEAD section) round-trips, and the decoded TM behaves
// identically.
func TestKillCellsSaveLoad(t *testing.T) {
	tm, in := lesioned(t)
	run(t, tm, in, 600, 700)
	enc, err := tm.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint16(enc[4:]); v != tmVersion {
		t.Fatalf("version %d", v)
	}
	var tm2 TemporalMemory
	if err := tm2.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	if enc2, _ := tm2.MarshalBinary(); !bytes.Equal(enc, enc2) {
		t.Fatal("re-encoding differs")
	}
	if tm2.NumDead() != tm.NumDead() || !slices.Equal(tm2.DeadCells(nil), tm.DeadCells(nil)) {
		t.Fatal("dead cells differ")
	}
	for i := 700; i < 1300; i++ {
		x, learn, reset := in.next(i)
		if i%5 == 0 && (len(x) == 0 || x[0] != 0) {
			x = append([]uint32{0}, x...)
		}
		for _, m := range []*TemporalMemory{tm, &tm2} {
			if reset {
				m.Reset()
			} else {
				compute(t, m, x, learn)
			}
		}
		if !snapshot(tm).equal(snapshot(&tm2)) {
			t.Fatalf("step %d: decoded TM diverges", i)
		}
	}
	a, _ := tm.MarshalBinary()
	b, _ := tm2.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("final encodings differ")
	}
	// Right after KillCells (an active column may have lost its winner).
	tm3, _ := lesioned(t)
	enc, _ = tm3.MarshalBinary()
	if err := tm2.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	if !snapshot(tm3).equal(snapshot(&tm2)) {
		t.Fatal("decoded TM differs right after KillCells")
	}
}

// encodeAs re-encodes the current-version encoding enc in the layout of
// version (1 and 2: the layout of the versions before the binfmt framing,
// which has the same fields without the section headers; 3: the current
// one), with dead as the dead cell list.
func encodeAs(t testing.TB, enc []byte, version uint16, dead ...uint32) []byte {
	t.Helper()
	f, _, err := binfmt.Parse(enc, tmMagic)
	if err != nil {
		t.Fatal(err)
	}
	var payload [4][]byte
	for i, tag := range []string{"PARM", "STEP", "DEAD", "CONN"} {
		r, err := f.Section(tag)
		if err != nil {
			t.Fatal(err)
		}
		payload[i] = r.Rest()
	}
	le := binary.LittleEndian
	if version == tmVersion {
		w := binfmt.NewWriter(nil, tmMagic, tmVersion, 0)
		w.Section("PARM")
		w.Bytes(payload[0])
		w.Section("STEP")
		w.Bytes(payload[1])
		w.Section("DEAD")
		w.U32s(dead)
		w.Section("CONN")
		w.Bytes(payload[3])
		return w.Finish()
	}
	b := le.AppendUint16([]byte(tmMagic), version)
	b = le.AppendUint16(b, 0)
	b = append(append(b, payload[0]...), payload[1]...)
	if version == tmVersionDead {
		b = le.AppendUint32(b, uint32(len(dead)))
		for _, c := range dead {
			b = le.AppendUint32(b, c)
		}
	}
	b = le.AppendUint64(b, uint64(len(payload[3])))
	b = append(b, payload[3]...)
	return le.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// TestKillCellsCorrupt: a version 2 encoding without dead cells, or an
// encoding (version 2 or 3) with a dead cell that is active or has a
// segment, or with a dead list out of order, is corrupt; the same
// encodings with valid dead cells decode.
func TestKillCellsCorrupt(t *testing.T) {
	src := mustNew(t, smallParams())
	run(t, src, newMixedInput(4, 256, 20), 0, 300)
	compute(t, src, []uint32{1, 5, 9}, true)
	plain, _ := src.MarshalBinary()
	var tm TemporalMemory
	if err := tm.UnmarshalBinary(plain); err != nil || len(tm.ActiveCells()) == 0 {
		t.Fatal(err)
	}
	if err := tm.UnmarshalBinary(encodeAs(t, plain, tmVersionDead)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("version 2 without dead cells: err %v", err)
	}
	var withSeg, free uint32
	for c := range uint32(tm.NumCells()) {
		if tm.Connections().NumSegmentsOf(c) > 0 && !slices.Contains(tm.ActiveCells(), c) {
			withSeg = c
		}
	}
	for c := range uint32(tm.NumCells()) {
		if !tm.hasSynapseOnto(c) && tm.Connections().NumSegmentsOf(c) == 0 && !slices.Contains(tm.ActiveCells(), c) {
			free = c
			break
		}
	}
	for _, v := range []uint16{tmVersionDead, tmVersion} {
		var got TemporalMemory
		if err := got.UnmarshalBinary(encodeAs(t, plain, v, free)); err != nil || got.NumDead() != 1 || !got.IsDead(free) {
			t.Fatalf("version %d, valid dead cell %d: %v", v, free, err)
		}
		for name, dead := range map[string][]uint32{
			"active dead cell":       {tm.ActiveCells()[0]},
			"dead cell with segment": {withSeg},
			"dead list unsorted":     {free + 1, free},
			"dead cell out of range": {uint32(tm.NumCells())},
		} {
			if err := got.UnmarshalBinary(encodeAs(t, plain, v, dead...)); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("version %d, %s: err %v", v, name, err)
			}
		}
	}
	// The version 1 layout of the same state decodes to it.
	var v1 TemporalMemory
	if err := v1.UnmarshalBinary(encodeAs(t, plain, tmVersion1)); err != nil {
		t.Fatal(err)
	}
	if again, _ := v1.MarshalBinary(); !bytes.Equal(again, plain) {
		t.Fatal("version 1 layout decodes to a different state")
	}
}

// hasSynapseOnto reports whether some segment has a synapse onto cell.
func (tm *TemporalMemory) hasSynapseOnto(cell uint32) bool {
	var syn []dendrite.Synapse
	for i := range tm.conns.SegmentSlots() {
		if _, ok := tm.conns.CellOf(dendrite.Segment(i)); !ok {
			continue
		}
		syn, _ = tm.conns.Synapses(syn[:0], dendrite.Segment(i))
		for _, y := range syn {
			if y.Input == cell {
				return true
			}
		}
	}
	return false
}

// TestKillCellsNoAllocs: steps with dead cells are allocation-free too
// (the store is bounded by MaxSegments, and all-dead column 0 is in a
// fifth of the inputs).
func TestKillCellsNoAllocs(t *testing.T) {
	tm, _ := lesioned(t)
	rng := rand.New(rand.NewPCG(6, 6))
	pool := make([][]uint32, 200)
	for i := range pool {
		pool[i] = randomColumns(rng, 256, 20)
		if i%5 == 0 && pool[i][0] != 0 {
			pool[i] = append([]uint32{0}, pool[i]...)
		}
	}
	step := func() { compute(t, tm, pool[rng.IntN(len(pool))], true) }
	for range 3000 {
		step()
	}
	if a := testing.AllocsPerRun(500, step); a != 0 {
		t.Errorf("%v allocations per step", a)
	}
}
