package explore

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	"github.com/dendritic/dendritic/theory"
)

// Limits of the theory endpoints.
const (
	maxCurvePoints = 200
	defCurvePoints = 100
	// maxCurveWork bounds the work of one curve: Σ over its points of the
	// hypergeometric factors (or union-size chain steps) it evaluates.
	maxCurveWork = 40_000_000
	// maxExactParam bounds every parameter but n in the exact mode, whose
	// integers grow with min(s, a)·log2(n) bits.
	maxExactParam = 2000
	// maxDesignA bounds a in the designer, which scans s = 1…a.
	maxDesignA = 2048
	// maxDesignS bounds the synapse budget of the Pareto frontier, which
	// evaluates every (s, θ) with s ≤ max_s.
	maxDesignS = 128
)

// number is a value of the theory in JSON: the decimal string to the last
// digit theory prints (17 significant digits fast, 25 exact) and its
// base-10 logarithm, null for an exact 0, so that values far below 1e-308
// travel without loss.
type number struct {
	Value string   `json:"value"`
	Log10 *float64 `json:"log10"`
}

func numberOf(v theory.Value) number {
	return numberOfParts(v.Text(), v.Log10())
}

func numberOfFloat(x theory.Float) number {
	return numberOfParts(x.String(), x.Log10())
}

func numberOfParts(text string, l float64) number {
	if math.IsInf(l, 0) || math.IsNaN(l) {
		return number{Value: text}
	}
	return number{Value: text, Log10: &l}
}

// apiError is the body of every error response.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client may be gone; nothing to do then
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, apiError{Error: fmt.Sprintf(format, args...)})
}

// badRequest is an error caused by the request: HTTP 400.
type badRequest struct{ error }

func bad(format string, args ...any) error { return badRequest{fmt.Errorf(format, args...)} }

// handleParams serves the parameter table, the presets and the quantities.
func (s *Server) handleParams(q *query) (any, error) {
	return struct {
		Params     []Param    `json:"params"`
		Presets    []Preset   `json:"presets"`
		Quantities []quantity `json:"quantities"`
		Limits     any        `json:"limits"`
	}{params, presets, quantities(), map[string]any{
		"curve_points": maxCurvePoints, "curve_work": maxCurveWork, "exact_param": maxExactParam,
		"design_a": maxDesignA, "design_s": maxDesignS,
		"sim_samples": s.opts.MaxSamples, "sim_seconds": s.opts.SimWall.Seconds(), "sim_n": maxSimN,
	}}, nil
}

// valueResponse is the answer of /api/value.
type valueResponse struct {
	Quantity string         `json:"quantity"`
	Equation string         `json:"equation"`
	Params   map[string]int `json:"params"`
	Exact    bool           `json:"exact"`
	number
}

// handleValue answers /api/value?q=QUANTITY&PARAM=…[&exact=true].
func (s *Server) handleValue(q *query) (any, error) {
	qt, err := quantityOf(q)
	if err != nil {
		return nil, err
	}
	exact, err := q.boolean("exact")
	if err != nil {
		return nil, bad("%v", err)
	}
	p, err := q.model(qt.Params)
	if err != nil {
		return nil, bad("%v", err)
	}
	if err := q.done(); err != nil {
		return nil, bad("%v", err)
	}
	if exact {
		for name, v := range p {
			if name != "n" && v > maxExactParam {
				return nil, bad("exact mode: %s = %d is above the explorer's limit %d (use the fast mode, or dendritic calc --exact)", name, v, maxExactParam)
			}
		}
	}
	v, err := eval(qt.Name, p, exact)
	if err != nil {
		return nil, bad("%v", err)
	}
	return valueResponse{Quantity: qt.Name, Equation: qt.Equation, Params: p, Exact: exact, number: numberOf(v)}, nil
}

func quantityOf(q *query) (quantity, error) {
	name := q.str("q", "")
	if name == "" {
		return quantity{}, bad("missing parameter q (the quantity, e.g. fp)")
	}
	qt, ok := lookupQuantity(name)
	if !ok {
		return quantity{}, bad("unknown quantity q = %.40q", name)
	}
	return qt, nil
}

// handleDesign answers /api/design with theory.DesignSegment.
func (s *Server) handleDesign(q *query) (any, error) {
	var spec theory.DesignSpec
	var err error
	get := func(f func() error) {
		if err == nil {
			err = f()
		}
	}
	get(func() (e error) { spec.N, e = q.intIn("n", 0, 1, theory.MaxN); return })
	get(func() (e error) { spec.A, e = q.intIn("a", 0, 1, maxDesignA); return })
	get(func() (e error) { spec.Noise, e = q.floatIn("noise_frac", 0, 0, 1); return })
	get(func() (e error) { spec.MaxFP, e = q.floatIn("max_fp", 1e-9, math.SmallestNonzeroFloat64, 1); return })
	get(func() (e error) { spec.MaxFN, e = q.floatIn("max_fn", 1e-3, math.SmallestNonzeroFloat64, 1); return })
	get(func() (e error) { spec.Segments, e = q.intIn("segments", 1, 1, maxSegments); return })
	get(func() (e error) { spec.MaxS, e = q.intIn("max_s", 0, 0, maxDesignS); return })
	get(func() error {
		for _, k := range []string{"n", "a"} {
			if !q.has(k) {
				return fmt.Errorf("missing parameter %s", k)
			}
		}
		return q.done()
	})
	if err != nil {
		return nil, bad("%v", err)
	}
	if spec.MaxS == 0 {
		spec.MaxS = min(spec.A, 64)
	}
	if spec.MaxS > spec.A {
		return nil, bad("max_s = %d exceeds a = %d (a segment samples the pattern)", spec.MaxS, spec.A)
	}
	d, err := theory.DesignSegment(spec)
	if err != nil {
		return nil, bad("%v", err)
	}
	type point struct {
		S     int    `json:"s"`
		Theta int    `json:"theta"`
		FP    number `json:"fp"`
		FN    number `json:"fn"`
	}
	conv := func(ps []theory.DesignPoint) []point {
		out := make([]point, len(ps))
		for i, p := range ps {
			out[i] = point{p.S, p.Theta, numberOfFloat(p.FP), numberOfFloat(p.FN)}
		}
		return out
	}
	return struct {
		N          int     `json:"n"`
		A          int     `json:"a"`
		NoiseFrac  float64 `json:"noise_frac"`
		NoiseCells int     `json:"noise_cells"`
		MaxFP      float64 `json:"max_fp"`
		MaxFN      float64 `json:"max_fn"`
		Segments   int     `json:"segments"`
		MaxS       int     `json:"max_s"`
		Feasible   bool    `json:"feasible"`
		MinS       int     `json:"min_s"`
		Best       []point `json:"best"`
		Frontier   []point `json:"frontier"`
	}{spec.N, spec.A, spec.Noise, d.V, spec.MaxFP, spec.MaxFN, spec.Segments, spec.MaxS,
		d.Feasible, d.MinS, conv(d.Best), conv(d.Frontier)}, nil
}

// handleThresholds answers /api/thresholds?grid=paper|paper-2018 with the
// E7 statistics (computed once per grid and kept).
func (s *Server) handleThresholds(q *query) (any, error) {
	name, err := q.enum("grid", "paper", "paper-2018")
	if err != nil {
		return nil, bad("%v", err)
	}
	if err := q.done(); err != nil {
		return nil, bad("%v", err)
	}
	return s.thresholds(name)
}
