package dendrite

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// ref is a deliberately simple model of Connections: maps and slices,
// linear scans, no indexes. The differential test drives both with the
// same operations and compares them after each one.
type ref struct {
	cfg   Config
	segs  map[Segment]*refSeg
	clock uint64
}

type refSeg struct {
	cell uint32
	used uint64
	syn  []Synapse
}

func newRef(cfg Config) *ref { return &ref{cfg: cfg, segs: map[Segment]*refSeg{}} }

func (r *ref) cellSegs(cell uint32) []Segment {
	var out []Segment
	for s, x := range r.segs {
		if x.cell == cell {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// lru returns the least recently used segment among segs.
func (r *ref) lru(segs []Segment) Segment {
	best := segs[0]
	for _, s := range segs {
		if r.segs[s].used < r.segs[best].used {
			best = s
		}
	}
	return best
}

func (r *ref) allSegs() []Segment {
	var out []Segment
	for s := range r.segs {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// expectCreate returns the segments that CreateSegment(cell) must evict.
func (r *ref) expectCreate(cell uint32) []Segment {
	var gone []Segment
	dead := map[Segment]bool{}
	if m := r.cfg.MaxSegmentsPerCell; m > 0 {
		l := r.cellSegs(cell)
		for len(l) >= m {
			v := r.lru(l)
			gone = append(gone, v)
			dead[v] = true
			l = slices.DeleteFunc(l, func(s Segment) bool { return s == v })
		}
	}
	if m := r.cfg.MaxSegments; m > 0 {
		var l []Segment
		for _, s := range r.allSegs() {
			if !dead[s] {
				l = append(l, s)
			}
		}
		for len(l) >= m {
			v := r.lru(l)
			gone = append(gone, v)
			l = slices.DeleteFunc(l, func(s Segment) bool { return s == v })
		}
	}
	return gone
}

// weakest returns the position of the weakest synapse of x not onto keep.
func weakestRef(x *refSeg, keep []uint32) int {
	best := -1
	for i, y := range x.syn {
		if slices.Contains(keep, y.Input) {
			continue
		}
		if best < 0 || y.Permanence < x.syn[best].Permanence ||
			(y.Permanence == x.syn[best].Permanence && y.Input < x.syn[best].Input) {
			best = i
		}
	}
	return best
}

func (r *ref) activity(active []uint32, thr float32) map[Segment][2]int {
	on := map[uint32]bool{}
	for _, a := range active {
		on[a] = true
	}
	out := map[Segment][2]int{}
	for s, x := range r.segs {
		var pot, con int
		for _, y := range x.syn {
			if on[y.Input] {
				pot++
				if y.Permanence >= thr-Epsilon {
					con++
				}
			}
		}
		if pot > 0 {
			out[s] = [2]int{pot, con}
		}
	}
	return out
}

// compare checks that c and r hold the same segments and synapses.
func compare(t *testing.T, step int, c *Connections, r *ref) {
	t.Helper()
	if err := c.CheckInvariants(); err != nil {
		t.Fatalf("step %d: %v", step, err)
	}
	if c.NumSegments() != len(r.segs) {
		t.Fatalf("step %d: %d segments, ref %d", step, c.NumSegments(), len(r.segs))
	}
	nsyn := 0
	for s, x := range r.segs {
		cell, ok := c.CellOf(s)
		if !ok || cell != x.cell {
			t.Fatalf("step %d: segment %d: cell %d %v, ref %d", step, s, cell, ok, x.cell)
		}
		if c.LastUsed(s) != x.used {
			t.Fatalf("step %d: segment %d used %d, ref %d", step, s, c.LastUsed(s), x.used)
		}
		got, err := c.Synapses(nil, s)
		if err != nil || !slices.Equal(got, x.syn) {
			t.Fatalf("step %d: segment %d synapses\n got %v\nwant %v", step, s, got, x.syn)
		}
		nsyn += len(x.syn)
	}
	if c.NumSynapses() != nsyn {
		t.Fatalf("step %d: %d synapses, ref %d", step, c.NumSynapses(), nsyn)
	}
	for cell := range uint32(c.NumCells()) {
		if !slices.Equal(c.SegmentsOf(cell), r.cellSegs(cell)) {
			t.Fatalf("step %d: cell %d segments %v, ref %v", step, cell, c.SegmentsOf(cell), r.cellSegs(cell))
		}
	}
}

func randomSorted(rng *rand.Rand, n, k int) []uint32 {
	p, _ := RandomPattern(nil, n, min(k, n), rng)
	return p
}

func bitmapOf(n int, active []uint32) []uint64 {
	b := make([]uint64, (n+63)/64)
	for _, a := range active {
		b[a>>6] |= 1 << (a & 63)
	}
	return b
}

// TestDifferential drives Connections and the reference model with long
// random operation sequences under several configurations.
func TestDifferential(t *testing.T) {
	configs := []Config{
		{NumCells: 6, NumInputs: 40, ConnectedPermanence: 0.5, MaxSegmentsPerCell: 3, MaxSynapsesPerSegment: 12, MaxSegments: 10},
		{NumCells: 20, ConnectedPermanence: 0.3, MaxSegmentsPerCell: 4, MaxSynapsesPerSegment: 9},
		{NumCells: 3, NumInputs: 100, ConnectedPermanence: 0.5}, // unbounded: blocks must grow
		{NumCells: 10, NumInputs: 30, ConnectedPermanence: 0.5, MaxSegments: 5, MaxSynapsesPerSegment: 40},
	}
	for ci, cfg := range configs {
		rng := rand.New(rand.NewPCG(uint64(ci), 7))
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := newRef(cfg)
		nin := c.NumInputs()
		var act Activity
		pick := func() (Segment, bool) {
			all := r.allSegs()
			if len(all) == 0 {
				return 0, false
			}
			return all[rng.IntN(len(all))], true
		}
		for step := range 3000 {
			switch op := rng.IntN(100); {
			case op < 12: // create segment
				cell := uint32(rng.IntN(cfg.NumCells))
				gone := r.expectCreate(cell)
				s, err := c.CreateSegment(cell)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range gone {
					delete(r.segs, g)
				}
				if _, dup := r.segs[s]; dup {
					t.Fatalf("step %d: new segment %d already live", step, s)
				}
				r.clock++
				r.segs[s] = &refSeg{cell: cell, used: r.clock}
			case op < 15: // destroy segment
				if s, ok := pick(); ok {
					if err := c.DestroySegment(s); err != nil {
						t.Fatal(err)
					}
					delete(r.segs, s)
				}
			case op < 35: // create synapse
				if s, ok := pick(); ok {
					in := uint32(rng.IntN(nin))
					p := float32(rng.IntN(12)) / 10 // 0 … 1.1, clipped
					x := r.segs[s]
					if i := slices.IndexFunc(x.syn, func(y Synapse) bool { return y.Input == in }); i >= 0 {
						x.syn[i].Permanence = min(p, 1)
					} else {
						if m := cfg.MaxSynapsesPerSegment; m > 0 && len(x.syn) >= m {
							w := weakestRef(x, nil)
							x.syn = slices.Delete(x.syn, w, w+1)
						}
						x.syn = append(x.syn, Synapse{in, min(p, 1)})
					}
					if err := c.CreateSynapse(s, in, p); err != nil {
						t.Fatal(err)
					}
				}
			case op < 40: // destroy synapse
				if s, ok := pick(); ok && len(r.segs[s].syn) > 0 {
					k := rng.IntN(len(r.segs[s].syn))
					r.segs[s].syn = slices.Delete(r.segs[s].syn, k, k+1)
					if err := c.DestroySynapse(s, k); err != nil {
						t.Fatal(err)
					}
				}
			case op < 55: // adapt (reinforce or punish)
				if s, ok := pick(); ok {
					active := randomSorted(rng, nin, nin/3)
					inc, dec := float32(0.1), float32(0.05)
					if rng.IntN(3) == 0 {
						inc, dec = -0.2, 0
					}
					x := r.segs[s]
					var keep []Synapse
					for _, y := range x.syn {
						p := y.Permanence
						if slices.Contains(active, y.Input) {
							p += inc
						} else {
							p -= dec
						}
						p = min(p, 1)
						if p >= Epsilon {
							keep = append(keep, Synapse{y.Input, p})
						}
					}
					x.syn = keep
					left, err := c.AdaptSegment(s, bitmapOf(nin, active), inc, dec)
					if err != nil || left != len(keep) {
						t.Fatalf("step %d: adapt left %d (%v), ref %d", step, left, err, len(keep))
					}
				}
			case op < 70: // grow
				if s, ok := pick(); ok {
					cand := randomSorted(rng, nin, 1+rng.IntN(nin/2))
					n := rng.IntN(8)
					x := r.segs[s]
					before := slices.Clone(x.syn)
					var fresh []uint32
					for _, in := range cand {
						if !slices.ContainsFunc(x.syn, func(y Synapse) bool { return y.Input == in }) {
							fresh = append(fresh, in)
						}
					}
					k := min(n, len(fresh))
					if m := cfg.MaxSynapsesPerSegment; m > 0 {
						for over := len(x.syn) + k - m; over > 0; over-- {
							w := weakestRef(x, cand)
							if w < 0 {
								break
							}
							x.syn = slices.Delete(x.syn, w, w+1)
						}
						k = min(k, m-len(x.syn))
					}
					got, err := c.GrowSynapses(s, cand, n, 0.21, rng)
					if err != nil || got != max(k, 0) {
						t.Fatalf("step %d: grew %d (%v), want %d (before %v, cand %v)", step, got, err, k, before, cand)
					}
					now, _ := c.Synapses(nil, s)
					if !slices.Equal(now[:len(x.syn)], x.syn) {
						t.Fatalf("step %d: grow changed the kept synapses", step)
					}
					for _, y := range now[len(x.syn):] {
						if y.Permanence != 0.21 || !slices.Contains(fresh, y.Input) {
							t.Fatalf("step %d: grown synapse %v not a fresh candidate", step, y)
						}
					}
					x.syn = now
				}
			case op < 80: // touch
				if s, ok := pick(); ok {
					if err := c.Touch(s); err != nil {
						t.Fatal(err)
					}
					r.clock++
					r.segs[s].used = r.clock
				}
			case op < 90: // activity, both kernels
				active := randomSorted(rng, nin, rng.IntN(nin/2+1))
				want := r.activity(active, cfg.ConnectedPermanence)
				conThr, potThr := 1+rng.IntN(4), 1+rng.IntN(6)
				for kernel := range 4 {
					switch kernel {
					case 0:
						err = c.ComputeActivity(&act, active)
					case 3:
						err = c.ComputeActivityOver(&act, active, conThr, potThr)
					default:
						err = c.ComputeActivityDense(&act, bitmapOf(nin, active), kernel)
					}
					if err != nil {
						t.Fatal(err)
					}
					if kernel == 3 {
						var over []Segment
						for s, w := range want {
							if w[0] >= potThr || w[1] >= conThr {
								over = append(over, s)
							}
						}
						slices.Sort(over)
						if !slices.Equal(act.Touched(), over) {
							t.Fatalf("step %d: over %v, want %v", step, act.Touched(), over)
						}
					} else if len(act.Touched()) != len(want) {
						t.Fatalf("step %d kernel %d: %d touched, want %d", step, kernel, len(act.Touched()), len(want))
					}
					for s := range Segment(c.SegmentSlots()) {
						w := want[s]
						if act.Potential(s) != w[0] || act.Connected(s) != w[1] {
							t.Fatalf("step %d kernel %d: segment %d: %d/%d, want %d/%d", step, kernel, s,
								act.Potential(s), act.Connected(s), w[0], w[1])
						}
					}
				}
			default: // round trip through the codec
				b, err := c.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var d Connections
				if err := d.UnmarshalBinary(b); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
				b2, _ := d.MarshalBinary()
				if !bytes.Equal(b, b2) {
					t.Fatalf("step %d: re-encoding differs", step)
				}
				c = &d // continue on the decoded copy
			}
			compare(t, step, c, r)
		}
		if c.NumSegments() == 0 || c.NumSynapses() == 0 {
			t.Errorf("config %d: degenerate run", ci)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []Config{
		{},
		{NumCells: 1, ConnectedPermanence: 0},
		{NumCells: 1, ConnectedPermanence: 1.5},
		{NumCells: -1, ConnectedPermanence: 0.5},
		{NumCells: 1, NumInputs: -2, ConnectedPermanence: 0.5},
		{NumCells: 1, ConnectedPermanence: 0.5, MaxSegmentsPerCell: -1},
		{NumCells: 1, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: -1},
		{NumCells: 1, ConnectedPermanence: 0.5, MaxSegments: -1},
		{NumCells: MaxInputs + 1, ConnectedPermanence: 0.5},
	}
	for _, cfg := range bad {
		if _, err := New(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err %v, want ErrConfig", cfg, err)
		}
	}
}

func TestErrors(t *testing.T) {
	c, _ := New(Config{NumCells: 2, NumInputs: 10, ConnectedPermanence: 0.5})
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := c.CreateSegment(2); !errors.Is(err, ErrCell) {
		t.Error(err)
	}
	s, _ := c.CreateSegment(1)
	checks := []error{
		c.CreateSynapse(s, 10, 0.5),
		c.CreateSynapse(s+1, 1, 0.5),
		c.DestroySynapse(s, 0),
		c.SetPermanence(s, 0, 0.3),
		c.DestroySegment(7),
		c.Touch(7),
		c.ComputeActivity(&Activity{}, []uint32{3, 3}),
		c.ComputeActivity(&Activity{}, []uint32{10}),
		c.ComputeActivityDense(&Activity{}, nil, 1),
	}
	_, err := c.AdaptSegment(s, nil, 0.1, 0.1)
	checks = append(checks, err)
	_, err = c.CreateSegmentWith(0, []Synapse{{1, 0.5}, {2, 0.5}, {1, 0.6}})
	checks = append(checks, err)
	_, err = c.CreateSegmentWith(0, []Synapse{{10, 0.5}})
	checks = append(checks, err)
	if c.NumSegments() != 1 {
		t.Fatalf("failed CreateSegmentWith changed the store: %d segments", c.NumSegments())
	}
	_, err = c.GrowSynapses(s, []uint32{2, 1}, 1, 0.2, rng)
	checks = append(checks, err)
	_, err = c.GrowSynapses(s, []uint32{1}, 1, 0.2, nil)
	checks = append(checks, err)
	for i, err := range checks {
		if err == nil {
			t.Errorf("check %d: no error", i)
		}
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestEvictionPolicy spells out the documented eviction rules on small
// hand-made cases.
func TestEvictionPolicy(t *testing.T) {
	c, _ := New(Config{NumCells: 2, NumInputs: 10, ConnectedPermanence: 0.5, MaxSegmentsPerCell: 2, MaxSynapsesPerSegment: 3, MaxSegments: 3})
	a, _ := c.CreateSegment(0)
	b, _ := c.CreateSegment(0)
	c.Touch(a) // b is now the least recently used segment of cell 0
	d, _ := c.CreateSegment(0)
	if _, ok := c.CellOf(a); !ok || d != b || c.NumSegmentsOf(0) != 2 {
		t.Fatalf("per-cell LRU: b=%d not evicted and reused (d=%d)", b, d)
	}
	e, _ := c.CreateSegment(1) // 3 live: a, d, e
	_ = e
	f, _ := c.CreateSegment(1) // global cap: a is the oldest
	if cell, _ := c.CellOf(a); f != a || cell != 1 || c.NumSegments() != 3 {
		t.Fatalf("global LRU: a=%d not evicted and reused (f=%d, %d segments)", a, f, c.NumSegments())
	}
	// Weakest synapse: lowest permanence, ties to the lowest input.
	for i, p := range []float32{0.3, 0.2, 0.2} {
		c.CreateSynapse(f, uint32(5-i), p)
	}
	c.CreateSynapse(f, 9, 0.9)
	got, _ := c.Synapses(nil, f)
	want := []Synapse{{5, 0.3}, {4, 0.2}, {9, 0.9}}
	if !slices.Equal(got, want) {
		t.Fatalf("weakest eviction: %v, want %v", got, want)
	}
	// GrowSynapses keeps synapses onto candidates even when weaker.
	rng := rand.New(rand.NewPCG(3, 3))
	n, _ := c.GrowSynapses(f, []uint32{4, 7}, 1, 0.5, rng)
	got, _ = c.Synapses(nil, f)
	want = []Synapse{{4, 0.2}, {9, 0.9}, {7, 0.5}}
	if n != 1 || !slices.Equal(got, want) {
		t.Fatalf("grow eviction: %d %v, want %v", n, got, want)
	}
}

// TestAdaptPrunes checks that reinforcement clips at 1, that synapses whose
// permanence reaches 0 are pruned, and the connected flag.
func TestAdaptPrunes(t *testing.T) {
	c, _ := New(Config{NumCells: 1, NumInputs: 8, ConnectedPermanence: 0.5})
	s, _ := c.CreateSegment(0)
	for i, p := range []float32{0.95, 0.45, 0.3, 0.1} {
		c.CreateSynapse(s, uint32(i), p)
	}
	act := bitmapOf(8, []uint32{0, 1})
	n, _ := c.AdaptSegment(s, act, 0.1, 0.1)
	got, _ := c.Synapses(nil, s)
	if n != 3 || got[0].Permanence != 1 || !c.IsConnected(got[1].Permanence) || c.IsConnected(got[2].Permanence) {
		t.Fatalf("after adapt: %d %v", n, got)
	}
	var a Activity
	c.ComputeActivity(&a, []uint32{0, 1, 2})
	if a.Potential(s) != 3 || a.Connected(s) != 2 {
		t.Fatalf("activity %d/%d", a.Potential(s), a.Connected(s))
	}
	if m := a.AppendActive(nil, 2); len(m) != 1 {
		t.Fatal(m)
	}
	if m := a.AppendMatching(nil, 4); len(m) != 0 {
		t.Fatal(m)
	}
	// Punish the active synapses down to nothing: the segment stays, empty.
	for range 20 {
		c.AdaptSegment(s, bitmapOf(8, []uint32{0, 1, 2}), -0.1, 0)
	}
	if c.NumSynapsesOf(s) != 0 || c.NumSegments() != 1 {
		t.Fatalf("%d synapses, %d segments", c.NumSynapsesOf(s), c.NumSegments())
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestLargeIndices checks that segment and synapse counts are not limited
// to 16 bits.
func TestLargeIndices(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	c, _ := New(Config{NumCells: 2, NumInputs: 70000, ConnectedPermanence: 0.5})
	s, _ := c.CreateSegment(0)
	for i := range uint32(70000) {
		if err := c.CreateSynapse(s, i, 0.6); err != nil {
			t.Fatal(err)
		}
	}
	for range 70000 {
		if _, err := c.CreateSegment(1); err != nil {
			t.Fatal(err)
		}
	}
	var a Activity
	c.ComputeActivity(&a, []uint32{5, 69999})
	if c.NumSegmentsOf(1) != 70000 || a.Connected(s) != 2 || c.NumSynapsesOf(s) != 70000 {
		t.Fatalf("%d segments, %d synapses", c.NumSegmentsOf(1), c.NumSynapsesOf(s))
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

func TestClasses(t *testing.T) {
	for n := uint32(1); n < 1<<20; n++ {
		k := classFor(n)
		if classSize(k) < n || (k > 0 && classSize(k-1) >= n) || classSize(k) > n+n/4+4 {
			t.Fatalf("n=%d: class %d of size %d", n, k, classSize(k))
		}
	}
	if k := classFor(7 << 29); k != numClasses-1 || classSize(k) != 7<<29 {
		t.Fatalf("largest class %d", k)
	}
	if classFor(20) != 9 || classSize(9) != 20 {
		t.Fatal("a 20-synapse segment does not fit a block of 20")
	}
}

// TestRevRepack grows and shrinks the reverse lists of one group of inputs
// until their slab is repacked several times, checking the store and the
// activity against brute force throughout.
func TestRevRepack(t *testing.T) {
	const inputs = 64
	c, _ := New(Config{NumCells: 4, NumInputs: inputs, ConnectedPermanence: 0.5})
	rng := rand.New(rand.NewPCG(9, 9))
	r := newRef(c.Config())
	var act Activity
	syn := make([]Synapse, 0, inputs)
	for round := range 40 {
		for range 30 {
			syn = syn[:0]
			for _, in := range randomSorted(rng, inputs, 1+rng.IntN(inputs)) {
				syn = append(syn, Synapse{in, rng.Float32()})
			}
			s, err := c.CreateSegmentWith(uint32(rng.IntN(4)), syn)
			if err != nil {
				t.Fatal(err)
			}
			r.clock++
			r.segs[s] = &refSeg{cell: c.segCell[s], used: r.clock, syn: slices.Clone(syn)}
		}
		for _, s := range r.allSegs() {
			if rng.IntN(3) == 0 {
				c.DestroySegment(s)
				delete(r.segs, s)
			}
		}
		compare(t, round, c, r)
		active := randomSorted(rng, inputs, rng.IntN(inputs))
		want := r.activity(active, 0.5)
		c.ComputeActivity(&act, active)
		for s := range Segment(c.SegmentSlots()) {
			if w := want[s]; act.Potential(s) != w[0] || act.Connected(s) != w[1] {
				t.Fatalf("round %d: segment %d: %d/%d, want %v", round, s, act.Potential(s), act.Connected(s), w)
			}
		}
	}
	if c.NumSynapses() < 1000 {
		t.Fatalf("only %d synapses", c.NumSynapses())
	}
}

// TestDenseParallel: the dense kernel gives the same result for any number
// of workers, equal to the reverse-index kernel's (run it with -race).
func TestDenseParallel(t *testing.T) {
	c := benchStore(t, 5000, 30, 4096)
	rng := rand.New(rand.NewPCG(10, 10))
	var sparse, dense Activity
	for range 5 {
		active := randomSorted(rng, 4096, 400)
		c.ComputeActivity(&sparse, active)
		want := slices.Sorted(slices.Values(sparse.Touched()))
		for _, w := range []int{1, 2, 3, 8} {
			if err := c.ComputeActivityDense(&dense, bitmapOf(4096, active), w); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(dense.Touched(), want) {
				t.Fatalf("workers %d: touched differs", w)
			}
			for _, s := range want {
				if dense.Potential(s) != sparse.Potential(s) || dense.Connected(s) != sparse.Connected(s) {
					t.Fatalf("workers %d: segment %d differs", w, s)
				}
			}
		}
	}
}

// TestGrowRejectsCandidates: GrowSynapses rejects unsorted, repeated or
// out-of-range candidates without changing the segment, and leaves its
// scratch bitmap clear, so that the next call still sees every fresh
// candidate; a list changed in place between calls is seen as it is.
func TestGrowRejectsCandidates(t *testing.T) {
	c, _ := New(Config{NumCells: 200, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 50})
	s, _ := c.CreateSegment(0)
	for _, in := range []uint32{3, 70, 130} {
		if err := c.CreateSynapse(s, in, 0.4); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for _, bad := range [][]uint32{{3, 2}, {3, 3}, {1, 70, 200}, {1, 500, 7}, {70, 130, 129}} {
		if n, err := c.GrowSynapses(s, bad, 5, 0.2, rng); err == nil || n != 0 {
			t.Fatalf("candidates %v: %d, %v", bad, n, err)
		}
		if c.NumSynapsesOf(s) != 3 {
			t.Fatalf("candidates %v: segment changed", bad)
		}
		for i, w := range c.candSeen {
			if w != 0 {
				t.Fatalf("candidates %v: bitmap word %d left %#x", bad, i, w)
			}
		}
	}
	// One buffer, changed in place between the calls (as a caller that
	// reuses its list does): each call sees the list as it is then.
	buf := []uint32{3, 64, 70, 129, 130, 199}
	if n, err := c.GrowSynapses(s, buf, 1, 0.2, rng); err != nil || n != 1 {
		t.Fatalf("grew %d (%v), want 1", n, err)
	}
	copy(buf, []uint32{3, 64, 70, 199, 130, 129})
	if n, err := c.GrowSynapses(s, buf, 5, 0.2, rng); err == nil || n != 0 {
		t.Fatalf("unsorted list in a reused buffer: %d, %v", n, err)
	}
	first, _ := c.Synapses(nil, s)
	x := first[3].Input // one of 64, 129, 199
	copy(buf, []uint32{3, 64, 70, 129, 130, 150})
	want := []uint32{64, 129, 150}
	if !slices.Contains(want, x) {
		want = append(want, x)
	}
	slices.Sort(want)
	n, err := c.GrowSynapses(s, buf, 10, 0.2, rng)
	got, _ := c.Synapses(nil, s)
	var ins []uint32
	for _, y := range got[3:] {
		ins = append(ins, y.Input)
	}
	slices.Sort(ins)
	if err != nil || n != len(want)-1 || !slices.Equal(ins, want) {
		t.Fatalf("grew %d (%v) onto %v, want %v", n, err, ins, want)
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}
