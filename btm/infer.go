package btm

import "slices"

// updateInference is the inference update of one step
// (backtracking-tm.md §3): shift, history, phase 1, phase 2, and
// backtracking when either phase reports the input out of sequence.
// Only infPredicted[t−1] of the t−1 states is kept: infActive[t−1] and the
// t−1 confidences are never read by the algorithm.
func (tm *TM) updateInference(cols []uint32) {
	tm.infPredPrev, tm.infPred = tm.infPred, tm.infPredPrev[:0]
	tm.infHist.push(cols)
	if !tm.inferActivate(cols, tm.resetCalled) {
		tm.inferBacktrack()
		return
	}
	if !tm.inferPredict() {
		tm.inferBacktrack()
	}
}

// inferActivate is inference phase 1 (§3, infer_activate): with start
// cells, the start cell of every active column; otherwise the cells of
// infPredicted[t−1] in each active column, or all its cells (a burst) if
// it has none. It reports "in sequence": start cells, or predicted
// columns ≥ 0.5·|A|.
func (tm *TM) inferActivate(cols []uint32, useStart bool) bool {
	// Capacity for every cell of every column up front: a plain append
	// in the loops (push is not inlined), no growth inside them.
	act := reserve(tm.infActive[:0], len(cols)*int(tm.k))
	if useStart {
		for _, c := range cols {
			act = append(act, c*tm.k)
		}
		tm.infActive = act
		return true
	}
	predicted, j := 0, 0
	pp := tm.infPredPrev
	for _, c := range cols {
		lo, hi := c*tm.k, c*tm.k+tm.k
		for j < len(pp) && pp[j] < lo {
			j++
		}
		first := j
		for j < len(pp) && pp[j] < hi {
			act = append(act, pp[j])
			j++
		}
		if j > first {
			predicted++
			continue
		}
		for cell := lo; cell < hi; cell++ {
			act = append(act, cell)
		}
	}
	tm.infActive = act
	return float64(predicted) >= 0.5*float64(len(cols))
}

// overThreshold lists, sorted by (cell, slot), the segments whose count
// in tm.counts is at least theta, and clears the counts. The order is
// that of the keys cell<<32 | slot, sorted as integers (cheaper than a
// comparison function on hits).
func (tm *TM) overThreshold(theta int) []hit {
	keys, counts, segs := reserve(tm.keys[:0], len(tm.touched)), tm.counts, tm.segs
	for _, s := range tm.touched {
		if int(counts[s]) >= theta {
			keys = append(keys, uint64(segs[s].cell)<<32|uint64(s))
		}
	}
	slices.Sort(keys)
	hits := reserve(tm.hits[:0], len(keys))
	for _, k := range keys {
		s := uint32(k)
		hits = append(hits, hit{uint32(k >> 32), s, counts[s]})
	}
	tm.clearCounts()
	tm.keys, tm.hits = keys, hits
	return hits
}

