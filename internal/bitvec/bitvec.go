// Package bitvec holds the dense-bitset kernels shared by the SDR library
// and the simulators: a bit vector is a []uint64 whose bit i lives in word
// i/64 at position i%64 (least significant bit first).
//
// The functions are plain loops over math/bits, unrolled where it pays off.
// On GOAMD64=v1 each bits.OnesCount64 carries a run-time POPCNT check;
// building with GOAMD64=v3 removes it (about 1.5× on the popcount loops).
//
// The functions do not check their arguments beyond what the Go runtime
// does; callers validate indices and lengths.
package bitvec

import (
	"math/bits"
	"slices"
)

// Len returns the number of 64-bit words needed to hold n bits.
func Len(n int) int { return (n + 63) >> 6 }

// Get reports whether bit i of v is set.
func Get(v []uint64, i uint32) bool { return v[i>>6]&(1<<(i&63)) != 0 }

// Set sets bit i of v.
func Set(v []uint64, i uint32) { v[i>>6] |= 1 << (i & 63) }

// Clear clears bit i of v.
func Clear(v []uint64, i uint32) { v[i>>6] &^= 1 << (i & 63) }

// TailMask returns the mask of the bits that are in use in the last word of
// an n-bit vector: all ones when n is a multiple of 64.
func TailMask(n int) uint64 {
	if r := n & 63; r != 0 {
		return 1<<uint(r) - 1
	}
	return ^uint64(0)
}

// Count returns the number of set bits in v.
func Count(v []uint64) int {
	var c0, c1, c2, c3 int
	i := 0
	for ; i+4 <= len(v); i += 4 {
		w := v[i : i+4 : i+4]
		c0 += bits.OnesCount64(w[0])
		c1 += bits.OnesCount64(w[1])
		c2 += bits.OnesCount64(w[2])
		c3 += bits.OnesCount64(w[3])
	}
	for ; i < len(v); i++ {
		c0 += bits.OnesCount64(v[i])
	}
	return c0 + c1 + c2 + c3
}

// AndCount returns the number of bits set in both a and b, that is
// popcount(a AND b), over the first len(a) words. b must be at least as
// long as a. The loop is unrolled by four with independent accumulators.
func AndCount(a, b []uint64) int {
	b = b[:len(a)]
	var c0, c1, c2, c3 int
	i := 0
	for ; i+4 <= len(a); i += 4 {
		x := a[i : i+4 : i+4]
		y := b[i : i+4 : i+4]
		c0 += bits.OnesCount64(x[0] & y[0])
		c1 += bits.OnesCount64(x[1] & y[1])
		c2 += bits.OnesCount64(x[2] & y[2])
		c3 += bits.OnesCount64(x[3] & y[3])
	}
	for ; i < len(a); i++ {
		c0 += bits.OnesCount64(a[i] & b[i])
	}
	return c0 + c1 + c2 + c3
}

// CountSparse returns how many of the indices in idx have their bit set in
// v: the overlap of a sparse set with a dense one, one probe per index.
// Every index must be below 64·len(v).
func CountSparse(v []uint64, idx []uint32) int {
	c := 0
	for _, i := range idx {
		c += int(v[i>>6] >> (i & 63) & 1)
	}
	return c
}

// AppendOnes appends the indices of the set bits of v to dst, in
// increasing order, and returns the extended slice.
//
// It avoids the unpredictable "while bits remain" branch of the obvious
// loop: each word writes four indices unconditionally (the ones past its
// popcount are garbage, overwritten by the next word or cut off at the
// end), and only words with more than four set bits loop. So the result
// needs four spare slots of capacity, which AppendOnes grows if needed.
func AppendOnes(dst []uint32, v []uint64) []uint32 {
	n := len(dst)
	dst = slices.Grow(dst, Count(v)+4)
	buf := dst[:cap(dst)]
	for wi, w := range v {
		base := uint32(wi) << 6
		c := bits.OnesCount64(w)
		b := buf[n : n+4 : n+4]
		b[0] = base + uint32(bits.TrailingZeros64(w))
		w &= w - 1
		b[1] = base + uint32(bits.TrailingZeros64(w))
		w &= w - 1
		b[2] = base + uint32(bits.TrailingZeros64(w))
		w &= w - 1
		b[3] = base + uint32(bits.TrailingZeros64(w))
		w &= w - 1
		if c > 4 {
			for k := n + 4; w != 0; k++ {
				buf[k] = base + uint32(bits.TrailingZeros64(w))
				w &= w - 1
			}
		}
		n += c
	}
	return buf[:n]
}

// AppendZeros appends the indices below n of the clear bits of v to dst, in
// increasing order, and returns the extended slice. v must hold at least
// Len(n) words.
func AppendZeros(dst []uint32, v []uint64, n int) []uint32 {
	nw := Len(n)
	for wi := 0; wi < nw; wi++ {
		w := ^v[wi]
		if wi == nw-1 {
			w &= TailMask(n)
		}
		base := uint32(wi) << 6
		for w != 0 {
			dst = append(dst, base+uint32(bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return dst
}
