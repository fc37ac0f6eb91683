package theory

import (
	"math"
	"math/big"
)

// maxExactBits bounds the size of the rational numbers built by the exact
// union forms (about M·log2(n) bits).
const maxExactBits = 8_000_000

// maxMixWork bounds the number of transition steps of the union-size
// Markov chain (M · states · (min(s, n−s)+1)) in UnionFPMix and UnionFPMixBig. A
// step costs about 40 ns in the fast mode (n = 1000, s = 1, M = 10^6, 2e9
// steps, took 75 s), so the fast limit keeps a question under about 10 s.
const (
	maxMixWork      = 200_000_000
	maxMixWorkExact = 40_000_000
)

func checkUnion(q string, n, s, m int) error {
	if err := checkNAS(q, n, 0, s); err != nil {
		return err
	}
	if m < 0 {
		return errf(q, "patterns M = %d must be ≥ 0", m)
	}
	return nil
}

func checkExactBits(q string, n, m int) error {
	if float64(m)*math.Log2(float64(n)+1) > maxExactBits {
		return errf(q, "M·log2(n) = %.3g bits is more than the exact mode supports (%d); use the fast mode", float64(m)*math.Log2(float64(n)+1), maxExactBits)
	}
	return nil
}

// UnionSynapses returns E4, the expected number of distinct synapses on
// a segment that holds M patterns of s synapses each, every pattern's
// synapses chosen uniformly and independently among n cells:
//
//	s_M = n·(1 − (1 − s/n)^M)
//
// It is computed in double-double (see missFraction) and rounded once, so
// that no digits are lost when s·M ≪ n.
func UnionSynapses(n, s, m int) (float64, error) {
	if err := checkUnion("union-synapses", n, s, m); err != nil {
		return 0, err
	}
	return unionSynapses(n, s, m), nil
}

func unionSynapses(n, s, m int) float64 {
	return missFraction(n, s, m).mulF(float64(n)).hi
}

// missFraction returns q = 1 − r^M, r = (n−s)/n, in double-double: the
// power by binary powering (relative error about 2M·2^-106, so an
// absolute error ε_q ≈ 2M·r^M·2^-106), then the difference, which adds
// no error of its own. As M·r^M ≤ M·e^(−sM/n) and q ≥ (1 − 1/e)·min(1,
// sM/n), s·ε_q/q ≤ 4n·2^-106 ≈ 5e-20 for n ≤ 2^40.
func missFraction(n, s, m int) dd {
	r := powXDD(xdd{v: ratioDD(float64(n-s), float64(n))}, m).plain()
	return dd{1, 0}.add(r.neg())
}

// UnionSynapsesRat returns E4's s_M as an exact fraction; see
// UnionSynapses.
func UnionSynapsesRat(n, s, m int) (*big.Rat, error) {
	if err := checkUnion("union-synapses", n, s, m); err != nil {
		return nil, err
	}
	if err := checkExactBits("union-synapses", n, m); err != nil {
		return nil, err
	}
	return unionSynapsesRat(n, s, m), nil
}

// unionSynapsesRat returns n·(1 − ((n−s)/n)^M) = (n^M − (n−s)^M) / n^(M−1).
func unionSynapsesRat(n, s, m int) *big.Rat {
	if m == 0 {
		return new(big.Rat)
	}
	nm := new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(m)), nil)
	rm := new(big.Int).Exp(big.NewInt(int64(n-s)), big.NewInt(int64(m)), nil)
	num := new(big.Int).Sub(nm, rm)
	den := new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(m-1)), nil)
	return new(big.Rat).SetFrac(num, den)
}

// UnionSize returns the segment size that the paper's method uses for a
// union of M patterns: s_M of E4 rounded half away from zero, as the
// reference code's Python 2 round() did. Where s_M lies within 1e-9 of a
// half-integer the rounding is decided on the exact rational value.
func UnionSize(n, s, m int) (int, error) {
	if err := checkUnion("union-fp", n, s, m); err != nil {
		return 0, err
	}
	x := unionSynapses(n, s, m)
	if _, f := math.Modf(x); math.Abs(f-0.5) > 1e-9 {
		return int(math.Round(x)), nil // math.Round rounds half away from zero
	}
	if err := checkExactBits("union-fp", n, m); err != nil {
		return 0, err
	}
	return roundRat(unionSynapsesRat(n, s, m)), nil
}

