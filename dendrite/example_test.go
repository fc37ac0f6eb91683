package dendrite_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/dendrite"
)

func ExampleConnections() {
	c, err := dendrite.New(dendrite.Config{NumCells: 1024, ConnectedPermanence: 0.5})
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	seg, _ := c.CreateSegment(7)
	prev := []uint32{3, 90, 400, 512}
	n, _ := c.GrowSynapses(seg, prev, 3, 0.21, rng)

	var act dendrite.Activity
	c.ComputeActivity(&act, prev)
	fmt.Println("grown:", n, "potential:", act.Potential(seg), "connected:", act.Connected(seg))

	// Three reinforcements towards the same cells connect the synapses.
	bitmap := make([]uint64, 1024/64)
	for _, p := range prev {
		bitmap[p/64] |= 1 << (p % 64)
	}
	for range 3 {
		c.AdaptSegment(seg, bitmap, 0.1, 0.1)
	}
	c.ComputeActivity(&act, prev)
	fmt.Println("potential:", act.Potential(seg), "connected:", act.Connected(seg))
	// Output:
	// grown: 3 potential: 3 connected: 0
	// potential: 3 connected: 3
}

func ExampleNeuron() {
	rng := rand.New(rand.NewPCG(3, 4))
	nr, _ := dendrite.NewNeuron(1000, 10) // n = 1000 inputs, θ = 10
	p, _ := dendrite.RandomPattern(nil, 1000, 40, rng)
	nr.Learn(p, 20, rng) // one segment, s = 20 synapses onto p's cells

	fires, overlap, _ := nr.Respond(p)
	fmt.Println("learned pattern:", fires, overlap)

	q, _ := dendrite.NoisyPattern(nil, p, 1000, 10, rng) // 10 of 40 cells replaced
	fires, _, _ = nr.Respond(q)
	fmt.Println("noisy pattern:", fires)

	r, _ := dendrite.RandomPattern(nil, 1000, 40, rng)
	fires, overlap, _ = nr.Respond(r)
	fmt.Println("random pattern:", fires, overlap < 10)
	// Output:
	// learned pattern: true 20
	// noisy pattern: true
	// random pattern: false true
}
