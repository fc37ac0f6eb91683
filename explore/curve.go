package explore

import (
	"math"
	"slices"
)

// curvePoint is one point of a curve; Error is set (and the number empty)
// where the theory rejects the point, e.g. s > n at the small end of a
// curve against n.
type curvePoint struct {
	X int `json:"x"`
	number
	Error string `json:"error,omitempty"`
}

type curveResponse struct {
	Quantity string         `json:"quantity"`
	Equation string         `json:"equation"`
	X        string         `json:"x"`
	Scale    string         `json:"scale"`
	Params   map[string]int `json:"params"` // the fixed parameters
	Points   []curvePoint   `json:"points"`
	// Clipped, if not 0, is the first x left out because the curve
	// reached its work limit (clip=true).
	Clipped int `json:"clipped,omitempty"`
}

// handleCurve answers /api/curve?q=QUANTITY&x=PARAM&lo=…&hi=…[&points=…]
// [&scale=lin|log][&mark=…][&clip=true] and the other parameters of the quantity: the
// quantity at integer values of x from lo to hi (all of them, or `points`
// of them spaced evenly on the chosen scale, and mark, the current point,
// if it lies in [lo, hi]). A curve whose work exceeds maxCurveWork is
// refused, or with clip=true cut short where it reaches the limit.
func (s *Server) handleCurve(q *query) (any, error) {
	qt, err := quantityOf(q)
	if err != nil {
		return nil, err
	}
	x := q.str("x", "")
	if !slices.Contains(qt.Params, x) {
		return nil, bad("x = %.40q: the curve's variable must be a parameter of %s (%v)", x, qt.Name, qt.Params)
	}
	xp, _ := lookupParam(x)
	var fixed []string
	for _, p := range qt.Params {
		if p != x {
			fixed = append(fixed, p)
		}
	}
	lo, err := q.intIn("lo", xp.Min, xp.Min, xp.Max)
	if err != nil {
		return nil, bad("%v", err)
	}
	hi, err := q.intIn("hi", xp.Max, xp.Min, xp.Max)
	if err != nil {
		return nil, bad("%v", err)
	}
	if lo > hi {
		return nil, bad("lo = %d exceeds hi = %d", lo, hi)
	}
	points, err := q.intIn("points", defCurvePoints, 2, maxCurvePoints)
	if err != nil {
		return nil, bad("%v", err)
	}
	scale, err := q.enum("scale", "lin", "log")
	if err != nil {
		return nil, bad("%v", err)
	}
	mark, err := q.intIn("mark", lo, xp.Min, xp.Max)
	if err != nil {
		return nil, bad("%v", err)
	}
	clip, err := q.boolean("clip")
	if err != nil {
		return nil, bad("%v", err)
	}
	if scale == "log" && lo < 1 {
		return nil, bad("a log scale needs lo ≥ 1 (lo = %d)", lo)
	}
	p, err := q.model(fixed)
	if err != nil {
		return nil, bad("%v", err)
	}
	if err := q.done(); err != nil {
		return nil, bad("%v", err)
	}
	xs := curveXs(lo, hi, points, scale == "log")
	if i, found := slices.BinarySearch(xs, mark); !found && mark >= lo && mark <= hi {
		xs = slices.Insert(xs, i, mark)
	}
	out := curveResponse{Quantity: qt.Name, Equation: qt.Equation, X: x, Scale: scale}
	var work float64
	for i, v := range xs {
		p[x] = v
		work += pointWork(qt.Name, p)
		if work <= maxCurveWork {
			continue
		}
		if !clip || i == 0 {
			return nil, bad("this curve needs more than the %.3g steps a curve may take: narrow lo…hi, take fewer points or smaller s, a, M (or clip=true)", float64(maxCurveWork))
		}
		xs, out.Clipped = xs[:i], v
		break
	}
	out.Points = make([]curvePoint, 0, len(xs))
	okPoints := 0
	var firstErr error
	for _, v := range xs {
		p[x] = v
		val, err := eval(qt.Name, p, false)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			out.Points = append(out.Points, curvePoint{X: v, Error: err.Error()})
			continue
		}
		okPoints++
		out.Points = append(out.Points, curvePoint{X: v, number: numberOf(val)})
	}
	if okPoints == 0 {
		return nil, bad("no point of the curve is valid: %v", firstErr)
	}
	delete(p, x)
	out.Params = p
	return out, nil
}

// curveXs returns the integers of [lo, hi], or n of them spread evenly
// (on a log scale if log), without repeats, in increasing order.
func curveXs(lo, hi, n int, log bool) []int {
	if hi-lo+1 <= n {
		xs := make([]int, 0, hi-lo+1)
		for v := lo; v <= hi; v++ {
			xs = append(xs, v)
		}
		return xs
	}
	xs := make([]int, 0, n)
	for i := range n {
		t := float64(i) / float64(n-1)
		var v int
		if log {
			v = int(math.Round(math.Exp(math.Log(float64(lo)) + t*(math.Log(float64(hi))-math.Log(float64(lo))))))
		} else {
			v = int(math.Round(float64(lo) + t*float64(hi-lo)))
		}
		v = min(max(v, lo), hi)
		if len(xs) == 0 || v > xs[len(xs)-1] {
			xs = append(xs, v)
		}
	}
	return xs
}

// pointWork estimates the steps of one value: the fast forms multiply
// O(min(s, a)) factors (theory's hypergeometric product form); E4's
// exact union-size chain takes M·states·(s+1) steps, states being
// min(n, M·s) − s + 1; E5 and E6 add O(1) or O(θ) to an E2 value.
func pointWork(name string, p map[string]int) float64 {
	s, a, n, m := float64(p["s"]), float64(p["a"]), float64(p["n"]), float64(p["patterns"])
	terms := 1 + float64(max(p["s"], p["a"], p["theta"], p["b"], p["noise"]))
	switch name {
	case "union-fp", "union-synapses":
		return 1 + math.Min(math.Min(n, m*s), a) + m
	case "union-fp-exact":
		states := math.Max(math.Min(n, m*s)-s+1, 1)
		return m*states*(s+1) + states*(1+math.Min(math.Min(n, m*s), a))
	case "union-allbits":
		return 1 + a
	}
	return terms
}
