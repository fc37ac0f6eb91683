package dendrite

// The split counting of ComputeActivityOver: with two workers, a large
// input's active inputs are cut into two halves of about the same number
// of reverse entries. Each goroutine counts its half into counters of its
// own (narrow, narrow2), without looking at thresholds; once both are
// done, each goroutine reads its half's lists again (now in its core's
// cache) and reports the segments whose summed counters reach a threshold.
// A segment that reaches one has an entry in one half at least, so it is
// reported; duplicates go in the final sort. The result is the same set
// of segments and the same counters as the serial count, whatever the
// halves: the number of workers changes nothing but the time.

// splitEntries is the number of reverse entries from which
// ComputeActivityOver splits the count (below it, the hand-off to
// another goroutine, a few microseconds, costs more than it saves).
const splitEntries = 4096

// splitHelper holds the channels of the hand-off between the calling
// goroutine and the helper of one split count (made once per Activity).
type splitHelper struct {
	counted chan struct{} // the helper has counted its half
	proceed chan struct{} // the caller has counted its half
	done    chan []Segment
	over    []Segment // the helper's segments (reused)
	sink    uint32    // see touchLists
}

// overSplit is the narrow path of ComputeActivityOver on two goroutines;
// act's narrow counters are zeroed for the slots, total is the number of
// entries of the lists of active.
func (c *Connections) overSplit(act *Activity, active []uint32, total int, pt, ct uint16) {
	slots := len(c.segCell)
	if len(act.narrow2) < slots {
		act.narrow2 = grow(act.narrow2, slots-len(act.narrow2))
	}
	h := act.helper
	if h == nil {
		h = &splitHelper{counted: make(chan struct{}, 1), proceed: make(chan struct{}, 1), done: make(chan []Segment, 1)}
		act.helper = h
	}
	// Cut where the first half reaches half of the entries.
	k, sum := 0, 0
	for k < len(active) && 2*sum < total {
		sum += int(c.rev[active[k]].n)
		k++
	}
	cnt, cnt2 := act.narrow[:slots], act.narrow2[:slots]
	act.isSplit = true
	go c.splitHelperRun(h, active[k:], cnt2, cnt, pt, ct, h.over[:0])
	act.sink += c.countNarrow(active[:k], cnt)
	h.proceed <- struct{}{}
	<-h.counted
	over := c.reportNarrow(active[:k], cnt, cnt2, pt, ct, act.touched)
	h.over = <-h.done
	act.touched = append(over, h.over...)
}

// splitHelperRun is the helper's part of overSplit: it clears and counts
// into own, then reports with the caller's counters other.
func (c *Connections) splitHelperRun(h *splitHelper, active []uint32, own, other []uint16, pt, ct uint16, over []Segment) {
	clear(own)
	h.sink += c.countNarrow(active, own)
	h.counted <- struct{}{}
	<-h.proceed
	h.done <- c.reportNarrow(active, own, other, pt, ct, over)
}

// countNarrow adds the reverse lists of the active inputs (valid) to the
// narrow counters cnt, in batches whose memory is requested first, and
// returns the sum of the touches.
func (c *Connections) countNarrow(active []uint32, cnt []uint16) uint32 {
	groups, rev := c.revGroups, c.rev
	var sink uint32
	for len(active) > 0 {
		chunk := active[:min(len(active), touchBatch)]
		active = active[len(chunk):]
		sink += c.touchLists(chunk)
		for _, in := range chunk {
			r := &rev[in]
			countLists(groups[in>>groupShift].seg[r.off:r.off+r.n], cnt)
		}
	}
	return sink
}

// reportNarrow appends to over the segments of the lists of the active
// inputs whose summed counters a[s] + b[s] reach pt (potential) or ct
// (connected, shifted into place), once per entry.
func (c *Connections) reportNarrow(active []uint32, a, b []uint16, pt, ct uint16, over []Segment) []Segment {
	groups, rev := c.revGroups, c.rev
	for _, in := range active {
		r := &rev[in]
		over = reportLists(groups[in>>groupShift].seg[r.off:r.off+r.n], a, b, pt, ct, over)
	}
	return over
}

// countLists adds the entries of list to the narrow counters cnt
// (connected<<8 | potential).
//
//go:noinline
func countLists(list []uint32, cnt []uint16) {
	inc := narrowInc
	for _, e := range list {
		s := e & keyMask
		cnt[s] += inc[e>>31]
	}
}

// reportLists appends the segments of the entries of list whose summed
// counters reach a threshold. The branch is rarely taken.
//
//go:noinline
func reportLists(list []uint32, a, b []uint16, pt, ct uint16, over []Segment) []Segment {
	for _, e := range list {
		s := e & keyMask
		v := a[s] + b[s]
		if v&0xff >= pt || v&0xff00 >= ct {
			over = append(over, Segment(s))
		}
	}
	return over
}
