package sim

import (
	"errors"
	"math"
)

// Importance sampling.
//
// For fp, what decides a hit is the overlap b of the test pattern with the
// segment, whose natural law p is hypergeometric (population n, s
// successes, a draws). The proposal draws the test pattern from the
// mixture
//
//	q = λ·(uniform random pattern) + (1−λ)·(pattern with overlap b uniform on the event range [θ, min(s,a)])
//
// where the second component first draws b, then places b active cells
// uniformly on the segment's s cells and a−b uniformly on the other n−s.
// Either way the test pattern is a real pattern of a cells, and its
// overlap is measured by the kernel; a pattern with overlap b has
// likelihood ratio w(b) = p(b)/q(b), q(b) = λ·p(b) + (1−λ)/K (K the size
// of the event range). The estimate is the mean of w(b)·1[b ≥ θ]; as w ≤
// 1/λ and w ≤ K·p(b)/(1−λ), the relative variance per sample is at most
// K/(1−λ) − 1, whatever the size of the probability.
//
// For fn, b is the number of the segment's s cells among the v removed
// (law: hypergeometric with population a, s successes, v draws), the
// event is b ≥ s−θ+1, and the tilted component removes b cells of the
// segment and v−b of the pattern's other a−s cells; v cells of the n−a
// inactive ones are added as always.
//
// The weights use log-space hypergeometric probabilities computed here
// (product form and term-ratio recurrence), independent of package
// theory, which gives the reference value only.

// lambda is the share of natural (uniform) patterns in the proposal.
const lambda = 0.1

// isModel holds the overlap law and the weights of one configuration.
type isModel struct {
	fn        bool
	pop, k, d int       // hypergeometric: population, successes, draws
	bLo, bHi  int       // support of b
	evLo      int       // event: b ≥ evLo
	logp      []float64 // log p(b) for b in [bLo, bHi]
	logP      float64   // log P(event)
	w         []float64 // w(b)/wMax for b in [evLo, bHi]
	wMax      float64   // largest weight on the event
	pw        []float64 // p(b)·w(b)/wMax² on the event (for the exact variance)
	maxOv     int       // largest overlap (histogram size − 1)
}

func newISModel(c Config) (*isModel, error) {
	m := &isModel{fn: c.Kind == KindFN}
	if m.fn {
		m.pop, m.k, m.d = c.A, c.S, c.Noise
		m.maxOv = c.S
	} else {
		m.pop, m.k, m.d = c.N, c.S, c.A
		m.maxOv = min(c.S, c.A)
	}
	m.bLo = max(0, m.d-(m.pop-m.k))
	m.bHi = min(m.k, m.d)
	if m.fn {
		m.evLo = max(m.bLo, c.S-c.Theta+1)
	} else {
		m.evLo = max(m.bLo, c.Theta)
	}
	if m.bHi-m.bLo > 1<<24 {
		return nil, &Error{Err: errors.New("overlap range too large for importance sampling")}
	}
	m.logp = logHyper(m.pop, m.k, m.d, m.bLo, m.bHi)
	if m.evLo > m.bHi {
		m.logP = math.Inf(-1)
		return m, nil
	}
	ev := m.logp[m.evLo-m.bLo:]
	top := math.Inf(-1)
	for _, x := range ev {
		top = max(top, x)
	}
	var sum float64
	for _, x := range ev {
		sum += math.Exp(x - top)
	}
	m.logP = top + math.Log(sum)
	// w(b) = p/(λp + (1−λ)/K) = 1/(λ + (1−λ)/(K·p)), evaluated in logs.
	kev := float64(len(ev))
	lw := make([]float64, len(ev))
	m.wMax = 0
	lwMax := math.Inf(-1)
	for i, x := range ev {
		// log w = x − log(λ·e^x + (1−λ)/K)
		lq := logAddExp(math.Log(lambda)+x, math.Log((1-lambda)/kev))
		lw[i] = x - lq
		lwMax = max(lwMax, lw[i])
	}
	m.wMax = math.Exp(lwMax)
	m.w = make([]float64, len(ev))
	m.pw = make([]float64, len(ev))
	for i := range ev {
		m.w[i] = math.Exp(lw[i] - lwMax)
		// p·w/wMax² = exp(logp + lw − 2·lwMax)
		m.pw[i] = math.Exp(ev[i] + lw[i] - 2*lwMax)
	}
	return m, nil
}

func logAddExp(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	return x + math.Log1p(math.Exp(y-x))
}

// logHyper returns log p(b) for b in [lo, hi] of the hypergeometric law
// p(b) = C(k,b)·C(pop−k, d−b)/C(pop, d). The first term comes from the
// product form, the others from the term ratio
// p(b+1)/p(b) = (k−b)(d−b) / ((b+1)(pop−k−d+b+1)).
func logHyper(pop, k, d, lo, hi int) []float64 {
	if d > k { // the law is symmetric in k and d; loop over the smaller
		k, d = d, k
	}
	out := make([]float64, hi-lo+1)
	out[0] = logChoose(k, lo) + logChoose(pop-k, d-lo) - logChoose(pop, d)
	for b := lo; b < hi; b++ {
		out[b-lo+1] = out[b-lo] + math.Log(float64(k-b)/float64(b+1)) +
			math.Log(float64(d-b)/float64(pop-k-d+b+1))
	}
	return out
}

// logChoose returns log C(x, y) for 0 ≤ y ≤ x, as Σ log((x−i)/(y−i)).
func logChoose(x, y int) float64 {
	y = min(y, x-y)
	var s float64
	for i := range y {
		s += math.Log(float64(x-i) / float64(y-i))
	}
	return s
}

// isEstimate turns the overlap histogram of n importance samples into the
// estimate, its estimated standard error, the hits (samples in the event)
// and the exact standard error the estimator has under the model, all in
// float64.
func (m *isModel) isEstimate(hist []int64, n int64) (est, se, seModel float64, hits int64) {
	var s1, s2 float64
	for b := m.evLo; b <= m.bHi; b++ {
		ov := b
		if m.fn {
			ov = m.k - b
		}
		c := hist[ov]
		if c == 0 {
			continue
		}
		hits += c
		w := m.w[b-m.evLo]
		s1 += w * float64(c)
		s2 += w * w * float64(c)
	}
	nf := float64(n)
	mean := s1 / nf
	est = m.wMax * mean
	if n > 1 {
		v := (s2/nf - mean*mean) / float64(n-1)
		se = m.wMax * math.Sqrt(max(0, v))
	}
	var epw float64
	for _, x := range m.pw {
		epw += x
	}
	pScaled := math.Exp(m.logP - math.Log(m.wMax))
	vm := epw - pScaled*pScaled
	seModel = m.wMax * math.Sqrt(max(0, vm)/nf)
	return est, se, seModel, hits
}
