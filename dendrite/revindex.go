package dendrite

import "fmt"

// The reverse index: for every input, the list of synapses onto it.
//
// The lists of groupSize consecutive inputs live in one slab, a pair of
// parallel arrays (entries: segment | connected flag; slots: the synapse's
// slot in its segment). Each input owns a block [revOff, revOff+revCap)
// of its group's slab, of which the first revLen entries are used; the
// blocks of a group are disjoint, and the rest of the slab is holes left
// by blocks that moved. A full block grows in place when it is the last
// one of the slab, and otherwise moves to the end of the slab, leaving a
// hole; when holes make up more than half of a slab, the group is
// repacked in input order. A synapse refers to its entry by its position
// in the input's list, which neither a move nor a repack changes.
const (
	groupShift = 5
	groupSize  = 1 << groupShift
)

type revGroup struct {
	seg  []uint32 // segment | connected flag
	slot []uint32 // slot of the synapse in its segment
	used uint32   // Σ revCap of the group's inputs
}

// revList returns the entries of input in.
func (c *Connections) revList(in uint32) []uint32 {
	off := c.revOff[in]
	return c.revGroups[in>>groupShift].seg[off : off+c.revLen[in]]
}

// revRemove deletes entry pos of the list of input in, moving the last
// entry into its place and updating that synapse's back-pointer.
func (c *Connections) revRemove(in, pos uint32) {
	g := &c.revGroups[in>>groupShift]
	off := c.revOff[in]
	last := c.revLen[in] - 1
	if pos != last {
		e, slot := g.seg[off+last], g.slot[off+last]
		g.seg[off+pos], g.slot[off+pos] = e, slot
		c.synRev[c.segOff[e&keyMask]+slot] = pos
	}
	c.revLen[in] = last
}

// revAppend adds entry (e, slot) to the list of input in and returns its
// position.
func (c *Connections) revAppend(in, e, slot uint32) (uint32, error) {
	n := c.revLen[in]
	if n == c.revCap[in] {
		if err := c.revGrow(in); err != nil {
			return 0, err
		}
	}
	g := &c.revGroups[in>>groupShift]
	i := c.revOff[in] + n
	g.seg[i], g.slot[i] = e, slot
	c.revLen[in] = n + 1
	return n, nil
}

// revGrow gives input in a block about a quarter larger.
func (c *Connections) revGrow(in uint32) error {
	gi := in >> groupShift
	g := &c.revGroups[gi]
	n, capOld, offOld := c.revLen[in], c.revCap[in], c.revOff[in]
	if uint64(n)+1 > 7<<29 {
		return fmt.Errorf("%w: input %d has %d synapses", ErrFull, in, n)
	}
	capNew := classSize(classFor(n + 1))
	end := uint32(len(g.seg))
	if capOld > 0 && offOld+capOld == end {
		if uint64(end)+uint64(capNew-capOld) > MaxArena {
			return fmt.Errorf("%w: reverse index of input %d", ErrFull, in)
		}
		g.seg = growSmall(g.seg, int(capNew-capOld))
		g.slot = growSmall(g.slot, int(capNew-capOld))
	} else {
		if uint64(end)+uint64(capNew) > MaxArena {
			return fmt.Errorf("%w: reverse index of input %d", ErrFull, in)
		}
		g.seg = growSmall(g.seg, int(capNew))
		g.slot = growSmall(g.slot, int(capNew))
		copy(g.seg[end:end+n], g.seg[offOld:offOld+n])
		copy(g.slot[end:end+n], g.slot[offOld:offOld+n])
		c.revOff[in] = end
	}
	g.used += capNew - capOld
	c.revCap[in] = capNew
	if len(g.seg) > 2*int(g.used)+4*groupSize {
		c.revRepack(gi, in)
	}
	return nil
}

// revRepack lays out the lists of group gi again, in input order and
// without holes; each list gets the smallest block class that holds it
// (none if it is empty), except that input keep keeps its capacity.
func (c *Connections) revRepack(gi, keep uint32) {
	g := &c.revGroups[gi]
	lo := gi << groupShift
	hi := min(lo+groupSize, c.numInputs)
	capOf := func(in uint32) uint32 {
		if in == keep {
			return c.revCap[in]
		}
		if n := c.revLen[in]; n > 0 {
			return classSize(classFor(n))
		}
		return 0
	}
	var total uint32
	for in := lo; in < hi; in++ {
		total += capOf(in)
	}
	// Lay out into scratch space, then copy back into the slab, whose
	// capacity (at least twice total) is kept: no allocation once warm.
	seg := growSmall(c.repackSeg[:0], int(total))
	slot := growSmall(c.repackSlot[:0], int(total))
	var off uint32
	for in := lo; in < hi; in++ {
		n, capn := c.revLen[in], capOf(in)
		if capn == 0 {
			c.revOff[in], c.revCap[in] = 0, 0
			continue
		}
		o := c.revOff[in]
		copy(seg[off:off+n], g.seg[o:o+n])
		copy(slot[off:off+n], g.slot[o:o+n])
		c.revOff[in], c.revCap[in] = off, capn
		off += capn
	}
	g.seg = append(g.seg[:0], seg...)
	g.slot = append(g.slot[:0], slot...)
	g.used = total
	c.repackSeg, c.repackSlot = seg, slot
}

// revReserve lays out every group for the given list lengths (used when
// decoding): each list gets the smallest block class that holds it.
func (c *Connections) revReserve(count []uint32) {
	for gi := range c.revGroups {
		lo := uint32(gi) << groupShift
		hi := min(lo+groupSize, c.numInputs)
		var total uint32
		for in := lo; in < hi; in++ {
			c.revOff[in], c.revCap[in] = 0, 0
			if n := count[in]; n > 0 {
				c.revOff[in], c.revCap[in] = total, classSize(classFor(n))
				total += c.revCap[in]
			}
		}
		g := &c.revGroups[gi]
		g.seg, g.slot, g.used = make([]uint32, total), make([]uint32, total), total
	}
}

// growSmall extends x by n zero elements; capacity grows by half, from 16.
func growSmall(x []uint32, n int) []uint32 {
	if len(x)+n > cap(x) {
		y := make([]uint32, len(x), max(cap(x)+cap(x)/2, len(x)+n, 16))
		copy(y, x)
		x = y
	}
	x = x[:len(x)+n]
	clear(x[len(x)-n:])
	return x
}
