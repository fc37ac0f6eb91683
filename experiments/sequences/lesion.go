package sequences

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/htm"
)

// Lesioned is a temporal memory some of whose cells are dead, taken over
// from an htm.TemporalMemory at the moment of the lesion. Package htm has no
// hook to kill cells (a bursting column activates all its cells, and a
// least-used cell — which a dead cell with no segments would be — is the
// first candidate for a new segment), so Lesioned continues the
// algorithm of htm.TemporalMemory (package htm's documentation) with one
// change: a dead cell does not exist.
//
//   - At the lesion, every segment of a dead cell and every synapse onto a
//     dead cell is destroyed (a segment left without synapses too), and
//     the dead cells leave the current active and winner cells.
//   - Afterwards a dead cell never becomes active: a bursting column
//     activates only its live cells, and a column whose cells are all dead
//     has no active cell and no winner (it is unpredicted for the anomaly).
//   - A dead cell is never a winner: the least-used cell that grows a new
//     segment is chosen among the live cells; since synapses grow only
//     towards winner cells, no synapse onto a dead cell ever forms again.
//
// With no dead cell Lesioned reproduces htm.TemporalMemory exactly, step
// for step and draw for draw: it takes over the complete state, the
// random generator included (the tests check this). It reads that state
// through htm's documented binary encoding (version 1); a later version
// gives an error rather than a wrong continuation.
type Lesioned struct {
	p         htm.Params
	k, cells  uint32
	conns     *dendrite.Connections
	rng       *rand.Rand
	dead      []uint64 // bitmap of dead cells
	numDead   int
	iter      uint64
	anomaly   float64
	synKilled int
	segKilled int

	active, winner         []uint32
	prevActive, prevWinner []uint32
	activeSegs             []segRef
	matchingSegs           []segRef
	predictive             []uint32
	bitmap                 []uint64
	act                    dendrite.Activity
	synBuf                 []dendrite.Synapse
}

// segRef is an active or matching segment with its cell and its number of
// active potential synapses.
type segRef struct {
	cell uint32
	seg  dendrite.Segment
	pot  uint32
}

func compareRef(a, b segRef) int {
	if c := cmp.Compare(a.cell, b.cell); c != 0 {
		return c
	}
	return cmp.Compare(a.seg, b.seg)
}

// ErrEncoding reports an htm encoding that Lesion cannot read.
var ErrEncoding = errors.New("sequences: unsupported htm encoding")

// Lesion copies the complete state of tm (which is not changed) and kills
// the cells dead (any order, duplicates ignored, each below
// tm.NumCells()).
func Lesion(tm *htm.TemporalMemory, dead []uint32) (*Lesioned, error) {
	data, err := tm.MarshalBinary()
	if err != nil {
		return nil, err
	}
	p := tm.Params()
	l := &Lesioned{p: p, k: uint32(p.CellsPerColumn), cells: uint32(tm.NumCells())}
	if err := l.decode(data); err != nil {
		return nil, err
	}
	l.dead = make([]uint64, (l.cells+63)/64)
	l.bitmap = make([]uint64, (l.cells+63)/64)
	for _, c := range dead {
		if c >= l.cells {
			return nil, fmt.Errorf("sequences: dead cell %d of %d", c, l.cells)
		}
		if !l.Dead(c) {
			l.dead[c>>6] |= 1 << (c & 63)
			l.numDead++
		}
	}
	if err := l.kill(); err != nil {
		return nil, err
	}
	l.active = slices.DeleteFunc(l.active, l.Dead)
	l.winner = slices.DeleteFunc(l.winner, l.Dead)
	for _, c := range l.active {
		l.bitmap[c>>6] |= 1 << (c & 63)
	}
	if err := l.computeSegments(); err != nil {
		return nil, err
	}
	return l, nil
}

