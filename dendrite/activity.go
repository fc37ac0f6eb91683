package dendrite

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/dendritic/dendritic/internal/radix"
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
	// narrow, when isNarrow, holds the result instead of cnt: per slot
	// connected<<8 | potential, for stores whose segments have at most 255
	// synapses (see ComputeActivityOver). A quarter of the size of cnt, it
	// stays in the processor's cache where cnt would not, and it is cleared
	// rather than stamped.
	narrow   []uint16
	isNarrow bool
	sink     uint32    // see touchLists
	spare    []Segment // scratch of sortTouched
	seen     []uint64  // clear bitmap over segment slots, of sortTouched

	// The split counting of ComputeActivityOver (see SetWorkers): when
	// isSplit, the narrow counters of a segment are narrow[s] + narrow2[s],
	// the counts over two halves of the active inputs.
	workers int // 0: DefaultWorkers
	isSplit bool
	narrow2 []uint16
	job     *splitJob
}

// DefaultWorkers is the number of goroutines ComputeActivityOver uses for
// a large input when SetWorkers was not called: 1. The split count is
// opt-in (SetWorkers(2)) because on the project's 2-core machine it made
// the temporal memory slower, not faster: 5000 steps of hello's stream
// (2048 × 8 cells) took a median 1.68 s on two workers against 1.37 s on
// one (8 alternated runs each, quiet machine, 2026-12-02), and the
// random-input step 187–285 µs against 201–220 µs (docs/BENCHMARKS.md,
// "TM speed-up, issue 14").
func DefaultWorkers() int { return 1 }

// SetWorkers sets the number of goroutines that ComputeActivityOver may
// use: n ≤ 0 restores the default (DefaultWorkers), 1 counts on the
// calling goroutine only, and n ≥ 2 splits a large input (many reverse
// entries) over two goroutines. The result is the same for every n; only
// the time differs. The setting is not part of any saved state.
func (a *Activity) SetWorkers(n int) {
	if a == nil {
		return
	}
	a.workers = max(n, 0)
}

// Workers returns the number of goroutines ComputeActivityOver may use.
func (a *Activity) Workers() int {
	if a == nil {
		return 0
	}
	if a.workers == 0 {
		return DefaultWorkers()
	}
	return a.workers
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
	a.isNarrow, a.isSplit = false, false
	return a.gen << genShift
}

// beginNarrow starts a new computation for slots segment slots in the
// narrow counters and returns them, zeroed.
func (a *Activity) beginNarrow(slots int) []uint16 {
	if slots > len(a.narrow) {
		a.narrow = grow(a.narrow, slots-len(a.narrow))
	}
	// The generation moves on, so that cnt reads as zero everywhere if a
	// later computation uses it again.
	a.gen++
	if a.gen >= 1<<16 {
		clear(a.cnt)
		a.gen = 1
	}
	a.touched = a.touched[:0]
	a.isNarrow, a.isSplit = true, false
	n := a.narrow[:slots]
	clear(n)
	return n
}

// get returns the counters of s in the current generation, as
// connected<<conShift | potential.
func (a *Activity) get(s Segment) uint64 {
	if a.isNarrow {
		if int(s) >= len(a.narrow) {
			return 0
		}
		v := uint64(a.narrowAt(s))
		return v>>8<<conShift | v&0xff
	}
	if int(s) >= len(a.cnt) {
		return 0
	}
	v := a.cnt[s]
	if v>>genShift != a.gen {
		return 0
	}
	return v
}

// narrowAt returns the narrow counters of s (a slot below the length of
// narrow), summed over the halves of a split computation.
func (a *Activity) narrowAt(s Segment) uint16 {
	if a.isSplit {
		return a.narrow[s] + a.narrow2[s]
	}
	return a.narrow[s]
}

// Potential returns the number of synapses of s onto active inputs.
func (a *Activity) Potential(s Segment) int {
	if a == nil {
		return 0
	}
	return int(a.get(s) & cntMask)
}

