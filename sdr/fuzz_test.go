package sdr

import (
	"encoding/binary"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// indicesFrom turns bytes into cell indices below n (pairs of bytes,
// little-endian), possibly with repeats, and returns them together with the
// reference set they describe.
func indicesFrom(data []byte, n int) ([]uint32, map[uint32]bool) {
	var idx []uint32
	set := map[uint32]bool{}
	for len(data) >= 2 {
		i := uint32(binary.LittleEndian.Uint16(data)) % uint32(n)
		idx = append(idx, i)
		set[i] = true
		data = data[2:]
	}
	return idx, set
}

func sortedKeys(m map[uint32]bool) []uint32 {
	return slices.Sorted(maps.Keys(m))
}

// FuzzOverlap is a differential test of Overlap (both of its kernels)
// against a map-based reference, and of SetSparse's duplicate detection.
func FuzzOverlap(f *testing.F) {
	f.Add(uint16(2048), []byte{1, 0, 2, 0, 3, 0}, []byte{2, 0, 3, 0, 4, 0})
	f.Add(uint16(1), []byte{0, 0}, []byte{})
	f.Add(uint16(64), []byte{63, 0, 0, 0}, []byte{63, 0})
	f.Add(uint16(65535), []byte{0xff, 0xff, 1, 2}, []byte{0xfe, 0xff, 1, 2})
	f.Fuzz(func(t *testing.T, n uint16, da, db []byte) {
		size := int(n) + 1
		ia, sa := indicesFrom(da, size)
		ib, sb := indicesFrom(db, size)
		a, b := mustNew(t, size), mustNew(t, size)
		if err := a.SetSparse(ia); (err != nil) != (len(sa) != len(ia)) {
			t.Fatalf("SetSparse(%v): %v", ia, err)
		}
		if err := b.SetSparse(ib); (err != nil) != (len(sb) != len(ib)) {
			t.Fatalf("SetSparse(%v): %v", ib, err)
		}
		// Set the de-duplicated lists, in the scrambled input order.
		ua, ub := unique(ia), unique(ib)
		if err := a.SetSparse(ua); err != nil {
			t.Fatal(err)
		}
		if err := b.SetSparse(ub); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, a)
		if !slices.Equal(a.Sparse(), sortedKeys(sa)) && len(sa) > 0 {
			t.Fatalf("Sparse() = %v, want %v", a.Sparse(), sortedKeys(sa))
		}
		want := 0
		for i := range sa {
			if sb[i] {
				want++
			}
		}
		for _, pair := range [][2]*SDR{{a, b}, {b, a}} {
			got, err := pair[0].Overlap(pair[1])
			if err != nil || got != want {
				t.Fatalf("Overlap = %d, %v; want %d", got, err, want)
			}
		}
		if got, want := refOverlap(a.Sparse(), b.Sparse()), want; got != want {
			t.Fatalf("reference disagrees with itself: %d vs %d", got, want)
		}
	})
}

// unique drops repeated values, keeping the first occurrence and the order.
func unique(idx []uint32) []uint32 {
	seen := map[uint32]bool{}
	var out []uint32
	for _, i := range idx {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// FuzzOps runs random sequences of operations on three SDRs and checks
// each result against map-based sets, plus the invariants of every SDR.
func FuzzOps(f *testing.F) {
	f.Add(uint16(100), uint64(1), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(uint16(2047), uint64(2), []byte{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0})
	f.Add(uint16(3), uint64(3), []byte{5, 5, 6, 6, 7, 7, 2, 2, 1})
	f.Fuzz(func(t *testing.T, n uint16, seed uint64, ops []byte) {
		size := int(n) + 1
		rng := rand.New(rand.NewPCG(seed, 1))
		sdrs := [3]*SDR{mustNew(t, size), mustNew(t, size), mustNew(t, size)}
		set := func(s *SDR) map[uint32]bool {
			m := map[uint32]bool{}
			for _, i := range s.Sparse() {
				m[i] = true
			}
			return m
		}
		if len(ops) > 64 {
			ops = ops[:64]
		}
		for _, op := range ops {
			x, y, z := sdrs[op%3], sdrs[(op/3)%3], sdrs[(op/9)%3]
			p := float64(op%11) / 10
			sx, sy, sz := set(x), set(y), set(z)
			switch (op / 27) % 9 {
			case 0:
				_ = x.Randomize(p, rng)
				if x.Sum() != roundCount(p, size) {
					t.Fatalf("Randomize(%v): Sum %d", p, x.Sum())
				}
			case 1:
				if err := x.Union(y, z); err != nil {
					t.Fatal(err)
				}
				for i := range sz {
					sy[i] = true
				}
				if !maps.Equal(set(x), sy) {
					t.Fatal("Union differs from reference")
				}
			case 2:
				if err := x.Intersection(y, z); err != nil {
					t.Fatal(err)
				}
				maps.DeleteFunc(sy, func(i uint32, _ bool) bool { return !sz[i] })
				if !maps.Equal(set(x), sy) {
					t.Fatal("Intersection differs from reference")
				}
			case 3:
				if err := x.Difference(y, z); err != nil {
					t.Fatal(err)
				}
				maps.DeleteFunc(sy, func(i uint32, _ bool) bool { return sz[i] })
				if !maps.Equal(set(x), sy) {
					t.Fatal("Difference differs from reference")
				}
			case 4:
				before := x.Clone()
				r := roundCount(p, x.Sum())
				err := x.AddNoise(p, rng)
				if r > size-before.Sum() {
					if err == nil || !x.Equal(before) {
						t.Fatal("impossible AddNoise did not fail cleanly")
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if ov, _ := x.Overlap(before); ov != before.Sum()-r || x.Sum() != before.Sum() {
					t.Fatalf("AddNoise(%v): overlap %d sum %d, before %d", p, ov, x.Sum(), before.Sum())
				}
			case 5:
				dead, err := x.KillCells(p, rng)
				if err != nil {
					t.Fatal(err)
				}
				maps.DeleteFunc(sx, func(i uint32, _ bool) bool { return dead.words[i>>6]>>(i&63)&1 == 1 })
				if !maps.Equal(set(x), sx) || dead.Sum() != roundCount(p, size) {
					t.Fatal("KillCells differs from reference")
				}
			case 6:
				if err := x.CopyFrom(y); err != nil || !maps.Equal(set(x), sy) {
					t.Fatal("CopyFrom differs from reference")
				}
			case 7:
				if err := x.SetDense(y.Dense()); err != nil || !maps.Equal(set(x), sy) {
					t.Fatal("SetDense(Dense()) differs from reference")
				}
			case 8:
				if err := x.SetWords(y.Words()); err != nil || !maps.Equal(set(x), sy) {
					t.Fatal("SetWords(Words()) differs from reference")
				}
			}
			for _, s := range sdrs {
				checkInvariants(t, s)
			}
		}
	})
}
