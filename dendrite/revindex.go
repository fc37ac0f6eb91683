package dendrite

import "fmt"

// The reverse index: for every input, the list of synapses onto it.
//
// The lists of groupSize consecutive inputs live in one slab, a pair of
// parallel arrays (entries: segment | connected flag; slots: the synapse's
// slot in its segment). Each input owns a block [off, off+size) of its
// group's slab, of which the first n entries are used (rev[in]); the
// blocks of a group are disjoint, and the rest of the slab is holes left
// by blocks that moved. A full block grows by two block classes (about
// 40 %), in place when it is the last one of the slab, and otherwise
// moves to the end of the slab, leaving a hole; when holes make up more
// than half of a slab, or a quarter of a slab that would otherwise have
// to be reallocated, the group is repacked in input order. A synapse
// refers to its entry by its position in the input's list, which neither
// a move nor a repack changes.
const (
	groupShift = 5
	groupSize  = 1 << groupShift
)

type revGroup struct {
	seg  []uint32 // segment | connected flag
	slot []uint32 // slot of the synapse in its segment
	used uint32   // Σ size of the group's inputs' blocks
}

// revList is the block of the reverse list of one input in its group's
// slab. The three fields (nearly always) share a cache line, so that an
// update of a list costs one miss rather than three.
type revList struct {
	off, n, size uint32
}

// revList returns the entries of input in.
func (c *Connections) revList(in uint32) []uint32 {
	r := &c.rev[in]
	return c.revGroups[in>>groupShift].seg[r.off : r.off+r.n]
}

// revRemove deletes entry pos of the list of input in, moving the last
// entry into its place and updating that synapse's back-pointer.
func (c *Connections) revRemove(in, pos uint32) {
	g := &c.revGroups[in>>groupShift]
	r := &c.rev[in]
	off, last := r.off, r.n-1
	if pos != last {
		e, slot := g.seg[off+last], g.slot[off+last]
		g.seg[off+pos], g.slot[off+pos] = e, slot
		c.synRev[c.segOff[e&keyMask]+slot] = pos
	}
	r.n = last
}

// touchRemoveBatch is the number of synapses whose removal touchRemove
// prepares at once.
const touchRemoveBatch = 32

// touchRemove reads the memory that revRemove will need to remove the k
// synapses at arena indices i… (of one segment, so onto distinct inputs):
// their inputs' list bounds, their reverse entries, the lists' last
// entries (which move into their places) and the back-pointers of those.
// Each removal is a chain of dependent cache misses; touching the links of
// all the synapses level by level lets the processor fetch them in
// parallel instead of one chain after the other.
func (c *Connections) touchRemove(i, k uint32) {
	keys, revs := c.synKey[i:i+k], c.synRev[i:i+k]
	var last [touchRemoveBatch]uint32
	var sum uint32
	for j, key := range keys {
		in := key & keyMask
		g := &c.revGroups[in>>groupShift]
		r := &c.rev[in]
		off := r.off
		at := off + r.n - 1
		last[j] = g.seg[at]
		sum += g.slot[at] + g.seg[off+revs[j]]
	}
	for _, e := range last[:len(keys)] {
		sum += c.segOff[e&keyMask]
	}
	c.sink += sum
}

// touchAppend reads the memory that revAppend will need to add an entry
// to the list of each of the inputs (valid indices): the list's bounds and
// the place of the new entry, for all inputs at once (see touchRemove).
func (c *Connections) touchAppend(inputs []uint32) {
	var sum uint32
	for _, in := range inputs {
		g := &c.revGroups[in>>groupShift]
		r := &c.rev[in]
		if at := r.off + r.n; at < uint32(len(g.seg)) {
			sum += g.seg[at] + g.slot[at]
		}
		sum += r.size
	}
	c.sink += sum
}

// revAppend adds entry (e, slot) to the list of input in and returns its
// position.
func (c *Connections) revAppend(in, e, slot uint32) (uint32, error) {
	r := &c.rev[in]
	n := r.n
	if n == r.size {
		if err := c.revGrow(in); err != nil {
			return 0, err
		}
	}
	g := &c.revGroups[in>>groupShift]
	i := r.off + n
	g.seg[i], g.slot[i] = e, slot
	r.n = n + 1
	return n, nil
}

