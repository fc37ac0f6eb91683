package theory

import (
	"math"
	"testing"
)

// FuzzEval drives every quantity with arbitrary parameters: it must never
// panic, return NaN, or give a probability outside [0, 1] (overlap-count,
// union-synapses and the bounds neuron-bound and fp-leading may exceed 1);
// where the exact mode is cheap it must agree with the fast mode.
func FuzzEval(f *testing.F) {
	f.Add(uint8(2), 10000, 64, 24, 12, 0, 0, 0, 0)
	f.Add(uint8(3), 0, 128, 30, 8, 0, 0, 26, 0)
	f.Add(uint8(6), 10000, 200, 25, 15, 0, 5, 0, 0)
	f.Add(uint8(8), 100, 7, 7, 4, 0, 0, 0, 500)
	f.Add(uint8(0), 2048, 40, 20, 0, 10, 0, 0, 0)
	f.Add(uint8(2), -1, 5, 5, 5, 0, 0, 0, 0)
	f.Fuzz(func(t *testing.T, qi uint8, n, a, s, theta, b, m, v, seg int) {
		qs := Quantities()
		q := qs[int(qi)%len(qs)]
		// Keep the work bounded: the library accepts larger questions,
		// but they are slow by nature, not wrong.
		for _, x := range []int{n, a, s, b, v, seg} {
			if x > 5000 || x < -5000 {
				t.Skip()
			}
		}
		if m > 12 || m < -2 || theta > 1<<20 || theta < -(1<<20) {
			t.Skip()
		}
		p := Params{"n": n, "a": a, "s": s, "theta": theta, "b": b, "patterns": m, "noise": v, "segments": seg}
		fast, err := q.Eval(p, false)
		if err != nil {
			return
		}
		x := fast.Float64()
		if math.IsNaN(x) || math.IsNaN(fast.Log10()) {
			t.Fatalf("%s%v = NaN", q.Name, p)
		}
		if q.Name != "overlap-count" && q.Name != "union-synapses" && q.Name != "neuron-bound" && q.Name != "fp-leading" && x > 1+1e-12 {
			t.Fatalf("%s%v = %v > 1", q.Name, p, x)
		}
		if q.Name == "union-fp-exact" && s*m > 400 {
			return // the exact union-size chain is slow (seconds) for long unions
		}
		exact, err := q.Eval(p, true)
		if err != nil {
			return // the exact mode has tighter size limits
		}
		if exact.IsZero() != fast.IsZero() {
			t.Fatalf("%s%v: fast %s, exact %s", q.Name, p, fast, exact)
		}
		if !exact.IsZero() {
			if d := relErr(fast.Big(), exact.Big()); d > 1e-12 {
				t.Fatalf("%s%v: fast %s, exact %s (rel %.2g)", q.Name, p, fast, exact, d)
			}
		}
	})
}

// FuzzParseFloat: any string parses or errors; a parsed value prints and
// re-parses to itself.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "1", "6.5e-4863", "1e999999", "-1", "NaN", "Inf", "0x1p-3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseFloat(s)
		if err != nil {
			return
		}
		y, err := ParseFloat(x.String())
		if err != nil || y.Cmp(x) != 0 {
			t.Fatalf("%q → %s → %s (%v)", s, x, y, err)
		}
	})
}
