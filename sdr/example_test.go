package sdr_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/sdr"
)

// Example replays the tutorial of the package documentation.
func Example() {
	x, err := sdr.New(10, 10) // 100 cells in a 10×10 grid, none active
	if err != nil {
		panic(err)
	}
	_ = x.SetSparse([]uint32{1, 4, 25})
	fmt.Println(x.Sparse(), x.Coordinates(), x.Sum(), x.Sparsity())

	dense := make([]byte, 100)
	dense[1], dense[4], dense[25] = 1, 1, 1
	_ = x.SetDense(dense)
	fmt.Println(x.Sparse())

	_ = x.SetCoordinates([][]uint32{{0, 0, 2}, {1, 4, 5}}) // (0,1) (0,4) (2,5)
	fmt.Println(x.Sparse())

	y, _ := sdr.New(10, 10)
	_ = y.SetSparse([]uint32{4, 25, 99})
	ov, _ := x.Overlap(y)
	fmt.Println("overlap:", ov)

	u, _ := sdr.New(10, 10)
	_ = u.Union(x, y)
	fmt.Println("union:", u.Sparse())
	_ = u.Intersection(x, y)
	fmt.Println("intersection:", u.Sparse())

	rng := rand.New(rand.NewPCG(1, 2))
	a, _ := sdr.New(2048)
	_ = a.Randomize(0.02, rng)
	b := a.Clone()
	_ = b.AddNoise(0.25, rng)
	ov, _ = a.Overlap(b)
	fmt.Println("active:", a.Sum(), "overlap after noise:", ov, "sum after noise:", b.Sum())
	// Output:
	// [1 4 25] [[0 0 2] [1 4 5]] 3 0.03
	// [1 4 25]
	// [1 4 25]
	// overlap: 2
	// union: [1 4 25 99]
	// intersection: [4 25]
	// active: 41 overlap after noise: 31 sum after noise: 41
}

func ExampleNew() {
	s, _ := sdr.New(32, 64)
	fmt.Println(s.Size(), s.Dims())
	_, err := sdr.New(10, 0)
	fmt.Println(err)
	// Output:
	// 2048 [32 64]
	// sdr: invalid dimensions: dimension 0 < 1
}

func ExampleSDR_SetSparse() {
	s, _ := sdr.New(10)
	_ = s.SetSparse([]uint32{7, 2, 5}) // any order
	fmt.Println(s)
	fmt.Println(s.SetSparse([]uint32{3, 3}))
	fmt.Println(s.SetSparse([]uint32{10}))
	// Output:
	// SDR(10) [2 5 7]
	// sdr: duplicate index: 3
	// sdr: index out of range: index 10 >= size 10
}

func ExampleSDR_Overlap() {
	a, _ := sdr.New(2048)
	b, _ := sdr.New(2048)
	_ = a.SetSparse([]uint32{1, 2, 3, 100, 2047})
	_ = b.SetSparse([]uint32{2, 3, 4, 2047})
	n, _ := a.Overlap(b)
	fmt.Println(n)
	// Output: 3
}

func ExampleSDR_Union() {
	A, _ := sdr.New(10)
	B, _ := sdr.New(10)
	C, _ := sdr.New(10)
	_ = A.SetSparse([]uint32{0, 1, 2, 3})
	_ = B.SetSparse([]uint32{2, 3, 4, 5})
	_ = C.Union(A, B)
	fmt.Println(C.Sparse())
	// Output: [0 1 2 3 4 5]
}

func ExampleSDR_Intersection() {
	A, _ := sdr.New(10)
	B, _ := sdr.New(10)
	C, _ := sdr.New(10)
	_ = A.SetSparse([]uint32{0, 1, 2, 3})
	_ = B.SetSparse([]uint32{2, 3, 4, 5})
	_ = C.Intersection(A, B)
	fmt.Println(C.Sparse())
	// Output: [2 3]
}

