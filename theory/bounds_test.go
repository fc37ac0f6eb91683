package theory

import (
	"strings"
	"testing"
)

// TestUnionMixBounded: the cases of issue 10. M·s overflowed int64 and
// panicked (makeslice: len out of range) in both modes; n = s = 4·10^8,
// M = 2 allocated two arrays of n+1 values (6.4 GB) for a chain of one
// state; n = 1000, s = 1, M = 10^6 (2e9 steps) ran for 75 s.
func TestUnionMixBounded(t *testing.T) {
	for _, exact := range []bool{false, true} {
		v, err := Eval("union-fp-exact", argsOf(t, map[string]int{"n": 1 << 40, "a": 10, "s": 12582912, "theta": 5, "patterns": 1 << 40}), exact)
		if err == nil || !strings.Contains(err.Error(), "steps") {
			t.Errorf("exact=%v: M·s overflow: %v, %v", exact, v, err)
		}
		v, err = Eval("union-fp-exact", argsOf(t, map[string]int{"n": 1000, "a": 10, "s": 1, "theta": 1, "patterns": 1_000_000}), exact)
		if err == nil || !strings.Contains(err.Error(), "more than the") {
			t.Errorf("exact=%v: n=1000, s=1, M=1e6: %v, %v", exact, v, err)
		}
	}
	// Every pattern covers all n cells: the union has n synapses, and a
	// segment on every cell sees all a = 10 active ones, so P = 1 for θ ≤ 10.
	v, err := UnionFPMix(400_000_000, 10, 400_000_000, 5, 2)
	if err != nil || v.Cmp(One) != 0 {
		t.Errorf("n = s = 4e8, M = 2: %v, %v (want 1)", v, err)
	}
	lo, probs, err := UnionSizeDist(400_000_000, 400_000_000, 2)
	if err != nil || lo != 400_000_000 || len(probs) != 1 || probs[0] != 1 {
		t.Errorf("UnionSizeDist(4e8, 4e8, 2) = %d, %d values, %v", lo, len(probs), err)
	}
}

// TestOverlapCountExactBounded: C(s, b) enters the exact size check, so
// n = 10^7, s = 5·10^6, a = b = 2.5·10^6 (which ran past a minute) is
// refused at once, as in the fast mode.
func TestOverlapCountExactBounded(t *testing.T) {
	for _, exact := range []bool{false, true} {
		_, err := Eval("overlap-count", argsOf(t, map[string]int{"n": 10_000_000, "a": 2_500_000, "s": 5_000_000, "b": 2_500_000}), exact)
		if exact && (err == nil || !strings.Contains(err.Error(), "exact mode supports")) {
			t.Errorf("exact: %v", err)
		}
		if !exact && err != nil {
			t.Errorf("fast: %v", err) // 2.5e6 factors: within MaxFastTerms
		}
	}
}