// Connected returns the number of connected synapses of s onto active
// inputs.
func (a *Activity) Connected(s Segment) int {
	if a == nil {
		return 0
	}
	return int(a.get(s) >> conShift & cntMask)
}

// Counts returns Potential(s) and Connected(s) together.
func (a *Activity) Counts(s Segment) (potential, connected int) {
	if a == nil {
		return 0, 0
	}
	v := a.get(s)
	return int(v & cntMask), int(v >> conShift & cntMask)
}

// Touched returns the segments with at least one synapse onto an active
// input. After ComputeActivity they come in the order in which they were
// first reached; after ComputeActivityDense, in increasing order; after
// ComputeActivityOver, only those that reached a threshold, in increasing
// order. The slice is the Activity's own (read-only, valid until the next
// computation).
func (a *Activity) Touched() []Segment {
	if a == nil {
		return nil
	}
	return a.touched
}

// AppendActive appends to dst the touched segments with at least theta
// connected active synapses (theta ≥ 1), in the order of Touched.
func (a *Activity) AppendActive(dst []Segment, theta int) []Segment {
	if a == nil {
		return dst
	}
	t := uint64(max(theta, 1))
	if a.isNarrow {
		for _, s := range a.touched {
			if uint64(a.narrowAt(s)>>8) >= t {
				dst = append(dst, s)
			}
		}
		return dst
	}
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
	if a == nil {
		return dst
	}
	t := uint64(max(theta, 1))
	if a.isNarrow {
		for _, s := range a.touched {
			if uint64(a.narrowAt(s)&0xff) >= t {
				dst = append(dst, s)
			}
		}
		return dst
	}
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
	if c == nil {
		return ErrNotInitialized
	}
	if act == nil {
		return fmt.Errorf("%w: nil *Activity", ErrInput)
	}
	gen := act.begin(len(c.segCell))
	cnt, touched := act.cnt, act.touched
	groups, rev := c.revGroups, c.rev
	prev := int64(-1)
	for _, in := range active {
		if int64(in) <= prev || in >= c.numInputs {
			act.touched = touched
			return fmt.Errorf("%w: active input %d (previous %d, %d inputs)", ErrInput, in, prev, c.numInputs)
		}
		prev = int64(in)
		r := &rev[in]
		touched = accumulate(groups[in>>groupShift].seg[r.off:r.off+r.n], cnt, gen, touched)
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
//
// When the configuration bounds segments to at most 255 synapses (as a
// temporal memory's does), the counters are 16 bits wide per segment slot
// instead of 64, cleared at each call: a quarter of the memory, which the
// processor keeps in its cache while the reverse lists stream through.
func (c *Connections) ComputeActivityOver(act *Activity, active []uint32, conThr, potThr int) error {
	if c == nil {
		return ErrNotInitialized
	}
	if act == nil {
		return fmt.Errorf("%w: nil *Activity", ErrInput)
	}
	rev := c.rev
	total := 0
	prev := int64(-1)
	for _, in := range active {
		if int64(in) <= prev || in >= c.numInputs {
			act.begin(len(c.segCell))
			return fmt.Errorf("%w: active input %d (previous %d, %d inputs)", ErrInput, in, prev, c.numInputs)
		}
		prev = int64(in)
		total += int(rev[in].n)
	}
	potThr, conThr = max(potThr, 1), max(conThr, 1)
	// If conThr ≥ potThr, a segment with conThr connected active synapses
	// has at least as many potential ones: only the potential count needs
	// watching.
	potOnly := conThr >= potThr
	slots := len(c.segCell)
	if m := c.cfg.MaxSynapsesPerSegment; m >= 1 && m <= 0xff && slots/64 <= total {
		// Counts fit in a byte. Clearing the narrow counters costs less
		// than the cache misses the wide ones would.
		cnt := act.beginNarrow(slots)
		pt, ct := uint16(0xffff), uint16(0xffff) // unreachable
		if potThr <= 0xff {
			pt = uint16(potThr)
		}
		if conThr <= 0xff {
			ct = uint16(conThr) << 8
		}
		if total >= splitEntries && act.Workers() >= 2 {
			c.overSplit(act, active, total, pt, ct, potOnly)
		} else {
			act.touched = c.overNarrow(&act.sink, active, cnt, pt, ct, potOnly, act.touched)
		}
	} else {
		gen := act.begin(slots)
		pt := uint64(min(potThr, cntMask))
		ct := uint64(min(conThr, cntMask)) << conShift
		if potOnly {
			ct = ^uint64(0) // unreachable
		}
		act.touched = c.overWide(act, active, act.cnt, gen, pt, ct, act.touched)
	}
	act.sortTouched(slots)
	return nil
}

// sortTouched sorts touched in increasing order and drops repeats. When
// the segments are many for the number of slots (a temporal memory's few
// hundred among tens of thousands of slots), it marks them in a bitmap
// over the slots and reads it back: on hello's stream (~390 segments,
// 21.5k slots) 40 % of the instructions of the radix sort and compaction.
// Otherwise it sorts. Both give the same list.
func (a *Activity) sortTouched(slots int) {
	words := (slots + 63) / 64
	if words > 4*len(a.touched) {
		a.spare = radix.Sort(a.touched, a.spare, 0)
		a.touched = slices.Compact(a.touched)
		return
	}
	if len(a.seen) < words {
		a.seen = make([]uint64, words)
	}
	a.touched = drainSorted(a.touched, a.seen[:words])
}

// drainSorted marks segs in the bitmap seen (clear, with a bit for every
// segment), then overwrites segs with the marked segments in increasing
// order, clearing seen on the way, and returns them.
func drainSorted(segs []Segment, seen []uint64) []Segment {
	for _, s := range segs {
		seen[s>>6] |= 1 << (s & 63)
	}
	out := segs[:0]
	for wi, w := range seen {
		if w == 0 {
			continue
		}
		seen[wi] = 0
		for w != 0 {
			out = append(out, Segment(wi*64+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return out
}

// overNarrow runs accumulateNarrow on the reverse lists of the active
// inputs (valid and sorted), in batches whose memory is requested first.
func (c *Connections) overNarrow(sink *uint32, active []uint32, cnt []uint16, pt, ct uint16, potOnly bool, over []Segment) []Segment {
	groups, rev := c.revGroups, c.rev
	for len(active) > 0 {
		chunk := active[:min(len(active), touchBatch)]
		active = active[len(chunk):]
		*sink += c.touchLists(chunk)
		for _, in := range chunk {
			r := &rev[in]
			list := groups[in>>groupShift].seg[r.off : r.off+r.n]
			if potOnly {
				over = accumulateNarrow(list, cnt, pt, over)
			} else {
				over = accumulateNarrow2(list, cnt, pt, ct, over)
			}
		}
	}
	return over
}

// overWide is overNarrow with the wide, generation-stamped counters.
func (c *Connections) overWide(act *Activity, active []uint32, cnt []uint64, gen, pt, ct uint64, over []Segment) []Segment {
	groups, rev := c.revGroups, c.rev
	for len(active) > 0 {
		chunk := active[:min(len(active), touchBatch)]
		active = active[len(chunk):]
		act.sink += c.touchLists(chunk)
		for _, in := range chunk {
			r := &rev[in]
			list := groups[in>>groupShift].seg[r.off : r.off+r.n]
			over = slices.Grow(over, len(list))
			over = accumulateOver(list, cnt, gen, pt, ct, over)
		}
	}
	return over
}

// touchBatch is the number of reverse lists whose memory touchLists
// requests before the kernel reads them.
const touchBatch = 64

// touchLists reads one word of every cache line of the reverse lists of
// the inputs (valid indices) and returns their sum, so that the lists,
// scattered over the slabs, are fetched from memory in parallel rather
// than one after the other when the kernel reaches each (a list of ~20
// entries is too short for the processor to run ahead into the next one).
// Go has no prefetch instruction; plain loads whose sum is kept serve as
// one.
func (c *Connections) touchLists(inputs []uint32) uint32 {
	groups, rev := c.revGroups, c.rev
	var sum uint32
	for _, in := range inputs {
		off, n := rev[in].off, rev[in].n
		if n == 0 {
			continue
		}
		seg := groups[in>>groupShift].seg[off : off+n]
		for i := 0; i < len(seg); i += 16 {
			sum += seg[i]
		}
		sum += seg[len(seg)-1]
	}
	return sum
}

// ComputeActivityDense computes the same response as ComputeActivity from
// a dense bitmap of the active inputs (input i at bit i%64 of word i/64),
// by scanning every synapse of every segment: O(all synapses), with a
// sequential, branch-free inner loop. It pays off when many inputs are
// active or few segments exist, and it parallelises: workers goroutines
// (≤ 1 means none) each take a contiguous range of segment slots, so the
// result does not depend on the number of workers.
func (c *Connections) ComputeActivityDense(act *Activity, active []uint64, workers int) error {
	if c == nil {
		return ErrNotInitialized
	}
	if act == nil {
		return fmt.Errorf("%w: nil *Activity", ErrInput)
	}
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
// so a segment is appended at most twice. over must have room for
// len(list) more elements: the loop stores every segment and advances
// only past those that pass, so that it has no unpredictable branch (the
// connected flag is random) and no call.
//
//go:noinline
func accumulateOver(list []uint32, cnt []uint64, gen, pt, ct uint64, over []Segment) []Segment {
	g := gen >> genShift
	n := len(over)
	out := over[n : n+len(list)]
	j := 0
	for _, e := range list {
		s := e & keyMask
		v := cnt[s]
		if v>>genShift != g {
			v = gen
		}
		flag := uint64(e >> 31)
		v += 1 + flag<<conShift
		cnt[s] = v
		hit := 0
		if v&cntMask == pt || (v&(cntMask<<conShift)|^flag<<63) == ct {
			hit = 1
		}
		out[j] = Segment(s)
		j += hit
	}
	return over[:n+j]
}

// narrowInc is the increment of the narrow counters for a reverse entry,
// indexed by its connected flag (entry>>31): a table lookup costs fewer
// instructions than shifting and masking the flag into place.
var narrowInc = [2]uint16{1, 0x101}

// appendSegment is append, out of line: called on the rare path of the
// narrow kernels, it keeps their loops free of the registers and spills
// an inlined append needs.
//
//go:noinline
func appendSegment(over []Segment, s uint32) []Segment { return append(over, Segment(s)) }

// accumulateNarrow is accumulateOver for the narrow counters
// (connected<<8 | potential) when only the potential count matters: it
// appends the segments whose potential count reaches pt (once each). The
// branch is rarely taken, so it predicts well.
//
//go:noinline
func accumulateNarrow(list []uint32, cnt []uint16, pt uint16, over []Segment) []Segment {
	inc := narrowInc
	p8 := uint8(pt) // pt ≤ 0xff or unreachable (0xffff: a count stays below 0xff)
	if pt > 0xff {
		p8 = 0 // a potential count is never 0 after an increment
	}
	for _, e := range list {
		s := e & keyMask
		v := cnt[s] + inc[e>>31]
		cnt[s] = v
		if uint8(v) == p8 {
			over = appendSegment(over, s)
		}
	}
	return over
}

// accumulateNarrow2 is accumulateNarrow that also appends the segments
// whose connected count (shifted into place) reaches ct, on the connected
// synapse that makes it so.
//
//go:noinline
func accumulateNarrow2(list []uint32, cnt []uint16, pt, ct uint16, over []Segment) []Segment {
	for _, e := range list {
		s := e & keyMask
		inc := uint16(e>>23) & 0x100
		v := cnt[s] + 1 + inc
		cnt[s] = v
		if v&0xff == pt || (inc != 0 && v&0xff00 == ct) {
			over = append(over, Segment(s))
		}
	}
	return over
}
