package predictor_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/htm/predictor"
	"github.com/dendritic/dendritic/sdr"
)

// A predictor learns the repeating sequence 10, 20, 30, 40 (each value an
// SDR, bucket = value/10 − 1) and predicts one and two steps ahead.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := make([]*sdr.SDR, 4)
	for i := range codes {
		codes[i], _ = sdr.New(512)
		_ = codes[i].RandomizeCount(16, rng)
	}
	p := predictor.DefaultParams(512, 1, 2)
	p.Alpha = 0.1
	pr, err := predictor.New(p)
	if err != nil {
		panic(err)
	}
	for t := range 200 {
		i := t % 4
		if err := pr.Learn(codes[i], i, float64(10*(i+1))); err != nil {
			panic(err)
		}
	}
	for _, k := range []int{1, 2} {
		pred, _ := pr.Infer(codes[3], k, nil) // after 40 …
		fmt.Printf("%d step(s) after 40: %v (p = %.2f)\n", k, pred.Value, pred.PDF[pred.Bucket])
	}
	// Output:
	// 1 step(s) after 40: 10 (p = 0.99)
	// 2 step(s) after 40: 20 (p = 0.99)
}
