package sim

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Stats are the raw, exact counts of a run. All are integers, so adding
// the Stats of tasks (or of shards) gives the same totals in any order:
// a merged result is bit-identical to the unsplit run.
type Stats struct {
	Tasks   int64 `json:"tasks"`   // tasks included
	Samples int64 `json:"samples"` // samples included
	Hits    int64 `json:"hits"`    // direct: samples in the event
	// Direct: Σ h², Σ h·n and Σ n² over blocks (h hits of n samples), for
	// the between-block variance (design effect).
	SumHH U128 `json:"sum_hh,omitzero"`
	SumHN U128 `json:"sum_hn,omitzero"`
	SumNN U128 `json:"sum_nn,omitzero"`
	// Importance: number of samples by measured overlap with the segment.
	Hist []int64 `json:"overlap_histogram,omitempty"`
}

func (s *Stats) addBlock(n, h int64) {
	s.Tasks++
	s.Samples += n
	s.Hits += h
	s.SumHH.addMul(uint64(h), uint64(h))
	s.SumHN.addMul(uint64(h), uint64(n))
	s.SumNN.addMul(uint64(n), uint64(n))
}

func (s *Stats) add(o Stats) error {
	s.Tasks += o.Tasks
	s.Samples += o.Samples
	s.Hits += o.Hits
	s.SumHH.add(o.SumHH)
	s.SumHN.add(o.SumHN)
	s.SumNN.add(o.SumNN)
	if o.Hist != nil {
		if s.Hist == nil {
			s.Hist = make([]int64, len(o.Hist))
		}
		if len(s.Hist) != len(o.Hist) {
			return fmt.Errorf("sim: overlap histograms of different lengths (%d, %d)", len(s.Hist), len(o.Hist))
		}
		for i, x := range o.Hist {
			s.Hist[i] += x
		}
	}
	return nil
}

// U128 is an unsigned 128-bit integer, written to JSON as a decimal
// string.
type U128 struct{ Hi, Lo uint64 }

func (u *U128) add(v U128) {
	var c uint64
	u.Lo, c = bits.Add64(u.Lo, v.Lo, 0)
	u.Hi, _ = bits.Add64(u.Hi, v.Hi, c)
}

func (u *U128) addMul(x, y uint64) {
	hi, lo := bits.Mul64(x, y)
	u.add(U128{hi, lo})
}

// Big returns u as a *big.Int.
func (u U128) Big() *big.Int {
	z := new(big.Int).SetUint64(u.Hi)
	z.Lsh(z, 64)
	return z.Or(z, new(big.Int).SetUint64(u.Lo))
}

// MarshalJSON writes u as a quoted decimal.
func (u U128) MarshalJSON() ([]byte, error) {
	return []byte(`"` + u.Big().String() + `"`), nil
}

// UnmarshalJSON reads a quoted (or bare) decimal.
func (u *U128) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	z, ok := new(big.Int).SetString(s, 10)
	if !ok || z.Sign() < 0 || z.BitLen() > 128 {
		return fmt.Errorf("sim: invalid 128-bit count %q", s)
	}
	var lo big.Int
	lo.And(z, new(big.Int).SetUint64(math.MaxUint64))
	u.Lo = lo.Uint64()
	u.Hi = new(big.Int).Rsh(z, 64).Uint64()
	return nil
}

// z95 is the two-sided 95% standard normal quantile.
const z95 = 1.959963984540054

// wilson returns the Wilson score interval for proportion p over n
// (possibly fractional) trials.
func wilson(p, n float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	z2 := z95 * z95
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi = max(0, center-half), min(1, center+half)
	if p == 0 {
		lo = 0
	}
	if p == 1 {
		hi = 1
	}
	return lo, hi
}

// designEffect returns the ratio of the between-block variance of the
// estimate to the binomial one, at least 1; 1 when it cannot be estimated
// (fewer than two blocks, or no hit, or all hits).
func designEffect(s Stats) float64 {
	if s.Tasks < 2 || s.Hits == 0 || s.Hits == s.Samples {
		return 1
	}
	// Σ (h − p̂n)² · N² = N²·Σh² − 2·N·H·Σhn + H²·Σn², exactly.
	N := big.NewInt(s.Samples)
	H := big.NewInt(s.Hits)
	t1 := new(big.Int).Mul(new(big.Int).Mul(N, N), s.SumHH.Big())
	t2 := new(big.Int).Mul(new(big.Int).Mul(N, H), s.SumHN.Big())
	t2.Lsh(t2, 1)
	t3 := new(big.Int).Mul(new(big.Int).Mul(H, H), s.SumNN.Big())
	ss := t1.Sub(t1, t2)
	ss.Add(ss, t3)
	if ss.Sign() <= 0 {
		return 1
	}
	num, _ := new(big.Float).SetInt(ss).Float64() // Σ(h−p̂n)²·N²
	n := float64(s.Samples)
	p := float64(s.Hits) / n
	k := float64(s.Tasks)
	vClust := k / (k - 1) * num / (n * n) / (n * n)
	vBin := p * (1 - p) / n
	return max(1, vClust/vBin)
}
