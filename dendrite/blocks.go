package dendrite

import "math/bits"

// Block size classes of the two arenas: four sizes per octave,
//
//	size(k) = (4 + k mod 4) · 2^⌊k/4⌋ = 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, …
//
// so a block wastes at most a fifth of its capacity, and a segment of
// exactly 20 synapses (htm.core's default maxNewSynapseCount) fits a block
// of 20.
const (
	numClasses = 120  // size(119) = 7·2^29, the largest block below MaxArena
	noClass    = 0xFF // segClass of a segment without a block
)

// classSize returns the capacity of a block of class k.
func classSize(k uint8) uint32 { return uint32(4+k&3) << (k >> 2) }

// classFor returns the smallest class with capacity at least n.
func classFor(n uint32) uint8 {
	if n <= 4 {
		return 0
	}
	e := max(0, bits.Len32(n-1)-3)
	m := (uint64(n) + 1<<e - 1) >> e // 4 < m ≤ 8
	if m == 8 {
		e, m = e+1, 4
	}
	return uint8(4*e + int(m) - 4)
}
