package btm

import "testing"

// TestRepeatingSequence: backtracking-tm.md §12's first vector, a
// repeating A-B-C-D (no resets, NAB parameters) stops bursting after
// about 4 passes.
func TestRepeatingSequence(t *testing.T) {
	tm := mustNew(t, NABParams())
	seq := [][]uint32{block(0, 40), block(1, 40), block(2, 40), block(3, 40)}
	firstClean := -1
	for pass := range 20 {
		bursts := 0
		for _, x := range seq {
			compute(t, tm, x, true)
			bursts += bursting(tm)
		}
		t.Logf("pass %d: %d bursting columns, anomaly %v, segments %d, %+v", pass, bursts, tm.Anomaly(), tm.NumSegments(), tm.Diagnostics())
		if bursts == 0 && firstClean < 0 {
			firstClean = pass
		}
	}
}
