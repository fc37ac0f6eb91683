package sdr

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// refOverlap is the map-based reference implementation of the overlap.
func refOverlap(a, b []uint32) int {
	set := make(map[uint32]bool, len(a))
	for _, i := range a {
		set[i] = true
	}
	n := 0
	for _, i := range b {
		if set[i] {
			n++
		}
	}
	return n
}

func TestOverlap(t *testing.T) {
	a := fromSparse(t, 100, 1, 2, 3, 64, 99)
	b := fromSparse(t, 100, 0, 2, 3, 64, 98)
	if n, err := a.Overlap(b); n != 3 || err != nil {
		t.Fatalf("Overlap = %d, %v; want 3", n, err)
	}
	if n, _ := a.Overlap(a); n != 5 {
		t.Fatalf("self overlap = %d", n)
	}
	if _, err := a.Overlap(mustNew(t, 101)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("size mismatch: %v", err)
	}
	// Dimensions do not matter, only sizes.
	c := mustNew(t, 10, 10)
	_ = c.SetSparse([]uint32{99})
	if n, err := a.Overlap(c); n != 1 || err != nil {
		t.Fatalf("Overlap with reshaped = %d, %v", n, err)
	}
}

// TestOverlapPaths exercises both kernels (AND+popcount and probing)
// against the reference over a range of sizes and densities.
func TestOverlapPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 63, 64, 65, 1000, 2048, 100000} {
		for _, ka := range []int{0, 1, 5, 40, n / 2, n} {
			for _, kb := range []int{0, 3, 40, n / 3, n} {
				a, b := mustNew(t, n), mustNew(t, n)
				_ = a.RandomizeCount(min(ka, n), rng)
				_ = b.RandomizeCount(min(kb, n), rng)
				got, err := a.Overlap(b)
				if want := refOverlap(a.Sparse(), b.Sparse()); got != want || err != nil {
					t.Fatalf("n=%d ka=%d kb=%d: Overlap = %d, %v; want %d", n, ka, kb, got, err, want)
				}
			}
		}
	}
}

func TestOverlapAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b := mustNew(t, 2048), mustNew(t, 2048)
	_ = a.RandomizeCount(40, rng)
	_ = b.RandomizeCount(40, rng)
	if n := testing.AllocsPerRun(100, func() { _, _ = a.Overlap(b) }); n != 0 {
		t.Fatalf("Overlap allocates %v times", n)
	}
}

func TestUnion(t *testing.T) {
	a := fromSparse(t, 10, 0, 1, 2, 3)
	b := fromSparse(t, 10, 2, 3, 4, 5)
	c := fromSparse(t, 10, 9)
	out := fromSparse(t, 10, 7)
	if err := out.Union(a, b); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 1, 2, 3, 4, 5}; !slices.Equal(out.Sparse(), want) {
		t.Fatalf("Union = %v, want %v", out.Sparse(), want)
	}
	checkInvariants(t, out)
	if err := out.Union(a); err != nil || !slices.Equal(out.Sparse(), a.Sparse()) {
		t.Fatalf("Union of one = %v, %v", out.Sparse(), err)
	}
	// The receiver may be an input, in any position.
	if err := c.Union(a, b, c); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 1, 2, 3, 4, 5, 9}; !slices.Equal(c.Sparse(), want) {
		t.Fatalf("in-place Union = %v, want %v", c.Sparse(), want)
	}
	checkInvariants(t, c)
	if !slices.Equal(a.Sparse(), []uint32{0, 1, 2, 3}) || !slices.Equal(b.Sparse(), []uint32{2, 3, 4, 5}) {
		t.Fatal("Union modified an input")
	}
	if err := out.Union(); err == nil {
		t.Fatal("Union of nothing succeeded")
	}
	if err := out.Union(a, mustNew(t, 11)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("size mismatch: %v", err)
	}
}

