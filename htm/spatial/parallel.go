package spatial

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// MaxWorkers is the largest worker count SetWorkers accepts.
const MaxWorkers = 64

// minPartColumns is the smallest number of columns given to a worker: a
// smaller pooler uses fewer workers, since the hand-off (about a
// microsecond per phase) would cost more than it saves.
const minPartColumns = 256

// A part is a range of consecutive columns, the unit of work of a phase.
// Everything a part writes during a phase belongs to its columns, so that
// the parts may run concurrently and in any order with the same result.
type part struct {
	lo, hi  int
	hist    []int32  // four interleaved histograms of the overlaps, maxPool+1 bins each
	toggled []uint32 // maxPool entries
	cand    []uint32 // the columns of overlap ≥ step.guess (while learning)
	nCand   int
	maxOv   int32    // largest overlap
	nWin    int      // winners, written to winBuf[lo:]
	maxDuty float64  // largest overlap duty cycle after learning
	minDuty float64  // smallest overlap duty cycle after learning
	_       [64]byte // no false sharing between parts
}

// A phase is the work done on every part between two hand-offs.
type phase uint8

const (
	phaseOverlap phase = iota // overlaps, and their histogram under global inhibition
	phaseLearn                // winners (global inhibition), learning, duty cycles
	phaseNone                 // nothing: the cost of a hand-off alone (benchmarks)
)

// step holds what the parts need of the current Compute call.
type step struct {
	active  []uint32 // active inputs
	learn   bool
	given   bool    // the winners are in s.winners (else: from key)
	key     uint64  // a column wins when overlap<<32 | ^tieRank ≥ key
	a, b    float64 // duty cycle update: d·a + b
	guess   int32   // candidates for winning: overlap ≥ guess (while learning)
	histNow bool    // phaseOverlap computes the histograms
}

// SetWorkers sets the number of goroutines that share the work of
// Compute (the overlaps, the learning of the winning columns, the duty
// cycles and the boost factors, split into ranges of columns). n = 0
// selects the default, min(GOMAXPROCS, 2), with GOMAXPROCS read when the
// pooler is made (New, UnmarshalBinary) or SetWorkers is called. Each
// worker gets at least 256 columns, so a pooler of fewer than 512 columns
// uses one worker whatever n; Workers reports the number in use. On a
// machine whose cores are busy with other processes, the helpers' threads
// rarely run: when they do less than an eighth of their share of the
// work, the caller does it all for a while (see teamWindow), so that
// spinning helpers do not take processor time from it.
// The results are identical for any number of workers; the setting is not
// part of the saved state. The helper goroutines wait for work between
// Compute calls (spinning briefly, then sleeping) and end when the pooler
// is garbage collected.
func (s *SpatialPooler) SetWorkers(n int) error {
	if s == nil || s.numColumns == 0 {
		return ErrNotInitialized
	}
	if n < 0 || n > MaxWorkers {
		return fmt.Errorf("%w: %d workers, want 0 (default) to %d", ErrInput, n, MaxWorkers)
	}
	s.workers = n
	if s.effectiveWorkers() != len(s.parts) {
		s.buildReverse()
	}
	return nil
}

// Workers returns the number of workers Compute uses (see SetWorkers).
func (s *SpatialPooler) Workers() int {
	if s == nil {
		return 0
	}
	return max(1, len(s.parts))
}

// effectiveWorkers returns the number of parts for the current setting.
func (s *SpatialPooler) effectiveWorkers() int {
	w := s.workers
	if w == 0 {
		w = min(runtime.GOMAXPROCS(0), 2)
	}
	return max(1, min(w, s.numColumns/minPartColumns))
}

// splitParts splits the columns into effectiveWorkers parts of nearly
// equal size.
func (s *SpatialPooler) splitParts() {
	np := s.effectiveWorkers()
	s.parts = make([]part, np)
	for p := range s.parts {
		s.parts[p] = part{
			lo: p * s.numColumns / np, hi: (p + 1) * s.numColumns / np,
			hist: make([]int32, 4*(s.maxPool+1)), toggled: make([]uint32, s.maxPool),
			cand: make([]uint32, (p+1)*s.numColumns/np-p*s.numColumns/np),
		}
	}
}

// run does phase ph on every part: on the calling goroutine alone with one
// part, else shared with the helpers of the team.
func (s *SpatialPooler) run(ph phase) {
	if len(s.parts) == 1 {
		s.runPart(ph, 0)
		return
	}
	if s.team == nil || s.team.parts != len(s.parts) {
		if s.team != nil {
			s.team.stop()
		}
		s.team = newTeam(len(s.parts))
		runtime.AddCleanup(s, (*team).stop, s.team)
	}
	s.team.run(s, ph)
}

