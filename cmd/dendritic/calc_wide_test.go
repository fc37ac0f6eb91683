package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/theory"
)

// TestCalcWideExponents runs the three inputs of issue 10 whose printing
// took 5 s, 43 s and more than 10 minutes (decimal printing quadratic in
// the exponent) and checks every printed value to half an ulp of float64
// (the fast values claim the float64 nearest the exact value; before
// double-double, union-allbits was 1.6e-11 and 1.8e-10 off). The references were
// computed with Python's decimal module at 60 significant digits (Emin
// −10^9): match as the product Π_{i<a} (a−i)/(n−i), union-allbits as
// (1 − ((n−a)/n)^M)^a.
func TestCalcWideExponents(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		rel  float64
	}{
		{[]string{"match", "--n", "1e9", "--a", "3e4"},
			"4.32777044704994753656401654287018861523036330675632764445007e-148713", 0x1p-53 * (1 + 0x1p-40)},
		{[]string{"union-allbits", "--n", "1e12", "--a", "1e5", "--patterns", "1000"},
			"6.77200156833033458367753324012982195473067863584985975567117e-400003", 0x1p-53 * (1 + 0x1p-40)},
		{[]string{"union-allbits", "--n", "1e12", "--a", "1e6", "--patterns", "1000"},
			"1.22431572472017105548549077726761265217318645084672972356384e-3000217", 0x1p-53 * (1 + 0x1p-40)},
	} {
		for _, format := range []string{"text", "json", "csv"} {
			out, errOut, st := calcRun(t, append(append([]string{"calc"}, c.args...), "--format", format)...)
			if st != 0 || errOut != "" {
				t.Fatalf("%v --format %s: status %d, stderr %q", c.args, format, st, errOut)
			}
			m := regexp.MustCompile(`[0-9]\.[0-9]+e-[0-9]+`).FindString(out)
			if m == "" {
				t.Fatalf("%v --format %s: no value in %q", c.args, format, out)
			}
			// The 17 digits round-trip the float64: compare that float64.
			x, err := theory.ParseFloat(m)
			if err != nil {
				t.Fatalf("%v: %q: %v", c.args, m, err)
			}
			calcCheckClose(t, x.Text(40), c.want, c.rel)
		}
	}
}

// TestCalcDigitsAndWarning: the digits printed follow Value.Digits
// (union-fp-exact's fast mode prints the 13 its bound guarantees at M = 8,
// s = 25), and a value above 1 of a probability says so in every format:
// fp-leading at n = 10, a = 5, s = 4, θ = 2 is C(4,2)·(1/2)^2 = 1.5.
func TestCalcDigitsAndWarning(t *testing.T) {
	out, _, st := calcRun(t, "calc", "union-fp-exact", "--n", "10000", "--a", "200", "--s", "25", "--theta", "15", "--patterns", "8")
	if st != 0 || !regexp.MustCompile(`= 9\.935528015228e-06 .*fast, 13 digits\)`).MatchString(out) {
		t.Errorf("status %d, output %q", st, out)
	}
	args := []string{"calc", "fp-leading", "--n", "10", "--a", "5", "--s", "4", "--theta", "2"}
	for format, want := range map[string]string{
		"text": "= 1.5000000000000000e+00   (log10 0.176091; E6, fast, 17 digits; warning: the value exceeds 1",
		"json": `"digits":17,"warning":"the value exceeds 1`,
		"csv":  `,,"the value exceeds 1`,
	} {
		for _, exact := range []bool{false, true} {
			a := append(append([]string(nil), args...), "--format", format)
			if exact {
				a = append(a, "--exact")
				want = strings.ReplaceAll(strings.ReplaceAll(want, "1.5000000000000000e+00", "1.500000000000000000000000e+00"), "fast, 17", "exact, 25")
				want = strings.ReplaceAll(want, `"digits":17`, `"digits":25`)
			}
			out, _, st := calcRun(t, a...)
			if st != 0 || !strings.Contains(out, want) {
				t.Errorf("%s exact=%v: status %d, output %q, want %q", format, exact, st, out, want)
			}
		}
	}
}

// TestCalcInterrupted: a cancelled context (Ctrl-C) stops calc in the
// middle of an exact union chain (about a second of work here) with exit
// status 130 and no value; calc ignored it and printed the value.
func TestCalcInterrupted(t *testing.T) {
	ctx0 := program.Context
	t.Cleanup(func() { program.Context = ctx0 })
	program.Context = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(50 * time.Millisecond); cancel() }() // the Ctrl-C
		return ctx, cancel
	}
	out, _, st := calcRun(t, "calc", "union-fp-exact", "--n", "10000", "--a", "200", "--s", "25", "--theta", "15", "--patterns", "40", "--exact")
	if st != 130 || out != "" {
		t.Errorf("status %d, output %q; want 130 and nothing", st, out)
	}
}
