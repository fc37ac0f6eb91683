package btm

import (
	"math"
	"slices"
)

// freeCell marks a free segment slot.
const freeCell = math.MaxUint32

// droppedSeg marks a queued update whose segment was deleted.
const droppedSeg = math.MaxUint32

// synapse is one synapse of a segment: its presynaptic cell and its
// permanence. A synapse whose permanence falls to 0 or below is deleted
// (backtracking-tm.md §1).
type synapse struct {
	pre  uint32
	perm float32
}

// segment is a distal segment (backtracking-tm.md §1). All of them are
// sequence segments (pooling is off).
type segment struct {
	cell       uint32 // owner; freeCell for a free slot
	syn        []synapse
	lastActive uint64 // learning iteration of the last applied update
	posAct     uint64 // positiveActivations, from 1
	totAct     uint64 // totalActivations, from 1
	dcLast     float64
	dcIter     uint64 // iteration at which dcLast was computed
}

// Duty-cycle tiers and their EMA rates (backtracking-tm.md §7): above
// dcTiers[i] (i ≥ 1) the rate is dcAlphas[i].
var (
	dcTiers  = [...]uint64{0, 100, 320, 1000, 3200, 10000, 32000, 100000, 320000}
	dcAlphas = [...]float64{0, 0.0032, 0.0010, 0.00032, 0.0001, 0.000032, 0.00001, 0.0000032, 0.000001}
)

// atTier reports whether iteration is a tier boundary (§2 step 2).
func atTier(iteration uint64) bool {
	for _, t := range dcTiers {
		if t == iteration {
			return true
		}
	}
	return false
}

// dutyCycle returns the positive-activation duty cycle of segment s at
// iteration (backtracking-tm.md §7, eq. DC):
//
//	iteration ≤ 100: dc = positiveActivations / iteration
//	otherwise:       dc = (1−α)^age · dc_last (+ α for an active event),
//
// age = iteration − the iteration of dc_last, α the rate of the tier
// iteration lies above. Unless readOnly, the result is cached.
func (tm *TM) dutyCycle(s uint32, iteration uint64, active, readOnly bool) float64 {
	g := &tm.segs[s]
	if iteration <= dcTiers[1] {
		if iteration == 0 {
			return g.dcLast
		}
		dc := float64(g.posAct) / float64(iteration)
		if !readOnly {
			g.dcLast, g.dcIter = dc, iteration
		}
		return dc
	}
	age := iteration - g.dcIter
	if age == 0 && !active {
		return g.dcLast
	}
	alpha := 0.0
	for i := len(dcTiers) - 1; i > 0; i-- {
		if iteration > dcTiers[i] {
			alpha = dcAlphas[i]
			break
		}
	}
	dc := math.Pow(1-alpha, float64(age)) * g.dcLast
	if active {
		dc += alpha
	}
	if !readOnly {
		g.dcLast, g.dcIter = dc, iteration
	}
	return dc
}

// newSegment creates a segment on cell with synapses onto pres at
// InitialPerm (backtracking-tm.md §6, new segment) and returns its slot.
// A free slot is reused last-in first-out.
func (tm *TM) newSegment(cell uint32, pres []uint32) uint32 {
	var s uint32
	if n := len(tm.free); n > 0 {
		s = tm.free[n-1]
		tm.free = tm.free[:n-1]
	} else {
		s = uint32(len(tm.segs))
		// Doubling (append grows large slices by 1.25×) keeps the
		// number of reallocations of a growing store logarithmic.
		if len(tm.segs) == cap(tm.segs) {
			tm.segs = slices.Grow(tm.segs, max(len(tm.segs), 64))
			tm.counts = slices.Grow(tm.counts, cap(tm.segs)-len(tm.counts))
		}
		tm.segs = append(tm.segs, segment{})
		tm.counts = append(tm.counts, 0)
	}
	g := &tm.segs[s]
	now := tm.lrnIter
	// A reused slot keeps its synapse block (deleteSegment).
	*g = segment{cell: cell, syn: tm.synPool.grow(g.syn[:0], len(pres)), lastActive: now, posAct: 1, totAct: 1, dcIter: now}
	if now > 0 {
		g.dcLast = 1 / float64(now)
	}
	for _, pre := range pres {
		g.syn = append(g.syn, synapse{pre, tm.p.InitialPerm})
		tm.out[pre] = tm.lists.push(tm.out[pre], s)
	}
	tm.nsyn += len(pres)
	tm.nseg++
	// Keep the cell's list sorted by slot: "the first segment" of a cell
	// is the one of lowest slot, a canonical order the encoding need not
	// store.
	list := tm.cellSegs[cell]
	i := len(list)
	for i > 0 && list[i-1] > s {
		i--
	}
	list = tm.lists.push(list, 0)
	copy(list[i+1:], list[i:])
	list[i] = s
	tm.cellSegs[cell] = list
	return s
}

