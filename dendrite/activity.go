package dendrite

import (
	"fmt"
	"slices"
	"sync"
)

// Activity is the response of every segment of a Connections to one input:
// for each segment, the number of its synapses onto active inputs
// (potential, whatever their permanence) and the number of those that are
// connected. Compute it with ComputeActivity or ComputeActivityDense; the
// zero value is ready to use, and an Activity reused across calls
// allocates nothing once its buffers have grown.
//
// A segment is active (it fires an NMDA spike) when Connected ≥ θ, the
// activation threshold, and matching when Potential ≥ the (lower) matching
// threshold: a matching segment is close enough to the input to learn it.
//
// The result describes the segments as they were when it was computed: a
// segment destroyed since then, or a new one in its slot, is not updated.
type Activity struct {
	// cnt holds per segment slot gen<<48 | connected<<24 | potential; an
	// entry whose generation is not gen is zero. Stamping the generation
	// spares a pass that would reset the previous result.
	cnt     []uint64
	gen     uint64
	touched []Segment
	parts   [][]Segment // per-worker touched lists of the dense kernel
}

const (
	genShift = 48
	conShift = 24
	cntMask  = 1<<24 - 1
)

// begin starts a new computation for slots segment slots and returns its
// generation stamp, shifted into place.
func (a *Activity) begin(slots int) uint64 {
	if slots > len(a.cnt) {
		a.cnt = grow(a.cnt, slots-len(a.cnt))
	}
	a.gen++
	if a.gen >= 1<<16 { // wrapped: forget every old stamp
		clear(a.cnt)
		a.gen = 1
	}
	a.touched = a.touched[:0]
	return a.gen << genShift
}

// get returns the counters of s in the current generation.
func (a *Activity) get(s Segment) uint64 {
	if int(s) >= len(a.cnt) {
		return 0
	}
	v := a.cnt[s]
	if v>>genShift != a.gen {
		return 0
	}
	return v
}

// Potential returns the number of synapses of s onto active inputs.
func (a *Activity) Potential(s Segment) int { return int(a.get(s) & cntMask) }

// Connected returns the number of connected synapses of s onto active
// inputs.
func (a *Activity) Connected(s Segment) int { return int(a.get(s) >> conShift & cntMask) }

// Counts returns Potential(s) and Connected(s) together.
func (a *Activity) Counts(s Segment) (potential, connected int) {
	v := a.get(s)
	return int(v & cntMask), int(v >> conShift & cntMask)
}

// Touched returns the segments with at least one synapse onto an active
// input. After ComputeActivity they come in the order in which they were
// first reached; after ComputeActivityDense, in increasing order; after
// ComputeActivityOver, only those that reached a threshold, in increasing
// order. The slice is the Activity's own (read-only, valid until the next
// computation).
func (a *Activity) Touched() []Segment { return a.touched }

// AppendActive appends to dst the touched segments with at least theta
// connected active synapses (theta ≥ 1), in the order of Touched.
func (a *Activity) AppendActive(dst []Segment, theta int) []Segment {
	t := uint64(max(theta, 1))
	for _, s := range a.touched {
		if a.cnt[s]>>conShift&cntMask >= t {
			dst = append(dst, s)
		}
	}
	return dst
}

// AppendMatching appends to dst the touched segments with at least theta
// active potential synapses (theta ≥ 1), in the order of Touched.
func (a *Activity) AppendMatching(dst []Segment, theta int) []Segment {
	t := uint64(max(theta, 1))
	for _, s := range a.touched {
		if a.cnt[s]&cntMask >= t {
			dst = append(dst, s)
		}
	}
	return dst
}

// ComputeActivity computes the response of every segment to the active
// inputs, given as a strictly increasing list of input indices. It walks
// the reverse index, so it costs O(Σ synapses onto the active inputs),
// independent of the number of segments that no active input reaches.
// On error (an unsorted or out-of-range input) act holds a partial result.
func (c *Connections) ComputeActivity(act *Activity, active []uint32) error {
	gen := act.begin(len(c.segCell))
	cnt, touched := act.cnt, act.touched
	groups, revOff, revLen := c.revGroups, c.revOff, c.revLen
	prev := int64(-1)
	for _, in := range active {
		if int64(in) <= prev || in >= c.numInputs {
			act.touched = touched
			return fmt.Errorf("%w: active input %d (previous %d, %d inputs)", ErrInput, in, prev, c.numInputs)
		}
		prev = int64(in)
		off := revOff[in]
		touched = accumulate(groups[in>>groupShift].seg[off:off+revLen[in]], cnt, gen, touched)
	}
	act.touched = touched
	return nil
}