// revGrow gives input in a block two classes (about 40 %) larger.
func (c *Connections) revGrow(in uint32) error {
	gi := in >> groupShift
	g := &c.revGroups[gi]
	n, capOld, offOld := c.rev[in].n, c.rev[in].size, c.rev[in].off
	if uint64(n)+1 > 7<<29 {
		return fmt.Errorf("%w: input %d has %d synapses", ErrFull, in, n)
	}
	// Skip a class: a list that grows keeps growing (under random input
	// every list gains an entry every few dozen steps), and each growth of
	// a block that is not the slab's last moves the whole list.
	capNew := classSize(min(classFor(n+1)+1, numClasses-1))
	end := uint32(len(g.seg))
	inPlace := capOld > 0 && offOld+capOld == end
	need := capNew
	if inPlace {
		need = capNew - capOld
	}
	if uint64(end)+uint64(need) > uint64(cap(g.seg)) {
		// The slab is full. If a quarter of it is holes, lay it out again
		// (giving in its new block) rather than allocate a larger one.
		if holes := end - g.used; holes >= need && holes >= end/4 {
			c.revRepack(gi, in, capNew)
			return nil
		}
	}
	if inPlace {
		if uint64(end)+uint64(need) > MaxArena {
			return fmt.Errorf("%w: reverse index of input %d", ErrFull, in)
		}
		g.seg = growSmall(g.seg, int(need))
		g.slot = growSmall(g.slot, int(need))
	} else {
		if uint64(end)+uint64(need) > MaxArena {
			return fmt.Errorf("%w: reverse index of input %d", ErrFull, in)
		}
		g.seg = growSmall(g.seg, int(need))
		g.slot = growSmall(g.slot, int(need))
		copy(g.seg[end:end+n], g.seg[offOld:offOld+n])
		copy(g.slot[end:end+n], g.slot[offOld:offOld+n])
		c.rev[in].off = end
	}
	g.used += capNew - capOld
	c.rev[in].size = capNew
	if len(g.seg) > 2*int(g.used)+4*groupSize {
		c.revRepack(gi, in, capNew)
	}
	return nil
}

// revRepack lays out the lists of group gi again, in input order and
// without holes; each list gets the smallest block class that holds it
// (none if it is empty), except that input keep gets capacity keepCap.
func (c *Connections) revRepack(gi, keep, keepCap uint32) {
	g := &c.revGroups[gi]
	lo := gi << groupShift
	hi := min(lo+groupSize, c.numInputs)
	capOf := func(in uint32) uint32 {
		if in == keep {
			return keepCap
		}
		if n := c.rev[in].n; n > 0 {
			return classSize(classFor(n))
		}
		return 0
	}
	var total uint32
	for in := lo; in < hi; in++ {
		total += capOf(in)
	}
	// Lay out into scratch space, then copy back into the slab, whose
	// capacity is kept: no allocation once warm.
	seg := growSmall(c.repackSeg[:0], int(total))
	slot := growSmall(c.repackSlot[:0], int(total))
	var off uint32
	for in := lo; in < hi; in++ {
		n, capn := c.rev[in].n, capOf(in)
		if capn == 0 {
			c.rev[in].off, c.rev[in].size = 0, 0
			continue
		}
		o := c.rev[in].off
		copy(seg[off:off+n], g.seg[o:o+n])
		copy(slot[off:off+n], g.slot[o:o+n])
		c.rev[in].off, c.rev[in].size = off, capn
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
			c.rev[in].off, c.rev[in].size = 0, 0
			if n := count[in]; n > 0 {
				c.rev[in].off, c.rev[in].size = total, classSize(classFor(n))
				total += c.rev[in].size
			}
		}
		g := &c.revGroups[gi]
		g.seg, g.slot, g.used = make([]uint32, total), make([]uint32, total), total
	}
}

// growSmall extends x by n zero elements; capacity doubles, from 16. (It
// grew by half before: a store that grows under random input then spent
// an eighth of its step reallocating and copying slabs, and collecting
// the old ones.)
func growSmall(x []uint32, n int) []uint32 {
	if len(x)+n > cap(x) {
		y := make([]uint32, len(x), max(2*cap(x), len(x)+n, 16))
		copy(y, x)
		x = y
	}
	x = x[:len(x)+n]
	clear(x[len(x)-n:])
	return x
}
