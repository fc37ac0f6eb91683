package btm

// updateLearning is the learning update of one step (backtracking-tm.md
// §4): shift, history, the update queue, the PAM and length counters,
// learn phase 1, the restart check with learning backtracking, and learn
// phase 2.
func (tm *TM) updateLearning(cols []uint32) {
	tm.lrnActivePrev, tm.lrnActive = tm.lrnActive, tm.lrnActivePrev[:0]
	tm.lrnPredPrev, tm.lrnPred = tm.lrnPred, tm.lrnPredPrev[:0]
	tm.lrnHist.push(cols)
	tm.processQueue(cols)
	if tm.pamCounter > 0 {
		tm.pamCounter--
	}
	tm.learnedSeqLength++
	if !tm.resetCalled && tm.learnPhase1(cols, false) {
		tm.pamCounter = tm.p.PamLength
	}
	maxSeq := tm.p.MaxSeqLength != 0 && tm.learnedSeqLength >= tm.p.MaxSeqLength
	if tm.resetCalled || tm.pamCounter == 0 || maxSeq {
		tm.restart(cols, maxSeq)
	}
	tm.learnPhase2(false)
}

// restart is §4 D: it records the diagnostic learned length, tries
// learning backtracking (unless after a reset), falls back to the start
// cells of the active columns, and resets the counters and the queue.
func (tm *TM) restart(cols []uint32, maxSeq bool) {
	d := &tm.diag
	switch {
	case tm.resetCalled:
		d.RestartsReset++
	case tm.pamCounter == 0:
		d.RestartsPam++
	default:
		d.RestartsMaxSeq++
	}
	d.LastRestartStep = tm.lrnIter
	// §4 D.1, diagnostic only: EMA of the learned length, α 0.5 for the
	// first 100 iterations then 0.1, minus pamLength on PAM expiry.
	l := float64(tm.learnedSeqLength)
	if tm.pamCounter == 0 && !maxSeq {
		l -= float64(tm.p.PamLength)
	}
	alpha := 0.1
	if tm.lrnIter < 100 {
		alpha = 0.5
	}
	d.AvgLearnedSeqLength = (1-alpha)*d.AvgLearnedSeqLength + alpha*l
	back := 0
	if !tm.resetCalled {
		back = tm.learnBacktrack()
	}
	if tm.resetCalled || back == 0 {
		tm.lrnActive = tm.startCells(tm.lrnActive[:0], cols)
		tm.lrnHist.clear()
	} else {
		d.LrnBacktracks++
	}
	tm.pamCounter = tm.p.PamLength
	tm.learnedSeqLength = back
	tm.queue, tm.qcells = tm.queue[:0], tm.qcells[:0]
}

func (tm *TM) startCells(dst, cols []uint32) []uint32 {
	dst = reserve(dst, len(cols))
	for _, c := range cols {
		dst = append(dst, c*tm.k)
	}
	return dst
}

// processQueue applies the queued updates (§5) whose owner's column is
// active in cols and that are at most segUpdateValidDuration = 1 learning
// iteration old, and empties the queue: with pooling off no update
// survives its first processing, and there is no negative reinforcement.
func (tm *TM) processQueue(cols []uint32) {
	if len(tm.queue) == 0 {
		return
	}
	tm.colBit.setAll(cols)
	for _, u := range tm.queue {
		if u.seg == droppedSeg || tm.lrnIter-u.stamp > 1 {
			continue
		}
		if tm.colBit.has(u.cell / tm.k) {
			tm.applyUpdate(u.seg, tm.qcells[u.off:u.off+u.n])
		}
	}
	tm.colBit.unsetAll(cols)
	tm.queue, tm.qcells = tm.queue[:0], tm.qcells[:0]
}

