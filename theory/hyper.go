package theory

import (
	"math"
	"math/big"
)

// This file holds the hypergeometric upper tail on which E2 and E3 rest,
// in a fast float64 form and an exact math/big form.
//
// X ~ Hypergeometric(population N, K marked, d draws):
//
//	P(X = b) = C(K,b)·C(N−K, d−b) / C(N,d)
//	         = C(K,b)·[d]_b·[N−d]_{K−b} / [N]_K      (product form)
//
// where [x]_k = x(x−1)…(x−k+1) is the falling factorial. The distribution
// is symmetric in K and d, so both forms iterate over min(K, d) factors
// (docs: docs/numerics.md).

// hyperArgs is a validated, normalised hypergeometric question
// P(X ≥ t) with k = min(K, d) and d = max(K, d).
type hyperArgs struct {
	n, k, d, t int
	lo         int // smallest b with P(X=b) > 0
}

// normHyper normalises (N, K, d, t) with 0 ≤ K, d ≤ N. It reports
// whether the answer is trivially 0 or 1.
func normHyper(N, K, d, t int) (h hyperArgs, trivial bool, val int) {
	if K > d {
		K, d = d, K
	}
	lo := K + d - N
	if lo < 0 {
		lo = 0
	}
	h = hyperArgs{n: N, k: K, d: d, t: t, lo: lo}
	if t <= lo {
		return h, true, 1
	}
	if t > K {
		return h, true, 0
	}
	return h, false, 0
}

// mode returns the most likely value of X, clamped to the support.
func (h hyperArgs) mode() int {
	m := int(math.Floor(float64(h.k+1) * float64(h.d+1) / float64(h.n+2)))
	return min(max(m, h.lo), h.k)
}

// pmfFast returns P(X = b) for b in the support, rounded to a Float.
func (h hyperArgs) pmfFast(b int) Float { return h.pmfXDD(b).float() }

// pmfXDD returns P(X = b) for b in the support, in the product form: every
// factor is an integer exact in float64, numerator and denominator are
// multiplied in double-double (dd.go), so the relative error is about
// 3·min(K,d)·2^-106.
func (h hyperArgs) pmfXDD(b int) xdd {
	N, K, d := float64(h.n), h.k, float64(h.d)
	p := newRatioProd()
	// C(K, b) = Π_{i=1}^{c} (K−c+i)/i with c = min(b, K−b).
	c := min(b, K-b)
	p.timesRange(float64(K-c+1), 1, 1, c)
	// [d]_b/[N]_b: b factors (d−i)/(N−i), i = 0 … b−1, each in (0, 1].
	p.timesRange(d, N, -1, b)
	// [N−d]_{K−b}/[N−b]_{K−b}: K−b factors (N−d−j)/(N−b−j).
	p.timesRange(N-d, N-float64(b), -1, K-b)
	return p.value()
}

// upRatio returns P(X=b+1)/P(X=b).
func (h hyperArgs) upRatio(b int) float64 {
	return (float64(h.k-b) * float64(h.d-b)) /
		(float64(b+1) * float64(h.n-h.k-h.d+b+1))
}

// upRatioDD returns P(X=b+1)/P(X=b) = (K−b)(d−b) / ((b+1)(N−K−d+b+1)) in
// double-double: each product of two integers below 2^41 is exact as a dd.
func (h hyperArgs) upRatioDD(b int) (num, den dd) {
	return twoProd(float64(h.k-b), float64(h.d-b)), twoProd(float64(b+1), float64(h.n-h.k-h.d+b+1))
}

// tailStop is the relative size of the neglected remainder at which a
// tail sum stops: far below half an ulp of the float64 result, so that the
// rounding is decided by the terms summed.
const tailStop = 0x1p-72

// tailFast returns P(X ≥ t) for a non-trivial normalised question.
//
// It evaluates one term in product form, at the mode if the mode lies in
// the tail and at t otherwise, and reaches the other terms with the ratio
// recurrence, all in double-double. All terms are positive, so there is no
// cancellation; the upward sum stops once the remaining terms (decaying at
// least geometrically past the mode) are below tailStop of the sum.
func (h hyperArgs) tailFast() Float { return clampOne(h.tailXDD()).float() }