// TestUnionExampleUsage replays the example of the Union doc comment.
func TestUnionExampleUsage(t *testing.T) {
	A, B, C := mustNew(t, 10), mustNew(t, 10), mustNew(t, 10)
	_ = A.SetSparse([]uint32{0, 1, 2, 3})
	_ = B.SetSparse([]uint32{2, 3, 4, 5})
	_ = C.Union(A, B)
	if want := []uint32{0, 1, 2, 3, 4, 5}; !slices.Equal(C.Sparse(), want) {
		t.Fatalf("C = %v, want %v", C.Sparse(), want)
	}
}

func TestIntersection(t *testing.T) {
	a := fromSparse(t, 200, 0, 1, 2, 3, 150)
	b := fromSparse(t, 200, 2, 3, 4, 5, 150)
	c := fromSparse(t, 200, 3, 150, 199)
	out := mustNew(t, 200)
	if err := out.Intersection(a, b, c); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{3, 150}; !slices.Equal(out.Sparse(), want) {
		t.Fatalf("Intersection = %v, want %v", out.Sparse(), want)
	}
	checkInvariants(t, out)
	if err := b.Intersection(a, b); err != nil || !slices.Equal(b.Sparse(), []uint32{2, 3, 150}) {
		t.Fatalf("in-place Intersection = %v, %v", b.Sparse(), err)
	}
	if err := out.Intersection(a, nil); !errors.Is(err, ErrNil) {
		t.Fatalf("nil input: %v", err)
	}
	if err := out.Intersection(); err == nil {
		t.Fatal("Intersection of nothing succeeded")
	}
}

// TestIntersectionExampleUsage replays the example of the Intersection doc
// comment.
func TestIntersectionExampleUsage(t *testing.T) {
	A, B, C := mustNew(t, 10), mustNew(t, 10), mustNew(t, 10)
	_ = A.SetSparse([]uint32{0, 1, 2, 3})
	_ = B.SetSparse([]uint32{2, 3, 4, 5})
	_ = C.Intersection(A, B)
	if want := []uint32{2, 3}; !slices.Equal(C.Sparse(), want) {
		t.Fatalf("C = %v, want %v", C.Sparse(), want)
	}
}

func TestSetOpsAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b, out := mustNew(t, 2048), mustNew(t, 2048), mustNew(t, 2048)
	_ = a.RandomizeCount(40, rng)
	_ = b.RandomizeCount(40, rng)
	_ = out.Union(a, b)
	if n := testing.AllocsPerRun(100, func() {
		_ = out.Union(a, b)
		_ = out.Intersection(a, b)
	}); n != 0 {
		t.Fatalf("Union+Intersection allocate %v times", n)
	}
}

func TestDifference(t *testing.T) {
	a := fromSparse(t, 100, 1, 2, 3, 70)
	b := fromSparse(t, 100, 2, 70, 99)
	out := mustNew(t, 100)
	if err := out.Difference(a, b); err != nil || !slices.Equal(out.Sparse(), []uint32{1, 3}) {
		t.Fatalf("Difference = %v, %v", out.Sparse(), err)
	}
	if err := b.Difference(b, a); err != nil || !slices.Equal(b.Sparse(), []uint32{99}) {
		t.Fatalf("in-place Difference = %v, %v", b.Sparse(), err)
	}
	checkInvariants(t, b)
	if err := out.Difference(a, mustNew(t, 5)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("size mismatch: %v", err)
	}
}

func TestConcatenate1D(t *testing.T) {
	a := fromSparse(t, 10, 0, 9)
	b := fromSparse(t, 5, 1)
	c := fromSparse(t, 3, 2)
	out := mustNew(t, 18)
	if err := out.Concatenate(0, a, b, c); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 9, 11, 17}; !slices.Equal(out.Sparse(), want) {
		t.Fatalf("Concatenate = %v, want %v", out.Sparse(), want)
	}
	checkInvariants(t, out)
	// A single input is a copy, even onto itself.
	if err := a.Concatenate(0, a); err != nil || !slices.Equal(a.Sparse(), []uint32{0, 9}) {
		t.Fatalf("self Concatenate = %v, %v", a.Sparse(), err)
	}
}

