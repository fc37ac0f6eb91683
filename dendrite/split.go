package dendrite

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The split counting of ComputeActivityOver: with two workers, a large
// input's active inputs are cut into two halves of about the same number
// of reverse entries, and each goroutine counts its half into counters of
// its own (narrow, narrow2), so that neither writes a cache line the
// other reads. A segment's count is the sum of its two halves' counts; if
// the sum reaches a threshold θ, one half reaches ⌈θ/2⌉. Each goroutine
// therefore collects, as the serial kernel does for θ, the segments whose
// count in its half reaches ⌈θ/2⌉ (candidates, few), and the caller then
// keeps the candidates whose summed counts reach θ. Only the candidates'
// counters cross from one core to the other. The result (the sorted set
// of segments and every counter) is the serial one whatever the halves:
// the number of workers changes nothing but the time.

// splitEntries is the number of reverse entries from which
// ComputeActivityOver splits the count (below it, the hand-off to
// another goroutine, a few microseconds, costs more than it saves).
const splitEntries = 4096

// splitJob is the second half of a split count, made once per Activity
// and reused. The caller offers it to the package's helper goroutine and
// counts its own half; then whichever of the two claims the job first
// (state 0 → 1 for the helper, 0 → 2 for the caller) counts the second
// half. The caller thus never waits for a helper that the scheduler has
// not run yet (on a busy machine it counts both halves itself), and the
// result does not depend on who counted what.
type splitJob struct {
	state atomic.Int32
	done  chan struct{} // the helper has counted the job
	c     *Connections
	// the half: its active inputs, counters and halved thresholds
	active  []uint32
	own     []uint16
	hp, hc  uint16
	potOnly bool
	over    []Segment // its candidates (reused)
	sink    uint32    // see touchLists
}

// run counts the job's half into its counters (clearing them first) and
// collects its candidates.
func (j *splitJob) run() {
	clear(j.own)
	j.over = j.c.overNarrow(&j.sink, j.active, j.own, j.hp, j.hc, j.potOnly, j.over[:0])
}

// splitQueue takes the offered jobs to the helper goroutine, started by
// the first split count. A job offered when the queue is full is counted
// by its caller; a job the caller has claimed is skipped by the helper.
var (
	splitQueue = make(chan *splitJob, 64)
	splitOnce  sync.Once
)

// splitMode lets the tests force either way of counting the second half.
var splitMode = splitNormal

const (
	splitNormal   = iota // offer the job, claim it if the helper has not
	splitByCaller        // never offer it: the caller counts both halves
	splitByHelper        // offer it and wait until the helper claims it
)

func splitHelper() {
	for j := range splitQueue {
		if j.state.CompareAndSwap(0, 1) {
			j.run()
			j.done <- struct{}{}
		}
	}
}

// halfThreshold returns ⌈θ/2⌉ of a narrow threshold (a potential count,
// or a connected count shifted by 8); an unreachable one stays so.
func halfThreshold(t uint16, shift uint) uint16 {
	if t == 0xffff {
		return t
	}
	return ((t>>shift + 1) / 2) << shift
}

// overSplit is the narrow path of ComputeActivityOver on two goroutines;
// act's narrow counters are zeroed for the slots, total is the number of
// entries of the lists of active.
func (c *Connections) overSplit(act *Activity, active []uint32, total int, pt, ct uint16, potOnly bool) {
	splitOnce.Do(func() { go splitHelper() })
	slots := len(c.segCell)
	if len(act.narrow2) < slots {
		act.narrow2 = grow(act.narrow2, slots-len(act.narrow2))
	}
	j := act.job
	if j == nil {
		j = &splitJob{done: make(chan struct{}, 1)}
		j.state.Store(2)
		act.job = j
	}
	// Cut where the first half reaches half of the entries.
	k, sum := 0, 0
	for k < len(active) && 2*sum < total {
		sum += int(c.rev[active[k]].n)
		k++
	}
	cnt, cnt2 := act.narrow[:slots], act.narrow2[:slots]
	hp, hc := halfThreshold(pt, 0), halfThreshold(ct, 8)
	act.isSplit = true
	j.c, j.active, j.own, j.hp, j.hc, j.potOnly = c, active[k:], cnt2, hp, hc, potOnly
	j.state.Store(0)
	switch splitMode {
	case splitNormal:
		select {
		case splitQueue <- j:
		default: // the helper is behind: count the half here
		}
	case splitByHelper:
		splitQueue <- j
		for j.state.Load() == 0 {
			runtime.Gosched()
		}
	}
	cand := c.overNarrow(&act.sink, active[:k], cnt, hp, hc, potOnly, act.spare[:0])
	other := []Segment(nil)
	if j.state.CompareAndSwap(0, 2) {
		// The helper has not started: count the second half here, on top
		// of the first. A segment whose count reaches θ then passes ⌈θ/2⌉
		// in one of the two passes, so it is a candidate; the counters are
		// the whole counts.
		act.isSplit = false
		cand = c.overNarrow(&act.sink, j.active, cnt, hp, hc, potOnly, cand)
	} else {
		<-j.done
		other = j.over
	}
	j.c, j.active, j.own = nil, nil, nil // keep nothing alive
	// Keep the candidates that reach a threshold with both halves.
	over := act.touched[:0]
	for _, list := range [2][]Segment{cand, other} {
		for _, s := range list {
			if v := act.narrowAt(s); v&0xff >= pt || v&0xff00 >= ct {
				over = append(over, s)
			}
		}
	}
	act.touched, act.spare = over, cand
}
