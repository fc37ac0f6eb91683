package paper

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/plotkit"
	"github.com/dendritic/dendritic/theory"
)

// sci writes v with the given significant digits as "4.04 × 10⁻²¹" (plain
// for exponents −2 to 0).
func sci(v theory.Float, digits int) string {
	t := v.Text(digits)
	mant, exp, ok := strings.Cut(t, "e")
	if !ok {
		return t
	}
	e, err := strconv.Atoi(exp)
	if err != nil {
		return t
	}
	if e >= -2 && e <= 0 {
		return fmtSig(v.Float64(), digits)
	}
	return mant + " × 10" + plotkit.Superscript(e)
}

// takeaways appends to a figure's caption the numbers it shows and the
// claims (paper spec §7) it checks; every number is read from the
// figure's own points. A sentence whose point is missing is left out.
func takeaways(f *Figure) {
	val := func(series string, params theory.Args) (string, bool) {
		p := f.Find(series, params)
		if p == nil {
			return "", false
		}
		return sci(p.theoryF, 3), true
	}
	say := func(format string, refs ...[2]any) {
		var vals []any
		for _, r := range refs {
			v, ok := val(r[0].(string), r[1].(theory.Args))
			if !ok {
				return
			}
			vals = append(vals, v)
		}
		f.Caption += " " + fmt.Sprintf(format, vals...)
	}
	ref := func(series string, p theory.Args) [2]any { return [2]any{series, p} }
	switch f.ID {
	case "F1":
		say("For a = 64 the error falls from %s at n = 300 to %s at n = 9900 and %s at n = 19900 (claim C3); the true a = n/2 stays at %s … %s (claim C4).",
			ref("a=64", theory.Args{}.With(theory.ParamN, 300)), ref("a=64", theory.Args{}.With(theory.ParamN, 9900)), ref("a=64", theory.Args{}.With(theory.ParamN, 19900)),
			ref("a=n/2", theory.Args{}.With(theory.ParamN, 300)), ref("a=n/2", theory.Args{}.With(theory.ParamN, 19900)))
	case "F2":
		say("At s = 30: %s (a = 32, n = 2000), %s (a = 32, n = 4000), %s (a = 512, n = 16000), but %s for the dense code (claim C5).",
			ref("a=32,n=2000", theory.Args{}.With(theory.ParamS, 30)), ref("a=32,n=4000", theory.Args{}.With(theory.ParamS, 30)),
			ref("a=512,n=16000", theory.Args{}.With(theory.ParamS, 30)), ref("a=4000,n=16000", theory.Args{}.With(theory.ParamS, 30)))
	case "F3":
		say("Exact mixture at n = 10000: %s at M = 8 and %s at M = 12; n = 20000: %s at M = 19; n = 1000: %s at M = 2 (claim C6).",
			ref("n=10000 mixture", theory.Args{}.With(theory.ParamPatterns, 8)), ref("n=10000 mixture", theory.Args{}.With(theory.ParamPatterns, 12)),
			ref("n=20000 mixture", theory.Args{}.With(theory.ParamPatterns, 19)), ref("n=1000 mixture", theory.Args{}.With(theory.ParamPatterns, 2)))
	case "F4":
		if p := f.Find("s=25", theory.Args{}.With(theory.ParamPatterns, 19)); p != nil {
			f.Caption += fmt.Sprintf(" At M = 19 a segment of s = 25 holds %.1f distinct synapses, %.1f fewer than M·s = 475.", p.Theory, 475-p.Theory)
		}
	case "F6":
		say("At 25 %% noise (v = 32): %s, %s and %s for θ = 8, 12, 16; at 50 %% (v = 64): %s, %s and %s (claim C7): "+
			"\"50 %% noise tolerance\" holds only in the worst-case sense (any s − θ synapses may lose their input), not for random noise.",
			ref("theta=8", theory.Args{}.With(theory.ParamNoise, 32)), ref("theta=12", theory.Args{}.With(theory.ParamNoise, 32)), ref("theta=16", theory.Args{}.With(theory.ParamNoise, 32)),
			ref("theta=8", theory.Args{}.With(theory.ParamNoise, 64)), ref("theta=12", theory.Args{}.With(theory.ParamNoise, 64)), ref("theta=16", theory.Args{}.With(theory.ParamNoise, 64)))
	case "E5":
		say("With m = 100 segments the neuron errs with probability %s (bound %s); with m = 1000, %s.",
			ref("neuron", theory.Args{}.With(theory.ParamSegments, 100)), ref("bound", theory.Args{}.With(theory.ParamSegments, 100)), ref("neuron", theory.Args{}.With(theory.ParamSegments, 1000)))
	}
}

// noiseCaveat is the caveat of "50 % noise tolerance" (paper spec §2, E3):
// a worst-case bound, with the miss rate when random noise replaces half
// the cells of a pattern of a cells, for a segment of s = 2θ.
func noiseCaveat(a, s, theta int) (string, error) {
	v, err := exactFloat(theory.FNBig(a, s, theta, a/2))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("\"50 %% noise tolerance\" in the worst-case sense only: any %d of the %d synapses may lose their input; "+
		"when random noise replaces half of the %d active cells, E3 gives a miss rate of %s (a = %d, s = %d, θ = %d)",
		s-theta, s, a, fmtSig(v.Float64(), 3), a, s, theta), nil
}
