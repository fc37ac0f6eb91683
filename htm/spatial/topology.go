package spatial

import "slices"

// grid enumerates hypercube neighbourhoods in a C-order grid, reusing its
// buffers.
type grid struct {
	dims   []int
	wrap   bool
	axes   [][]int // per-axis coordinate lists of the current box
	coord  []int   // odometer
	center []int
}

func newGrid(dims []int, wrap bool) *grid {
	return &grid{dims: dims, wrap: wrap, axes: make([][]int, len(dims)), coord: make([]int, len(dims)), center: make([]int, len(dims))}
}

// unflatten sets g.center to the coordinates of flat index i.
func (g *grid) unflatten(i int) {
	for k := len(g.dims) - 1; k >= 0; k-- {
		g.center[k] = i % g.dims[k]
		i /= g.dims[k]
	}
}

// axis returns the sorted coordinates within r of c along an axis of
// length d, wrapped or clipped, without duplicates.
func (g *grid) axis(buf []int, c, r, d int) []int {
	buf = buf[:0]
	switch {
	case g.wrap && 2*r+1 >= d:
		for x := range d {
			buf = append(buf, x)
		}
	case g.wrap:
		for x := c - r; x <= c+r; x++ {
			buf = append(buf, ((x%d)+d)%d)
		}
		slices.Sort(buf)
	default:
		for x := max(0, c-r); x <= min(d-1, c+r); x++ {
			buf = append(buf, x)
		}
	}
	return buf
}

// appendBox appends to dst the flat indices, increasing, of the box of
// radius r around g.center.
func (g *grid) appendBox(dst []int, r int) []int {
	n := 1
	for k, d := range g.dims {
		g.axes[k] = g.axis(g.axes[k], g.center[k], r, d)
		n *= len(g.axes[k])
		g.coord[k] = 0
	}
	for range n {
		flat := 0
		for k, d := range g.dims {
			flat = flat*d + g.axes[k][g.coord[k]]
		}
		dst = append(dst, flat)
		for k := len(g.dims) - 1; k >= 0; k-- { // odometer, last axis fastest
			g.coord[k]++
			if g.coord[k] < len(g.axes[k]) {
				break
			}
			g.coord[k] = 0
		}
	}
	return dst
}

// boxSize returns the number of cells in a box of radius r (the same for
// every centre when wrapping; the unclipped size otherwise).
func boxSize(dims []int, r int) int {
	n := 1
	for _, d := range dims {
		n *= min(2*r+1, d)
	}
	return n
}
