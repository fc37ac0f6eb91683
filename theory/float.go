package theory

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Float is a non-negative real number with the precision of a float64 and
// an exponent range wide enough for every probability of the theory:
//
//	x = frac · 2^exp,  frac ∈ [0.5, 1) or frac = 0.
//
// A float64 underflows below about 1e-308, but the false-match probability
// of a segment routinely falls far lower (1/C(200000, 2000) ≈ 6.5e-4863).
// Float carries such values without loss, and never turns a positive value
// into 0. The zero value is the number 0.
type Float struct {
	frac float64
	exp  int
}

// NewFloat returns x as a Float. Negative, NaN and infinite inputs are not
// representable; NewFloat maps them to 0 (callers validate first).
func NewFloat(x float64) Float {
	if !(x > 0) || math.IsInf(x, 1) {
		return Float{}
	}
	f, e := math.Frexp(x)
	return Float{frac: f, exp: e}
}

// floatFromParts returns frac·2^exp normalised.
func floatFromParts(frac float64, exp int) Float {
	if !(frac > 0) {
		return Float{}
	}
	f, e := math.Frexp(frac)
	return Float{frac: f, exp: e + exp}
}

// One is the Float 1.
var One = Float{frac: 0.5, exp: 1}

// IsZero reports whether x is exactly 0.
func (x Float) IsZero() bool { return x.frac == 0 }

// Mul returns x·y.
func (x Float) Mul(y Float) Float {
	if x.frac == 0 || y.frac == 0 {
		return Float{}
	}
	return floatFromParts(x.frac*y.frac, x.exp+y.exp)
}

// MulFloat64 returns x·y for a non-negative float64 y.
func (x Float) MulFloat64(y float64) Float {
	return x.Mul(NewFloat(y))
}

// Quo returns x/y; y must be non-zero (Quo returns 0 otherwise).
func (x Float) Quo(y Float) Float {
	if x.frac == 0 || y.frac == 0 {
		return Float{}
	}
	return floatFromParts(x.frac/y.frac, x.exp-y.exp)
}

// Add returns x+y.
func (x Float) Add(y Float) Float {
	if x.frac == 0 {
		return y
	}
	if y.frac == 0 {
		return x
	}
	if x.exp < y.exp {
		x, y = y, x
	}
	d := y.exp - x.exp // ≤ 0
	if d < -1100 {
		return x
	}
	return floatFromParts(x.frac+math.Ldexp(y.frac, d), x.exp)
}

// Cmp compares x and y and returns -1, 0 or +1.
func (x Float) Cmp(y Float) int {
	switch {
	case x.frac == 0 && y.frac == 0:
		return 0
	case x.frac == 0:
		return -1
	case y.frac == 0:
		return 1
	case x.exp != y.exp:
		if x.exp < y.exp {
			return -1
		}
		return 1
	case x.frac < y.frac:
		return -1
	case x.frac > y.frac:
		return 1
	}
	return 0
}

// Float64 returns x as a float64: 0 if x underflows float64 (or is 0),
// +Inf if it overflows. Use Log10 or Text to see tiny values.
func (x Float) Float64() float64 {
	if x.frac == 0 {
		return 0
	}
	return math.Ldexp(x.frac, x.exp)
}

// Log returns the natural logarithm of x (-Inf for 0).
func (x Float) Log() float64 {
	if x.frac == 0 {
		return math.Inf(-1)
	}
	return math.Log(x.frac) + float64(x.exp)*math.Ln2
}

// Log10 returns the base-10 logarithm of x (-Inf for 0).
func (x Float) Log10() float64 {
	if x.frac == 0 {
		return math.Inf(-1)
	}
	return math.Log10(x.frac) + float64(x.exp)*(math.Ln2/math.Ln10)
}

// Big returns x as an exact *big.Float (precision 53).
func (x Float) Big() *big.Float {
	z := new(big.Float).SetFloat64(x.frac)
	return z.SetMantExp(z, x.exp)
}

// FloatFromBig converts a non-negative *big.Float, rounding to 53 bits.
// Negative values map to 0.
func FloatFromBig(z *big.Float) Float {
	if z == nil || z.Sign() <= 0 {
		return Float{}
	}
	m := new(big.Float)
	e := z.MantExp(m) // z = m·2^e, m ∈ [0.5, 1)
	f, _ := m.Float64()
	return floatFromParts(f, e)
}

// Text formats x in decimal scientific notation with the given number of
// significant digits (e.g. "6.545923742300831e-4863"); 0 prints as "0".
func (x Float) Text(digits int) string {
	if x.frac != 0 && x.exp > -1021 && x.exp <= 1024 {
		// x is exactly a normal float64, and strconv rounds correctly
		// like big.Float does, at a fraction of the cost.
		return strconv.FormatFloat(math.Ldexp(x.frac, x.exp), 'e', max(digits, 1)-1, 64)
	}
	return formatWide(big.NewFloat(x.frac), int64(x.exp), digits)
}

// String formats x with 17 significant digits, enough to round-trip.
func (x Float) String() string { return x.Text(17) }

// formatBig formats a non-negative big.Float in scientific notation with
// the given number of significant digits; exactly 0 prints as "0".
func formatBig(z *big.Float, digits int) string {
	if z.Sign() == 0 {
		return "0"
	}
	m := new(big.Float)
	e := z.MantExp(m)
	return formatWide(m, int64(e), digits)
}

// log10Big returns the base-10 logarithm of a positive big.Float with
// float64 accuracy (-Inf for 0).
func log10Big(z *big.Float) float64 {
	if z.Sign() <= 0 {
		return math.Inf(-1)
	}
	m := new(big.Float)
	e := z.MantExp(m)
	f, _ := m.Float64()
	return math.Log10(f) + float64(e)*(math.Ln2/math.Ln10)
}

// ParseFloat parses a non-negative decimal number such as "6.5e-4863"
// into a Float. It is the inverse of Text. The decimal exponent may lie
// anywhere in ±10^15 and the input may hold up to 1000 characters; the
// time is linear in the length plus log of the exponent.
func ParseFloat(s string) (Float, error) {
	x, ok := parseWide(s, 128)
	if !ok {
		return Float{}, &strconv.NumError{Func: "ParseFloat", Num: s, Err: strconv.ErrSyntax}
	}
	if x.m.Sign() == 0 {
		return Float{}, nil
	}
	f, _ := x.m.Float64() // in [0.5, 1]: rounding may reach 1
	return floatFromParts(f, int(x.e)), nil
}

// MarshalJSON encodes x as a JSON string in the form of Text(17), because
// JSON numbers cannot carry values such as 6.5e-4863.
func (x Float) MarshalJSON() ([]byte, error) {
	return []byte(`"` + x.String() + `"`), nil
}

// UnmarshalJSON decodes a JSON string or number written by MarshalJSON.
func (x *Float) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := ParseFloat(s)
	if err != nil {
		return fmt.Errorf("theory: Float: %q is not a non-negative number", s)
	}
	*x = v
	return nil
}
