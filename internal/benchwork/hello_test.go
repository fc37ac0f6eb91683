package benchwork

import "testing"

func TestHelloWorkload(t *testing.T) {
	p := helloTMParams()
	// HelloSPTP.cpp: TM(columns 2048, cellsPerColumn 8), htm.core's other
	// defaults (activationThreshold 13, maxSegmentsPerCell 255).
	if p.CellsPerColumn != 8 || p.NumColumns != 2048 || p.ActivationThreshold != 13 || p.MaxSegmentsPerCell != 255 {
		t.Errorf("hello TM params %+v", p)
	}
	if testing.Short() {
		return
	}
	cols, err := helloColumns()
	// 102 active columns at the first step: the SP's output on this seed,
	// recorded when the case was written.
	if err != nil || len(cols) != helloSteps || len(cols[0]) != 102 {
		t.Errorf("hello columns: %d steps, %v (first has %d)", len(cols), err, len(cols[0]))
	}
}

func TestActivityStore(t *testing.T) {
	c, bitmap, err := ActivityStore(1000)
	if err != nil {
		t.Fatal(err)
	}
	ones := 0
	for _, w := range bitmap {
		for ; w != 0; w &= w - 1 {
			ones++
		}
	}
	// 1000 segments × 40 distinct inputs; 65536/50 = 1310 active inputs.
	if c.NumSegments() != 1000 || c.NumSynapses() != 40_000 || len(bitmap) != 1024 || ones != 1310 {
		t.Errorf("%d segments, %d synapses, %d words, %d active", c.NumSegments(), c.NumSynapses(), len(bitmap), ones)
	}
}
