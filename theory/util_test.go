package theory

import (
	"math"
	"strconv"
	"testing"
)

func itoa(i int) string { return strconv.Itoa(i) }

func log10(x float64) float64 { return math.Log10(x) }

// argsOf builds Args from a literal map, failing the test on a name that
// is not a parameter (so that a typo in a test cannot read as "absent").
func argsOf(t testing.TB, m map[string]int) Args {
	t.Helper()
	var a Args
	for name, v := range m {
		p, ok := ParamByName(name)
		if !ok {
			t.Fatalf("argsOf: %q is not a parameter", name)
		}
		a = a.With(p, v)
	}
	return a
}