// decode reads the parts of htm's encoding (format version 1, documented in
// htm/codec.go) that Lesion needs: iteration, anomaly, random generator,
// active and winner cells and the connections. The parameters are taken
// from tm.Params(); the checksum was just computed by tm.
func (l *Lesioned) decode(b []byte) error {
	le := binary.LittleEndian
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrEncoding, what) }
	if len(b) < 8 || string(b[:4]) != "DHTM" {
		return bad("magic")
	}
	if v := le.Uint16(b[4:]); v != 1 {
		return bad(fmt.Sprintf("version %d (Lesion reads version 1)", v))
	}
	// 8 header, 5 ints, 5 float32s, 3 ints, seed.
	off := 8 + 5*8 + 5*4 + 3*8 + 8
	need := func(n int) bool { return off+n <= len(b) }
	if !need(8 + 8 + 4) {
		return bad("truncated")
	}
	l.iter = le.Uint64(b[off:])
	l.anomaly = math.Float64frombits(le.Uint64(b[off+8:]))
	off += 16
	rn := int(le.Uint32(b[off:]))
	off += 4
	if !need(rn) {
		return bad("truncated rng")
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(b[off : off+rn]); err != nil {
		return bad("rng: " + err.Error())
	}
	l.rng = rand.New(pcg)
	off += rn
	cells := func() ([]uint32, error) {
		if !need(4) {
			return nil, bad("truncated cells")
		}
		n := int(le.Uint32(b[off:]))
		off += 4
		if !need(4 * n) {
			return nil, bad("truncated cells")
		}
		out := make([]uint32, n)
		for i := range out {
			out[i] = le.Uint32(b[off+4*i:])
		}
		off += 4 * n
		return out, nil
	}
	var err error
	if l.active, err = cells(); err != nil {
		return err
	}
	if l.winner, err = cells(); err != nil {
		return err
	}
	if !need(8) {
		return bad("truncated connections")
	}
	cn := int(le.Uint64(b[off:]))
	off += 8
	if !need(cn) {
		return bad("truncated connections")
	}
	l.conns, _, err = dendrite.Decode(b[off : off+cn])
	if err != nil {
		return bad(err.Error())
	}
	return nil
}

// kill destroys the segments of dead cells and the synapses onto them.
func (l *Lesioned) kill() error {
	c := l.conns
	var segs []dendrite.Segment
	for cell := uint32(0); cell < l.cells; cell++ {
		if l.Dead(cell) {
			segs = append(segs[:0], c.SegmentsOf(cell)...)
			for _, s := range segs {
				if err := c.DestroySegment(s); err != nil {
					return err
				}
				l.segKilled++
			}
		}
	}
	if l.numDead == 0 {
		return nil
	}
	for i := 0; i < c.SegmentSlots(); i++ {
		s := dendrite.Segment(i)
		if _, ok := c.CellOf(s); !ok {
			continue
		}
		var err error
		if l.synBuf, err = c.Synapses(l.synBuf[:0], s); err != nil {
			return err
		}
		for k := len(l.synBuf) - 1; k >= 0; k-- {
			if l.Dead(l.synBuf[k].Input) {
				if err := c.DestroySynapse(s, k); err != nil {
					return err
				}
				l.synKilled++
			}
		}
		if c.NumSynapsesOf(s) == 0 {
			if err := c.DestroySegment(s); err != nil {
				return err
			}
			l.segKilled++
		}
	}
	return nil
}

// Dead reports whether cell is dead.
func (l *Lesioned) Dead(cell uint32) bool { return l.dead[cell>>6]&(1<<(cell&63)) != 0 }

// NumDead returns the number of dead cells.
func (l *Lesioned) NumDead() int { return l.numDead }

// Removed returns the segments and synapses destroyed by the lesion.
func (l *Lesioned) Removed() (segments, synapses int) { return l.segKilled, l.synKilled }

// Params returns the parameters of the temporal memory.
func (l *Lesioned) Params() htm.Params { return l.p }

// Connections returns the store (read-only).
func (l *Lesioned) Connections() *dendrite.Connections { return l.conns }

// ActiveCells returns the active cells of the last Compute, sorted
// (read-only, valid until the next Compute).
func (l *Lesioned) ActiveCells() []uint32 { return l.active }

// WinnerCells returns the winner cells of the last Compute, sorted.
func (l *Lesioned) WinnerCells() []uint32 { return l.winner }

// PredictiveCells returns the predictive cells after the last Compute.
func (l *Lesioned) PredictiveCells() []uint32 { return l.predictive }

