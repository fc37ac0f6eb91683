package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// TestSimulateTheoryBelowFloat64: the theory of fp at n = 10^6,
// a = s = θ = 2000 (2.45e-6264) lies far below the float64 range; simulate
// printed it as 0. It now prints the extended-range value of theory.FP, in
// the text (10 digits) and in the JSON (theory_value).
func TestSimulateTheoryBelowFloat64(t *testing.T) {
	want, err := theory.FP(1_000_000, 2000, 2000, 2000)
	if err != nil || want.Float64() != 0 || want.IsZero() {
		t.Fatalf("theory.FP = %v, %v: want a value below float64", want, err)
	}
	args := []string{"simulate", "fp", "--n", "1e6", "--a", "2000", "--s", "2000", "--theta", "2000", "--samples", "10", "--workers", "1"}
	out, errOut, st := calcRun(t, args...)
	if st != 0 || !strings.Contains(out, "\ntheory       "+want.Text(10)+"\n") {
		t.Errorf("status %d, stderr %q, output %q; want theory %s", st, errOut, out, want.Text(10))
	}
	out, _, st = calcRun(t, append(args, "--format", "json")...)
	var r struct {
		Theory      float64
		TheoryValue theory.Float `json:"theory_value"`
	}
	if err := json.Unmarshal([]byte(out), &r); st != 0 || err != nil || r.TheoryValue != want || r.Theory != 0 {
		t.Errorf("status %d, %v: theory %v, theory_value %v, want %v", st, err, r.Theory, r.TheoryValue, want)
	}
}
