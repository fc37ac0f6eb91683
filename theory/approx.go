package theory

import (
	"math"
	"math/big"
)

// FPBinomial returns E6's binomial approximation of E2 for n ≫ s, a: each
// synapse sees an active cell independently with probability p = a/n,
//
//	P_fp ≈ Σ_{b=θ}^{s} C(s,b)·p^b·(1−p)^{s−b}.
//
// It ignores sampling without replacement, so it overestimates E2 when a
// is small (1.19e-20 against 4.04e-21 at n=10000, a=64, s=24, θ=12).
func FPBinomial(n, a, s, theta int) (Float, error) {
	if err := checkNAS("fp-binomial", n, a, s); err != nil {
		return Float{}, err
	}
	if theta <= 0 {
		return One, nil
	}
	if theta > s || a == 0 {
		return Float{}, nil
	}
	if a == n {
		return One, nil
	}
	if err := checkTerms("fp-binomial", s, false); err != nil {
		return Float{}, err
	}
	// In double-double (dd.go), rounded once: p = a/n, q = (n−a)/n.
	p := xdd{v: ratioDD(float64(a), float64(n))}
	q := xdd{v: ratioDD(float64(n-a), float64(n))}
	// Start at the mode if it lies in the tail, else at θ.
	b0 := max(theta, min(s, int(math.Floor(float64(s+1)*float64(a)/float64(n)))))
	start := binomXDD(s, b0).mul(powXDD(p, b0)).mul(powXDD(q, s-b0))
	ratio := func(b int) dd { // P(b+1)/P(b) = (s−b)·a / ((b+1)·(n−a))
		return twoProd(float64(s-b), float64(a)).div(twoProd(float64(b+1), float64(n-a)))
	}
	sum, term := dd{1, 0}, dd{1, 0}
	for b := b0; b < s; b++ {
		r := ratio(b)
		term = term.mul(r)
		sum = sum.add(term)
		if r.hi < 1 && term.hi*r.hi < tailStop*sum.hi*(1-r.hi) {
			break
		}
	}
	term = dd{1, 0}
	for b := b0; b > theta; b-- {
		r := dd{1, 0}.div(ratio(b - 1))
		term = term.mul(r)
		sum = sum.add(term)
		if r.hi < 1 && term.hi*r.hi < tailStop*sum.hi*(1-r.hi) {
			break
		}
	}
	// A binomial tail is at most 1; rounding can reach just above it.
	return clampOne(start.mulDD(sum)).float(), nil
}

// FPBinomialBig returns FPBinomial exactly (rounded once to 256 bits):
// Σ_{b≥θ} C(s,b)·a^b·(n−a)^{s−b} / n^s.
func FPBinomialBig(n, a, s, theta int) (*big.Float, error) {
	return fpBinomialBig(nil, n, a, s, theta)
}

func fpBinomialBig(st *stopper, n, a, s, theta int) (*big.Float, error) {
	if err := checkNAS("fp-binomial", n, a, s); err != nil {
		return nil, err
	}
	if err := checkTerms("fp-binomial", s, true); err != nil {
		return nil, err
	}
	theta = max(theta, 0)
	num := new(big.Int)
	if theta > s {
		return new(big.Float).SetPrec(exactPrec), nil
	}
	if a == n { // p = 1: every synapse sees an active cell
		return big.NewFloat(1).SetPrec(exactPrec), nil
	}
	// term(b) = C(s,b)·a^b·(n−a)^{s−b}; term(b+1)·(b+1)(n−a) = term(b)·(s−b)·a.
	term := new(big.Int).Binomial(int64(s), int64(theta))
	term.Mul(term, new(big.Int).Exp(big.NewInt(int64(a)), big.NewInt(int64(theta)), nil))
	term.Mul(term, new(big.Int).Exp(big.NewInt(int64(n-a)), big.NewInt(int64(s-theta)), nil))
	var f big.Int
	for b := theta; ; b++ {
		num.Add(num, term)
		if b == s || term.Sign() == 0 {
			break
		}
		if st.stop(1) {
			return nil, st.failed()
		}
		term.Mul(term, f.SetInt64(int64(s-b)*int64(a)))
		term.Quo(term, f.SetInt64(int64(b+1)*int64(n-a)))
	}
	den := new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(s)), nil)
	return ratFloat(num, den), nil
}

// FPLeading returns E6's leading-term scaling law for fixed a and growing
// n:
//
//	P_fp ≈ C(s,θ)·(a/n)^θ
//
// which shows the error falling like n^−θ. It is 0 for θ > s and 1 for
// θ ≤ 0.
func FPLeading(n, a, s, theta int) (Float, error) {
	if err := checkNAS("fp-leading", n, a, s); err != nil {
		return Float{}, err
	}
	if theta <= 0 {
		return One, nil
	}
	if theta > s {
		return Float{}, nil
	}
	if err := checkTerms("fp-leading", theta, false); err != nil {
		return Float{}, err
	}
	return binomXDD(s, theta).mul(powXDD(xdd{v: ratioDD(float64(a), float64(n))}, theta)).float(), nil
}

// FPLeadingBig returns FPLeading exactly (rounded once to 256 bits).
func FPLeadingBig(n, a, s, theta int) (*big.Float, error) {
	if err := checkNAS("fp-leading", n, a, s); err != nil {
		return nil, err
	}
	if theta <= 0 {
		return big.NewFloat(1).SetPrec(exactPrec), nil
	}
	if theta > s {
		return new(big.Float).SetPrec(exactPrec), nil
	}
	if err := checkTerms("fp-leading", theta, true); err != nil {
		return nil, err
	}
	num := new(big.Int).Binomial(int64(s), int64(theta))
	num.Mul(num, new(big.Int).Exp(big.NewInt(int64(a)), big.NewInt(int64(theta)), nil))
	den := new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(theta)), nil)
	return ratFloat(num, den), nil
}