// Anomaly returns the fraction of the last input's columns that held no
// predictive cell.
func (l *Lesioned) Anomaly() float64 { return l.anomaly }

// Iteration returns the number of Compute calls, those of the original
// temporal memory included.
func (l *Lesioned) Iteration() uint64 { return l.iter }

// PredictedColumns appends the columns that hold a predictive cell.
func (l *Lesioned) PredictedColumns(dst []uint32) []uint32 {
	for _, c := range l.predictive {
		col := c / l.k
		if n := len(dst); n == 0 || dst[n-1] != col {
			dst = append(dst, col)
		}
	}
	return dst
}

// Compute runs one time step on the sorted active columns, as
// htm.TemporalMemory.Compute does, with dead cells left out.
func (l *Lesioned) Compute(cols []uint32, learn bool) error {
	prev := int64(-1)
	for _, c := range cols {
		if int64(c) <= prev || int(c) >= l.p.NumColumns {
			return fmt.Errorf("%w: active column %d (previous %d, %d columns)", htm.ErrInput, c, prev, l.p.NumColumns)
		}
		prev = int64(c)
	}
	if err := l.activateCells(cols, learn); err != nil {
		return err
	}
	if err := l.computeSegments(); err != nil {
		return err
	}
	if learn {
		for _, r := range l.activeSegs {
			if err := l.conns.Touch(r.seg); err != nil {
				return err
			}
		}
	}
	for _, c := range l.prevActive {
		l.bitmap[c>>6] &^= 1 << (c & 63)
	}
	for _, c := range l.active {
		l.bitmap[c>>6] |= 1 << (c & 63)
	}
	l.iter++
	return nil
}

func (l *Lesioned) activateCells(cols []uint32, learn bool) error {
	l.prevActive, l.active = l.active, l.prevActive[:0]
	l.prevWinner, l.winner = l.winner, l.prevWinner[:0]
	A, M := l.activeSegs, l.matchingSegs
	k := l.k
	punish := learn && l.p.PredictedSegmentDecrement > 0
	predicted := 0
	i, j, m := 0, 0, 0
	for {
		col := ^uint32(0)
		if i < len(cols) {
			col = cols[i]
		}
		if j < len(A) {
			col = min(col, A[j].cell/k)
		}
		if m < len(M) {
			col = min(col, M[m].cell/k)
		}
		if col == ^uint32(0) {
			break
		}
		j2 := j
		for j2 < len(A) && A[j2].cell/k == col {
			j2++
		}
		m2 := m
		for m2 < len(M) && M[m2].cell/k == col {
			m2++
		}
		var err error
		switch {
		case i < len(cols) && cols[i] == col:
			i++
			if j2 > j {
				predicted++
				err = l.activatePredicted(A[j:j2], learn)
			} else {
				err = l.burst(col, M[m:m2], learn)
			}
		case punish:
			err = l.punish(M[m:m2])
		}
		if err != nil {
			return err
		}
		j, m = j2, m2
	}
	l.anomaly = 0
	if len(cols) > 0 {
		l.anomaly = float64(len(cols)-predicted) / float64(len(cols))
	}
	return nil
}

func (l *Lesioned) valid(r segRef) bool {
	cell, ok := l.conns.CellOf(r.seg)
	return ok && cell == r.cell
}

