package sdr

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/bitvec"
)

// mustNew is New for tests.
func mustNew(t testing.TB, dims ...int) *SDR {
	t.Helper()
	s, err := New(dims...)
	if err != nil {
		t.Fatalf("New(%v): %v", dims, err)
	}
	return s
}

// fromSparse returns a flat SDR of size n with the given active cells.
func fromSparse(t testing.TB, n int, idx ...uint32) *SDR {
	t.Helper()
	s := mustNew(t, n)
	if err := s.SetSparse(idx); err != nil {
		t.Fatalf("SetSparse(%v): %v", idx, err)
	}
	return s
}

// checkInvariants verifies that the two views of s agree and are well formed.
func checkInvariants(t testing.TB, s *SDR) {
	t.Helper()
	prod := 1
	for _, d := range s.dims {
		prod *= d
	}
	if len(s.dims) > 0 && prod != s.size {
		t.Fatalf("dims %v but size %d", s.dims, s.size)
	}
	if len(s.words) != bitvec.Len(s.size) {
		t.Fatalf("%d words for size %d", len(s.words), s.size)
	}
	for i, v := range s.sparse {
		if int(v) >= s.size {
			t.Fatalf("index %d >= size %d", v, s.size)
		}
		if i > 0 && v <= s.sparse[i-1] {
			t.Fatalf("sparse not strictly increasing: %v", s.sparse)
		}
	}
	if got := bitvec.AppendOnes(nil, s.words); !slices.Equal(got, s.sparse) && !(len(got) == 0 && len(s.sparse) == 0) {
		t.Fatalf("words %v disagree with sparse %v", got, s.sparse)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		dims []int
		size int
		ok   bool
	}{
		{[]int{2048}, 2048, true},
		{[]int{10, 10}, 100, true},
		{[]int{3, 4, 5}, 60, true},
		{[]int{1}, 1, true},
		{[]int{1 << 16, 1 << 16}, 1 << 32, true},
		{nil, 0, false},
		{[]int{0}, 0, false},
		{[]int{-5}, 0, false},
		{[]int{10, 0}, 0, false},
		{[]int{1 << 16, 1<<16 + 1}, 0, false},
		{[]int{1 << 40, 1 << 40}, 0, false}, // the product overflows int64
	} {
		if tc.size > 1<<24 {
			// Only check the size arithmetic; don't allocate 512 MiB.
			if sz, err := checkDims(tc.dims); err != nil || sz != tc.size {
				t.Errorf("checkDims(%v) = %d, %v", tc.dims, sz, err)
			}
			continue
		}
		s, err := New(tc.dims...)
		if !tc.ok {
			if err == nil || !errors.Is(err, ErrDims) {
				t.Errorf("New(%v): err = %v, want ErrDims", tc.dims, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("New(%v): %v", tc.dims, err)
		}
		if s.Size() != tc.size || !slices.Equal(s.Dims(), tc.dims) || s.Sum() != 0 {
			t.Errorf("New(%v): size %d dims %v sum %d", tc.dims, s.Size(), s.Dims(), s.Sum())
		}
		checkInvariants(t, s)
	}
}

func TestNewCopiesDims(t *testing.T) {
	dims := []int{4, 5}
	s := mustNew(t, dims...)
	dims[0] = 99
	d := s.Dims()
	d[1] = 99
	if !slices.Equal(s.Dims(), []int{4, 5}) {
		t.Fatalf("dims aliased: %v", s.Dims())
	}
}

func TestSumSparsity(t *testing.T) {
	s := fromSparse(t, 200, 1, 2, 3, 4)
	if s.Sum() != 4 || s.Sparsity() != 0.02 {
		t.Fatalf("Sum %d Sparsity %v", s.Sum(), s.Sparsity())
	}
	var z SDR
	if z.Sum() != 0 || z.Sparsity() != 0 || z.Size() != 0 {
		t.Fatal("zero SDR not empty")
	}
}

func TestSetSparse(t *testing.T) {
	s := mustNew(t, 100)
	for _, in := range [][]uint32{
		{}, {0}, {99}, {5, 1, 3}, {0, 1, 2, 3, 4, 63, 64, 65, 99}, {99, 98, 0},
	} {
		orig := slices.Clone(in)
		if err := s.SetSparse(in); err != nil {
			t.Fatalf("SetSparse(%v): %v", in, err)
		}
		if !slices.Equal(in, orig) {
			t.Fatalf("SetSparse modified its argument: %v", in)
		}
		want := slices.Sorted(slices.Values(orig))
		if !slices.Equal(s.Sparse(), want) && len(want) > 0 {
			t.Fatalf("Sparse() = %v, want %v", s.Sparse(), want)
		}
		checkInvariants(t, s)
	}
	// Feeding an SDR its own sparse slice is fine.
	if err := s.SetSparse(s.Sparse()); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
}

func TestSetSparseErrors(t *testing.T) {
	s := fromSparse(t, 100, 7, 8)
	for _, tc := range []struct {
		in   []uint32
		want error
	}{
		{[]uint32{100}, ErrIndex},
		{[]uint32{1, 2, 1 << 31}, ErrIndex},
		{[]uint32{3, 3}, ErrDuplicate},
		{[]uint32{5, 1, 5}, ErrDuplicate},
		{[]uint32{9, 2, 4, 2}, ErrDuplicate},
	} {
		if err := s.SetSparse(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("SetSparse(%v) = %v, want %v", tc.in, err, tc.want)
		}
		if !slices.Equal(s.Sparse(), []uint32{7, 8}) {
			t.Fatalf("failed SetSparse changed s to %v", s.Sparse())
		}
		checkInvariants(t, s)
	}
}

func TestSetSparseAllocs(t *testing.T) {
	s := mustNew(t, 2048)
	a := []uint32{5, 100, 2000, 7, 64}
	b := []uint32{1, 2, 3}
	_ = s.SetSparse(a)
	_ = s.SetSparse(b)
	if n := testing.AllocsPerRun(100, func() {
		_ = s.SetSparse(a)
		_ = s.SetSparse(b)
	}); n != 0 {
		t.Fatalf("SetSparse allocates %v times", n)
	}
}

func TestSetDenseAndDense(t *testing.T) {
	s := mustNew(t, 10, 7)
	d := make([]byte, 70)
	d[0], d[13], d[69], d[64] = 1, 2, 255, 1
	if err := s.SetDense(d); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 13, 64, 69}; !slices.Equal(s.Sparse(), want) {
		t.Fatalf("Sparse() = %v, want %v", s.Sparse(), want)
	}
	checkInvariants(t, s)
	got := s.Dense()
	for i := range got {
		if (got[i] != 0) != (d[i] != 0) || got[i] > 1 {
			t.Fatalf("Dense()[%d] = %d, input %d", i, got[i], d[i])
		}
	}
	if err := s.SetDense(make([]byte, 69)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("short dense: %v", err)
	}
	if s.Sum() != 4 {
		t.Fatal("failed SetDense changed s")
	}
}

func TestSetWordsAndWords(t *testing.T) {
	s := mustNew(t, 100)
	w := []uint64{1<<63 | 1, 1<<35 | 1}
	if err := s.SetWords(w); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 63, 64, 99}; !slices.Equal(s.Sparse(), want) {
		t.Fatalf("Sparse() = %v, want %v", s.Sparse(), want)
	}
	if !slices.Equal(s.Words(), w) {
		t.Fatalf("Words() = %x", s.Words())
	}
	checkInvariants(t, s)
	if err := s.SetWords([]uint64{0, 1 << 36}); !errors.Is(err, ErrIndex) {
		t.Fatalf("bit 100 set: %v", err)
	}
	if err := s.SetWords([]uint64{0}); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("short words: %v", err)
	}
	if s.Sum() != 4 {
		t.Fatal("failed SetWords changed s")
	}
}

