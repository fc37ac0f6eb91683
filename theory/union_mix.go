package theory

import (
	"math"
	"math/big"
	"slices"
)

// The exact distribution of a union's size.
//
// Each of M patterns puts s synapses on the segment, chosen uniformly
// among n cells; synapses that coincide merge. After t patterns the union
// has K_t distinct synapses, a Markov chain: from size k, a new pattern
// adds j new cells with the hypergeometric probability
//
//	P(K_{t+1} = k + j | K_t = k) = C(n−k, j)·C(k, s−j) / C(n, s).
//
// UnionSizeDist runs the chain for M steps; UnionFPMix mixes E2 over the
// result. This is new (not in the paper), and measures how good the
// paper's plug-in of the expected size (UnionFP) is.

// UnionSizeDist returns the exact distribution of the number of distinct
// synapses in a union of M random s-subsets of n cells:
// probs[i] = P(size = lo + i). The probabilities are float64 (values
// below the float64 range are 0).
func UnionSizeDist(n, s, m int) (lo int, probs []float64, err error) {
	return unionSizeDist(nil, n, s, m)
}

// unionSizeDist is UnionSizeDist that ends with st's error once st stops.
func unionSizeDist(st *stopper, n, s, m int) (lo int, probs []float64, err error) {
	if err := checkUnion("union-size", n, s, m); err != nil {
		return 0, nil, err
	}
	if err := checkMixWork("union-size", n, s, m, maxMixWork); err != nil {
		return 0, nil, err
	}
	if m == 0 {
		return 0, []float64{1}, nil
	}
	// States k = s … hi are stored at k − s, so memory follows the
	// number of states (bounded by the work limit), not n or M·s.
	hi := unionHi(n, s, m)
	cur := make([]float64, hi-s+1)
	next := make([]float64, hi-s+1)
	cur[0] = 1
	var pj []float64 // the transition law from the current state, reused
	for t := 1; t < m; t++ {
		clear(next)
		for k := s; k <= unionHi(n, s, t); k++ {
			pk := cur[k-s]
			if pk == 0 {
				continue
			}
			if st.stop(s + 1) {
				return 0, nil, st.failed()
			}
			var jlo int
			jlo, pj = pmfVector(pj, n, n-k, s)
			for i, p := range pj {
				next[k-s+jlo+i] += pk * p
			}
		}
		cur, next = next, cur
	}
	return s, cur, nil
}

// unionHi returns min(n, t·s), the largest union of t patterns, without
// forming t·s where it would overflow.
func unionHi(n, s, t int) int {
	if s > 0 && t > n/s {
		return n
	}
	return min(n, t*s)
}

// checkMixWork bounds M · states · (min(s, n−s)+1), the cost of the chain
// (a pattern adds j ≤ min(s, n−s) new cells), and so its memory, 2·states
// values, before anything is allocated.
func checkMixWork(q string, n, s, m int, limit float64) error {
	states := float64(unionHi(n, s, m) - s + 1)
	if w := float64(m) * states * float64(min(s, n-s)+1); w > limit {
		return errf(q, "the union-size chain needs %.3g steps (M·states·(min(s, n−s)+1)), more than the %.3g allowed", w, limit)
	}
	return nil
}

// pmfVector returns P(X = lo+i) for X ~ Hypergeometric(N, K, d) over the
// whole support, in float64, in dst's storage (grown if need be).
func pmfVector(dst []float64, N, K, d int) (lo int, p []float64) {
	h, _, _ := normHyper(N, K, d, 0)
	p = slices.Grow(dst[:0], h.k-h.lo+1)[:h.k-h.lo+1]
	md := h.mode()
	p[md-h.lo] = h.pmfFast(md).Float64()
	for b := md; b < h.k; b++ {
		p[b+1-h.lo] = p[b-h.lo] * h.upRatio(b)
	}
	for b := md; b > h.lo; b-- {
		p[b-1-h.lo] = p[b-h.lo] / h.upRatio(b-1)
	}
	return h.lo, p
}

// pmfVectorBig returns P(X = lo+i) exactly, each rounded once to
// exactPrec bits.
// It ends early, with a partial vector, once st stops.
func pmfVectorBig(st *stopper, N, K, d int) (lo int, p []*big.Float) {
	h, _, _ := normHyper(N, K, d, 0)
	Kk, dd := h.k, h.d
	den := new(big.Float).SetInt(fallingFactorial(N, Kk))
	b := h.lo
	term := new(big.Int).Binomial(int64(Kk), int64(b))
	term.Mul(term, fallingFactorial(dd, b))
	term.Mul(term, fallingFactorial(N-dd, Kk-b))
	var f, g big.Int
	for ; ; b++ {
		p = append(p, new(big.Float).SetPrec(exactPrec).Quo(new(big.Float).SetInt(term), den))
		if b == Kk || st.stop(1) {
			break
		}
		f.SetInt64(int64(Kk - b))
		g.SetInt64(int64(dd - b))
		f.Mul(&f, &g)
		term.Mul(term, &f)
		f.SetInt64(int64(b + 1))
		g.SetInt64(int64(N - dd - Kk + b + 1))
		f.Mul(&f, &g)
		term.Quo(term, &f)
	}
	return h.lo, p
}

