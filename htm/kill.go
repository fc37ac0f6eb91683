package htm

import (
	"fmt"
	"slices"

	"github.com/dendritic/dendritic/dendrite"
)

// KillCells kills cells (a lesion): from now on a dead cell does not
// exist for the algorithm. The cells may come in any order; duplicates and
// cells already dead are ignored. A cell not below NumCells gives an error
// wrapping ErrInput and changes nothing. KillCells returns the number of
// segments and synapses it destroyed.
//
//   - Every segment of a dead cell and every synapse onto a dead cell is
//     destroyed, and so is a segment left without synapses. The dead cells
//     leave the current active and winner cells, and the predictions are
//     recomputed from the remaining active cells (so an active column may
//     be left without a winner cell until the next Compute).
//   - A dead cell never becomes active: a bursting column activates only
//     its live cells, and a column whose cells are all dead has no active
//     and no winner cell (it counts as unpredicted for the anomaly).
//   - A dead cell is never a winner: the least-used cell that grows a new
//     segment is chosen among the live cells. Since segments grow only on
//     winner cells and synapses only towards winner cells, a dead cell
//     never has a segment, nor a synapse onto it, again; so it is never
//     predictive either.
//
// Dead cells stay dead: MarshalBinary stores them (see the format in
// codec.go), and Reset keeps them. A TemporalMemory that never had a cell
// killed behaves exactly as before KillCells existed (its encoding has an
// empty dead list).
func (tm *TemporalMemory) KillCells(cells []uint32) (segments, synapses int, err error) {
	for _, c := range cells {
		if c >= tm.cells {
			return 0, 0, fmt.Errorf("%w: cell %d killed, of %d cells", ErrInput, c, tm.cells)
		}
	}
	if len(cells) == 0 {
		return 0, 0, nil
	}
	if tm.dead == nil {
		tm.dead = make([]uint64, (tm.cells+63)/64)
	}
	for _, c := range cells {
		if !tm.IsDead(c) {
			tm.dead[c>>6] |= 1 << (c & 63)
			tm.numDead++
		}
	}
	// The order of destruction is fixed (segment identifiers are reused
	// from the free list): first the segments of the dead cells, by cell;
	// then, by segment slot, the synapses onto dead cells, last first, and
	// the segments they leave empty.
	c := tm.conns
	var segs []dendrite.Segment
	for cell := range tm.cells {
		if !tm.IsDead(cell) {
			continue
		}
		segs = append(segs[:0], c.SegmentsOf(cell)...)
		for _, s := range segs {
			if err := c.DestroySegment(s); err != nil {
				return segments, synapses, internal(err)
			}
			segments++
		}
	}
	var syn []dendrite.Synapse
	for i := range c.SegmentSlots() {
		s := dendrite.Segment(i)
		if _, ok := c.CellOf(s); !ok {
			continue
		}
		if syn, err = c.Synapses(syn[:0], s); err != nil {
			return segments, synapses, internal(err)
		}
		for k := len(syn) - 1; k >= 0; k-- {
			if tm.IsDead(syn[k].Input) {
				if err := c.DestroySynapse(s, k); err != nil {
					return segments, synapses, internal(err)
				}
				synapses++
			}
		}
		if c.NumSynapsesOf(s) == 0 {
			if err := c.DestroySegment(s); err != nil {
				return segments, synapses, internal(err)
			}
			segments++
		}
	}
	for _, c := range tm.active {
		if tm.IsDead(c) {
			tm.bitmap[c>>6] &^= 1 << (c & 63)
		}
	}
	tm.active = slices.DeleteFunc(tm.active, tm.IsDead)
	tm.winner = slices.DeleteFunc(tm.winner, tm.IsDead)
	return segments, synapses, tm.computeSegments()
}

// IsDead reports whether cell was killed by KillCells.
func (tm *TemporalMemory) IsDead(cell uint32) bool {
	if tm == nil || tm.conns == nil {
		return false
	}
	return tm.dead != nil && cell < tm.cells && tm.dead[cell>>6]&(1<<(cell&63)) != 0
}

// NumDead returns the number of dead cells.
func (tm *TemporalMemory) NumDead() int {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return tm.numDead
}

// DeadCells appends the dead cells to dst, in increasing order.
func (tm *TemporalMemory) DeadCells(dst []uint32) []uint32 {
	if tm == nil || tm.conns == nil {
		return dst
	}
	if tm.dead == nil {
		return dst
	}
	for c := range tm.cells {
		if tm.IsDead(c) {
			dst = append(dst, c)
		}
	}
	return dst
}

// activateLive activates the live cells of the column starting at base
// and reports whether it has any.
func (tm *TemporalMemory) activateLive(base uint32) bool {
	n := len(tm.active)
	for c := base; c < base+tm.k; c++ {
		if !tm.IsDead(c) {
			tm.active = append(tm.active, c)
		}
	}
	return len(tm.active) > n
}