// clampOne returns min(x, 1): a probability of 1 − ε can round to just
// above 1.
func clampOne(x xdd) xdd {
	if x.cmpOne() > 0 {
		return xddOne
	}
	return x
}

// tailXDD is tailFast before the final rounding.
func (h hyperArgs) tailXDD() xdd {
	b0 := max(h.t, h.mode())
	return h.pmfXDD(b0).mulDD(h.tailSum(b0))
}

// tailSum returns Σ P(X=b)/P(X=b0) over the tail b ≥ t, for b0 the mode
// or t, whichever is larger, by the ratio recurrence (see tailFast).
func (h hyperArgs) tailSum(b0 int) dd {
	sum := dd{1, 0}
	// Upward from b0: terms decrease.
	term := dd{1, 0}
	for b := b0; b < h.k; b++ {
		num, den := h.upRatioDD(b)
		r := num.div(den)
		term = term.mul(r)
		sum = sum.add(term)
		if r.hi < 1 && term.hi*r.hi < tailStop*sum.hi*(1-r.hi) {
			break
		}
	}
	// Downward from b0 to t: terms decrease (b0 is the mode here).
	term = dd{1, 0}
	for b := b0; b > h.t; b-- {
		num, den := h.upRatioDD(b - 1)
		r := den.div(num) // P(X=b−1)/P(X=b), falling as b falls (log-concave)
		term = term.mul(r)
		sum = sum.add(term)
		if r.hi < 1 && term.hi*r.hi < tailStop*sum.hi*(1-r.hi) {
			break
		}
	}
	return sum
}

// tailExact returns P(X ≥ t) = num/den exactly for a non-trivial
// normalised question, with den = [N]_K. It ends early, with a partial
// sum, once st stops (the caller then reports st's error).
func (h hyperArgs) tailExact(st *stopper) (num, den *big.Int) {
	K, d, N := h.k, h.d, h.n
	den = fallingFactorial(N, K)
	b := h.t
	// term(b) = C(K,b)·[d]_b·[N−d]_{K−b}
	term := new(big.Int).Binomial(int64(K), int64(b))
	term.Mul(term, fallingFactorial(d, b))
	term.Mul(term, fallingFactorial(N-d, K-b))
	num = new(big.Int).Set(term)
	var f, g big.Int
	for ; b < K; b++ {
		// term(b+1) = term(b)·(K−b)(d−b) / ((b+1)(N−d−K+b+1)), exact.
		f.SetInt64(int64(K - b))
		g.SetInt64(int64(d - b))
		f.Mul(&f, &g)
		term.Mul(term, &f)
		f.SetInt64(int64(b + 1))
		g.SetInt64(int64(N - d - K + b + 1))
		f.Mul(&f, &g)
		term.Quo(term, &f)
		if term.Sign() == 0 || st.stop(1) {
			break
		}
		num.Add(num, term)
	}
	return num, den
}

// fallingFactorial returns [x]_k = x(x−1)…(x−k+1) (1 for k = 0), by a
// balanced product tree so that large k stays fast.
func fallingFactorial(x, k int) *big.Int {
	if k <= 0 {
		return big.NewInt(1)
	}
	return productRange(int64(x-k+1), int64(x))
}

// productRange returns lo·(lo+1)·…·hi for 1 ≤ lo ≤ hi.
func productRange(lo, hi int64) *big.Int {
	if hi-lo < 16 {
		z := big.NewInt(lo)
		var t big.Int
		for i := lo + 1; i <= hi; i++ {
			z.Mul(z, t.SetInt64(i))
		}
		return z
	}
	mid := (lo + hi) / 2
	z := productRange(lo, mid)
	return z.Mul(z, productRange(mid+1, hi))
}

// exactPrec is the precision, in bits, of exact results converted to
// big.Float: 256 bits ≈ 77 significant digits.
const exactPrec = 256

// ratFloat returns num/den correctly rounded to exactPrec bits.
func ratFloat(num, den *big.Int) *big.Float {
	fn := new(big.Float).SetInt(num)
	fd := new(big.Float).SetInt(den)
	return new(big.Float).SetPrec(exactPrec).Quo(fn, fd)
}
