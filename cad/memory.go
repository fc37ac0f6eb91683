package cad

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// contentHash returns a 64-bit hash of a fact list, used to find
// semi-contexts and candidate pairs by content; equal hashes are always
// confirmed by comparing the facts. Each side hashes with a seed of its own,
// drawn at random when it is made (hash/maphash), so that no input can pick
// facts whose hashes collide: with a fixed hash (FNV-1a until 2026-12-07),
// a crafted checkpoint of many semi-contexts with one hash would have made
// decoding quadratic, each new one compared with all the others. No result
// depends on the hash values: a lookup confirms every hit, and
// distinctPairs only counts.
func (s *side) contentHash(facts []int64) uint64 {
	b := s.buf[:0]
	for _, f := range facts {
		b = binary.LittleEndian.AppendUint64(b, uint64(f))
	}
	s.buf = b
	return maphash.Bytes(s.seed, b)
}

// addPair stores a candidate context (copies of l and r) in d.pairs.
func (d *Detector) addPair(l, r []int64) {
	lo := int32(len(d.arena))
	d.arena = append(d.arena, l...)
	mid := int32(len(d.arena))
	d.arena = append(d.arena, r...)
	d.pairs = append(d.pairs, pair{lo: lo, mid: mid, hi: int32(len(d.arena)), hl: d.sides[0].contentHash(l), hr: d.sides[1].contentHash(r)})
}

// find returns the semi-context of s with exactly these facts, or -1.
func (s *side) find(facts []int64, h uint64) int32 {
	for _, id := range s.byContent[h] {
		if slices.Equal(s.semis[id].facts, facts) {
			return id
		}
	}
	return -1
}

// lookupOrAdd returns the semi-context of s with these facts, creating it
// (with an empty overlap) if there is none.
func (s *side) lookupOrAdd(facts []int64) int32 {
	h := s.contentHash(facts)
	if id := s.find(facts, h); id >= 0 {
		return id
	}
	id := int32(len(s.semis))
	sc := &semi{facts: slices.Clone(facts), hash: py2TupleHash(facts)}
	s.semis = append(s.semis, sc)
	s.byContent[h] = append(s.byContent[h], id)
	for _, f := range facts {
		s.byFact[f] = append(s.byFact[f], id)
	}
	return id
}

// findContext returns the number of the context (l, r), creating it if needed;
// created says whether it did.
func (d *Detector) findContext(l, r []int64) (id int32, created bool) {
	li := d.sides[0].lookupOrAdd(l)
	ri := d.sides[1].lookupOrAdd(r)
	links := &d.sides[0].semis[li].links
	if id, ok := links.get(ri); ok {
		return id, false
	}
	id = int32(len(d.contexts))
	links.insert(ri, id)
	d.contexts = append(d.contexts, contextRec{left: li, right: ri})
	return id, true
}

// zeroLevel records the zero-level context (previous left facts, current
// value facts) and reports whether it is new; a new one is excluded from
// this row's matching.
func (d *Detector) zeroLevel(l, r []int64) bool {
	id, created := d.findContext(l, r)
	d.contexts[id].zero = true
	if created {
		d.newCtx = id
	}
	return created
}

// addContext records a candidate context and reports whether it was new.
func (d *Detector) addContext(l, r []int64) bool {
	_, created := d.findContext(l, r)
	return created
}

// cross computes, for every semi-context of s, its overlap with facts (in
// the order of facts), and the list of those with a non-empty overlap in
// creation order.
func (d *Detector) cross(s *side, facts []int64) {
	for _, id := range s.crossed {
		s.semis[id].crossed = s.semis[id].crossed[:0]
	}
	s.crossed = s.crossed[:0]
	for _, f := range facts {
		for _, id := range s.byFact[f] {
			sc := s.semis[id]
			if len(sc.crossed) == 0 {
				s.crossed = append(s.crossed, id)
			}
			sc.crossed = append(sc.crossed, f)
		}
	}
	slices.Sort(s.crossed)
}

// collect walks the contexts of the left semi-contexts that overlap the
// previous row's left facts. A context whose left side is fully matched is
// selected; if its right side is fully matched by this row's value facts
// too it is active (its count grows). A zero-level context matched in part
// on both sides, on a row that created a new zero-level context, proposes
// the two overlaps as a candidate context, if the left overlap has at most
// MaxLeftFacts facts. It fills d.act and appends the candidates to d.pairs,
// and returns the number of selected contexts.
func (d *Detector) collect(newZero bool) int {
	d.act = d.act[:0]
	left, right := &d.sides[0], &d.sides[1]
	selected := 0
	for _, li := range left.crossed {
		ls := left.semis[li]
		lc := len(ls.crossed)
		full := lc == len(ls.facts)
		seed := newZero && lc <= d.p.MaxLeftFacts
		for _, k := range ls.links.walkOrder(d.insertionOrder) {
			ri, id := ls.links.keys[k], ls.links.vals[k]
			// NAB compares with the number of the new zero-level context,
			// which is Python's False (equal to 0) on a row without one:
			// context 0 is never matched.
			if id == d.newCtx {
				continue
			}
			c := &d.contexts[id]
			rs := right.semis[ri]
			rc := len(rs.crossed)
			if full {
				selected++
			}
			switch {
			case rc == 0:
			case full && rc == len(rs.facts):
				c.count++
				d.act = append(d.act, active{id: id, count: c.count, left: ls.hash, right: rs.hash})
			case c.zero && seed:
				d.addPair(ls.crossed, rs.crossed)
			}
		}
	}
	d.newCtx = 0
	return selected
}

// distinctPairs returns the number of distinct pairs in d.pairs.
func (d *Detector) distinctPairs() int {
	d.order = d.order[:0]
	for i := range d.pairs {
		d.order = append(d.order, int32(i))
	}
	slices.SortFunc(d.order, func(a, b int32) int {
		pa, pb := &d.pairs[a], &d.pairs[b]
		if pa.hl != pb.hl {
			return cmp.Compare(pa.hl, pb.hl)
		}
		return cmp.Compare(pa.hr, pb.hr)
	})
	n := 0
	for i, a := range d.order {
		pa := &d.pairs[a]
		dup := false
		for j := i - 1; j >= 0; j-- {
			pb := &d.pairs[d.order[j]]
			if pb.hl != pa.hl || pb.hr != pa.hr {
				break
			}
			if slices.Equal(d.arena[pa.lo:pa.mid], d.arena[pb.lo:pb.mid]) &&
				slices.Equal(d.arena[pa.mid:pa.hi], d.arena[pb.mid:pb.hi]) {
				dup = true
				break
			}
		}
		if !dup {
			n++
		}
	}
	return n
}