func TestCoordinates(t *testing.T) {
	s := mustNew(t, 3, 4, 5)
	// Cell (1, 2, 3) is 1·20 + 2·5 + 3 = 33; (2, 3, 4) is 59; (0, 0, 1) is 1.
	if err := s.SetCoordinates([][]uint32{{2, 1, 0}, {3, 2, 0}, {4, 3, 1}}); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{1, 33, 59}; !slices.Equal(s.Sparse(), want) {
		t.Fatalf("Sparse() = %v, want %v", s.Sparse(), want)
	}
	checkInvariants(t, s)
	want := [][]uint32{{0, 1, 2}, {0, 2, 3}, {1, 3, 4}}
	got := s.Coordinates()
	if len(got) != 3 {
		t.Fatalf("Coordinates() = %v", got)
	}
	for d := range want {
		if !slices.Equal(got[d], want[d]) {
			t.Fatalf("Coordinates() = %v, want %v", got, want)
		}
	}
	for _, tc := range []struct {
		c    [][]uint32
		want error
	}{
		{[][]uint32{{0}, {0}}, ErrIndex},                   // two lists for three dims
		{[][]uint32{{0}, {0}, {5}}, ErrIndex},              // 5 ≥ 5
		{[][]uint32{{3}, {0}, {0}}, ErrIndex},              // 3 ≥ 3
		{[][]uint32{{0, 1}, {0}, {0, 1}}, ErrIndex},        // ragged
		{[][]uint32{{1, 1}, {2, 2}, {3, 3}}, ErrDuplicate}, // same cell twice
		{[][]uint32{{1, 0, 1}, {2, 0, 2}, {3, 0, 3}}, ErrDuplicate},
	} {
		if err := s.SetCoordinates(tc.c); !errors.Is(err, tc.want) {
			t.Errorf("SetCoordinates(%v) = %v, want %v", tc.c, err, tc.want)
		}
	}
	if !slices.Equal(s.Sparse(), []uint32{1, 33, 59}) {
		t.Fatal("failed SetCoordinates changed s")
	}
	if err := s.SetCoordinates([][]uint32{{}, {}, {}}); err != nil || s.Sum() != 0 {
		t.Fatalf("empty coordinates: %v, sum %d", err, s.Sum())
	}
}

