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

// freshCandidates stores into dst (as long as candidates) the candidates
// whose bit is clear in mark, in order, and returns their number. It
// reports false if candidates is not strictly increasing or holds an
// index of limit or more (dst is then garbage). The loop is branch-free
// but for that check: every candidate is stored, and the end advances
// past those not marked. It is kept out of line so that its loop gets
// registers of its own (inlined in GrowSynapses, it spilled its counters).
//
//go:noinline
func freshCandidates(dst, candidates []uint32, mark []uint64, limit uint32) (int, bool) {
	dst = dst[:len(candidates)]
	w := 0
	prev := int64(-1)
	for _, v := range candidates {
		// Both bounds, before the bitmap is read: an out-of-order
		// candidate shows only at the next one.
		if int64(v) <= prev || v >= limit {
			return 0, false
		}
		prev = int64(v)
		dst[w] = v
		w += int(^mark[v>>6] >> (v & 63) & 1)
	}
	return w, true
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
	// Candidates not yet on the segment: mark the inputs of the segment's
	// synapses in a bitmap of the inputs (a segment has fewer synapses than
	// there are candidates, typically), keep the candidates not marked (in
	// order), checking them on the way, and unmark the segment's inputs so
	// that the bitmap is left clear.
	mark := c.growMark
	if len(mark) == 0 {
		mark = make([]uint64, (c.numInputs+63)/64)
		c.growMark = mark
	}
	off, cnt := c.segOff[seg], c.segLen[seg]
	keys := c.synKey[off : off+cnt : off+cnt]
	for _, key := range keys {
		in := key & keyMask
		mark[in>>6] |= 1 << (in & 63)
	}
	sc := slices.Grow(c.scratch[:0], len(candidates))[:len(candidates)]
	w, ok := freshCandidates(sc, candidates, mark, c.numInputs)
	if !ok {
		for _, key := range keys {
			in := key & keyMask
			mark[in>>6] &^= 1 << (in & 63)
		}
		c.scratch = sc[:0]
		return 0, checkSorted(candidates, c.numInputs, "candidates")
	}
	for _, key := range keys {
		in := key & keyMask
		mark[in>>6] &^= 1 << (in & 63)
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
