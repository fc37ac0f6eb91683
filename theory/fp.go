package theory

import (
	"fmt"
	"math/big"
)

// Limits on the size of a question, so that a typo cannot hang the
// program. The fast forms cost O(min(s, a)) and the exact forms build
// integers of about min(s, a)·log2(n) bits.
const (
	// MaxN is the largest population size accepted.
	MaxN = 1 << 40
	// MaxFastTerms bounds min(s, a) (the number of product factors)
	// in the fast forms.
	MaxFastTerms = 50_000_000
	// MaxExactTerms bounds min(s, a) in the exact forms.
	MaxExactTerms = 20_000
)

func errf(q, format string, args ...any) error {
	return fmt.Errorf("theory: %s: "+format, append([]any{q}, args...)...)
}

// checkNAS validates a population n with a active cells and a segment of
// s synapses.
func checkNAS(q string, n, a, s int) error {
	switch {
	case n < 1:
		return errf(q, "n = %d: the population needs at least one cell", n)
	case n > MaxN:
		return errf(q, "n = %d is larger than the supported maximum %d", n, MaxN)
	case a < 0 || a > n:
		return errf(q, "a = %d must lie in [0, n = %d]", a, n)
	case s < 0 || s > n:
		return errf(q, "s = %d must lie in [0, n = %d]", s, n)
	}
	return nil
}

func checkTerms(q string, k int, exact bool) error {
	if exact && k > MaxExactTerms {
		return errf(q, "min(s, a) = %d is larger than the exact mode supports (%d); use the fast mode", k, MaxExactTerms)
	}
	if !exact && k > MaxFastTerms {
		return errf(q, "min(s, a) = %d is larger than supported (%d)", k, MaxFastTerms)
	}
	return nil
}

// tail answers P(X ≥ t) for X ~ Hypergeometric(N, K, d) in the fast form.
func tail(q string, N, K, d, t int) (Float, error) {
	x, err := tailX(q, N, K, d, t)
	return x.float(), err
}

// tailX is tail in double-double, clamped to [0, 1], before rounding.
func tailX(q string, N, K, d, t int) (xdd, error) {
	h, trivial, v := normHyper(N, K, d, t)
	if trivial {
		return xdd{v: dd{float64(v), 0}}, nil
	}
	if err := checkTerms(q, h.k, false); err != nil {
		return xdd{}, err
	}
	return clampOne(h.tailXDD()), nil
}

// tailRat answers P(X ≥ t) exactly as num/den.
// A stopped st gives st's error.
func tailRat(st *stopper, q string, N, K, d, t int) (num, den *big.Int, err error) {
	h, trivial, v := normHyper(N, K, d, t)
	if trivial {
		return big.NewInt(int64(v)), big.NewInt(1), nil
	}
	if err := checkTerms(q, h.k, true); err != nil {
		return nil, nil, err
	}
	num, den = h.tailExact(st)
	if err := st.failed(); err != nil {
		return nil, nil, err
	}
	return num, den, nil
}

// OverlapCount returns E1, the number of activity patterns with a of n
// cells active that overlap a fixed set of s synapses in exactly b cells:
//
//	|Ω_n(a,s,b)| = C(s,b) · C(n−s, a−b)
//
// with C(x,k) = 0 for k < 0 or k > x. The count can exceed the float64
// range; the result is rounded to 53 bits (see OverlapCountBig for the
// exact integer).
func OverlapCount(n, a, s, b int) (Float, error) {
	if err := checkNAS("overlap-count", n, a, s); err != nil {
		return Float{}, err
	}
	if b < 0 || b > s || a-b < 0 || a-b > n-s {
		return Float{}, nil
	}
	if err := checkTerms("overlap-count", min(b, s-b)+min(a-b, n-s-a+b), false); err != nil {
		return Float{}, err
	}
	return binomXDD(s, b).mul(binomXDD(n-s, a-b)).float(), nil
}

// OverlapCountBig returns E1 exactly; see OverlapCount.
func OverlapCountBig(n, a, s, b int) (*big.Int, error) {
	if err := checkNAS("overlap-count", n, a, s); err != nil {
		return nil, err
	}
	if b < 0 || b > s || a-b < 0 || a-b > n-s {
		return new(big.Int), nil
	}
	// Both binomials are built: C(s,b) costs min(b, s−b) factors, as in
	// the fast mode (n = 10^7, s = 5·10^6, a = b = 2.5·10^6 ran for minutes
	// when only the second was bounded).
	if err := checkTerms("overlap-count", min(b, s-b)+min(a-b, n-s-a+b), true); err != nil {
		return nil, err
	}
	z := new(big.Int).Binomial(int64(s), int64(b))
	return z.Mul(z, new(big.Int).Binomial(int64(n-s), int64(a-b))), nil
}

// binomFast returns C(x, k) for 0 ≤ k ≤ x, rounded once to a Float from
// the double-double product of min(k, x−k) ratios.
func binomFast(x, k int) Float { return binomXDD(x, k).float() }