func TestAt(t *testing.T) {
	s := mustNew(t, 4, 5)
	_ = s.SetSparse([]uint32{7}) // (1, 2)
	for _, tc := range []struct {
		c      []int
		active bool
		err    error
	}{
		{[]int{1, 2}, true, nil},
		{[]int{2, 1}, false, nil},
		{[]int{0, 0}, false, nil},
		{[]int{4, 0}, false, ErrIndex},
		{[]int{0, -1}, false, ErrIndex},
		{[]int{7}, false, ErrIndex},
	} {
		got, err := s.At(tc.c...)
		if got != tc.active || !errors.Is(err, tc.err) {
			t.Errorf("At(%v) = %v, %v; want %v, %v", tc.c, got, err, tc.active, tc.err)
		}
	}
}

func TestCopyFrom(t *testing.T) {
	a := fromSparse(t, 100, 1, 50, 99)
	b := mustNew(t, 10, 10)
	_ = b.SetSparse([]uint32{2, 3, 4, 5, 6})
	if err := b.CopyFrom(a); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Sparse(), a.Sparse()) || !slices.Equal(b.Dims(), []int{10, 10}) {
		t.Fatalf("CopyFrom: %v", b)
	}
	checkInvariants(t, b)
	if err := b.CopyFrom(b); err != nil {
		t.Fatal(err)
	}
	if err := b.CopyFrom(mustNew(t, 99)); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("size mismatch: %v", err)
	}
	if err := b.CopyFrom(nil); !errors.Is(err, ErrNil) {
		t.Fatalf("nil: %v", err)
	}
}

func TestZero(t *testing.T) {
	for _, idx := range [][]uint32{{1, 2, 3}, {}} {
		s := fromSparse(t, 100, idx...)
		s.Zero()
		if s.Sum() != 0 {
			t.Fatal("Zero left active cells")
		}
		checkInvariants(t, s)
	}
	// Dense case: clearing through the bitset.
	s := mustNew(t, 128)
	_ = s.Randomize(0.9, rand.New(rand.NewPCG(1, 1)))
	s.Zero()
	checkInvariants(t, s)
	var nilSDR *SDR
	nilSDR.Zero() // must not panic
}

func TestCloneEqual(t *testing.T) {
	a := mustNew(t, 10, 10)
	_ = a.SetSparse([]uint32{3, 30, 33})
	b := a.Clone()
	if !a.Equal(b) || !b.Equal(a) {
		t.Fatal("clone not equal")
	}
	checkInvariants(t, b)
	_ = b.SetSparse([]uint32{3})
	if a.Equal(b) || a.Sum() != 3 {
		t.Fatal("clone shares state")
	}
	c := fromSparse(t, 100, 3, 30, 33)
	if a.Equal(c) {
		t.Fatal("SDRs with different dims are equal")
	}
	_ = c.Reshape(10, 10)
	if !a.Equal(c) {
		t.Fatal("reshaped SDR not equal")
	}
	var n1, n2 *SDR
	if !n1.Equal(n2) || a.Equal(nil) || n1.Equal(a) || n1.Clone() != nil {
		t.Fatal("nil handling")
	}
}