// learnPhase1 is §4 C. Each active column with exactly one cell in
// lrnPredicted[t−1] makes it its learn cell. Any other column is
// unpredicted; unless readOnly, it learns: its best matching cell (§4
// C.1) reinforces its segment towards lrnActive[t−1] at once, or a cell
// chosen for a new segment (§4 C.3) grows one onto lrnActive[t−1]. The
// step is in sequence iff unpredicted < |A|/2 (integer division, §12).
func (tm *TM) learnPhase1(cols []uint32, readOnly bool) bool {
	tm.lrnActive = reserve(tm.lrnActive[:0], len(cols)) // one cell per column
	unpredicted := 0
	// The counts of bestMatch are taken at the first unpredicted column:
	// only unpredicted columns change segments, so they are those of the
	// start of the step, and a fully predicted step needs none.
	counted := false
	pp, j := tm.lrnPredPrev, 0
	for _, c := range cols {
		lo, hi := c*tm.k, c*tm.k+tm.k
		for j < len(pp) && pp[j] < lo {
			j++
		}
		if j < len(pp) && pp[j] < hi && (j+1 == len(pp) || pp[j+1] >= hi) {
			tm.lrnActive = append(tm.lrnActive, pp[j])
			continue
		}
		unpredicted++
		if readOnly {
			continue
		}
		if !counted {
			tm.countActivity(tm.lrnActivePrev)
			tm.cellBit.setAll(tm.lrnActivePrev)
			counted = true
		}
		cell, seg := tm.bestMatch(lo, hi)
		if seg != freeCell {
			tm.lrnActive = append(tm.lrnActive, cell)
			upd := tm.computeUpdate(seg, tm.lrnActivePrev)
			tm.segs[seg].totAct++
			if len(upd) > 0 {
				tm.applyUpdate(seg, upd)
			}
			continue
		}
		cell = tm.cellForNewSegment(c)
		tm.lrnActive = append(tm.lrnActive, cell)
		if len(tm.lrnActivePrev) > 0 {
			tm.fresh = tm.sample(tm.fresh[:0], tm.lrnActivePrev, tm.p.NewSynapseCount)
			tm.newSegment(cell, tm.fresh)
		}
	}
	if counted {
		tm.cellBit.unsetAll(tm.lrnActivePrev)
		tm.clearCounts()
	}
	return unpredicted < len(cols)/2
}

// bestMatch returns the best matching cell of cells [lo, hi) and its
// segment (freeCell if none), by the counts of countActivity: per cell
// its segment of most active synapses (the first on ties), across cells
// the one whose best count is ≥ the running best, which starts at
// MinThreshold (so the last cell wins ties) (§4 C.1).
func (tm *TM) bestMatch(lo, hi uint32) (uint32, uint32) {
	best := uint32(tm.p.MinThreshold)
	bestCell, bestSeg := uint32(freeCell), uint32(freeCell)
	for cell := lo; cell < hi; cell++ {
		cmax, cseg := uint32(0), uint32(freeCell)
		for _, s := range tm.cellSegs[cell] {
			if n := tm.counts[s]; n > cmax {
				cmax, cseg = n, s
			}
		}
		if cseg != freeCell && cmax >= best {
			best, bestCell, bestSeg = cmax, cell, cseg
		}
	}
	return bestCell, bestSeg
}

// computeUpdate returns the presynaptic cells of an update of segment s
// towards the active cells (whose bits are set in tm.cellBit): the
// segment's synapses from active cells, plus a random sample of the
// active cells not yet on it, up to NewSynapseCount (§4 C.2, E). The
// slice is scratch, valid until the next call.
func (tm *TM) computeUpdate(s uint32, active []uint32) []uint32 {
	syn := tm.segs[s].syn
	upd := reserve(tm.upd[:0], len(syn))
	for _, y := range syn {
		if tm.cellBit.has(y.pre) {
			upd = append(upd, y.pre)
		}
		tm.segBit.set(y.pre)
	}
	if need := tm.p.NewSynapseCount - len(upd); need > 0 {
		cand := reserve(tm.cand[:0], len(active))
		for _, c := range active {
			if !tm.segBit.has(c) {
				cand = append(cand, c)
			}
		}
		tm.cand = cand
		upd = tm.sample(upd, cand, need)
	}
	for _, y := range syn {
		tm.segBit.unset(y.pre)
	}
	tm.upd = upd
	return upd
}

