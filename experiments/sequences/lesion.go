package sequences

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dendritic/dendritic/dendrite"
)

// DeadCells draws round(fraction·numCells) distinct cells uniformly with
// rng, sorted.
func DeadCells(numCells int, fraction float64, rng *rand.Rand) ([]uint32, error) {
	if !(fraction >= 0 && fraction <= 1) {
		return nil, fmt.Errorf("sequences: dead fraction %v: must lie in [0, 1]", fraction)
	}
	n := int(math.Round(fraction * float64(numCells)))
	return dendrite.RandomPattern(nil, numCells, n, rng)
}
