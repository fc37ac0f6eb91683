package htm_test

import (
	"bytes"
	"fmt"

	"github.com/dendritic/dendritic/htm"
)

// A TM learns the sequence A B C D. New synapses start at permanence 0.21
// and connect at 0.5, so a transition is predicted from the fifth
// repetition on; then only A, which follows a reset, is unexpected.
func Example() {
	p := htm.DefaultParams()
	p.NumColumns, p.CellsPerColumn = 64, 4
	p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount = 3, 3, 4
	tm, err := htm.New(p)
	if err != nil {
		panic(err)
	}
	seq := [][]uint32{{0, 1, 2, 3}, {10, 11, 12, 13}, {20, 21, 22, 23}, {30, 31, 32, 33}}
	for rep := range 6 {
		anomaly := 0.0
		for _, cols := range seq {
			if err := tm.Compute(cols, true); err != nil {
				panic(err)
			}
			anomaly += tm.Anomaly()
		}
		tm.Reset()
		fmt.Printf("repetition %d: mean anomaly %.2f\n", rep, anomaly/float64(len(seq)))
	}
	tm.Compute(seq[0], false)
	fmt.Println("after A:", tm.PredictedColumns(nil))

	var buf bytes.Buffer
	if err := tm.Save(&buf); err != nil {
		panic(err)
	}
	tm2, err := htm.Load(&buf)
	if err != nil {
		panic(err)
	}
	tm2.Compute(seq[1], false)
	fmt.Println("restored, after B:", tm2.PredictedColumns(nil))
	// Output:
	// repetition 0: mean anomaly 1.00
	// repetition 1: mean anomaly 1.00
	// repetition 2: mean anomaly 1.00
	// repetition 3: mean anomaly 1.00
	// repetition 4: mean anomaly 0.25
	// repetition 5: mean anomaly 0.25
	// after A: [10 11 12 13]
	// restored, after B: [20 21 22 23]
}