// deleteSegment frees segment s: its synapses leave the reverse index,
// queued updates for it are dropped (§5), and its slot goes on the free
// list, keeping its synapse block for the next segment of the slot.
func (tm *TM) deleteSegment(s uint32) {
	g := &tm.segs[s]
	for _, y := range g.syn {
		tm.unlinkOut(y.pre, s)
	}
	tm.nsyn -= len(g.syn)
	tm.nseg--
	list := tm.cellSegs[g.cell]
	for i, x := range list {
		if x == s {
			tm.cellSegs[g.cell] = append(list[:i], list[i+1:]...)
			break
		}
	}
	for i := range tm.queue {
		if tm.queue[i].seg == s {
			tm.queue[i].seg = droppedSeg
		}
	}
	g.cell = freeCell
	g.syn = g.syn[:0]
	tm.free = push(tm.free, s)
}

// unlinkOut removes segment s from the reverse index of cell pre. The
// order of a reverse list never influences a result (see countActivity).
func (tm *TM) unlinkOut(pre, s uint32) {
	list := tm.out[pre]
	for i, x := range list {
		if x == s {
			last := len(list) - 1
			list[i] = list[last]
			tm.out[pre] = list[:last]
			return
		}
	}
}

// countActivity counts, for every segment with a synapse from one of
// cells, the number of such synapses (its potential activity on cells,
// whatever the permanences) into tm.counts, and lists those segments in
// tm.touched. It walks the reverse index, so its cost is the number of
// synapses from cells. clearCounts must follow before the next call. The
// touched order depends on the reverse index's order, so every caller
// either reads counts by segment or sorts what it collects.
func (tm *TM) countActivity(cells []uint32) {
	// Every slot is listed at most once, so a buffer of len(segs) slots
	// holds any touched list, and the list grows without a branch: each
	// slot is written at the end and kept (m advances) only on its first
	// count. Locals keep the compiler from reloading tm's fields.
	if cap(tm.touched) <= len(tm.segs) { // one spare: the write past the last slot
		tm.touched = append(make([]uint32, 0, 2*len(tm.segs)+1), tm.touched...)
	}
	counts, out := tm.counts, tm.out
	m, buf := len(tm.touched), tm.touched[:cap(tm.touched)]
	for _, c := range cells {
		for _, s := range out[c] {
			n := counts[s]
			buf[m] = s
			m += int((n - 1) >> 31) // 1 iff n == 0 (counts stay below 2³¹)
			counts[s] = n + 1
		}
	}
	tm.touched = buf[:m]
}

func (tm *TM) clearCounts() {
	counts := tm.counts
	for _, s := range tm.touched {
		counts[s] = 0
	}
	tm.touched = tm.touched[:0]
}

// bitmap is a set of cells or columns.
type bitmap []uint64

func (b bitmap) has(i uint32) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b bitmap) set(i uint32)      { b[i>>6] |= 1 << (i & 63) }
func (b bitmap) unset(i uint32)    { b[i>>6] &^= 1 << (i & 63) }
func (b bitmap) setAll(list []uint32) {
	for _, i := range list {
		b.set(i)
	}
}
func (b bitmap) unsetAll(list []uint32) {
	for _, i := range list {
		b.unset(i)
	}
}

// history is a bounded queue of past active-column sets
// (prevInfPatterns, prevLrnPatterns, backtracking-tm.md §1), a ring of
// reused buffers.
type history struct {
	buf      [][]uint32
	start, n int
	width    int // the capacity widen gave every slot
}

func newHistory(max int) history {
	if max == 0 {
		return history{}
	}
	return history{buf: make([][]uint32, max+1)}
}

func (h *history) at(i int) []uint32 { return h.buf[(h.start+i)%len(h.buf)] }

// push appends cols, first dropping the oldest entry when the history
// holds more than max = len(buf)−1 entries (§1).
func (h *history) push(cols []uint32) {
	if len(h.buf) == 0 {
		return
	}
	if h.n > len(h.buf)-1 {
		h.popFront()
	}
	i := (h.start + h.n) % len(h.buf)
	if cap(h.buf[i]) < len(cols) {
		h.widen(len(cols))
	}
	h.buf[i] = append(h.buf[i][:0], cols...)
	h.n++
}

// widen gives every slot a capacity of at least n, at least doubling the
// common width, in one allocation: a deep slot, first used long after the
// others (a long in-sequence run), then does not allocate.
func (h *history) widen(n int) {
	w := max(n, 2*h.width)
	for _, b := range h.buf {
		w = max(w, len(b)) // a decoded entry (pushOwned) may be longer
	}
	mem := make([]uint32, len(h.buf)*w)
	for j := range h.buf {
		h.buf[j] = append(mem[j*w:j*w:(j+1)*w], h.buf[j]...)
	}
	h.width = w
}

// pushOwned appends cols, which the history takes over, to a history
// holding fewer than len(buf) entries (the decoder's path: it allocates
// nothing beyond the decoded lists).
func (h *history) pushOwned(cols []uint32) {
	h.buf[(h.start+h.n)%len(h.buf)] = cols
	h.n++
}

func (h *history) popFront() {
	h.start = (h.start + 1) % len(h.buf)
	h.n--
}

func (h *history) clear() { h.start, h.n = 0, 0 }