// sample appends to dst min(n, len(from)) distinct elements of from
// chosen uniformly at random (a partial Fisher–Yates shuffle of a copy).
func (tm *TM) sample(dst, from []uint32, n int) []uint32 {
	if n >= len(from) {
		return pushAll(dst, from)
	}
	base := len(dst)
	dst = pushAll(dst, from)
	pool := dst[base:]
	for i := range n {
		j := i + tm.rng.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	return dst[:base+n]
}

// applyUpdate adapts the existing segment s to the update set (§6): its
// activity counters and duty cycle record an active event; synapses from
// cells of the set gain PermanenceInc (capped at PermanenceMax), the
// others lose PermanenceDec and are deleted at ≤ 0; the set's cells not
// yet on the segment become new synapses at InitialPerm, after freeing
// the excess over MaxSynapsesPerSegment (the synapses outside the set of
// lowest permanence first, then those in it). An empty segment is
// deleted. An empty set changes nothing (as in nupic.core, §12).
func (tm *TM) applyUpdate(s uint32, set []uint32) {
	if len(set) == 0 {
		return
	}
	g := &tm.segs[s]
	now := tm.lrnIter
	g.lastActive = now
	g.posAct++
	tm.dutyCycle(s, now, true, false)
	tm.markBit.setAll(set)
	inc, dec, pmax := tm.p.PermanenceInc, tm.p.PermanenceDec, tm.p.PermanenceMax
	kept := g.syn[:0]
	for _, y := range g.syn {
		if tm.markBit.has(y.pre) {
			y.perm = min(y.perm+inc, pmax)
			tm.segBit.set(y.pre) // in the set and on the segment
		} else if y.perm -= dec; y.perm <= 0 {
			tm.unlinkOut(y.pre, s)
			tm.nsyn--
			continue
		}
		kept = append(kept, y)
	}
	fresh := reserve(tm.fresh[:0], len(set))
	for _, c := range set {
		if !tm.segBit.has(c) {
			fresh = append(fresh, c)
		}
	}
	tm.fresh = fresh
	g.syn = kept
	for _, y := range g.syn {
		tm.segBit.unset(y.pre)
	}
	if max := tm.p.MaxSynapsesPerSegment; max != Unlimited && len(g.syn)+len(fresh) > max {
		tm.freeSynapses(s, len(g.syn)+len(fresh)-max)
	}
	tm.markBit.unsetAll(set)
	g.syn = tm.synPool.grow(g.syn, len(fresh))
	for _, c := range fresh {
		g.syn = append(g.syn, synapse{c, tm.p.InitialPerm})
		tm.out[c] = tm.lists.push(tm.out[c], s)
	}
	tm.nsyn += len(fresh)
	if len(g.syn) == 0 {
		tm.deleteSegment(s)
	}
}

// freeSynapses deletes n synapses of segment s: those whose presynaptic
// cell is not marked in tm.markBit, lowest permanence first (the first
// one on ties), then the marked ones likewise (§6 step 4).
func (tm *TM) freeSynapses(s uint32, n int) {
	g := &tm.segs[s]
	for range n {
		pick := -1
		for pass := 0; pass < 2 && pick < 0; pass++ {
			for i, y := range g.syn {
				if tm.markBit.has(y.pre) == (pass == 1) && (pick < 0 || y.perm < g.syn[pick].perm) {
					pick = i
				}
			}
		}
		if pick < 0 {
			return
		}
		tm.unlinkOut(g.syn[pick].pre, s)
		g.syn = append(g.syn[:pick], g.syn[pick+1:]...)
		tm.nsyn--
	}
}

// cellForNewSegment chooses the cell of column c that grows a new segment
// (§4 C.3): a uniformly random non-start cell, among those with fewer
// than MaxSegmentsPerCell segments in fixed-size mode; if all are full,
// the column's segment of lowest duty cycle (the first on ties) is
// deleted and its cell chosen.
func (tm *TM) cellForNewSegment(c uint32) uint32 {
	lo, hi := c*tm.k+1, c*tm.k+tm.k
	if !tm.p.fixedSize() {
		return lo + uint32(tm.rng.IntN(int(hi-lo)))
	}
	cand := reserve(tm.cand[:0], int(hi-lo))
	for cell := lo; cell < hi; cell++ {
		if len(tm.cellSegs[cell]) < tm.p.MaxSegmentsPerCell {
			cand = append(cand, cell)
		}
	}
	tm.cand = cand
	if len(cand) > 0 {
		return cand[tm.rng.IntN(len(cand))]
	}
	// NuPIC starts the minimum at 1.0; a duty cycle can exceed 1 (an
	// update applied again in a backtracking replay), so start at +∞ to
	// always find one.
	var minDC float64
	victim := uint32(freeCell)
	for cell := lo; cell < hi; cell++ {
		for _, s := range tm.cellSegs[cell] {
			if dc := tm.dutyCycle(s, tm.lrnIter, false, false); victim == freeCell || dc < minDC {
				minDC, victim = dc, s
			}
		}
	}
	cell := tm.segs[victim].cell
	tm.deleteSegment(victim)
	return cell
}

// learnPhase2 is §4 E: in every column, the cell of the segment with the
// most synapses from lrnActive[t] (any permanence), at least
// ActivationThreshold, becomes its learn-predicted cell (the highest cell
// wins ties, the first segment within a cell); unless readOnly, an update
// of that segment towards lrnActive[t] is queued for the next step.
func (tm *TM) learnPhase2(readOnly bool) {
	tm.lrnPred = tm.lrnPred[:0]
	tm.countActivity(tm.lrnActive)
	hits := tm.overThreshold(tm.p.ActivationThreshold)
	tm.lrnPred, tm.queue = reserve(tm.lrnPred, len(hits)), reserve(tm.queue, len(hits))
	if !readOnly {
		tm.cellBit.setAll(tm.lrnActive)
	}
	for i := 0; i < len(hits); {
		col := hits[i].cell / tm.k
		best := hits[i]
		for i++; i < len(hits) && hits[i].cell/tm.k == col; i++ {
			if h := hits[i]; h.count > best.count || (h.count == best.count && h.cell > best.cell) {
				best = h
			}
		}
		tm.lrnPred = append(tm.lrnPred, best.cell)
		if readOnly {
			continue
		}
		upd := tm.computeUpdate(best.seg, tm.lrnActive)
		tm.queue = append(tm.queue, update{cell: best.cell, seg: best.seg, stamp: tm.lrnIter,
			off: uint32(len(tm.qcells)), n: uint32(len(upd))})
		tm.qcells = pushAll(tm.qcells, upd)
		tm.segs[best.seg].totAct++
	}
	if !readOnly {
		tm.cellBit.unsetAll(tm.lrnActive)
	}
}

// learnBacktrack is learning backtracking (§4 D.2): the oldest entry of
// prevLrnPatterns (the current input excluded) whose read-only replay
// stays in sequence to now is replayed again with learning; bad starts
// and starts up to the chosen one are trimmed. It returns the back-steps,
// (entries − 1) − start, or 0 (and clears the history) if no start
// survives.
func (tm *TM) learnBacktrack() int {
	n := tm.lrnHist.n
	bad := tm.bad[:max(n, 0)]
	clear(bad)
	start := -1
	for k := 0; k < n-1; k++ {
		if tm.learnBacktrackFrom(k, true) {
			start = k
			break
		}
		bad[k] = true
	}
	if start < 0 {
		tm.lrnHist.clear()
		return 0
	}
	tm.learnBacktrackFrom(start, false)
	for i := range n {
		if !bad[i] && i > start {
			break
		}
		tm.lrnHist.popFront()
	}
	return n - 1 - start
}

// learnBacktrackFrom replays prevLrnPatterns from start to now (§4 D.2):
// start cells at start, then at each later step a shift, (unless
// readOnly) the queue, learn phase 1, and, before the current step, learn
// phase 2. It reports whether the replay stayed in sequence.
func (tm *TM) learnBacktrackFrom(start int, readOnly bool) bool {
	cur := tm.lrnHist.n - 1
	if !readOnly {
		tm.queue, tm.qcells = tm.queue[:0], tm.qcells[:0]
	}
	ok := true
	for off := start; off <= cur; off++ {
		tm.lrnPredPrev = pushAll(tm.lrnPredPrev[:0], tm.lrnPred)
		tm.lrnActivePrev = pushAll(tm.lrnActivePrev[:0], tm.lrnActive)
		cols := tm.lrnHist.at(off)
		if !readOnly {
			tm.processQueue(cols)
		}
		if off == start {
			tm.lrnActive = tm.startCells(tm.lrnActive[:0], cols)
			ok = true
		} else {
			ok = tm.learnPhase1(cols, readOnly)
		}
		if !ok || off == cur {
			break
		}
		tm.learnPhase2(readOnly)
	}
	return ok
}

// globalDecay is §8: every MaxAge learning iterations (if GlobalDecay > 0
// and MaxAge > 0), each segment inactive for more than MaxAge iterations
// loses GlobalDecay on every synapse; synapses at ≤ GlobalDecay are
// deleted, and so are segments left empty.
func (tm *TM) globalDecay() {
	decay, age := tm.p.GlobalDecay, uint64(tm.p.MaxAge)
	if decay <= 0 || age == 0 || tm.lrnIter%age != 0 {
		return
	}
	for s := range tm.segs {
		g := &tm.segs[s]
		if g.cell == freeCell || tm.lrnIter-g.lastActive <= age {
			continue
		}
		kept := g.syn[:0]
		for _, y := range g.syn {
			if y.perm <= decay {
				tm.unlinkOut(y.pre, uint32(s))
				tm.nsyn--
				continue
			}
			y.perm -= decay
			kept = append(kept, y)
		}
		g.syn = kept
		if len(g.syn) == 0 {
			tm.deleteSegment(uint32(s))
		}
	}
}
