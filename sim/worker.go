package sim

import (
	"math/bits"
	"math/rand/v2"
	"sync/atomic"

	"github.com/dendritic/dendritic/internal/rng"
)

// worker holds the scratch memory of one goroutine, allocated once and
// reused by every task it runs, so that no sample allocates.
type worker struct {
	c    Config
	p    plan
	is   *isModel
	r    *rand.PCG
	perm []uint32 // the identity permutation of the n cells between draws
	u1   []uint32 // undo records of the outer draw
	u2   []uint32 // undo records of nested draws
	u3   []uint32
	tab  []uint64 // lane table: bit j of tab[c] = lane j has a synapse on c
	syn  []uint32 // cells set in tab, to clear it
	pat  []uint32 // the block's test patterns, a cells each
	hm   []uint64 // neuron: hit masks per (pattern, group)
	seg  []uint64 // importance: segment bitmap
	cell []uint32 // importance: the test pattern's cells
	ovs  []int32  // importance: the overlaps of the task in progress
	acc  Stats

	// stop is set when the run is cancelled; the task in progress checks
	// it between draws and gives up (its counts are discarded, and the
	// worker's tables are left dirty: a stopped worker runs no more
	// tasks). A nil stop never stops.
	stop *atomic.Bool
	full bool // syn overflowed: clearTable clears the whole table
}

// stopped reports whether the run was cancelled.
func (w *worker) stopped() bool { return w.stop != nil && w.stop.Load() }

// synCap is the capacity of the list of cells set in the lane table: at
// most n, since beyond n entries clearing the whole table is cheaper than
// replaying the list (and the list would otherwise hold 64·s cells, 1 GB
// for s = 4e6).
func synCap(c Config) int {
	perLane := c.S
	if c.Kind == KindUnion {
		perLane = c.S * c.Patterns
	}
	return min(64*perLane, c.N)
}

func newWorker(c Config, p plan, is *isModel) *worker {
	w := &worker{c: c, p: p, is: is, r: rng.New(c.Seed, 0)}
	w.perm = make([]uint32, c.N)
	for i := range w.perm {
		w.perm[i] = uint32(i)
	}
	// Undo records: no draw takes more than max(a, s) cells (v ≤ a).
	nu := max(c.A, c.S)
	w.u1 = make([]uint32, nu)
	w.u2 = make([]uint32, nu)
	w.u3 = make([]uint32, nu)
	if is != nil {
		w.seg = make([]uint64, (c.N+63)/64)
		w.cell = make([]uint32, c.A)
		w.acc.Hist = make([]int64, is.maxOv+1)
		w.ovs = make([]int32, 0, isPerTask)
		return w
	}
	w.tab = make([]uint64, c.N)
	w.syn = make([]uint32, 0, synCap(c))
	w.pat = make([]uint32, p.patterns*c.A)
	if c.Kind == KindNeuron {
		w.hm = make([]uint64, p.patterns*p.groups)
	}
	return w
}

// laneMask returns the lanes of group g that are in use.
func (p plan) laneMask(g int) uint64 {
	if r := p.lanes - 64*g; r < 64 {
		return 1<<uint(r) - 1
	}
	return ^uint64(0)
}

// runTask runs task t and adds its counts to w.acc. It reports false,
// adding nothing, when the run was cancelled before the task finished.
func (w *worker) runTask(t int64) bool {
	rng.Reseed(w.r, w.c.Seed, uint64(t))
	if w.is != nil {
		return w.importanceTask(t)
	}
	n, h, ok := w.directTask(t)
	if ok {
		w.acc.addBlock(n, h)
	}
	return ok
}

// pick draws k distinct cells of w.perm[lo:hi] into w.perm[lo:lo+k]
// with undo records u; unpick restores.
func (w *worker) pick(lo, hi, k int, u []uint32) {
	rng.Pick(w.r, w.perm[lo:hi], k, u)
}

func (w *worker) unpick(lo, k int, u []uint32) {
	rng.Unpick(w.perm[lo:], u[:k])
}

