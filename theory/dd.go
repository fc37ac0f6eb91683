package theory

import "math"

// Double-double arithmetic with a separate binary exponent.
//
// The fast forms round once, at the end, to a float64: every product and
// sum runs on an unevaluated pair hi + lo of float64s (about 106 bits, a
// relative error near 1e-32 per operation; Dekker 1971, Knuth TAOCP
// vol. 2 §4.2.2, the error-free transformations TwoSum and TwoProduct
// with a fused multiply-add), scaled by 2^e so that nothing underflows. A
// product of min(s, a) ≤ 5·10^7 factors then carries a relative error
// below 1e-24, and the float64 printed with 17 digits is the float64
// nearest the exact value except within about 1e-8 ulp of a tie.

// dd is hi + lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

// xdd is (hi + lo)·2^e, kept with |hi| in [2^-500, 2^500] or hi = 0.
type xdd struct {
	v dd
	e int
}

var xddOne = xdd{v: dd{1, 0}}

func twoSum(a, b float64) (s, err float64) {
	s = a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

// twoProd returns a·b exactly as a dd.
func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s, e := twoSum(x.hi, y.hi)
	t, f := twoSum(x.lo, y.lo)
	e += t
	r := quickTwoSum(s, e)
	return quickTwoSum(r.hi, r.lo+f)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	return quickTwoSum(p.hi, p.lo+(x.hi*y.lo+x.lo*y.hi))
}

func (x dd) mulF(y float64) dd {
	p := twoProd(x.hi, y)
	return quickTwoSum(p.hi, p.lo+x.lo*y)
}

// div returns x/y (y ≠ 0) by two rounds of long division: q1 = x/y in
// float64, the residual x − q1·y formed exactly with a fused
// multiply-add, and its quotient as the correction (relative error about
// 2^-104).
func (x dd) div(y dd) dd {
	q1 := x.hi / y.hi
	p := twoProd(q1, y.hi)
	r := ((x.hi - p.hi) - p.lo + x.lo) - q1*y.lo
	return quickTwoSum(q1, r/y.hi)
}

// ratioDD returns x/y for float64 integers x, y ≠ 0.
func ratioDD(x, y float64) dd { return dd{x, 0}.div(dd{y, 0}) }

// norm rescales x so that its hi lies within [2^-500, 2^500].
func (x xdd) norm() xdd {
	if a := math.Abs(x.v.hi); (a < 0x1p-500 || a > 0x1p500) && a != 0 {
		_, fe := math.Frexp(x.v.hi)
		x.v = dd{math.Ldexp(x.v.hi, -fe), math.Ldexp(x.v.lo, -fe)}
		x.e += fe
	}
	return x
}

func (x xdd) mul(y xdd) xdd  { return xdd{x.v.mul(y.v), x.e + y.e}.norm() }
func (x xdd) mulDD(y dd) xdd { return xdd{x.v.mul(y), x.e}.norm() }
func (x xdd) div(y xdd) xdd  { return xdd{x.v.div(y.v), x.e - y.e}.norm() }

// add returns x + y for x, y ≥ 0.
func (x xdd) add(y xdd) xdd {
	if x.v.hi == 0 {
		return y
	}
	if y.v.hi == 0 {
		return x
	}
	if x.e < y.e {
		x, y = y, x
	}
	d := y.e - x.e
	if d < -1200 {
		return x
	}
	yv := dd{math.Ldexp(y.v.hi, d), math.Ldexp(y.v.lo, d)}
	return xdd{x.v.add(yv), x.e}.norm()
}

// cmpOne compares x ≥ 0 with 1.
func (x xdd) cmpOne() int {
	f := x.float()
	return f.Cmp(One)
}

// plain returns x as a dd without exponent (0 below the float64 range).
func (x xdd) plain() dd {
	return dd{math.Ldexp(x.v.hi, x.e), math.Ldexp(x.v.lo, x.e)}
}

// float rounds x ≥ 0 to a Float: hi is already hi + lo rounded to nearest.
func (x xdd) float() Float { return floatFromParts(x.v.hi, x.e) }

// powXDD returns x^k for k ≥ 0 by binary powering; the relative error is
// about 2·k·2^-106.
func powXDD(x xdd, k int) xdd {
	r := xddOne
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r = r.mul(x)
		}
		if k > 1 {
			x = x.mul(x)
		}
	}
	return r
}

// ratioProd accumulates Π num_i / Π den_i for float64 integers
// 1 ≤ num_i, den_i < 2^53: numerator and denominator are multiplied
// exactly to 106 bits and divided once.
//
// Runs of factors are first multiplied in plain float64 (timesRange): if
// every factor of a range is below 2^m, a run of ⌊53/m⌋ of them has a
// product below 2^53, an integer and hence exact in float64. Only the
// runs enter the double-double products, each one a float64 integer below
// 2^53 as a single factor used to be, so the error bound is unchanged
// (fewer roundings, in fact) while the number of double-double
// multiplications falls by the run length (3 for factors near 10^5). The
// double-double products only grow (every run is at least 1); eight runs
// of at most 2^53 cannot take a product renormalised below 2^500 past
// 2^1023, so the scale is checked every eighth run.
type ratioProd struct {
	num, den xdd
	k        int
}

func newRatioProd() ratioProd { return ratioProd{num: xddOne, den: xddOne} }

// timesRange multiplies in the n factors (num + i·step)/(den + i·step),
// i = 0 … n−1, each an integer in [1, 2^53) (step is ±1).
func (p *ratioProd) timesRange(num, den, step float64, n int) {
	if n <= 0 {
		return
	}
	last := float64(n-1) * step
	_, m := math.Frexp(max(num, den, num+last, den+last)) // every factor < 2^m, m ≤ 53
	run := 53 / m
	for ; n > 0; n -= run {
		pn, pd := num, den
		for i := 1; i < min(run, n); i++ {
			num += step
			den += step
			pn *= num
			pd *= den
		}
		num += step
		den += step
		p.times(pn, pd)
	}
}

// times multiplies in one factor num/den (float64 integers in [1, 2^53)).
func (p *ratioProd) times(num, den float64) {
	p.num.v = p.num.v.mulF(num)
	p.den.v = p.den.v.mulF(den)
	if p.k++; p.k&7 == 0 {
		p.num, p.den = p.num.norm(), p.den.norm()
	}
}

func (p *ratioProd) value() xdd { return p.num.norm().div(p.den.norm()) }