func (l *Lesioned) activatePredicted(refs []segRef, learn bool) error {
	for _, r := range refs {
		if n := len(l.active); n == 0 || l.active[n-1] != r.cell {
			l.active = append(l.active, r.cell)
			l.winner = append(l.winner, r.cell)
		}
		if learn && l.valid(r) {
			if err := l.learnOn(r.seg, int(r.pot)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *Lesioned) learnOn(s dendrite.Segment, pot int) error {
	c := l.conns
	if _, err := c.AdaptSegment(s, l.bitmap, l.p.PermanenceIncrement, l.p.PermanenceDecrement); err != nil {
		return err
	}
	if n := l.p.MaxNewSynapseCount - pot; n > 0 {
		if _, err := c.GrowSynapses(s, l.prevWinner, n, l.p.InitialPermanence, l.rng); err != nil {
			return err
		}
	}
	if c.NumSynapsesOf(s) == 0 {
		return c.DestroySegment(s)
	}
	return nil
}

// burst activates the live cells of an unpredicted column and picks its
// winner among them; a column without live cells stays silent.
func (l *Lesioned) burst(col uint32, matching []segRef, learn bool) error {
	base := col * l.k
	live := 0
	for c := base; c < base+l.k; c++ {
		if !l.Dead(c) {
			l.active = append(l.active, c)
			live++
		}
	}
	if live == 0 {
		return nil
	}
	best := -1
	for i, r := range matching {
		if (best < 0 || r.pot > matching[best].pot) && l.valid(r) {
			best = i
		}
	}
	var winner uint32
	if best >= 0 {
		r := matching[best]
		winner = r.cell
		if learn {
			if err := l.conns.Touch(r.seg); err != nil {
				return err
			}
			if err := l.learnOn(r.seg, int(r.pot)); err != nil {
				return err
			}
		}
	} else {
		winner = l.leastUsedCell(base)
		if n := min(l.p.MaxNewSynapseCount, len(l.prevWinner)); learn && n > 0 {
			s, err := l.conns.CreateSegment(winner)
			if err != nil {
				return err
			}
			if _, err := l.conns.GrowSynapses(s, l.prevWinner, n, l.p.InitialPermanence, l.rng); err != nil {
				return err
			}
		}
	}
	l.winner = append(l.winner, winner)
	return nil
}

// leastUsedCell returns a live cell of the column with the fewest
// segments, uniformly among ties (the column has a live cell).
func (l *Lesioned) leastUsedCell(base uint32) uint32 {
	fewest, ties := int(^uint(0)>>1), 0
	for c := base; c < base+l.k; c++ {
		if l.Dead(c) {
			continue
		}
		switch n := l.conns.NumSegmentsOf(c); {
		case n < fewest:
			fewest, ties = n, 1
		case n == fewest:
			ties++
		}
	}
	pick := 0
	if ties > 1 {
		pick = l.rng.IntN(ties)
	}
	for c := base; ; c++ {
		if !l.Dead(c) && l.conns.NumSegmentsOf(c) == fewest {
			if pick == 0 {
				return c
			}
			pick--
		}
	}
}

func (l *Lesioned) punish(matching []segRef) error {
	for _, r := range matching {
		if !l.valid(r) {
			continue
		}
		if _, err := l.conns.AdaptSegment(r.seg, l.bitmap, -l.p.PredictedSegmentDecrement, 0); err != nil {
			return err
		}
		if l.conns.NumSynapsesOf(r.seg) == 0 {
			if err := l.conns.DestroySegment(r.seg); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *Lesioned) computeSegments() error {
	actThr, minThr := l.p.ActivationThreshold, l.p.MinThreshold
	if err := l.conns.ComputeActivityOver(&l.act, l.active, actThr, minThr); err != nil {
		return err
	}
	l.activeSegs = l.activeSegs[:0]
	l.matchingSegs = l.matchingSegs[:0]
	for _, s := range l.act.Touched() {
		pot, con := l.act.Counts(s)
		if pot < minThr && con < actThr {
			continue
		}
		cell, _ := l.conns.CellOf(s)
		r := segRef{cell, s, uint32(pot)}
		if con >= actThr {
			l.activeSegs = append(l.activeSegs, r)
		}
		if pot >= minThr {
			l.matchingSegs = append(l.matchingSegs, r)
		}
	}
	slices.SortFunc(l.activeSegs, compareRef)
	slices.SortFunc(l.matchingSegs, compareRef)
	l.predictive = l.predictive[:0]
	for _, r := range l.activeSegs {
		if n := len(l.predictive); n == 0 || l.predictive[n-1] != r.cell {
			l.predictive = append(l.predictive, r.cell)
		}
	}
	return nil
}

// DeadCells draws round(fraction·numCells) distinct cells uniformly with
// rng, sorted.
func DeadCells(numCells int, fraction float64, rng *rand.Rand) ([]uint32, error) {
	if !(fraction >= 0 && fraction <= 1) {
		return nil, fmt.Errorf("sequences: dead fraction %v: must lie in [0, 1]", fraction)
	}
	n := int(math.Round(fraction * float64(numCells)))
	return dendrite.RandomPattern(nil, numCells, n, rng)
}