// runPart does phase ph on part p.
func (s *SpatialPooler) runPart(ph phase, p int) {
	switch ph {
	case phaseOverlap:
		s.overlapPart(p)
	case phaseLearn:
		s.learnPart(p)
	}
}

// A team is the helper goroutines of a pooler. A phase is published by
// bumping the generation in state; the parts of a generation are claimed
// one at a time (the low half of state counts them) by whoever is ready,
// the calling goroutine included, so that a helper the operating system
// has not scheduled delays nothing.
type team struct {
	state   atomic.Uint64 // generation<<32 | next part to claim
	done    atomic.Int32  // parts finished in this generation
	parked  atomic.Int32  // helpers waiting on cond
	quit    atomic.Bool
	running atomic.Int32 // helpers not yet ended
	parts   int
	sp      *SpatialPooler // during a phase only (the pooler stays collectable)
	ph      phase
	mu      sync.Mutex
	cond    sync.Cond

	// Used by the calling goroutine only: the parts the helpers did in the
	// current window of phases, and the phases left while suspended.
	window, helped int
	suspended      int
}

// When the helpers do less than an eighth of their share of the parts over
// a window of teamWindow phases (their threads rarely run: the machine's
// cores are busy with other work, and a spinning helper only takes
// processor time from the others), the team is suspended for
// teamSuspend phases, in which the caller does every part and the helpers
// sleep; then it tries again. Who does a part never changes its result.
const (
	teamWindow  = 256
	teamSuspend = 2048
)

// Helper waiting: spin this many polls, then yield the processor for up
// to helperYield, then sleep until woken. A caller computing step after
// step publishes a phase every few microseconds, so the helpers are
// awake for it; a caller that pauses between steps costs each helper at
// most helperYield of waiting per step.
const (
	helperSpins = 1 << 10
	helperYield = 20 * time.Microsecond
)

func newTeam(parts int) *team {
	t := &team{parts: parts}
	t.cond.L = &t.mu
	t.state.Store(uint64(parts)) // generation 0 has nothing to claim
	t.running.Store(int32(parts - 1))
	for range parts - 1 {
		go t.helper()
	}
	return t
}

// run does phase ph of s on all parts and returns when they are done.
func (t *team) run(s *SpatialPooler, ph phase) {
	if t.suspended > 0 {
		t.suspended--
		for p := range t.parts {
			s.runPart(ph, p)
		}
		return
	}
	t.sp, t.ph = s, ph
	t.done.Store(0)
	gen := t.state.Load()>>32 + 1
	t.state.Store(gen << 32)
	if t.parked.Load() > 0 {
		t.mu.Lock()
		t.cond.Broadcast()
		t.mu.Unlock()
	}
	mine := t.work(gen)
	for spins := 0; t.done.Load() < int32(t.parts); spins++ {
		if spins >= 64 {
			runtime.Gosched()
		}
	}
	t.sp = nil
	t.helped += t.parts - mine
	if t.window++; t.window == teamWindow {
		if 8*t.helped < teamWindow*(t.parts-1) {
			t.suspended = teamSuspend
		}
		t.window, t.helped = 0, 0
	}
}

// work claims and does parts of generation gen until none is left.
// It returns the number of parts it did.
func (t *team) work(gen uint64) int {
	n := 0
	for {
		v := t.state.Load()
		p := int(v & (1<<32 - 1))
		if v>>32 != gen || p >= t.parts {
			return n
		}
		if t.state.CompareAndSwap(v, v+1) {
			t.sp.runPart(t.ph, p)
			t.done.Add(1)
			n++
		}
	}
}

// helper waits for each new generation and works on it, until stop.
func (t *team) helper() {
	defer t.running.Add(-1)
	seen := uint64(0)
	for {
		gen, ok := t.wait(seen)
		if !ok {
			return
		}
		seen = gen
		t.work(gen)
	}
}

// wait returns the first generation after seen, or false after stop.
func (t *team) wait(seen uint64) (uint64, bool) {
	for range helperSpins {
		if g := t.state.Load() >> 32; g != seen {
			return g, true
		}
	}
	deadline := time.Now().Add(helperYield)
	for i := 0; ; i++ {
		if g := t.state.Load() >> 32; g != seen {
			return g, true
		}
		if t.quit.Load() || (i%16 == 15 && time.Now().After(deadline)) {
			break
		}
		runtime.Gosched()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.parked.Add(1)
	for t.state.Load()>>32 == seen && !t.quit.Load() {
		t.cond.Wait()
	}
	t.parked.Add(-1)
	return t.state.Load() >> 32, !t.quit.Load()
}

// stop ends the helpers.
func (t *team) stop() {
	t.quit.Store(true)
	t.mu.Lock()
	t.cond.Broadcast()
	t.mu.Unlock()
}
