package dendrite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// AdaptSegment applies the Hebbian learning rule to segment s: the
// permanence of every synapse whose input is active (a set bit of the
// bitmap active, input i at bit i%64 of word i/64) changes by inc, and the
// permanence of every other synapse by −dec. Permanences are clipped at 1;
// a synapse whose permanence falls below Epsilon (to 0 or below) is
// destroyed. It returns the number of synapses left.
//
// Reinforcement is AdaptSegment(s, active, inc, dec) with inc, dec > 0;
// punishment of a segment that predicted wrongly is
// AdaptSegment(s, active, −d, 0). A segment left empty is not destroyed,
// so that the caller can grow synapses first; destroy it with
// DestroySegment if it stays empty.
func (c *Connections) AdaptSegment(s Segment, active []uint64, inc, dec float32) (int, error) {
	if c == nil {
		return 0, ErrNotInitialized
	}
	if !c.isLive(s) {
		return 0, fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if len(active)*64 < int(c.numInputs) {
		return 0, fmt.Errorf("%w: bitmap of %d words for %d inputs", ErrInput, len(active), c.numInputs)
	}
	if !finite(inc) || !finite(dec) {
		return 0, fmt.Errorf("%w: non-finite increment", ErrInput)
	}
	seg := uint32(s)
	off, n := c.segOff[seg], c.segLen[seg]
	// Branch-free choice of the change (whether an input is active is
	// unpredictable): p+inc or p−dec, indexed by the input's bit.
	delta := [2]float32{-dec, inc}
	keys := c.synKey[off : off+n : off+n]
	perms := c.synPerm[off : off+n : off+n]
	thr := c.connThr
	// The fast loop runs while no synapse has been pruned, so that every
	// synapse stays in its slot; the permanence is clipped at 1 by a
	// comparison (what min does for permanences, which are never NaN).
	i := 0
	for ; i < len(keys); i++ {
		key := keys[i]
		in := key & keyMask
		p := perms[i] + delta[active[in>>6]>>(in&63)&1]
		if p > 1 {
			p = 1
		}
		if p < Epsilon {
			break
		}
		perms[i] = p
		var flag uint32
		if p >= thr {
			flag = flagBit
		}
		if key&flagBit != flag {
			c.flipFlag(off + uint32(i))
		}
	}
	w := off + uint32(i)
	for i := w; i < off+n; i++ {
		key := c.synKey[i]
		in := key & keyMask
		p := min(c.synPerm[i]+delta[active[in>>6]>>(in&63)&1], 1)
		if p < Epsilon {
			c.revRemove(in, c.synRev[i])
			c.numSyn--
			continue
		}
		if w != i {
			c.moveSynapse(seg, i, w)
		}
		c.setPerm(w, p)
		w++
	}
	c.segLen[seg] = w - off
	return int(w - off), nil
}

// ReinforceAll is AdaptSegment(s, active, inc, dec) for a segment whose
// synapses are all onto active inputs, which the caller knows from a count
// (Activity.Potential(s) equal to NumSynapsesOf(s), with s unchanged
// since): every permanence grows by inc, clipped at 1, and the result is
// the same without the bitmap. inc must be finite and at least Epsilon,
// so that no synapse is pruned (p + inc ≥ Epsilon for every p ≥ 0); use
// AdaptSegment for a smaller one. It is cheaper: a synapse already at 1
// is left as it is (it stays at 1 and connected), which is every synapse
// of a segment that has learned its input, as in a repeating sequence. It
// returns the number of synapses, which does not change.
func (c *Connections) ReinforceAll(s Segment, inc float32) (int, error) {
	if c == nil {
		return 0, ErrNotInitialized
	}
	if !c.isLive(s) {
		return 0, fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if !(inc >= Epsilon && inc <= math.MaxFloat32) { // NaN fails both
		return 0, fmt.Errorf("%w: increment %v (want [Epsilon, MaxFloat32])", ErrInput, inc)
	}
	off, n := c.segOff[s], c.segLen[s]
	perms := c.synPerm[off : off+n : off+n]
	for i := 0; i < len(perms); i++ {
		// A synapse at 1 stays there (min(1+inc, 1) is 1) with its flag
		// set (1 is above the connected threshold): skip it.
		if i += leadingOnes(perms[i:]); i == len(perms) {
			break
		}
		c.setPerm(off+uint32(i), min(perms[i]+inc, 1))
	}
	return int(n), nil
}

// leadingOnes returns the number of permanences at 1 that p starts with.
// It tests four at a time by their product: permanences lie in [0, 1],
// where a product is 1 only if every factor is (a factor below 1 bounds
// the exact product, and so its rounding, by itself).
func leadingOnes(p []float32) int {
	i := 0
	for ; i+4 <= len(p); i += 4 {
		q := p[i : i+4 : i+4]
		if q[0]*q[1]*q[2]*q[3] != 1 {
			break
		}
	}
	for ; i < len(p) && p[i] == 1; i++ {
	}
	return i
}

// Prefetch reads the memory that learning on segment s will need (its
// slot and both ends of its synapses) and returns a sum of what it read,
// which means nothing. It is a hint: called for the segments about to
// learn before AdaptSegment is called on any of them, it lets their cache
// misses overlap instead of waiting for each other. It changes nothing; a
// segment that is not live is ignored.
func (c *Connections) Prefetch(s Segment) uint32 {
	if c == nil || int(s) >= len(c.segCell) {
		return 0
	}
	off, n := c.segOff[s], c.segLen[s]
	if n == 0 {
		return 0
	}
	last := off + n - 1
	return c.synKey[off] + c.synKey[last] + math.Float32bits(c.synPerm[off]+c.synPerm[last])
}

func finite(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }

// GrowSynapses adds up to n synapses with permanence p to segment s, onto
// inputs drawn uniformly without replacement from candidates (a sorted
// list without duplicates, typically the previous winner cells) among
// those that s does not sample yet. It returns the number of synapses
// added: min(n, number of such candidates), less if s is full.
//
// If s would exceed MaxSynapsesPerSegment, its weakest synapses (lowest
// permanence, ties to the lowest input) are destroyed first to make room,
// except synapses onto candidate inputs, which are about to be reinforced.
// The draws come from rng, so the result is reproducible.
func (c *Connections) GrowSynapses(s Segment, candidates []uint32, n int, p float32, rng *rand.Rand) (int, error) {
	if c == nil {
		return 0, ErrNotInitialized
	}
	if !c.isLive(s) {
		return 0, fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if n < 0 || p != p || rng == nil {
		return 0, fmt.Errorf("%w: n %d, permanence %v, rng %v", ErrInput, n, p, rng != nil)
	}
	if n == 0 || len(candidates) == 0 {
		return 0, checkSorted(candidates, c.numInputs, "candidates")
	}
	p = clip01(p)
	seg := uint32(s)
	// Candidates not yet on the segment: mark the candidates in a bitmap of
	// the inputs (checking them on the way), unmark the inputs of the
	// segment's synapses, and keep the candidates still marked (in order),
	// unmarking them as they go so that the bitmap is left clear.
	mark := c.growMark
	if len(mark) == 0 {
		mark = make([]uint64, (c.numInputs+63)/64)
		c.growMark = mark
	}
	prev := int64(-1)
	for i, v := range candidates {
		if int64(v) <= prev || v >= c.numInputs {
			for _, u := range candidates[:i] {
				mark[u>>6] &^= 1 << (u & 63)
			}
			return 0, checkSorted(candidates, c.numInputs, "candidates")
		}
		prev = int64(v)
		mark[v>>6] |= 1 << (v & 63)
	}
	off, cnt := c.segOff[seg], c.segLen[seg]
	for _, key := range c.synKey[off : off+cnt] {
		in := key & keyMask
		mark[in>>6] &^= 1 << (in & 63)
	}
	// Branch-free: every candidate is stored, and the end advances past
	// those still marked.
	sc := slices.Grow(c.scratch[:0], len(candidates))[:len(candidates)]
	w := 0
	for _, v := range candidates {
		b := mark[v>>6]
		mark[v>>6] = b &^ (1 << (v & 63))
		sc[w] = v
		w += int(b >> (v & 63) & 1)
	}
	sc = sc[:w]
	c.scratch = sc
	k := min(n, len(sc))
	if m := c.cfg.MaxSynapsesPerSegment; m > 0 {
		for over := int(c.segLen[seg]) + k - m; over > 0; over-- {
			w := c.weakest(seg, candidates)
			if w == noSeg {
				break
			}
			c.removeSynapse(seg, w)
		}
		k = min(k, m-int(c.segLen[seg]))
	}
	if k > 0 {
		if err := c.reserve(seg, uint32(k)); err != nil {
			return 0, err
		}
	}
	// Draw all the inputs first (the same draws as one at a time), so that
	// the memory of their lists is requested together.
	for i := range k {
		j := i + rng.IntN(len(sc)-i)
		sc[i], sc[j] = sc[j], sc[i]
	}
	if k > 0 {
		c.touchAppend(sc[:k])
	}
	for i, in := range sc[:max(k, 0)] {
		if err := c.addSynapse(seg, in, p); err != nil {
			return i, err
		}
	}
	return max(k, 0), nil
}
