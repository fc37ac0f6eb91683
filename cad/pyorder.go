package cad

// The published contextOSE results were computed by NAB's Python 2
// implementation, whose results depend on two accidents of CPython 2.7 that
// this file reproduces:
//
//   - the active contexts are ranked by (activation count, hash of the left
//     semi-context's fact tuple, hash of the right one), so ties in the count
//     are broken by CPython 2.7's tuple hash (py2TupleHash);
//   - a left semi-context's links to its contexts live in a dict keyed by the
//     right semi-context's number, and the order in which that dict is walked
//     decides the order of the candidate contexts, hence the numbers new
//     contexts get, hence the "neuron" facts of later rows (pyIntDict).
//
// Python looks semi-contexts up by their tuple's hash alone (two different
// tuples with one hash would be one semi-context); we look them up by their
// content, and use the hash only as the ranking key above.

// py2TupleHash is CPython 2.7's hash of a tuple of small ints on a 64-bit
// build (Objects/tupleobject.c, tuplehash; an int hashes to itself, -1 to
// -2): start from 0x345678 and a multiplier of 1000003; for each element,
// x = (x XOR element) * multiplier and the multiplier grows by 82520 plus
// twice the number of elements still to come; finally add 97531. The
// arithmetic wraps at 64 bits, as C's long does on that build.
func py2TupleHash(facts []int64) int64 {
	x := int64(0x345678)
	mult := int64(1000003)
	n := len(facts)
	for i, f := range facts {
		if f == -1 {
			f = -2
		}
		x = (x ^ f) * mult
		rest := int64(n - 1 - i)
		mult += 82520 + 2*rest
	}
	x += 97531
	if x == -1 {
		x = -2
	}
	return x
}

// pyIntDict maps non-negative int keys to int32 values and is walked in the
// order CPython 2.7's dict would walk it, for a dict that only ever grows
// (Objects/dictobject.c: open addressing over a power-of-two table of at
// least 8 slots; an int key hashes to itself; the first probe is
// key & mask, then i = 5i + perturb + 1 with perturb starting at the key and
// shifted right 5 bits per probe; after an insertion that leaves the table
// at least two thirds full, it is rebuilt with the smallest power of two
// above four times the number of keys, re-inserting the keys in slot order;
// iteration is slot order). With insertionOrder set it is walked in the order
// of insertion instead (Python 3.7 and later).
type pyIntDict struct {
	keys  []int32 // in insertion order
	vals  []int32
	slots []int32 // index into keys, or -1; nil until the first insertion
	order []int32 // walk order (indices into keys), rebuilt after an insertion
	// cached says order is valid for the mode cachedIns.
	cached, cachedIns bool
}

// get returns the value of key and whether it is present.
func (d *pyIntDict) get(key int32) (int32, bool) {
	if d.slots == nil {
		return 0, false
	}
	mask := uint64(len(d.slots) - 1)
	i := uint64(key) & mask
	perturb := uint64(key)
	for {
		s := d.slots[i&mask]
		if s < 0 {
			return 0, false
		}
		if d.keys[s] == key {
			return d.vals[s], true
		}
		i = i<<2 + i + perturb + 1
		perturb >>= 5
	}
}

// insert adds key (absent) with value v.
func (d *pyIntDict) insert(key, v int32) {
	if d.slots == nil {
		d.slots = newSlots(8)
	}
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, v)
	d.place(int32(len(d.keys) - 1))
	used := len(d.keys)
	if used*3 >= len(d.slots)*2 {
		size := 8
		for size <= 4*used {
			size <<= 1
		}
		old := d.slots
		d.slots = newSlots(size)
		for _, s := range old {
			if s >= 0 {
				d.place(s)
			}
		}
	}
	d.cached = false
}

func (d *pyIntDict) place(idx int32) {
	key := d.keys[idx]
	mask := uint64(len(d.slots) - 1)
	i := uint64(key) & mask
	perturb := uint64(key)
	for d.slots[i&mask] >= 0 {
		i = i<<2 + i + perturb + 1
		perturb >>= 5
	}
	d.slots[i&mask] = idx
}

func newSlots(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// walkOrder returns the indices into keys/vals in iteration order.
func (d *pyIntDict) walkOrder(insertionOrder bool) []int32 {
	if d.cached && d.cachedIns == insertionOrder && len(d.order) == len(d.keys) {
		return d.order
	}
	d.order = d.order[:0]
	if insertionOrder {
		for i := range d.keys {
			d.order = append(d.order, int32(i))
		}
	} else {
		for _, s := range d.slots {
			if s >= 0 {
				d.order = append(d.order, s)
			}
		}
	}
	d.cached, d.cachedIns = true, insertionOrder
	return d.order
}
