package theory

import (
	"math"
	"math/big"
)

func checkSegments(q string, m int) error {
	if m < 0 {
		return errf(q, "segments m = %d must be ≥ 0", m)
	}
	return nil
}

// Neuron returns E5, the false-positive probability of a neuron with m
// independent segments, each with false-match probability P = P_fp(n,a,s,θ)
// (E2); the neuron fires falsely if any segment does:
//
//	P_neuron = 1 − (1 − P)^m
//
// computed in double-double from P before its rounding (see
// neuronFromX), so tiny probabilities keep all their digits and the result
// is the float64 nearest the exact value up to a few units in 10^-20.
func Neuron(n, a, s, theta, m int) (Float, error) {
	if err := checkSegments("neuron", m); err != nil {
		return Float{}, err
	}
	if err := checkNAS("fp", n, a, s); err != nil {
		return Float{}, err
	}
	p, err := tailX("fp", n, s, a, theta)
	if err != nil {
		return Float{}, err
	}
	return neuronFromX(p, m).float(), nil
}

// neuronFromX returns 1 − (1−P)^m for 0 ≤ P ≤ 1.
//
// Where m·P < 2^-10 it sums series: L = −m·log(1−P) = m·Σ P^k/k, then
// 1 − e^−L = L − L²/2 + L³/6 − …, each to a relative 2^-110 (P^k/k and
// L^k/k! fall by 2^-10 a term; the alternating terms cancel less than
// 2^-10 of the sum). Elsewhere (1−P)^m by binary powering: 1 − P carries
// an absolute error of 2^-106, the power a relative error of about
// 2m·2^-106 ≤ 2^-64, and 1 − (1−P)^m ≥ 1 − e^{-2^-10} > 2^-11 loses at
// most 11 bits of that.
func neuronFromX(p xdd, m int) xdd {
	if p.v.hi == 0 || m == 0 {
		return xdd{}
	}
	if p.cmpOne() >= 0 {
		return xddOne
	}
	fm := float64(m)
	if p.mulDD(dd{fm, 0}).float().Cmp(NewFloat(0x1p-10)) < 0 {
		logSum, pk := p, p
		for k := 2; ; k++ {
			pk = pk.mul(p)
			t := pk.mulDD(ratioDD(1, float64(k)))
			logSum = logSum.add(t)
			if t.float().Cmp(p.float().Mul(NewFloat(0x1p-110))) < 0 {
				break
			}
		}
		L := logSum.mulDD(dd{fm, 0})
		if L.float().Cmp(NewFloat(0x1p-200)) < 0 {
			return L // L²/2 is below 2^-200 of L
		}
		l := L.plain()
		sum, t := l, l
		for k := 2; math.Abs(t.hi) > 0x1p-110*sum.hi; k++ {
			t = t.mul(l.neg()).div(dd{float64(k), 0})
			sum = sum.add(t)
		}
		return xdd{v: sum}.norm()
	}
	q := dd{1, 0}.add(p.plain().neg())
	x := powXDD(xdd{v: q}, m).plain()
	return xdd{v: dd{1, 0}.add(x.neg())}.norm()
}

// NeuronBig returns E5 in arbitrary precision. 1 − P is formed at a
// precision of 256 bits beyond P's own binary exponent, so the
// cancellation in 1 − (1−P)^m costs nothing.
func NeuronBig(n, a, s, theta, m int) (*big.Float, error) {
	return neuronBig(nil, n, a, s, theta, m)
}

func neuronBig(st *stopper, n, a, s, theta, m int) (*big.Float, error) {
	if err := checkSegments("neuron", m); err != nil {
		return nil, err
	}
	p, err := fpBig(st, n, a, s, theta)
	if err != nil {
		return nil, err
	}
	return neuronFromPBig(p, m), nil
}

func neuronFromPBig(p *big.Float, m int) *big.Float {
	if p.Sign() == 0 || m == 0 {
		return new(big.Float).SetPrec(exactPrec)
	}
	prec := uint(exactPrec + 64)
	if e := p.MantExp(nil); e < 0 {
		prec += uint(-e)
	}
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	q := new(big.Float).SetPrec(prec).Sub(one, p) // exact at this precision
	x := new(big.Float).SetPrec(prec).SetInt64(1)
	for k := m; k > 0; k >>= 1 { // x = q^m
		if k&1 == 1 {
			x.Mul(x, q)
		}
		q.Mul(q, q)
	}
	r := new(big.Float).SetPrec(prec).Sub(one, x)
	return r.SetPrec(exactPrec)
}

// NeuronBound returns the union bound on E5, m·P_fp(n,a,s,θ), the 2015
// paper's classifier formula fp_X = M·fp.
func NeuronBound(n, a, s, theta, m int) (Float, error) {
	if err := checkSegments("neuron-bound", m); err != nil {
		return Float{}, err
	}
	if err := checkNAS("fp", n, a, s); err != nil {
		return Float{}, err
	}
	p, err := tailX("fp", n, s, a, theta)
	if err != nil {
		return Float{}, err
	}
	return p.mulDD(dd{float64(m), 0}).float(), nil
}

// NeuronBoundBig returns NeuronBound exactly (rounded once to 256 bits).
func NeuronBoundBig(n, a, s, theta, m int) (*big.Float, error) {
	return neuronBoundBig(nil, n, a, s, theta, m)
}

func neuronBoundBig(st *stopper, n, a, s, theta, m int) (*big.Float, error) {
	if err := checkSegments("neuron-bound", m); err != nil {
		return nil, err
	}
	num, den, err := fpRat(st, n, a, s, theta)
	if err != nil {
		return nil, err
	}
	num = new(big.Int).Mul(num, big.NewInt(int64(m)))
	return ratFloat(num, den), nil
}
