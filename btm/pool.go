package btm

import (
	"math/bits"
	"slices"
)

// Chunk sizes of a pool, in elements: the first chunk holds minChunk,
// each later one twice the one before, up to maxChunk (2 MiB of
// synapses), so that a growing store allocates O(log size) times before
// maxChunk and once per maxChunk elements after.
const (
	minChunk = 1 << 8
	maxChunk = 1 << 18
)

// pool hands out the backing arrays of the store's growing lists (the
// synapses of a segment, the segments of a cell, the reverse index of a
// presynaptic cell) as blocks of 2^c elements carved from large chunks. A
// list that outgrows its block moves to a block of the next class and its
// old block goes on the free list of its class, to be reused by the next
// list that needs one; so once the store has reached its working size,
// lists grow and shrink without a heap allocation, and while it grows the
// heap sees one allocation per chunk instead of one per list growth.
//
// A block is an ordinary slice of length 0 and capacity 2^c: the code
// that reads and shrinks lists treats it as any slice; only growth must go
// through grow (a plain append beyond the capacity would leave the pool,
// which is correct but allocates).
type pool[T any] struct {
	chunk []T       // the unused tail of the newest chunk
	next  int       // the size of the next chunk
	free  [40][][]T // free blocks by class c (capacity 2^c, length 0)
}

// reserve returns s with room for n more elements; a capacity it must
// grow at least doubles. append grows a large slice by as little as 1.25×,
// and a scratch list whose size is a random quantity then reallocates at
// nearly every new maximum, long after warm-up; doubling bounds the
// reallocations by log₂ of the maximum.
func reserve[T any](s []T, n int) []T {
	if len(s)+n <= cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s)+n, 2*cap(s))-len(s))
}

// push appends v to s through reserve.
func push[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = reserve(s, 1)
	}
	return append(s, v)
}

// pushAll appends v to s through reserve.
func pushAll[T any](s, v []T) []T { return append(reserve(s, len(v)), v...) }

// classOf returns the smallest class whose blocks hold n elements.
func classOf(n int) int { return bits.Len(uint(n - 1)) }

// get returns an empty block of class c: the last freed one, or a new one
// from the current chunk.
func (p *pool[T]) get(c int) []T {
	if f := p.free[c]; len(f) > 0 {
		b := f[len(f)-1]
		f[len(f)-1] = nil
		p.free[c] = f[:len(f)-1]
		return b
	}
	n := 1 << c
	if len(p.chunk) < n {
		p.retire()
		size := max(p.next, minChunk)
		p.next = min(2*size, maxChunk)
		p.chunk = make([]T, max(size, n))
	}
	b := p.chunk[:0:n]
	p.chunk = p.chunk[n:]
	return b
}

// retire cuts the unused tail of the current chunk into blocks of
// decreasing classes and frees them, so that nothing of it is lost.
func (p *pool[T]) retire() {
	for len(p.chunk) > 0 {
		c := bits.Len(uint(len(p.chunk))) - 1
		p.put(p.chunk[: 0 : 1<<c])
		p.chunk = p.chunk[1<<c:]
	}
}

// put frees the block of s (whose capacity is 2^c for a block of the
// pool; any other slice donates its largest power-of-two prefix).
func (p *pool[T]) put(s []T) {
	if cap(s) == 0 {
		return
	}
	c := bits.Len(uint(cap(s))) - 1
	p.free[c] = push(p.free[c], s[:0:1<<c])
}

// grow returns s with room for n more elements: s itself if its capacity
// suffices, otherwise a copy in a block of the smallest class that holds
// len(s)+n, freeing the block of s.
func (p *pool[T]) grow(s []T, n int) []T {
	if len(s)+n <= cap(s) {
		return s
	}
	b := append(p.get(classOf(len(s)+n)), s...)
	p.put(s)
	return b
}

// push appends v to s, growing s through the pool.
func (p *pool[T]) push(s []T, v T) []T {
	return append(p.grow(s, 1), v)
}