func ExampleSDR_Concatenate() {
	A, _ := sdr.New(2, 2)
	B, _ := sdr.New(2, 3)
	C, _ := sdr.New(2, 5)
	_ = A.SetCoordinates([][]uint32{{0, 1}, {0, 1}}) // (0,0) (1,1)
	_ = B.SetCoordinates([][]uint32{{0, 1}, {2, 0}}) // (0,2) (1,0)
	_ = C.Concatenate(1, A, B)
	fmt.Println(C.Coordinates())
	// Output: [[0 0 1 1] [0 4 1 2]]
}

func ExampleSDR_Randomize() {
	s, _ := sdr.New(2048)
	_ = s.Randomize(0.02, rand.New(rand.NewPCG(7, 7)))
	fmt.Println(s.Sum()) // round(0.02·2048) = round(40.96)

	t, _ := sdr.New(2048)
	_ = t.Randomize(0.02, rand.New(rand.NewPCG(7, 7)))
	fmt.Println(s.Equal(t)) // same seed, same SDR
	// Output:
	// 41
	// true
}

func ExampleSDR_AddNoise() {
	rng := rand.New(rand.NewPCG(1, 1))
	a, _ := sdr.New(1000)
	_ = a.RandomizeCount(100, rng)
	b := a.Clone()
	_ = b.AddNoise(0.3, rng) // moves 30 of the 100 active cells
	n, _ := a.Overlap(b)
	fmt.Println(b.Sum(), n)
	// Output: 100 70
}

func ExampleSDR_KillCells() {
	rng := rand.New(rand.NewPCG(1, 1))
	x, _ := sdr.New(1000)
	_ = x.Randomize(1, rng) // all 1000 cells active
	dead, _ := x.KillCells(0.2, rng)
	fmt.Println(dead.Sum(), x.Sum())

	// The same cells stay dead in later SDRs.
	y, _ := sdr.New(1000)
	_ = y.Randomize(1, rng)
	_ = y.Difference(y, dead)
	fmt.Println(y.Sum())
	// Output:
	// 200 800
	// 800
}

func ExampleSDR_MarshalJSON() {
	s, _ := sdr.New(10, 10)
	_ = s.SetSparse([]uint32{1, 4, 25})
	data, _ := json.Marshal(s)
	fmt.Println(string(data))

	var back sdr.SDR
	_ = json.Unmarshal(data, &back)
	fmt.Println(back.Equal(s))
	// Output:
	// {"dims":[10,10],"sparse":[1,4,25]}
	// true
}

func ExampleSDR_MarshalBinary() {
	s, _ := sdr.New(2048)
	_ = s.RandomizeCount(40, rand.New(rand.NewPCG(1, 2)))
	data, _ := s.MarshalBinary()
	fmt.Println(len(data)) // 48-byte frame + 4 bytes per dimension + 4 per active cell

	var back sdr.SDR
	fmt.Println(back.UnmarshalBinary(data), back.Equal(s))
	data[len(data)-1] ^= 1
	fmt.Println(back.UnmarshalBinary(data))
	// Output:
	// 212
	// <nil> true
	// sdr: corrupt encoding: header, checksum at offset 208: CRC-32C mismatch
}

func ExampleMetrics() {
	rng := rand.New(rand.NewPCG(1, 2))
	m, _ := sdr.NewMetrics(2048, 1000)
	s, _ := sdr.New(2048)
	_ = s.RandomizeCount(40, rng)
	for range 10 {
		_ = s.AddNoise(0.25, rng) // consecutive SDRs share 30 of 40 cells
		_ = m.Add(s)
	}
	fmt.Println(m.Sparsity)
	fmt.Println(m.Overlap)
	// Output:
	// Sparsity Min/Mean/Std/Max 0.0195312 / 0.0195312 / 0 / 0.0195312
	// Overlap Min/Mean/Std/Max 0.75 / 0.75 / 0 / 0.75
}

func ExampleStats() {
	var st sdr.Stats
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		st.Add(x)
	}
	fmt.Println(&st)
	// Output: n=8 min/mean/std/max 2 / 5 / 2 / 9
}
