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
// computed as −expm1(m·log1p(−P)), and as m·P where P lies below the
// float64 range (there (1−P)^m = 1 − m·P to far beyond float64
// precision), so tiny probabilities keep all their digits.
func Neuron(n, a, s, theta, m int) (Float, error) {
	if err := checkSegments("neuron", m); err != nil {
		return Float{}, err
	}
	p, err := FP(n, a, s, theta)
	if err != nil {
		return Float{}, err
	}
	return neuronFromP(p, m), nil
}

func neuronFromP(p Float, m int) Float {
	if p.IsZero() || m == 0 {
		return Float{}
	}
	if p.Cmp(One) >= 0 {
		return One
	}
	if p.Cmp(NewFloat(1e-250)) < 0 {
		// 1−(1−P)^m = mP·(1 − (m−1)P/2 + …); the correction is below 1e-200.
		return p.MulFloat64(float64(m))
	}
	return NewFloat(-math.Expm1(float64(m) * math.Log1p(-p.Float64())))
}

// NeuronBig returns E5 in arbitrary precision. 1 − P is formed at a
// precision of 256 bits beyond P's own binary exponent, so the
// cancellation in 1 − (1−P)^m costs nothing.
func NeuronBig(n, a, s, theta, m int) (*big.Float, error) {
	if err := checkSegments("neuron", m); err != nil {
		return nil, err
	}
	p, err := FPBig(n, a, s, theta)
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
	p, err := FP(n, a, s, theta)
	if err != nil {
		return Float{}, err
	}
	return p.MulFloat64(float64(m)), nil
}

// NeuronBoundBig returns NeuronBound exactly (rounded once to 256 bits).
func NeuronBoundBig(n, a, s, theta, m int) (*big.Float, error) {
	if err := checkSegments("neuron-bound", m); err != nil {
		return nil, err
	}
	num, den, err := FPRat(n, a, s, theta)
	if err != nil {
		return nil, err
	}
	num = new(big.Int).Mul(num, big.NewInt(int64(m)))
	return ratFloat(num, den), nil
}