// inferPredict is inference phase 2 (§3, infer_predict). Every segment
// with at least ActivationThreshold active synapses of any permanence
// (its potential activity on infActive[t]) adds its duty cycle (§7) to
// its cell's and column's confidence; if it also has ActivationThreshold
// active connected synapses (permanence ≥ ConnectedPerm), its cell is
// predicted. Confidences are then divided by the sum of the column
// confidences (eq. CONF: Σ_col conf = 1). It reports "in sequence":
// columns with a predicted cell ≥ 0.5·avgInputDensity.
func (tm *TM) inferPredict() bool {
	tm.infPred = tm.infPred[:0]
	tm.colIdx, tm.colVal = tm.colIdx[:0], tm.colVal[:0]
	tm.cellIdx, tm.cellVal = tm.cellIdx[:0], tm.cellVal[:0]
	tm.countActivity(tm.infActive)
	hits := tm.overThreshold(tm.p.ActivationThreshold)
	if len(hits) == 0 {
		return 0 >= 0.5*tm.avgDensity
	}
	// At most one entry per hit in each list.
	n := len(hits)
	tm.infPred, tm.cellIdx, tm.colIdx = reserve(tm.infPred, n), reserve(tm.cellIdx, n), reserve(tm.colIdx, n)
	tm.cellVal, tm.colVal = reserve(tm.cellVal, n), reserve(tm.colVal, n)
	tm.cellBit.setAll(tm.infActive)
	theta, conn := tm.p.ActivationThreshold, tm.p.ConnectedPerm
	predCols := 0
	for _, h := range hits {
		// Only non-zero confidences are recorded (NuPIC's "non-zero
		// colConfidence", §9); a duty cycle underflowing to 0 adds none.
		col := h.cell / tm.k
		if dc := tm.dutyCycle(h.seg, tm.lrnIter, false, false); dc > 0 {
			if n := len(tm.cellIdx); n > 0 && tm.cellIdx[n-1] == h.cell {
				tm.cellVal[n-1] += dc
			} else {
				tm.cellIdx, tm.cellVal = append(tm.cellIdx, h.cell), append(tm.cellVal, dc)
			}
			if n := len(tm.colIdx); n > 0 && tm.colIdx[n-1] == col {
				tm.colVal[n-1] += dc
			} else {
				tm.colIdx, tm.colVal = append(tm.colIdx, col), append(tm.colVal, dc)
			}
		}
		if n := len(tm.infPred); n > 0 && tm.infPred[n-1] == h.cell {
			continue
		}
		c := 0
		for _, y := range tm.segs[h.seg].syn {
			if y.perm >= conn && tm.cellBit.has(y.pre) {
				c++
			}
		}
		if c >= theta {
			if n := len(tm.infPred); n == 0 || tm.infPred[n-1]/tm.k != col {
				predCols++
			}
			tm.infPred = append(tm.infPred, h.cell)
		}
	}
	tm.cellBit.unsetAll(tm.infActive)
	sum := 0.0
	for _, v := range tm.colVal {
		sum += v
	}
	if sum > 0 {
		for i := range tm.colVal {
			tm.colVal[i] /= sum
		}
		for i := range tm.cellVal {
			tm.cellVal[i] /= sum
		}
	}
	return float64(predCols) >= 0.5*tm.avgDensity
}

// inferBacktrack is inference backtracking (§3): for each start k in
// prevInfPatterns, oldest first, replay the inputs from k to now with
// start cells at k; the first k whose replay stays in sequence through
// the current input is chosen and its final state kept (NuPIC computes
// the current input's summed confidence but does not use it). Without a
// surviving start, the bursting state is restored and phase 2 run on it.
// Bad starts and starts up to the chosen one are trimmed from the head of
// the history, and infPredicted[t−1] is restored.
func (tm *TM) inferBacktrack() {
	tm.diag.InfBacktracks++
	tm.saveAct = pushAll(tm.saveAct[:0], tm.infActive)
	tm.savePP = pushAll(tm.savePP[:0], tm.infPredPrev)
	n := tm.infHist.n
	cur := n - 1
	cand := -1
	bad := tm.bad[:n]
	clear(bad)
	for start := range n {
		ok := false
		for off := start; off < n; off++ {
			tm.infPredPrev = pushAll(tm.infPredPrev[:0], tm.infPred)
			if ok = tm.inferActivate(tm.infHist.at(off), off == start); !ok {
				break
			}
			if ok = tm.inferPredict(); !ok {
				break
			}
		}
		if !ok {
			bad[start] = true
			continue
		}
		// The replay's final state is the candidate's; stopping at the
		// first surviving start, it is already installed.
		cand = start
		break
	}
	if cand < 0 {
		tm.infActive = pushAll(tm.infActive[:0], tm.saveAct)
		tm.inferPredict()
	} else if cand < cur {
		tm.diag.InfBacktrackPast++
	}
	for i := range n {
		if !bad[i] && i > cand {
			break
		}
		tm.infHist.popFront()
	}
	tm.infPredPrev = pushAll(tm.infPredPrev[:0], tm.savePP)
}