func TestReshapeFlatten(t *testing.T) {
	s := mustNew(t, 4, 6)
	_ = s.SetSparse([]uint32{5, 23})
	if err := s.Reshape(2, 3, 4); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Dims(), []int{2, 3, 4}) || !slices.Equal(s.Sparse(), []uint32{5, 23}) {
		t.Fatalf("after Reshape: %v", s)
	}
	for _, dims := range [][]int{{5, 5}, {}, {24, 0}, {-24, -1}} {
		if err := s.Reshape(dims...); !errors.Is(err, ErrDims) {
			t.Errorf("Reshape(%v) = %v", dims, err)
		}
	}
	s.Flatten()
	if !slices.Equal(s.Dims(), []int{24}) || s.Sum() != 2 {
		t.Fatalf("after Flatten: %v", s)
	}
	var z SDR
	z.Flatten()
	if z.Dims() != nil {
		t.Fatal("Flatten of a zero SDR gave dims")
	}
}

func TestString(t *testing.T) {
	s := mustNew(t, 4, 5)
	_ = s.SetSparse([]uint32{19, 1, 7})
	if got, want := s.String(), "SDR(4, 5) [1 7 19]"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	var n *SDR
	if n.String() != "SDR(nil)" {
		t.Fatal(n.String())
	}
}

// TestNilReceivers checks that no method panics on a nil SDR.
func TestNilReceivers(t *testing.T) {
	var s *SDR
	ok := mustNew(t, 10)
	rng := rand.New(rand.NewPCG(1, 2))
	if s.Size() != 0 || s.Sum() != 0 || s.Sparsity() != 0 || s.Dims() != nil ||
		s.Sparse() != nil || s.Words() != nil || s.Dense() != nil || s.Coordinates() != nil {
		t.Fatal("nil getters")
	}
	s.Flatten()
	errs := []error{
		s.SetSparse(nil), s.SetDense(nil), s.SetWords(nil), s.SetCoordinates(nil),
		s.CopyFrom(ok), s.Reshape(10), s.Union(ok), s.Intersection(ok),
		s.Difference(ok, ok), s.Concatenate(0, ok), s.Randomize(0.1, rng),
		s.RandomizeCount(1, rng), s.AddNoise(0.1, rng), s.UnmarshalBinary(nil),
		s.UnmarshalJSON(nil),
		ok.Union(nil), ok.Intersection(ok, nil), ok.Difference(nil, ok), ok.Concatenate(0, nil),
		ok.Randomize(0.1, nil), ok.RandomizeCount(1, nil), ok.AddNoise(0.1, nil),
	}
	_, err := s.At(0)
	errs = append(errs, err)
	_, err = s.Overlap(ok)
	errs = append(errs, err)
	_, err = ok.Overlap(nil)
	errs = append(errs, err)
	_, err = s.KillCells(0.1, rng)
	errs = append(errs, err)
	_, err = ok.KillCells(0.1, nil)
	errs = append(errs, err)
	_, err = s.MarshalBinary()
	errs = append(errs, err)
	_, err = s.MarshalJSON()
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, ErrNil) {
			t.Errorf("call %d: err = %v, want ErrNil", i, err)
		}
	}
}

// TestZeroValue checks that the zero SDR behaves as an empty SDR of size 0.
func TestZeroValue(t *testing.T) {
	var s SDR
	rng := rand.New(rand.NewPCG(1, 2))
	if err := s.SetSparse(nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSparse([]uint32{0}); !errors.Is(err, ErrIndex) {
		t.Fatal(err)
	}
	if err := s.Randomize(0.5, rng); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNoise(0.5, rng); err != nil {
		t.Fatal(err)
	}
	if _, err := s.KillCells(0.5, rng); err != nil {
		t.Fatal(err)
	}
	var o SDR
	if n, err := s.Overlap(&o); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := s.MarshalBinary(); !errors.Is(err, ErrDims) {
		t.Fatal(err)
	}
	if _, err := s.At(); !errors.Is(err, ErrIndex) {
		t.Fatal(err)
	}
	if s.String() != "SDR() []" {
		t.Fatal(s.String())
	}
	checkInvariants(t, &s)
}

// TestConcurrentReaders runs the read-only methods from several goroutines
// at once; run with -race to check that they really do not write.
func TestConcurrentReaders(t *testing.T) {
	a, b := mustNew(t, 64, 32), mustNew(t, 64, 32)
	_ = a.Randomize(0.02, newRNG(1))
	_ = b.Randomize(0.02, newRNG(2))
	want, _ := a.Overlap(b)
	done := make(chan error)
	for range 4 {
		out := mustNew(t, 64, 32)
		go func() {
			for range 200 {
				if n, _ := a.Overlap(b); n != want {
					done <- errors.New("overlap changed")
					return
				}
				_ = out.Union(a, b)
				_ = out.Difference(a, b)
				_, _ = a.MarshalBinary()
				_ = a.Clone().Equal(b)
				_ = a.Coordinates()
				_ = a.Dense()
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
