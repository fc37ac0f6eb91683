package explore

// This file is the adapter between the explorer and the theory package's
// description of its parameters: the only place that knows where names,
// meanings, units and bounds come from.

import (
	"fmt"

	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
)

// Param describes one integer parameter of the model as the page shows
// it: name, meaning, unit and bounds from theory's parameter table
// (theory.Params), with the explorer's presentation and its tighter upper
// bounds on top.
type Param struct {
	Name    string `json:"name"`    // query and URL key, the CLI flag name
	Symbol  string `json:"symbol"`  // the paper's symbol
	Meaning string `json:"meaning"` // theory's phrase
	Unit    string `json:"unit"`
	Min     int    `json:"min"` // inclusive bounds the API accepts
	Max     int    `json:"max"`
	// TheoryMax is the bound of theory's table, which the explorer may
	// tighten to keep every request cheap (Max).
	TheoryMax int `json:"theory_max"`
	// SliderMax is the top of the page's slider (the numeric field
	// accepts up to Max).
	SliderMax int  `json:"slider_max"`
	Default   int  `json:"default"`
	Log       bool `json:"log"` // the slider is log-scaled
	param     theory.Param
}

// Bounds of the explorer beyond the theory's own checks: they keep every
// request cheap (the fast forms cost O(min(s, a)) per value, see
// theory.MaxFastTerms) whatever the page or a script asks.
const (
	maxA        = 1_000_000
	maxS        = 10_000
	maxPatterns = 1_000
	maxSegments = 1_000_000
)

// view is the explorer's presentation of one parameter of theory's table.
type view struct {
	symbol              string
	max, sliderMax, def int
	log                 bool
}

var views = map[theory.Param]view{
	theory.ParamN:        {"n", theory.MaxN, 10_000_000, 10000, true},
	theory.ParamA:        {"a", maxA, 4096, 64, true},
	theory.ParamS:        {"s", maxS, 200, 24, false},
	theory.ParamTheta:    {"θ", maxS, 200, 12, false},
	theory.ParamB:        {"b", maxS, 200, 12, false},
	theory.ParamPatterns: {"M", maxPatterns, 50, 8, false},
	theory.ParamNoise:    {"v", maxA, 4096, 16, false},
	theory.ParamSegments: {"m", maxSegments, 10000, 100, true},
}

// params is the parameter table, in theory's canonical order.
var params = func() []Param {
	var out []Param
	for _, info := range theory.Params() {
		v, ok := views[info.Param]
		if !ok {
			continue // a parameter the page does not know yet
		}
		out = append(out, Param{Name: info.Name, Symbol: v.symbol, Meaning: info.Meaning, Unit: info.Unit,
			Min: info.Min, Max: min(info.Max, v.max), TheoryMax: info.Max, SliderMax: v.sliderMax,
			Default: v.def, Log: v.log, param: info.Param})
	}
	return out
}()

// lookupParam returns the table entry of a parameter name.
func lookupParam(name string) (Param, bool) {
	for _, p := range params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// checkParam reports a value outside the table's bounds.
func checkParam(name string, v int) error {
	p, ok := lookupParam(name)
	if !ok {
		return fmt.Errorf("unknown parameter %q", name)
	}
	if v < p.Min || v > p.Max {
		return fmt.Errorf("%s = %d must lie in [%d, %d] (%s)", name, v, p.Min, p.Max, p.Meaning)
	}
	return nil
}

// quantity is what the explorer needs to know of a quantity of the theory.
type quantity struct {
	Name     string   `json:"name"`
	Equation string   `json:"equation"`
	Params   []string `json:"params"`
	Summary  string   `json:"summary"`
}

func quantityOfTheory(q theory.Quantity) quantity {
	return quantity{Name: q.Name, Equation: q.Equation, Params: paramNames(q.Params), Summary: q.Summary}
}

func paramNames(ps []theory.Param) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// quantities lists every quantity of the theory.
func quantities() []quantity {
	var out []quantity
	for _, q := range theory.Quantities() {
		out = append(out, quantityOfTheory(q))
	}
	return out
}

// lookupQuantity returns a quantity by its CLI name.
func lookupQuantity(name string) (quantity, bool) {
	q, ok := theory.Lookup(name)
	if !ok {
		return quantity{}, false
	}
	return quantityOfTheory(q), true
}

// argsOf converts parameters by name into theory's typed arguments.
func argsOf(p map[string]int) theory.Args {
	var args theory.Args
	for name, v := range p {
		if tp, ok := theory.ParamByName(name); ok {
			args = args.With(tp, v)
		}
	}
	return args
}

// eval computes a quantity with the theory package.
func eval(name string, p map[string]int, exact bool) (theory.Value, error) {
	return theory.Eval(name, argsOf(p), exact)
}

// simParams names the parameters of a kind of simulation.
func simParams(kind string) []string { return paramNames(sim.KindParams(kind)) }
