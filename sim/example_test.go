package sim_test

import (
	"context"
	"fmt"

	"github.com/dendritic/dendritic/sim"
)

// Simulate E2 at n=500, a=128, s=24, θ=12: 10^6 random segment–pattern
// pairs. The counts are the same for any number of workers.
func ExampleRun() {
	c := sim.Config{Kind: sim.KindFP, N: 500, A: 128, S: 24, Theta: 12, Samples: 1e6, Seed: 1}
	r, err := sim.Run(context.Background(), c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d hits in %d samples\n", r.Hits, r.Samples)
	fmt.Printf("estimate %.2e, theory %.2e, |z| < 4: %v\n", r.Estimate, r.Theory, *r.Z > -4 && *r.Z < 4)
	// Output:
	// 7409 hits in 1000000 samples
	// estimate 7.41e-03, theory 7.37e-03, |z| < 4: true
}
