package explore

import "github.com/dendritic/dendritic/theory"

// Preset is a named point of the model for the page's preset menu.
type Preset struct {
	Name   string      `json:"name"`
	Source string      `json:"source"` // where its numbers come from
	Params theory.Args `json:"params"` // the same JSON object as the API's queries
}

// presets are the paper's figures (docs/paper-spec.md §3: F1, F2, F3,
// F5, F6), a cortical neuron and htm.core's temporal-memory defaults.
var presets = []Preset{
	{Name: "F1 effect of n", Source: "paper-spec F1: s = 24, θ = 12, a = 64; fp(n = 10000) = 4.0416e−21 (C3)",
		Params: point(10000, 64, 24, 12, 16, 1, 1)},
	{Name: "F2 effect of s", Source: "paper-spec F2: a = 32, n = 2000, θ = s/2; fp(s = 30) = 3.2696e−21 (C5)",
		Params: point(2000, 32, 30, 15, 8, 1, 1)},
	{Name: "F3 union", Source: "paper-spec F3 and C6: n = 10000, a = 200, s = 25 per pattern, θ = 15, M = 8",
		Params: point(10000, 200, 25, 15, 50, 8, 1)},
	{Name: "F5 simulation of fp", Source: "paper-spec F5: s = 24, θ = 12, a = 64, n = 500 (simulated 5.74e−6)",
		Params: point(500, 64, 24, 12, 16, 1, 1)},
	{Name: "F6 noise", Source: "paper-spec F6: a = 128, s = 30, θ = 12, n = 6000, v = 38 (0.30·a)",
		Params: point(6000, 128, 30, 12, 38, 1, 1)},
	{Name: "cortical neuron", Source: "paper-spec C1/C2 (n = 200000, a = 2000, s = 20, θ = 10); m = 100 segments is an illustrative round number",
		Params: point(200000, 2000, 20, 10, 400, 1, 100)},
	{Name: "htm.core TM defaults", Source: "htm.DefaultParams: 2048 columns × 32 cells (n), maxNewSynapseCount 20 (s), activationThreshold 13 (θ), maxSegmentsPerCell 255 (m); a = 102: htm/spatial.DefaultParams' localAreaDensity 0.05 of 2048 columns, one active cell per predicted column",
		Params: point(65536, 102, 20, 13, 26, 1, 255)},
}

// point is a preset's arguments: the segment (n, a, s, θ), its noise in
// cells, M patterns per segment and m segments per neuron.
func point(n, a, s, theta, noise, patterns, segments int) theory.Args {
	return theory.Args{}.With(theory.ParamN, n).With(theory.ParamA, a).With(theory.ParamS, s).
		With(theory.ParamTheta, theta).With(theory.ParamNoise, noise).
		With(theory.ParamPatterns, patterns).With(theory.ParamSegments, segments)
}
