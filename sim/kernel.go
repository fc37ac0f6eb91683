package sim

import "math/bits"

// The bit-sliced kernel evaluates one pattern against 64 segments at once.
//
// A lane table tab has one word per cell: bit j of tab[c] is set iff
// segment j of the current group of 64 segments has a synapse on cell c.
// For a pattern given as the list of its active cells, the overlap of
// segment j is the number of active cells c with bit j set in tab[c]. The
// kernel adds the a words tab[c] into 64 vertical (bit-sliced) counters:
// plane k holds bit k of every lane's count. The additions use the
// Harley–Seal carry-save tree, 15 full adders (5 logic operations each)
// per 16 inputs, so the cost is about a·5 operations + a loads per 64
// segment–pattern evaluations, instead of the 64·s bitmap probes of the
// segment-by-segment method. The comparison with θ is a bit-serial
// comparator over the planes (two operations per plane).

// maxHigh bounds the number of counter planes above the four low ones:
// counts up to 16·2^maxHigh − 1, far beyond any pattern size accepted.
const maxHigh = 28

// csa is a full adder over 64 lanes: a + b + c = 2·hi + lo.
func csa(a, b, c uint64) (hi, lo uint64) {
	u := a ^ b
	return (a & b) | (u & c), u ^ c
}

// highPlanes returns the number of planes above the four low ones needed
// to hold counts up to maxCount.
func highPlanes(maxCount int) int {
	h := bits.Len(uint(maxCount) >> 4)
	if h == 0 {
		h = 1
	}
	return h
}

// countGE returns the mask of the 64 lanes whose overlap with the pattern
// cells is at least theta. hi is the number of high planes (highPlanes of
// an upper bound on the overlap, at most maxHigh). theta must be ≥ 1.
func countGE(tab []uint64, cells []uint32, theta, hi int) uint64 {
	var ones, twos, fours, eights uint64
	var h [maxHigh]uint64
	high := h[:hi]
	for len(cells) >= 16 {
		c := cells[:16:16]
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
		twosA, ones = csa(ones, tab[c[0]], tab[c[1]])
		twosB, ones = csa(ones, tab[c[2]], tab[c[3]])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, tab[c[4]], tab[c[5]])
		twosB, ones = csa(ones, tab[c[6]], tab[c[7]])
		foursB, twos = csa(twos, twosA, twosB)
		eightsA, fours = csa(fours, foursA, foursB)
		twosA, ones = csa(ones, tab[c[8]], tab[c[9]])
		twosB, ones = csa(ones, tab[c[10]], tab[c[11]])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, tab[c[12]], tab[c[13]])
		twosB, ones = csa(ones, tab[c[14]], tab[c[15]])
		foursB, twos = csa(twos, twosA, twosB)
		eightsB, fours = csa(fours, foursA, foursB)
		sixteens, eights = csa(eights, eightsA, eightsB)
		for i := 0; sixteens != 0 && i < len(high); i++ {
			high[i], sixteens = high[i]^sixteens, high[i]&sixteens
		}
		cells = cells[16:]
	}
	for _, c := range cells {
		m := tab[c]
		ones, m = ones^m, ones&m
		twos, m = twos^m, twos&m
		fours, m = fours^m, fours&m
		eights, m = eights^m, eights&m
		for i := 0; m != 0 && i < len(high); i++ {
			high[i], m = high[i]^m, high[i]&m
		}
	}
	// Bit-serial comparison count ≥ theta, most significant plane first:
	// gt collects lanes already known to be greater, eq those equal so far.
	if theta>>4 >= 1<<len(high) {
		return 0
	}
	var gt uint64
	eq := ^uint64(0)
	cmp := func(x uint64, bit int) {
		if theta>>bit&1 != 0 {
			eq &= x
		} else {
			gt |= eq & x
			eq &^= x
		}
	}
	for i := len(high) - 1; i >= 0; i-- {
		cmp(high[i], 4+i)
	}
	cmp(eights, 3)
	cmp(fours, 2)
	cmp(twos, 1)
	cmp(ones, 0)
	return gt | eq
}

// countGERef is the reference for countGE: per-lane overlap by direct
// counting. It is used by the tests only, but lives here next to the
// kernel it checks.
func countGERef(tab []uint64, cells []uint32, theta int) uint64 {
	var cnt [64]int
	for _, c := range cells {
		m := tab[c]
		for j := range 64 {
			cnt[j] += int(m >> j & 1)
		}
	}
	var out uint64
	for j := range 64 {
		if cnt[j] >= theta {
			out |= 1 << j
		}
	}
	return out
}
