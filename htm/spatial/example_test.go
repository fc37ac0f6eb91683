package spatial_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/sdr"
)

// A pooler with htm.core's defaults turns a 1000-bit input into 102 active
// columns of 2048 (5 %), and learns: after training, a noisy copy of a
// trained input gives mostly the same columns.
func Example() {
	sp, err := spatial.New(spatial.DefaultParams([]int{1000}, []int{2048}))
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	input, _ := sdr.New(1000)
	_ = input.Randomize(0.2, rng)
	active, _ := sdr.New(2048)
	for range 20 {
		if err := sp.Compute(input, true, active); err != nil {
			panic(err)
		}
	}
	code := active.Clone()

	noisy := input.Clone()
	_ = noisy.AddNoise(0.1, rng) // move 20 of the 200 active input bits
	_ = sp.Compute(noisy, false, active)
	kept, _ := active.Overlap(code)
	fmt.Println("active columns:", code.Sum())
	fmt.Println("kept under 10 % input noise:", kept >= 80) // 85 of 102 when written

	// Save and restore: the copy computes exactly like the original.
	data, _ := sp.MarshalBinary()
	var restored spatial.SpatialPooler
	if err := restored.UnmarshalBinary(data); err != nil {
		panic(err)
	}
	again, _ := sdr.New(2048)
	_ = restored.Compute(noisy, false, again)
	fmt.Println("restored gives the same columns:", again.Equal(active))
	// Output:
	// active columns: 102
	// kept under 10 % input noise: true
	// restored gives the same columns: true
}
