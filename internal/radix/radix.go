// Package radix sorts slices of unsigned integers by a stable
// least-significant-digit radix sort on bytes: a few sequential passes
// instead of the unpredictable branches of a comparison sort, which pays
// off for the long, fresh lists of segment indices the dendrite and
// temporal-memory hot loops produce each step.
package radix

import (
	"math/bits"
	"slices"
)

// minRadix is the length below which a comparison sort is faster.
const minRadix = 64

// Sort sorts x in increasing order of its bits from fromBit upwards (a
// multiple of 8; 0 for the whole value). The sort is stable, so keys whose
// lower bits are already in order need only their upper bits sorted:
// Sort(keys, spare, 32) orders cell<<32|segment keys given in segment
// order. Bytes in which all values agree are skipped. spare is scratch
// space, grown if need be and returned for reuse; Sort allocates nothing
// once spare is long enough. Short lists are sorted with slices.Sort (on
// whole values, which gives the same order for the keys above).
func Sort[T ~uint32 | ~uint64](x, spare []T, fromBit uint) []T {
	n := len(x)
	if n < minRadix {
		slices.Sort(x)
		return spare
	}
	var ones T
	ones = ^ones
	width := uint(bits.Len64(uint64(ones)))
	spare = slices.Grow(spare[:0], n)[:n]
	or, and := T(0), ones
	for _, v := range x {
		or |= v
		and &= v
	}
	src, dst := x, spare
	for shift := fromBit; shift < width; shift += 8 {
		if (or^and)>>shift&0xff == 0 {
			continue
		}
		var count [256]int
		for _, v := range src {
			count[v>>shift&0xff]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, v := range src {
			d := v >> shift & 0xff
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &x[0] {
		copy(x, src)
	}
	return spare
}