// setLane adds cells to lane j of the table.
func (w *worker) setLane(cells []uint32, j int) {
	bit := uint64(1) << uint(j)
	for _, c := range cells {
		w.tab[c] |= bit
	}
	if w.full || len(w.syn)+len(cells) > cap(w.syn) {
		w.full = true
		return
	}
	w.syn = append(w.syn, cells...)
}

func (w *worker) clearTable() {
	if w.full {
		clear(w.tab)
	} else {
		for _, c := range w.syn {
			w.tab[c] = 0
		}
	}
	w.syn, w.full = w.syn[:0], false
}

// directTask runs one block: fresh segments (in groups of 64 lanes) and
// fresh test patterns, every segment tested against every pattern. It
// returns the block's samples and hits, and ok = false if the run was
// cancelled before the block finished.
func (w *worker) directTask(t int64) (samples, hits int64, ok bool) {
	c, p := w.c, w.p
	np := p.taskPatterns(t)
	a := c.A
	// Test patterns (for fn: the stored pattern first, then noisy copies).
	if c.Kind == KindFN {
		w.pick(0, c.N, a, w.u1) // stored pattern = perm[:a]
		v := c.Noise
		for i := range np {
			if w.stopped() {
				return 0, 0, false
			}
			// remove v of the a active cells, add v of the n−a others:
			// the noisy pattern is perm[v : a+v].
			w.pick(0, a, v, w.u2)
			w.pick(a, c.N, v, w.u3)
			copy(w.pat[i*a:(i+1)*a], w.perm[v:a+v])
			w.unpick(a, v, w.u3)
			w.unpick(0, v, w.u2)
		}
	} else {
		for i := range np {
			if w.stopped() {
				return 0, 0, false
			}
			w.pick(0, c.N, a, w.u1)
			copy(w.pat[i*a:(i+1)*a], w.perm[:a])
			w.unpick(0, a, w.u1)
		}
	}
	for g := range p.groups {
		mask := p.laneMask(g)
		for j := range min(64, p.lanes-64*g) {
			if w.stopped() {
				return 0, 0, false
			}
			switch c.Kind {
			case KindFN: // s of the stored pattern's a cells
				w.pick(0, a, c.S, w.u2)
				w.setLane(w.perm[:c.S], j)
				w.unpick(0, c.S, w.u2)
			case KindUnion: // M random s-subsets, merged
				for range c.Patterns {
					w.pick(0, c.N, c.S, w.u2)
					w.setLane(w.perm[:c.S], j)
					w.unpick(0, c.S, w.u2)
				}
			default: // s random cells
				w.pick(0, c.N, c.S, w.u2)
				w.setLane(w.perm[:c.S], j)
				w.unpick(0, c.S, w.u2)
			}
		}
		for i := range np {
			if w.stopped() {
				return 0, 0, false
			}
			m := countGE(w.tab, w.pat[i*a:(i+1)*a], c.Theta, p.hi)
			switch c.Kind {
			case KindFN: // a miss: overlap < θ
				hits += int64(bits.OnesCount64(^m & mask))
			case KindNeuron:
				w.hm[i*p.groups+g] = m & mask
			default:
				hits += int64(bits.OnesCount64(m & mask))
			}
		}
		w.clearTable()
	}
	if c.Kind == KindFN {
		w.unpick(0, a, w.u1)
	}
	if c.Kind == KindNeuron {
		for i := range np {
			hits += neuronHits(w.hm[i*p.groups:(i+1)*p.groups], p.width, c.Segments)
		}
	}
	return int64(np) * int64(p.width), hits, true
}

// neuronHits counts the neurons (runs of m consecutive lanes) with at
// least one firing lane in the hit masks hm.
func neuronHits(hm []uint64, neurons, m int) int64 {
	var h int64
	for k := range neurons {
		lo, hi := k*m, (k+1)*m // lanes [lo, hi)
		for lo < hi {
			wi := lo >> 6
			word := hm[wi] >> uint(lo&63)
			take := min(64-lo&63, hi-lo)
			if take < 64 {
				word &= 1<<uint(take) - 1
			}
			if word != 0 {
				h++
				break
			}
			lo += take
		}
	}
	return h
}

