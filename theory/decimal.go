package theory

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal conversion of numbers with a wide exponent.
//
// A value x = m·2^e (m a big.Float in [0.5, 1), e an int64) prints as
// d.ddd·10^E. Converting through big.Float's own decimal formatting costs
// time quadratic in |e| (it shifts the whole mantissa e bits), so a value
// of 1e-148713 took seconds. Here the decimal exponent is estimated from
// the known log10(x) = log10(m) + e·log10(2), and x is scaled by 10^−E,
// computed by binary powering at a fixed precision with a separate int64
// binary exponent: O(log |E|) multiplications of a few hundred bits, then
// the printing of the requested digits. Parsing runs the same way
// backwards. Neither is limited by big.Float's int32 exponent range.

// maxDecimalExp bounds the decimal exponent that ParseFloat accepts, far
// beyond any value of the theory (the smallest has log10 ≈ −1.3e13) and
// safely inside the int64 binary exponent.
const maxDecimalExp = 1_000_000_000_000_000

// maxParseLen bounds the length of a number that ParseFloat reads, so that
// the mantissa's conversion stays linear in time; 17 or 25 significant
// digits are printed, a thousand characters is ample.
const maxParseLen = 1000

// wideFloat is m·2^e with m = 0 or |m| ∈ [0.5, 1) at a working precision.
type wideFloat struct {
	m *big.Float
	e int64
}

func newWide(prec uint, m *big.Float, e int64) wideFloat {
	z := new(big.Float)
	if m.Sign() == 0 {
		return wideFloat{m: z.SetPrec(prec)}
	}
	me := int64(m.MantExp(z)) // z takes m's precision, then widens exactly
	if z.Prec() < prec {
		z.SetPrec(prec)
	}
	return wideFloat{m: z, e: e + me}
}

// mul returns x·y at x's precision.
func (x wideFloat) mul(y wideFloat) wideFloat {
	z := new(big.Float).SetPrec(x.m.Prec()).Mul(x.m, y.m)
	return newWide(x.m.Prec(), z, x.e+y.e)
}

// quo returns x/y at x's precision (y ≠ 0).
func (x wideFloat) quo(y wideFloat) wideFloat {
	z := new(big.Float).SetPrec(x.m.Prec()).Quo(x.m, y.m)
	return newWide(x.m.Prec(), z, x.e-y.e)
}

// pow10Wide returns 10^k for k ≥ 0 at the given precision, by binary
// powering: the relative error is below 2·log2(k)·2^−prec.
func pow10Wide(k int64, prec uint) wideFloat {
	r := newWide(prec, big.NewFloat(1), 0)
	b := newWide(prec, big.NewFloat(10), 0)
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r = r.mul(b)
		}
		if k > 1 {
			b = b.mul(b)
		}
	}
	return r
}

// log10of2 is log10(2) to 40 digits (a mathematical constant).
var log10of2, _, _ = big.ParseFloat("0.3010299956639811952137388947244930267682", 10, 192, big.ToNearestEven)

// floorLog10 estimates floor(log10(m·2^e)) for m ∈ [0.5, 1); the caller
// corrects an estimate that is off by one.
func floorLog10(m *big.Float, e int64) int64 {
	f, _ := m.Float64()
	// e·log10(2) in 192 bits, so the integer part is right even for
	// |e| near 2^53.
	t := new(big.Float).SetPrec(192).SetInt64(e)
	t.Mul(t, log10of2)
	ip, _ := t.Int64() // truncated toward zero
	frac, _ := new(big.Float).Sub(t, new(big.Float).SetInt64(ip)).Float64()
	return ip + int64(math.Floor(frac+math.Log10(f)))
}

// formatWide formats m·2^e (m ≥ 0) in decimal scientific notation with
// the given number of significant digits, in the style of strconv's 'e'
// format (at least two exponent digits); 0 prints as "0". The digits are
// correctly rounded unless x lies within about 2^−(4·digits+100) relative
// of a rounding boundary.
func formatWide(m *big.Float, e int64, digits int) string {
	if m.Sign() == 0 {
		return "0"
	}
	digits = max(digits, 1)
	prec := uint(4*digits + 128)
	x := newWide(prec, m, e)
	E := floorLog10(x.m, x.e)
	var r wideFloat
	if E >= 0 {
		r = x.quo(pow10Wide(E, prec))
	} else {
		r = x.mul(pow10Wide(-E, prec))
	}
	// r ≈ 10^(log10 x − E) ∈ [1, 10) up to the estimate's error.
	rf := new(big.Float).SetPrec(prec).SetMantExp(r.m, int(r.e))
	ten := new(big.Float).SetPrec(prec).SetInt64(10)
	for rf.Cmp(ten) >= 0 {
		rf.Quo(rf, ten)
		E++
	}
	for rf.Cmp(big.NewFloat(1)) < 0 {
		rf.Mul(rf, ten)
		E--
	}
	s := rf.Text('e', digits-1) // "d.ddde+00", or "1.000e+01" after rounding up
	i := strings.LastIndexByte(s, 'e')
	k, _ := strconv.ParseInt(s[i+1:], 10, 64)
	return s[:i] + expSuffix(E+k)
}

// expSuffix formats a decimal exponent as strconv does: e+05, e-4863.
func expSuffix(E int64) string {
	sign := "+"
	if E < 0 {
		sign, E = "-", -E
	}
	d := strconv.FormatInt(E, 10)
	if len(d) < 2 {
		d = "0" + d
	}
	return "e" + sign + d
}

// parseWide parses a non-negative decimal number "mantissa[e|E exponent]"
// into m·2^e at precision prec. ok is false for malformed input, a
// negative or infinite value, or a decimal exponent beyond
// ±maxDecimalExp.
func parseWide(s string, prec uint) (x wideFloat, ok bool) {
	if len(s) == 0 || len(s) > maxParseLen {
		return wideFloat{}, false
	}
	mant, exp10 := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var err error
		mant = s[:i]
		exp10, err = strconv.ParseInt(strings.TrimPrefix(s[i+1:], "+"), 10, 64)
		if err != nil || exp10 > maxDecimalExp || exp10 < -maxDecimalExp || strings.HasPrefix(s[i+1:], "+-") {
			return wideFloat{}, false
		}
	}
	if mant == "" || strings.ContainsAny(mant, "eEpPxX_") {
		return wideFloat{}, false
	}
	z, _, err := big.ParseFloat(mant, 10, prec, big.ToNearestEven)
	if err != nil || z.Sign() < 0 || z.IsInf() {
		return wideFloat{}, false
	}
	x = newWide(prec, z, 0)
	if z.Sign() == 0 {
		return x, true
	}
	if exp10 >= 0 {
		return x.mul(pow10Wide(exp10, prec)), true
	}
	return x.quo(pow10Wide(-exp10, prec)), true
}