// binomXDD returns C(x, k) in double-double (relative error about
// 2·min(k, x−k)·2^-106).
func binomXDD(x, k int) xdd {
	c := min(k, x-k)
	p := newRatioProd()
	p.timesRange(float64(x-c+1), 1, 1, c)
	return p.value()
}

// Match returns E2a, the chance that a random pattern of a active cells
// out of n equals a given one exactly:
//
//	P = 1 / C(n, a)
//
// It is E2 with s = θ = a.
func Match(n, a int) (Float, error) {
	if err := checkNAS("match", n, a, 0); err != nil {
		return Float{}, err
	}
	return FP(n, a, a, a)
}

// MatchBig returns E2a exactly; see Match.
func MatchBig(n, a int) (*big.Float, error) { return matchBig(nil, n, a) }

func matchBig(st *stopper, n, a int) (*big.Float, error) {
	if err := checkNAS("match", n, a, 0); err != nil {
		return nil, err
	}
	return fpBig(st, n, a, a, a)
}

// FP returns E2, the probability that a segment of s synapses falsely
// matches a uniformly random pattern of a active cells out of n, i.e.
// that at least θ of its synapses see active cells:
//
//	P_fp(n,a,s,θ) = Σ_{b=θ}^{s} C(s,b)·C(n−s, a−b) / C(n,a)
//
// the upper tail of Hypergeometric(n, s, a). P_fp = 1 for θ ≤ 0 and 0 for
// θ > min(s, a). The result is accurate to about 1e-14 relative for
// s, a ≤ 1000 and never underflows (see Float).
func FP(n, a, s, theta int) (Float, error) {
	if err := checkNAS("fp", n, a, s); err != nil {
		return Float{}, err
	}
	return tail("fp", n, s, a, theta)
}

// FPBig returns E2 exactly (rounded once to 256 bits); see FP.
func FPBig(n, a, s, theta int) (*big.Float, error) { return fpBig(nil, n, a, s, theta) }

// fpBig is FPBig that stops with st's error once st stops.
func fpBig(st *stopper, n, a, s, theta int) (*big.Float, error) {
	num, den, err := fpRat(st, n, a, s, theta)
	if err != nil {
		return nil, err
	}
	return ratFloat(num, den), nil
}

// FPRat returns E2 as an exact fraction num/den (not reduced); see FP.
func FPRat(n, a, s, theta int) (num, den *big.Int, err error) {
	return fpRat(nil, n, a, s, theta)
}

func fpRat(st *stopper, n, a, s, theta int) (num, den *big.Int, err error) {
	if err := checkNAS("fp", n, a, s); err != nil {
		return nil, nil, err
	}
	return tailRat(st, "fp", n, s, a, theta)
}

// checkFN validates the parameters of E3.
func checkFN(a, s, v int) error {
	switch {
	case a < 1:
		return errf("fn", "a = %d: the pattern needs at least one active cell", a)
	case a > MaxN:
		return errf("fn", "a = %d is larger than the supported maximum %d", a, MaxN)
	case s < 0 || s > a:
		return errf("fn", "s = %d must lie in [0, a = %d]: the segment samples the pattern's active cells", s, a)
	case v < 0 || v > a:
		return errf("fn", "noise v = %d must lie in [0, a = %d]", v, a)
	}
	return nil
}

// FN returns E3, the probability that a segment of s synapses, formed on
// s of a pattern's a active cells, misses the pattern after noise has
// replaced v of the a active cells by v other cells:
//
//	P_fn(a,s,θ,v) = Σ_{b=s−θ+1}^{s} C(s,b)·C(a−s, v−b) / C(a,v)
//
// b counts the segment's cells among the v removed; the segment misses
// when fewer than θ remain. n does not enter. P_fn = 0 whenever
// v ≤ s − θ (in particular for θ ≤ 0) and 1 for θ > s.
func FN(a, s, theta, v int) (Float, error) {
	if err := checkFN(a, s, v); err != nil {
		return Float{}, err
	}
	theta = clampTheta(theta, s)
	return tail("fn", a, s, v, s-theta+1)
}

// FNBig returns E3 exactly (rounded once to 256 bits); see FN.
func FNBig(a, s, theta, v int) (*big.Float, error) { return fnBig(nil, a, s, theta, v) }

func fnBig(st *stopper, a, s, theta, v int) (*big.Float, error) {
	if err := checkFN(a, s, v); err != nil {
		return nil, err
	}
	theta = clampTheta(theta, s)
	num, den, err := tailRat(st, "fn", a, s, v, s-theta+1)
	if err != nil {
		return nil, err
	}
	return ratFloat(num, den), nil
}

// clampTheta maps θ into [0, s+1] without changing E3: every θ ≤ 0 means
// the segment always fires, every θ > s that it never does.
func clampTheta(theta, s int) int {
	return min(max(theta, 0), s+1)
}
