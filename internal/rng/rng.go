// Package rng holds the seeding and sampling helpers shared by the
// simulators: reproducible per-task streams derived from one master seed,
// unbiased bounded integers, and random k-subsets by partial Fisher–Yates.
//
// Every generator is a math/rand/v2 PCG. Its 128-bit state is set from
// (seed, task index) through SplitMix64, so the numbers a task sees depend
// only on the master seed and the task's index — never on which worker runs
// it or in which order — and results are bit-identical for any number of
// workers.
package rng

import (
	"math/bits"
	"math/rand/v2"
)

// SplitMix64 returns the SplitMix64 output for state x (Steele, Lea &
// Flood 2014): a bijective 64-bit mixer with full avalanche.
func SplitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Derive returns the two PCG seed words for stream index of the master
// seed. Distinct (seed, index) pairs give unrelated states.
func Derive(seed, index uint64) (uint64, uint64) {
	h := SplitMix64(seed ^ SplitMix64(index^0x5851f42d4c957f2d))
	return SplitMix64(h), SplitMix64(h ^ 0xda942042e4dd58b5)
}

// New returns a PCG for stream index of the master seed.
func New(seed, index uint64) *rand.PCG {
	s1, s2 := Derive(seed, index)
	return rand.NewPCG(s1, s2)
}

// Reseed sets p to stream index of the master seed (no allocation).
func Reseed(p *rand.PCG, seed, index uint64) {
	s1, s2 := Derive(seed, index)
	p.Seed(s1, s2)
}

// Bounded returns a uniform integer in [0, n) for n ≥ 1, exactly unbiased
// (Lemire's multiply-shift with rejection; the rejection branch is taken
// with probability below n/2^64).
func Bounded(p *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(p.Uint64(), n)
	if lo < n {
		t := -n % n
		for lo < t {
			hi, lo = bits.Mul64(p.Uint64(), n)
		}
	}
	return hi
}

// Float64 returns a uniform float64 in [0, 1) with 53 random bits.
func Float64(p *rand.PCG) float64 {
	return float64(p.Uint64()>>11) * 0x1p-53
}

// Pick moves a uniformly random k-subset of the elements of perm into
// perm[:k] (in random order) by k steps of Fisher–Yates, and records the
// swap targets in undo[:k] so that Unpick can restore perm exactly.
// Restoring keeps the permutation in a known state, so the subsets drawn
// depend only on the random stream. It requires 0 ≤ k ≤ len(perm) and
// len(undo) ≥ k.
func Pick(p *rand.PCG, perm []uint32, k int, undo []uint32) {
	n := len(perm)
	undo = undo[:k]
	for i := range undo {
		j := i + int(Bounded(p, uint64(n-i)))
		perm[i], perm[j] = perm[j], perm[i]
		undo[i] = uint32(j)
	}
}

// Unpick undoes Pick(perm, len(undo), undo).
func Unpick(perm []uint32, undo []uint32) {
	for i := len(undo) - 1; i >= 0; i-- {
		j := undo[i]
		perm[i], perm[j] = perm[j], perm[i]
	}
}