func TestConcatenate2D(t *testing.T) {
	// A is 2×2 with (0,0) and (1,1); B is 2×3 with (0,2) and (1,0).
	A := mustNew(t, 2, 2)
	_ = A.SetCoordinates([][]uint32{{0, 1}, {0, 1}})
	B := mustNew(t, 2, 3)
	_ = B.SetCoordinates([][]uint32{{0, 1}, {2, 0}})
	C := mustNew(t, 2, 5)
	if err := C.Concatenate(1, A, B); err != nil {
		t.Fatal(err)
	}
	// Row 0: A(0,0)→(0,0), B(0,2)→(0,4); row 1: A(1,1)→(1,1), B(1,0)→(1,2).
	if want := []uint32{0, 4, 6, 7}; !slices.Equal(C.Sparse(), want) {
		t.Fatalf("axis 1: %v, want %v", C.Sparse(), want)
	}
	checkInvariants(t, C)

	D := mustNew(t, 3, 2)
	_ = D.SetCoordinates([][]uint32{{2}, {1}})
	E := mustNew(t, 5, 2)
	if err := E.Concatenate(0, A, D); err != nil {
		t.Fatal(err)
	}
	// Rows 0–1 from A, rows 2–4 from D: A at 0 and 3, D(2,1) → (4,1) = 9.
	if want := []uint32{0, 3, 9}; !slices.Equal(E.Sparse(), want) {
		t.Fatalf("axis 0: %v, want %v", E.Sparse(), want)
	}
	checkInvariants(t, E)

	for _, tc := range []struct {
		name   string
		out    *SDR
		axis   int
		inputs []*SDR
	}{
		{"axis too big", C, 2, []*SDR{A, B}},
		{"negative axis", C, -1, []*SDR{A, B}},
		{"wrong total", C, 1, []*SDR{A, A}},
		{"off-axis mismatch", E, 0, []*SDR{A, B}},
		{"rank mismatch", C, 1, []*SDR{A, fromSparse(t, 6)}},
		{"no inputs", C, 0, nil},
	} {
		before := C.Clone()
		if err := tc.out.Concatenate(tc.axis, tc.inputs...); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if !C.Equal(before) {
			t.Errorf("%s: output changed", tc.name)
		}
	}
}

// TestConcatenateRandom checks Concatenate against a coordinate-by-
// coordinate reference on random 3-D SDRs.
func TestConcatenateRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 50; trial++ {
		axis := rng.IntN(3)
		base := []int{1 + rng.IntN(4), 1 + rng.IntN(4), 1 + rng.IntN(4)}
		var inputs []*SDR
		outDims := slices.Clone(base)
		outDims[axis] = 0
		for k := 0; k < 1+rng.IntN(3); k++ {
			d := slices.Clone(base)
			d[axis] = 1 + rng.IntN(3)
			outDims[axis] += d[axis]
			in := mustNew(t, d...)
			_ = in.Randomize(rng.Float64(), rng)
			inputs = append(inputs, in)
		}
		out := mustNew(t, outDims...)
		if err := out.Concatenate(axis, inputs...); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, out)
		want := map[[3]uint32]bool{}
		off := uint32(0)
		for _, in := range inputs {
			c := in.Coordinates()
			for k := range c[0] {
				p := [3]uint32{c[0][k], c[1][k], c[2][k]}
				p[axis] += off
				want[p] = true
			}
			off += uint32(in.Dims()[axis])
		}
		c := out.Coordinates()
		if len(c[0]) != len(want) {
			t.Fatalf("trial %d: %d active, want %d", trial, len(c[0]), len(want))
		}
		for k := range c[0] {
			if !want[[3]uint32{c[0][k], c[1][k], c[2][k]}] {
				t.Fatalf("trial %d: unexpected cell (%d,%d,%d)", trial, c[0][k], c[1][k], c[2][k])
			}
		}
	}
}
