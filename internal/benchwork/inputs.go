package benchwork

import (
	"math/rand/v2"

	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/spatial"
)

// The inputs of the tm and hello workloads, exported so that a program
// outside the suite (scripts/htmcore-compare, which feeds them to
// htm.core) runs exactly the suite's workloads. The cases below use the
// same functions, so the two cannot drift apart.

const (
	// SequenceWarmup is the number of repetitions of the sequence of
	// tm/step-2048x32 before it is timed.
	SequenceWarmup = 30
	// RandomSteps is the length of the input of tm/step-2048x32-random,
	// and RandomWindow its first timed step: steps RandomWindow …
	// RandomSteps−1 are timed.
	RandomSteps, RandomWindow = 2000, 1000
	// HelloSteps is the length of an episode of the hello workload.
	HelloSteps = helloSteps
	// HelloNoise is the fraction of the active input bits the hello
	// workload moves at each step, after encoding.
	HelloNoise = 0.01
)

// HelloRDSEParams returns the parameters of the hello workload's encoder:
// 1000 bits, 20 % active, radius 0.03, seed 1.
func HelloRDSEParams() encoder.RDSEParams {
	return encoder.RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1}
}

// SequenceInputs returns the repeating sequence of tm/step-2048x32: 100
// random sets of 40 of 2048 columns, sorted, from PCG(1, 2).
func SequenceInputs() ([][]uint32, error) {
	return randomColumns(rand.New(rand.NewPCG(1, 2)), 100, 2048, 40)
}

// RandomInputs returns the RandomSteps inputs of tm/step-2048x32-random:
// random sets of 40 of 2048 columns, sorted, from PCG(3, 4).
func RandomInputs() ([][]uint32, error) {
	return randomColumns(rand.New(rand.NewPCG(3, 4)), RandomSteps, 2048, 40)
}

// HelloInputs returns the active bits (sorted) of the HelloSteps noisy
// encodings of the hello workload, the spatial pooler's input.
func HelloInputs() ([][]uint32, error) {
	in, err := helloInputs()
	if err != nil {
		return nil, err
	}
	out := make([][]uint32, len(in))
	for i, s := range in {
		out[i] = append([]uint32(nil), s.Sparse()...)
	}
	return out, nil
}

// HelloColumns returns our spatial pooler's active columns (sorted) for
// the HelloSteps steps of the hello workload: the input of hello/tm.
func HelloColumns() ([][]uint32, error) { return helloColumns() }

// HelloSPParams returns the parameters of the hello workload's spatial
// pooler: 1000 inputs, 2048 columns, htm.core's defaults.
func HelloSPParams() spatial.Params { return spatial.DefaultParams([]int{1000}, []int{2048}) }

// HelloTMParams returns the parameters of hello/tm's temporal memory:
// htm.core's defaults with 2048 columns × 8 cells.
func HelloTMParams() htm.Params { return helloTMParams() }