// roundRat rounds a non-negative rational half away from zero.
func roundRat(r *big.Rat) int {
	twice := new(big.Int).Mul(r.Num(), big.NewInt(2))
	twice.Add(twice, r.Denom())
	twice.Quo(twice, new(big.Int).Mul(r.Denom(), big.NewInt(2)))
	return int(twice.Int64())
}

// UnionFP returns the false-match probability of a segment that holds
// the union of M patterns by the paper's method (E4): E2 with the segment
// size replaced by the rounded expected union size,
//
//	P_union(n,a,s,θ,M) = P_fp(n, a, round(s_M), θ).
//
// θ is unchanged. The size of a real union varies; UnionFPMix averages
// over its exact distribution instead.
func UnionFP(n, a, s, theta, m int) (Float, error) {
	if err := checkNAS("union-fp", n, a, s); err != nil {
		return Float{}, err
	}
	k, err := UnionSize(n, s, m)
	if err != nil {
		return Float{}, err
	}
	return FP(n, a, k, theta)
}

// UnionFPBig returns UnionFP exactly (rounded once to 256 bits). The
// segment size is rounded from the exact rational s_M.
func UnionFPBig(n, a, s, theta, m int) (*big.Float, error) {
	return unionFPBig(nil, n, a, s, theta, m)
}

func unionFPBig(st *stopper, n, a, s, theta, m int) (*big.Float, error) {
	if err := checkNAS("union-fp", n, a, s); err != nil {
		return nil, err
	}
	if err := checkUnion("union-fp", n, s, m); err != nil {
		return nil, err
	}
	if err := checkExactBits("union-fp", n, m); err != nil {
		return nil, err
	}
	return fpBig(st, n, a, roundRat(unionSynapsesRat(n, s, m)), theta)
}

// UnionAllBits returns the 2015 SDR paper's chance that a random pattern
// of a active cells out of n lies entirely inside the union of M random
// patterns of a cells each (E4, related formula):
//
//	P = (1 − (1 − a/n)^M)^a
func UnionAllBits(n, a, m int) (Float, error) {
	if err := checkUnion("union-allbits", n, a, m); err != nil {
		return Float{}, err
	}
	if a == 0 {
		return One, nil
	}
	// q^a in double-double: a times the relative error of q is below
	// 4n·2^-106 (see missFraction, with s = a), and the powering adds
	// 2a·2^-106, so P is the float64 nearest the exact value but for ties.
	q := missFraction(n, a, m)
	if q.hi == 0 {
		return Float{}, nil
	}
	return powXDD(xdd{v: q}, a).float(), nil
}

// UnionAllBitsBig returns UnionAllBits exactly (rounded once to 256 bits).
func UnionAllBitsBig(n, a, m int) (*big.Float, error) {
	if err := checkUnion("union-allbits", n, a, m); err != nil {
		return nil, err
	}
	if float64(a)*float64(m)*math.Log2(float64(n)+1) > maxExactBits {
		return nil, errf("union-allbits", "a·M·log2(n) is more than the exact mode supports (%d bits); use the fast mode", maxExactBits)
	}
	if a == 0 {
		return big.NewFloat(1).SetPrec(exactPrec), nil
	}
	if m == 0 {
		return new(big.Float).SetPrec(exactPrec), nil
	}
	// q = 1 − ((n−a)/n)^M = (n^M − (n−a)^M)/n^M; P = q^a.
	nm := new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(m)), nil)
	rm := new(big.Int).Exp(big.NewInt(int64(n-a)), big.NewInt(int64(m)), nil)
	num := new(big.Int).Sub(nm, rm)
	num.Exp(num, big.NewInt(int64(a)), nil)
	den := nm.Exp(nm, big.NewInt(int64(a)), nil)
	return ratFloat(num, den), nil
}
