package main

import (
	"regexp"
	"testing"
)

// TestCalcWideExponents runs the three inputs of issue 10 whose printing
// took 5 s, 43 s and more than 10 minutes (decimal printing quadratic in
// the exponent) and checks every printed value. The references were
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
			"4.32777044704994753656401654287018861523036330675632764445007e-148713", 1e-14},
		{[]string{"union-allbits", "--n", "1e12", "--a", "1e5", "--patterns", "1000"},
			"6.77200156833033458367753324012982195473067863584985975567117e-400003", 1e-9},
		{[]string{"union-allbits", "--n", "1e12", "--a", "1e6", "--patterns", "1000"},
			"1.22431572472017105548549077726761265217318645084672972356384e-3000217", 1e-9},
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
			calcCheckClose(t, m, c.want, c.rel)
		}
	}
}
