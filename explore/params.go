package explore

// This file is the adapter between the explorer and the theory package's
// description of its parameters: the only place that knows where names,
// meanings, units and bounds come from.

import (
	"fmt"

	"github.com/dendritic/dendritic/theory"
)

// Param describes one integer parameter of the model as the page shows it.
type Param struct {
	Name    string `json:"name"`    // query and URL key, the CLI flag name
	Symbol  string `json:"symbol"`  // the paper's symbol
	Meaning string `json:"meaning"` // one line
	Unit    string `json:"unit"`
	Min     int    `json:"min"` // inclusive bounds the API accepts
	Max     int    `json:"max"`
	// SliderMax is the top of the page's slider (the numeric field
	// accepts up to Max).
	SliderMax int  `json:"slider_max"`
	Default   int  `json:"default"`
	Log       bool `json:"log"` // the slider is log-scaled
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

// params is the parameter table, in the order of theory.ParamNames.
var params = []Param{
	{Name: "n", Symbol: "n", Meaning: "cells in the presynaptic population", Unit: "cells",
		Min: 1, Max: theory.MaxN, SliderMax: 10_000_000, Default: 10000, Log: true},
	{Name: "a", Symbol: "a", Meaning: "active cells of a pattern", Unit: "cells",
		Min: 1, Max: maxA, SliderMax: 4096, Default: 64, Log: true},
	{Name: "s", Symbol: "s", Meaning: "synapses on a dendritic segment", Unit: "synapses",
		Min: 1, Max: maxS, SliderMax: 200, Default: 24},
	{Name: "theta", Symbol: "θ", Meaning: "NMDA-spike threshold: the segment fires iff at least θ synapses see active cells", Unit: "synapses",
		Min: 0, Max: maxS, SliderMax: 200, Default: 12},
	{Name: "b", Symbol: "b", Meaning: "overlap: synapses of the segment that see active cells (E1)", Unit: "synapses",
		Min: 0, Max: maxS, SliderMax: 200, Default: 12},
	{Name: "noise", Symbol: "v", Meaning: "active cells of a learned pattern replaced by noise", Unit: "cells",
		Min: 0, Max: maxA, SliderMax: 4096, Default: 16},
	{Name: "patterns", Symbol: "M", Meaning: "patterns stored by union on one segment", Unit: "patterns",
		Min: 1, Max: maxPatterns, SliderMax: 50, Default: 8},
	{Name: "segments", Symbol: "m", Meaning: "dendritic segments per neuron", Unit: "segments",
		Min: 1, Max: maxSegments, SliderMax: 10000, Default: 100, Log: true},
}

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

// curveQuantities are the quantities the API evaluates (E1's count and the
// E2a match probability need no curve of their own, but value answers
// them too).
func quantities() []quantity {
	var out []quantity
	for _, q := range theory.Quantities() {
		out = append(out, quantity{Name: q.Name, Equation: q.Equation, Params: q.Params, Summary: q.Summary})
	}
	return out
}

// lookupQuantity returns a quantity by its CLI name.
func lookupQuantity(name string) (quantity, bool) {
	q, ok := theory.Lookup(name)
	if !ok {
		return quantity{}, false
	}
	return quantity{Name: q.Name, Equation: q.Equation, Params: q.Params, Summary: q.Summary}, true
}

// eval computes a quantity with the theory package.
func eval(name string, p map[string]int, exact bool) (theory.Value, error) {
	return theory.Eval(name, theory.Params(p), exact)
}
