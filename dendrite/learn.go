package dendrite

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
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
	// The permanences are compared by their bits as int32, which orders
	// them as floats: a new permanence is finite (an old one lies in
	// [0, 1] and the change is finite), a negative one reads as a negative
	// integer, below every non-negative one, and one at or above Epsilon is
	// positive, where the order of the bits is the order of the values
	// (IEEE 754 §3.4); the threshold may be negative (a connected
	// permanence below Epsilon), and then every kept synapse is over it,
	// as a float comparison says. The clip at 1 is then an integer min,
	// without a branch: whether an input is active, and so whether a
	// permanence at 1 would pass it, is unpredictable.
	const one = int32(0x3f800000) // the bits of float32(1)
	eps := int32(math.Float32bits(Epsilon))
	thr := int32(math.Float32bits(c.connThr))
	// The fast loop runs while no synapse has been pruned, so that every
	// synapse stays in its slot.
	i := 0
	for ; i < len(keys); i++ {
		key := keys[i]
		in := key & keyMask
		p := min(int32(math.Float32bits(perms[i]+delta[active[in>>6]>>(in&63)&1])), one)
		if p < eps {
			break
		}
		perms[i] = math.Float32frombits(uint32(p))
		var flag uint32
		if p >= thr {
			flag = flagBit
		}
		if key&flagBit != flag {
			c.flipFlag(off + uint32(i))
		}
	}
	// From the first pruned synapse on, the survivors move down over the
	// gaps (keeping their order): each move rewrites the synapse's slot in
	// its reverse entry, in the same visit as its connected flag.
	revs := c.synRev[off : off+n : off+n]
	w := i
	for ; i < len(keys); i++ {
		key := keys[i]
		in := key & keyMask
		p := min(int32(math.Float32bits(perms[i]+delta[active[in>>6]>>(in&63)&1])), one)
		r := revs[i]
		if p < eps {
			c.revRemove(in, r)
			c.numSyn--
			continue
		}
		var flag uint32
		if p >= thr {
			flag = flagBit
		}
		g := &c.revGroups[in>>groupShift]
		at := c.rev[in].off + r
		if key&flagBit != flag {
			key ^= flagBit
			g.seg[at] ^= flagBit
		}
		keys[w], perms[w], revs[w] = key, math.Float32frombits(uint32(p)), r
		g.slot[at] = uint32(w)
		w++
	}
	c.segLen[seg] = uint32(w)
	return w, nil
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

// sameCandidates reports whether candidates holds the list that
// prepareCandidates last accepted, for the current number of inputs.
// It compares four elements per step, with no branch between them: the
// lists are equal nearly always, so the comparison runs to the end.
func (c *Connections) sameCandidates(candidates []uint32) bool {
	prep := c.candList
	if len(prep) != len(candidates) || c.candLimit != c.numInputs || len(prep) == 0 {
		return false
	}
	prep = prep[:len(candidates)]
	var diff uint32
	i := 0
	for ; i+4 <= len(candidates); i += 4 {
		a, b := candidates[i:i+4:i+4], prep[i:i+4:i+4]
		diff |= (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])
	}
	for ; i < len(candidates); i++ {
		diff |= candidates[i] ^ prep[i]
	}
	return diff == 0
}

// prepareCandidates checks candidates (strictly increasing, below the
// number of inputs) and, if they pass, keeps a copy of them, their bitmap
// over the inputs and, per word of the bitmap, the number of candidates
// below it (candBelow: a candidate's position in the list is that plus the
// candidates below it in its word), for sameCandidates and
// freshCandidates. It returns checkSorted's error if they do not pass, and
// then the prepared state is the one before.
func (c *Connections) prepareCandidates(candidates []uint32) error {
	if err := checkSorted(candidates, c.numInputs, "candidates"); err != nil {
		return err
	}
	words := int(c.numInputs+63) / 64
	if len(c.candBits) != words || c.candLimit != c.numInputs {
		c.candBits = make([]uint64, words)
		c.candBelow = make([]uint32, words)
	} else {
		for _, v := range c.candList {
			c.candBits[v>>6] = 0
		}
	}
	mark := c.candBits
	for _, v := range candidates {
		mark[v>>6] |= 1 << (v & 63)
	}
	var below uint32
	for w, b := range mark {
		c.candBelow[w] = below
		below += uint32(bits.OnesCount64(b))
	}
	c.candList = append(c.candList[:0], candidates...)
	c.candLimit = c.numInputs
	if n := (len(candidates) + 63) / 64; len(c.candSeen) < n {
		c.candSeen = make([]uint64, n)
	}
	return nil
}

// freshCandidates appends to dst, in order, the prepared candidates
// (which candidates equals) that are not the input of any of keys (a
// segment's synapses), and returns it. The positions of the candidates
// that keys sample are marked in candSeen without a branch (a key that is
// no candidate sets no bit), and the runs between them are copied; the
// marks are cleared on the way.
func (c *Connections) freshCandidates(keys, candidates, dst []uint32) []uint32 {
	seen := c.candSeen
	markSeen(keys, c.candBits, c.candBelow, seen)
	start := 0
	for wi, w := range seen[:(len(candidates)+63)/64] {
		seen[wi] = 0
		for w != 0 {
			pos := wi*64 + bits.TrailingZeros64(w)
			w &= w - 1
			dst = append(dst, candidates[start:pos]...)
			start = pos + 1
		}
	}
	return append(dst, candidates[start:]...)
}

// markSeen sets in seen the position of the input of every key that is a
// candidate (set in mark; its position is below[word] plus the candidates
// below it in its word), without a branch: a key that is no candidate sets
// no bit. The position comes from the bitmap and a table of one entry a
// word, both small enough to stay in the processor's cache; a table of one
// position per input (64 KB for 16,384 cells) missed it on every key.
// It is kept out of line so that its loop gets registers of its own.
//
//go:noinline
func markSeen(keys []uint32, mark []uint64, below []uint32, seen []uint64) {
	for _, key := range keys {
		in := key & keyMask
		m := mark[in>>6]
		bit := in & 63
		hit := m >> bit & 1
		r := (below[in>>6] + uint32(bits.OnesCount64(m&(1<<bit-1)))) & uint32(-hit) // 0 if in is no candidate
		seen[r>>6] |= hit << (r & 63)
	}
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
	// Candidates not yet on the segment. The candidates are prepared once
	// for as long as the caller passes the same list (a temporal memory
	// passes its previous winner cells to every segment that learns in a
	// step): checked, with a bitmap of them and each one's position in the
	// list. A segment then marks the positions of the candidates it
	// already samples, and the others are copied in runs between those.
	if !c.sameCandidates(candidates) {
		if err := c.prepareCandidates(candidates); err != nil {
			return 0, err
		}
	}
	off, cnt := c.segOff[seg], c.segLen[seg]
	sc := c.freshCandidates(c.synKey[off:off+cnt:off+cnt], candidates, c.scratch[:0])
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
	return c.addSynapses(seg, sc[:max(k, 0)], p)
}