// ComputeActivityOver computes the same response as ComputeActivity, but
// Touched then lists only the segments with at least conThr connected or
// at least potThr potential active synapses (thresholds below 1 count as
// 1), in increasing order: the active and matching segments, which is
// what a temporal memory needs. It is cheaper than filtering Touched,
// because most touched segments reach neither threshold. Counters stay
// available for every segment.
func (c *Connections) ComputeActivityOver(act *Activity, active []uint32, conThr, potThr int) error {
	gen := act.begin(len(c.segCell))
	cnt, over := act.cnt, act.touched
	groups, revOff, revLen := c.revGroups, c.revOff, c.revLen
	pt := uint64(min(max(potThr, 1), cntMask))
	ct := uint64(min(max(conThr, 1), cntMask)) << conShift
	prev := int64(-1)
	for _, in := range active {
		if int64(in) <= prev || in >= c.numInputs {
			act.touched = over
			return fmt.Errorf("%w: active input %d (previous %d, %d inputs)", ErrInput, in, prev, c.numInputs)
		}
		prev = int64(in)
		off := revOff[in]
		over = accumulateOver(groups[in>>groupShift].seg[off:off+revLen[in]], cnt, gen, pt, ct, over)
	}
	slices.Sort(over)
	act.touched = slices.Compact(over)
	return nil
}

// ComputeActivityDense computes the same response as ComputeActivity from
// a dense bitmap of the active inputs (input i at bit i%64 of word i/64),
// by scanning every synapse of every segment: O(all synapses), with a
// sequential, branch-free inner loop. It pays off when many inputs are
// active or few segments exist, and it parallelises: workers goroutines
// (≤ 1 means none) each take a contiguous range of segment slots, so the
// result does not depend on the number of workers.
func (c *Connections) ComputeActivityDense(act *Activity, active []uint64, workers int) error {
	if len(active)*64 < int(c.numInputs) {
		return fmt.Errorf("%w: bitmap of %d words for %d inputs", ErrInput, len(active), c.numInputs)
	}
	gen := act.begin(len(c.segCell))
	slots := len(c.segCell)
	workers = max(1, min(workers, slots/1024))
	if workers == 1 {
		act.touched = c.denseRange(act.cnt, gen, active, 0, slots, act.touched)
		return nil
	}
	for len(act.parts) < workers {
		act.parts = append(act.parts, nil)
	}
	parts := act.parts[:workers]
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := slots*w/workers, slots*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = c.denseRange(act.cnt, gen, active, lo, hi, parts[w][:0])
		}()
	}
	wg.Wait()
	for _, p := range parts {
		act.touched = append(act.touched, p...)
	}
	return nil
}

// denseRange is the kernel of ComputeActivityDense for slots [lo, hi). It
// is branch-free per segment: every slot's counters are written (zero
// counts are zero in any generation), and a slot is appended to touched by
// an unconditional store and a conditional advance.
func (c *Connections) denseRange(cnt []uint64, gen uint64, active []uint64, lo, hi int, touched []Segment) []Segment {
	segOff, segLen := c.segOff[lo:hi], c.segLen[lo:hi]
	keys := c.synKey
	n := len(touched)
	touched = slices.Grow(touched, hi-lo)[:n+hi-lo]
	out := cnt[lo:hi]
	for j := range segOff {
		// A free slot has no synapse, so it needs no test.
		off := segOff[j]
		pot, con := countActive(keys[off:off+segLen[j]], active)
		out[j] = gen | con<<conShift | pot
		touched[n] = Segment(lo + j)
		n += int((pot | -pot) >> 63) // 1 if pot ≠ 0
	}
	return touched[:n]
}

// countActive returns the number of keys (input | connected flag) whose
// input is set in the bitmap active, and how many of those are connected.
// It is kept out of line so that its loop gets registers of its own.
//
//go:noinline
func countActive(keys []uint32, active []uint64) (pot, con uint64) {
	for _, k := range keys {
		in := k & keyMask
		b := active[in>>6] >> (in & 63) & 1
		pot += b
		con += b & uint64(k>>31)
	}
	return pot, con
}

// accumulate adds the reverse-index entries list (segment | connected
// flag) to the counters of generation gen, appending first-touched
// segments to touched. Like countActive, it is kept out of line.
//
//go:noinline
func accumulate(list []uint32, cnt []uint64, gen uint64, touched []Segment) []Segment {
	g := gen >> genShift
	for _, e := range list {
		s := e & keyMask
		v := cnt[s]
		if v>>genShift != g {
			v = gen
			touched = append(touched, Segment(s))
		}
		cnt[s] = v + 1 + uint64(e>>31)<<conShift
	}
	return touched
}

// accumulateOver is accumulate for ComputeActivityOver: it appends the
// segments whose potential count reaches pt or whose connected count
// (shifted into place) reaches ct. Each count passes its threshold once,
// so a segment is appended at most twice.
//
//go:noinline
func accumulateOver(list []uint32, cnt []uint64, gen, pt, ct uint64, over []Segment) []Segment {
	g := gen >> genShift
	for _, e := range list {
		s := e & keyMask
		v := cnt[s]
		if v>>genShift != g {
			v = gen
		}
		flag := uint64(e >> 31)
		v += 1 + flag<<conShift
		cnt[s] = v
		if v&cntMask == pt || (flag != 0 && v&(cntMask<<conShift) == ct) {
			over = append(over, Segment(s))
		}
	}
	return over
}
