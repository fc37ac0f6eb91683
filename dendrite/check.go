package dendrite

import (
	"errors"
	"fmt"
	"slices"
)

// ErrInvariant reports an internal inconsistency found by CheckInvariants.
var ErrInvariant = errors.New("dendrite: invariant violated")

// CheckInvariants verifies the internal consistency of c: segment slots,
// per-cell lists, the least-recently-used order, the synapse arena and
// its free blocks, connected flags, and that the reverse index holds
// exactly one correct entry per synapse. It costs O(slots + arena +
// synapses) and is meant for tests and debugging; a nil result on every
// state reachable through the API is part of the package's contract.
func (c *Connections) CheckInvariants() error {
	if c == nil {
		return ErrNotInitialized
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvariant}, args...)...)
	}
	slots := len(c.segCell)
	for _, x := range [][]uint32{c.segOff, c.segLen, c.segPrev, c.segNext} {
		if len(x) != slots {
			return bad("segment arrays of unequal length")
		}
	}
	if len(c.segClass) != slots || len(c.segUsed) != slots {
		return bad("segment arrays of unequal length")
	}
	if len(c.synPerm) != len(c.synKey) || len(c.synRev) != len(c.synKey) {
		return bad("arena arrays of unequal length")
	}
	arena := len(c.synKey)
	owner := make([]uint32, arena) // 0 free, s+1 owned by segment s, noCell free block
	claim := func(off uint32, class uint8, who uint32) error {
		if class >= numClasses || int(off)+int(classSize(class)) > arena {
			return bad("block %d of class %d outside the arena of %d", off, class, arena)
		}
		for i := off; i < off+classSize(class); i++ {
			if owner[i] != 0 {
				return bad("arena index %d claimed twice", i)
			}
			owner[i] = who
		}
		return nil
	}
	free := make([]bool, slots)
	for _, s := range c.freeSegs {
		if int(s) >= slots || free[s] || c.segCell[s] != noCell {
			return bad("free list entry %d", s)
		}
		free[s] = true
	}
	live, syn := 0, 0
	for s := range slots {
		cell := c.segCell[s]
		if cell == noCell {
			if !free[s] {
				return bad("free slot %d not in the free list", s)
			}
			continue
		}
		live++
		if int(cell) >= c.cfg.NumCells {
			return bad("segment %d owned by cell %d", s, cell)
		}
		if _, ok := slices.BinarySearch(c.cellSegs[cell], Segment(s)); !ok {
			return bad("segment %d missing from cell %d", s, cell)
		}
		n := c.segLen[s]
		if c.segClass[s] == noClass {
			if n != 0 || c.segOff[s] != 0 {
				return bad("segment %d: %d synapses without a block", s, n)
			}
		} else if n > classSize(c.segClass[s]) {
			return bad("segment %d: %d synapses in a block of %d", s, n, classSize(c.segClass[s]))
		}
		if m := c.cfg.MaxSynapsesPerSegment; m > 0 && int(n) > m {
			return bad("segment %d: %d synapses > max %d", s, n, m)
		}
		if c.segUsed[s] == 0 || c.segUsed[s] > c.clock {
			return bad("segment %d: last use %d, clock %d", s, c.segUsed[s], c.clock)
		}
		if c.segClass[s] != noClass {
			if err := claim(c.segOff[s], c.segClass[s], uint32(s)+1); err != nil {
				return err
			}
		}
		off := c.segOff[s]
		seen := map[uint32]bool{}
		for k := range n {
			i := off + k
			key := c.synKey[i]
			in := key & keyMask
			if in >= c.numInputs {
				return bad("segment %d slot %d: input %d", s, k, in)
			}
			if seen[in] {
				return bad("segment %d: two synapses onto input %d", s, in)
			}
			seen[in] = true
			p := c.synPerm[i]
			if !(p >= 0 && p <= 1) {
				return bad("segment %d slot %d: permanence %v", s, k, p)
			}
			if (key&flagBit != 0) != (p >= c.connThr) {
				return bad("segment %d slot %d: connected flag wrong", s, k)
			}
			r := c.synRev[i]
			g := &c.revGroups[in>>groupShift]
			if r >= c.rev[in].n || g.seg[c.rev[in].off+r] != uint32(s)|key&flagBit || g.slot[c.rev[in].off+r] != k {
				return bad("segment %d slot %d: reverse entry wrong", s, k)
			}
		}
		syn += int(n)
	}
	if live != c.live || syn != c.numSyn {
		return bad("counts: %d live (%d recorded), %d synapses (%d recorded)", live, c.live, syn, c.numSyn)
	}
	if len(c.freeSegs) != slots-live {
		return bad("free list of %d for %d free slots", len(c.freeSegs), slots-live)
	}
	if m := c.cfg.MaxSegments; m > 0 && live > m {
		return bad("%d live segments > max %d", live, m)
	}
	for class := range c.freeBlock {
		for _, off := range c.freeBlock[class] {
			if err := claim(off, uint8(class), noCell); err != nil {
				return err
			}
		}
	}
	if len(c.rev) != int(c.numInputs) ||
		len(c.revGroups) != (int(c.numInputs)+groupSize-1)/groupSize {
		return bad("reverse index arrays of wrong length")
	}
	total := 0
	for gi := range c.revGroups {
		g := &c.revGroups[gi]
		if len(g.slot) != len(g.seg) {
			return bad("group %d: slab arrays of unequal length", gi)
		}
		owned := make([]bool, len(g.seg))
		var used uint32
		lo := uint32(gi) << groupShift
		for in := lo; in < min(lo+groupSize, c.numInputs); in++ {
			n, off, capn := c.rev[in].n, c.rev[in].off, c.rev[in].size
			if n > capn || int(off)+int(capn) > len(g.seg) || (capn == 0 && off != 0) {
				return bad("input %d: %d entries, block [%d, +%d) in a slab of %d", in, n, off, capn, len(g.seg))
			}
			for i := off; i < off+capn; i++ {
				if owned[i] {
					return bad("input %d: block overlaps another in group %d", in, gi)
				}
				owned[i] = true
			}
			used += capn
			total += int(n)
			for pos := range n {
				e, slot := g.seg[off+pos], g.slot[off+pos]
				seg := e & keyMask
				if !c.isLive(Segment(seg)) || slot >= c.segLen[seg] {
					return bad("reverse entry %d of input %d: segment %d slot %d", pos, in, seg, slot)
				}
				i := c.segOff[seg] + slot
				if c.synKey[i] != in|e&flagBit || c.synRev[i] != pos {
					return bad("reverse entry %d of input %d does not match its synapse", pos, in)
				}
			}
		}
		if used != g.used || len(g.seg) > 2*int(used)+4*groupSize+int(classSize(classFor(uint32(len(g.seg)+1)))) {
			return bad("group %d: %d of %d slab entries used (recorded %d)", gi, used, len(g.seg), g.used)
		}
	}
	if total != syn {
		return bad("reverse index holds %d entries for %d synapses", total, syn)
	}
	cells := 0
	if len(c.cellNum) != len(c.cellSegs) {
		return bad("per-cell arrays of unequal length")
	}
	for cell, list := range c.cellSegs {
		if int(c.cellNum[cell]) != len(list) {
			return bad("cell %d: %d segments counted, %d listed", cell, c.cellNum[cell], len(list))
		}
		if m := c.cfg.MaxSegmentsPerCell; m > 0 && len(list) > m {
			return bad("cell %d has %d segments > max %d", cell, len(list), m)
		}
		for i, s := range list {
			if !c.isLive(s) || c.segCell[s] != uint32(cell) || (i > 0 && list[i-1] >= s) {
				return bad("segment list of cell %d", cell)
			}
		}
		cells += len(list)
	}
	if cells != live {
		return bad("per-cell lists hold %d segments, %d live", cells, live)
	}
	n, prev := 0, noSeg
	var last uint64
	for s := c.lruHead; s != noSeg; s = c.segNext[s] {
		if int(s) >= slots || c.segCell[s] == noCell || c.segPrev[s] != prev || n > live {
			return bad("LRU list broken at %d", s)
		}
		if n > 0 && c.segUsed[s] <= last {
			return bad("LRU list out of order at %d", s)
		}
		last = c.segUsed[s]
		prev = s
		n++
	}
	if n != live || c.lruTail != prev {
		return bad("LRU list holds %d of %d segments", n, live)
	}
	return nil
}
