package benchwork

import (
	"testing"

	"github.com/dendritic/dendritic/btm"
)

// The cases of the backtracking temporal memory (package btm), beside
// tm/…: NAB's parameters (btm.NABParams: 2048 columns × 32 cells,
// activationThreshold 13, newSynapseCount 20), 40 active columns,
// learning on.
//
//	btm/step-2048x32         BTMStep: µs per step on a learned repeating
//	                         sequence.
//	btm/step-2048x32-random  uniformly random inputs (every step bursts,
//	                         backtracks over the whole history and grows
//	                         segments): µs per step over steps 1000–2000,
//	                         a fixed window because the store keeps growing.

// BTMStep: one step of a backtracking TM with NAB's parameters on a
// repeating sequence of 100 random inputs (no resets), after 30
// repetitions of warm-up (TMStep's workload). It reports µs/step and the
// mean anomaly.
func BTMStep(b *testing.B) error {
	tm, err := btm.New(btm.NABParams())
	if err != nil {
		return err
	}
	return sequenceStep(b, tm)
}

// btmStepRandom returns the µs per step of the NAB backtracking TM over
// steps 1000–2000 of uniformly random input.
func btmStepRandom() (float64, error) {
	tm, err := btm.New(btm.NABParams())
	if err != nil {
		return 0, err
	}
	return randomWindow(tm)
}

func init() {
	register(Case{Name: "btm/step-2048x32", Suite: "btm", Unit: "µs/step", Run: perOp(BTMStep, 1e3)})
	register(Case{Name: "btm/step-2048x32-random", Suite: "btm", Unit: "µs/step", Run: btmStepRandom})
}