// UnionFPMix returns the false-match probability of a segment holding the
// union of M patterns of s synapses, averaged over the exact distribution
// of the union's size (new; compare UnionFP, the paper's plug-in of the
// expected size):
//
//	P = Σ_k P(K_M = k) · P_fp(n, a, k, θ)
func UnionFPMix(n, a, s, theta, m int) (Float, error) {
	return unionFPMix(nil, n, a, s, theta, m)
}

func unionFPMix(st *stopper, n, a, s, theta, m int) (Float, error) {
	if err := checkNAS("union-fp-exact", n, a, s); err != nil {
		return Float{}, err
	}
	lo, probs, err := unionSizeDist(st, n, s, m)
	if err != nil {
		return Float{}, err
	}
	var sum Float
	for i, p := range probs {
		if p == 0 {
			continue
		}
		if st.stop(1) {
			return Float{}, st.failed()
		}
		f, err := FP(n, a, lo+i, theta)
		if err != nil {
			return Float{}, err
		}
		sum = sum.Add(f.MulFloat64(p))
	}
	if sum.Cmp(One) > 0 { // the chain's rounding can reach an ulp above 1
		sum = One
	}
	return sum, nil
}

// UnionFPMixDigits returns the significant digits of UnionFPMix that its
// error bound guarantees: the chain and the mixture run in float64, and
// the relative error stays below unionFPMixBound = (M·(s+1) + 1)·2^-53
// (TestFastDigitsCorrect checks it on random configurations; the worst
// seen is 0.26 of it), so ⌊−log10(bound)⌋ digits, at most 15.
func UnionFPMixDigits(s, m int) int {
	return min(15, max(1, int(math.Floor(-math.Log10(unionFPMixBound(s, m))))))
}

func unionFPMixBound(s, m int) float64 {
	return (float64(max(m, 1))*float64(s+1) + 1) * 0x1p-53
}

// UnionFPMixBig returns UnionFPMix in arbitrary precision: the chain and
// the mixture run on 256-bit floats with only positive terms, and every
// E2 value is exact, so the result is correct to far more than 25
// significant digits.
func UnionFPMixBig(n, a, s, theta, m int) (*big.Float, error) {
	return unionFPMixBig(nil, n, a, s, theta, m)
}

func unionFPMixBig(st *stopper, n, a, s, theta, m int) (*big.Float, error) {
	if err := checkNAS("union-fp-exact", n, a, s); err != nil {
		return nil, err
	}
	if err := checkUnion("union-fp-exact", n, s, m); err != nil {
		return nil, err
	}
	if err := checkMixWork("union-fp-exact", n, s, m, maxMixWorkExact); err != nil {
		return nil, err
	}
	if m == 0 {
		return fpBig(st, n, a, 0, theta)
	}
	hi := unionHi(n, s, m)
	newF := func() *big.Float { return new(big.Float).SetPrec(exactPrec) }
	// State k is stored at k − s (see UnionSizeDist).
	cur := make([]*big.Float, hi-s+1)
	next := make([]*big.Float, hi-s+1)
	for i := range cur {
		cur[i], next[i] = newF(), newF()
	}
	cur[0].SetInt64(1)
	var prod big.Float
	prod.SetPrec(exactPrec)
	for t := 1; t < m; t++ {
		for _, x := range next {
			x.SetInt64(0)
		}
		for k := s; k <= unionHi(n, s, t); k++ {
			if cur[k-s].Sign() == 0 {
				continue
			}
			jlo, pj := pmfVectorBig(st, n, n-k, s)
			if err := st.failed(); err != nil {
				return nil, err
			}
			for i, p := range pj {
				prod.Mul(cur[k-s], p)
				next[k-s+jlo+i].Add(next[k-s+jlo+i], &prod)
			}
		}
		cur, next = next, cur
	}
	sum := newF()
	for k := s; k <= hi; k++ {
		if cur[k-s].Sign() == 0 {
			continue
		}
		f, err := fpBig(st, n, a, k, theta)
		if err != nil {
			return nil, err
		}
		prod.Mul(cur[k-s], f)
		sum.Add(sum, &prod)
	}
	if sum.Cmp(big.NewFloat(1)) > 0 { // 256-bit rounding of a value of 1
		sum.SetInt64(1)
	}
	return sum, nil
}
