package theory

import (
	"math/rand/v2"
	"testing"
)

// nearestBound is the relative distance allowed between a fast value that
// claims 17 digits and the exact value: half an ulp, 2^-53 of the float64
// (relative to the exact value it can be a hair above 2^-53).
const nearestBound = 0x1p-53 * (1 + 0x1p-40)

// fastBound is the relative error that the fast form of q claims at the
// arguments p: nearestBound for every quantity (the float64 nearest the
// exact value), (M·(s+1) + 1)·2^-53 for union-fp-exact (UnionFPMixDigits).
func fastBound(q Quantity, p Args) float64 {
	if q.Name == "union-fp-exact" {
		s, _ := p.Get(ParamS)
		m, _ := p.Get(ParamPatterns)
		return unionFPMixBound(s, m)
	}
	return nearestBound
}

// randomParams draws the parameters of q: n up to 50000, a up to 3000,
// s up to 300 (30 and M ≤ 8 for union-fp-exact, whose exact mode is slow),
// M up to 30, up to 2·10^6 segments.
func randomParams(r *rand.Rand, q Quantity) Args {
	n := 1 + r.IntN(50000)
	p := map[string]int{"n": n, "a": r.IntN(min(n, 3000) + 1), "s": r.IntN(min(n, 300) + 1),
		"b": r.IntN(40), "patterns": 1 + r.IntN(30), "segments": r.IntN(2_000_000), "noise": 0}
	switch q.Name {
	case "union-fp-exact":
		p["s"], p["patterns"] = r.IntN(min(n, 30)+1), 1+r.IntN(8)
	case "fn":
		p["a"] = 1 + r.IntN(3000)
		p["s"] = r.IntN(min(p["a"], 300) + 1)
		p["noise"] = r.IntN(p["a"] + 1)
	}
	p["theta"] = r.IntN(p["s"]+2) - 1
	var out Args
	for _, k := range q.Params {
		out = out.With(k, p[k.String()])
	}
	return out
}

// TestFastDigitsCorrect: every quantity's fast value is within its stated
// bound of the exact value on 400 random configurations each, and prints
// no more digits than the bound guarantees. Before double-double, the
// worst were about 3e-15 (fp), 1.8e-12 (union-allbits at the case below).
func TestFastDigitsCorrect(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	count := 400
	if testing.Short() {
		count = 100
	}
	for _, q := range Quantities() {
		worst := 0.0
		var worstP Args
		for range count {
			p := randomParams(r, q)
			f, err1 := q.Eval(p, false)
			e, err2 := q.Eval(p, true)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s%v: fast err %v, exact err %v", q.Name, p, err1, err2)
			}
			if err1 != nil || e.IsZero() {
				continue
			}
			b := fastBound(q, p)
			if d := relErr(f.Big(), e.Big()); d/b > worst {
				worst, worstP = d/b, p
			}
			if f.Digits() < 17 && float64(f.Digits()) > -log10(b) {
				t.Errorf("%s%v prints %d digits with a bound of %.2g", q.Name, p, f.Digits(), b)
			}
		}
		t.Logf("%-15s worst error %.3g of its bound, at %v", q.Name, worst, worstP)
		if worst > 1 {
			t.Errorf("%s: fast off by %.3g times its bound at %v", q.Name, worst, worstP)
		}
	}
}

// TestUnionAllBitsIssueCase is the case of issue 10: (1 − (1 − a/n)^M)^a
// at n = 1000003, a = 19999, M = 7 was 1.8e-12 from the exact value (q
// rounded to float64 before the power a).
func TestUnionAllBitsIssueCase(t *testing.T) {
	f, err := UnionAllBits(1000003, 19999, 7)
	if err != nil {
		t.Fatal(err)
	}
	e, err := UnionAllBitsBig(1000003, 19999, 7)
	if err != nil {
		t.Fatal(err)
	}
	if d := relErr(f.Big(), e); d > nearestBound {
		t.Errorf("fast %s, exact %s: relative error %.3g", f, formatBig(e, 25), d)
	}
}

// TestProbabilitiesAtMostOne: the fast and exact forms of every quantity
// that is a probability stay in [0, 1] (fp-binomial fast returned
// 1.0000000000383651 and union-fp-exact one ulp above 1 before), except
// the leading-term law and the union bound, which report AboveOne.
func TestProbabilitiesAtMostOne(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, q := range Quantities() {
		if q.count {
			continue
		}
		for range 300 {
			p := randomParams(r, q)
			if th, ok := p.Get(ParamTheta); ok && th > 0 {
				p = p.With(ParamTheta, min(th, 1+r.IntN(3))) // tails near 1
			}
			for _, exact := range []bool{false, true} {
				v, err := q.Eval(p, exact)
				if err != nil {
					continue
				}
				above := v.Float().Cmp(One) > 0
				if above != v.AboveOne() || above && v.Warning() == "" {
					t.Fatalf("%s%v exact=%v = %s: AboveOne %v", q.Name, p, exact, v, v.AboveOne())
				}
				if above && q.Name != "fp-leading" && q.Name != "neuron-bound" {
					t.Errorf("%s%v exact=%v = %s > 1", q.Name, p, exact, v)
				}
			}
		}
	}
	v, err := Eval("fp-leading", argsOf(t, map[string]int{"n": 10, "a": 5, "s": 4, "theta": 2}), false)
	if err != nil || !v.AboveOne() || v.Warning() == "" {
		t.Errorf("fp-leading = %s (%v): AboveOne %v", v, err, v.AboveOne())
	}
}