// importanceTask draws one segment (fp), or one stored pattern and its
// segment (fn), and tests perTask proposal patterns against it, adding
// each sample's overlap to the histogram. The overlaps are kept aside
// until the task is done, so that a cancelled task adds nothing; it then
// reports false.
func (w *worker) importanceTask(t int64) bool {
	c, m := w.c, w.is
	ns := w.p.taskSamples(t)
	s, a := c.S, c.A
	w.ovs = w.ovs[:0]
	if !m.fn {
		// Segment = perm[:s]; off-segment cells = perm[s:].
		w.pick(0, c.N, s, w.u1)
		for _, x := range w.perm[:s] {
			w.seg[x>>6] |= 1 << (x & 63)
		}
		kev := uint64(m.bHi - m.evLo + 1)
		for range ns {
			var cells []uint32
			if rng.Float64(w.r) < lambda {
				w.pick(0, c.N, a, w.u2)
				cells = append(w.cell[:0], w.perm[:a]...)
				w.unpick(0, a, w.u2)
			} else {
				b := m.evLo + int(rng.Bounded(w.r, kev))
				w.pick(0, s, b, w.u2)
				w.pick(s, c.N, a-b, w.u3)
				cells = append(w.cell[:0], w.perm[:b]...)
				cells = append(cells, w.perm[s:s+a-b]...)
				w.unpick(s, a-b, w.u3)
				w.unpick(0, b, w.u2)
			}
			w.ovs = append(w.ovs, int32(overlap(w.seg, cells)))
			if w.stopped() {
				return false
			}
		}
		for _, x := range w.perm[:s] {
			w.seg[x>>6] = 0
		}
		w.unpick(0, s, w.u1)
	} else {
		// Stored pattern = perm[:a], its segment = perm[:s], the pattern's
		// other cells = perm[s:a], inactive cells = perm[a:].
		v := c.Noise
		w.pick(0, c.N, a, w.u1)
		w.pick(0, a, s, w.u2)
		for _, x := range w.perm[:s] {
			w.seg[x>>6] |= 1 << (x & 63)
		}
		kev := uint64(m.bHi - m.evLo + 1)
		for range ns {
			cells := w.cell[:0]
			if rng.Float64(w.r) < lambda {
				// Natural noise: remove v of the a active cells.
				w.pick(0, a, v, w.u3)
				cells = append(cells, w.perm[v:a]...)
				w.unpick(0, v, w.u3)
			} else {
				// Remove b of the segment's cells and v−b of the others.
				b := m.evLo + int(rng.Bounded(w.r, kev))
				w.pick(0, s, b, w.u3)
				cells = append(cells, w.perm[b:s]...)
				w.unpick(0, b, w.u3)
				w.pick(s, a, v-b, w.u3)
				cells = append(cells, w.perm[s+v-b:a]...)
				w.unpick(s, v-b, w.u3)
			}
			// Add v of the n−a inactive cells.
			w.pick(a, c.N, v, w.u3)
			cells = append(cells, w.perm[a:a+v]...)
			w.unpick(a, v, w.u3)
			w.ovs = append(w.ovs, int32(overlap(w.seg, cells)))
			if w.stopped() {
				return false
			}
		}
		for _, x := range w.perm[:s] {
			w.seg[x>>6] = 0
		}
		w.unpick(0, s, w.u2)
		w.unpick(0, a, w.u1)
	}
	for _, ov := range w.ovs {
		w.acc.Hist[ov]++
	}
	w.acc.Samples += ns
	w.acc.Tasks++
	return true
}

// overlap counts the cells whose bit is set in the bitmap.
func overlap(bm []uint64, cells []uint32) int {
	k := 0
	for _, x := range cells {
		k += int(bm[x>>6] >> (x & 63) & 1)
	}
	return k
}
