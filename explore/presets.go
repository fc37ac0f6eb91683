package explore

// Preset is a named point of the model for the page's preset menu.
type Preset struct {
	Name   string         `json:"name"`
	Source string         `json:"source"` // where its numbers come from
	Params map[string]int `json:"params"`
}

// presets are the paper's figures (docs/paper-spec.md §3: F1, F2, F3,
// F5, F6), a cortical neuron and htm.core's temporal-memory defaults.
var presets = []Preset{
	{Name: "F1 effect of n", Source: "paper-spec F1: s = 24, θ = 12, a = 64; fp(n = 10000) = 4.0416e−21 (C3)",
		Params: map[string]int{"n": 10000, "a": 64, "s": 24, "theta": 12, "noise": 16, "patterns": 1, "segments": 1}},
	{Name: "F2 effect of s", Source: "paper-spec F2: a = 32, n = 2000, θ = s/2; fp(s = 30) = 3.2696e−21 (C5)",
		Params: map[string]int{"n": 2000, "a": 32, "s": 30, "theta": 15, "noise": 8, "patterns": 1, "segments": 1}},
	{Name: "F3 union", Source: "paper-spec F3 and C6: n = 10000, a = 200, s = 25 per pattern, θ = 15, M = 8",
		Params: map[string]int{"n": 10000, "a": 200, "s": 25, "theta": 15, "noise": 50, "patterns": 8, "segments": 1}},
	{Name: "F5 simulation of fp", Source: "paper-spec F5: s = 24, θ = 12, a = 64, n = 500 (simulated 5.74e−6)",
		Params: map[string]int{"n": 500, "a": 64, "s": 24, "theta": 12, "noise": 16, "patterns": 1, "segments": 1}},
	{Name: "F6 noise", Source: "paper-spec F6: a = 128, s = 30, θ = 12, n = 6000, v = 38 (0.30·a)",
		Params: map[string]int{"n": 6000, "a": 128, "s": 30, "theta": 12, "noise": 38, "patterns": 1, "segments": 1}},
	{Name: "cortical neuron", Source: "paper-spec C1/C2 (n = 200000, a = 2000, s = 20, θ = 10); m = 100 segments is an illustrative round number",
		Params: map[string]int{"n": 200000, "a": 2000, "s": 20, "theta": 10, "noise": 400, "patterns": 1, "segments": 100}},
	{Name: "htm.core TM defaults", Source: "htm.DefaultParams: 2048 columns × 32 cells (n), maxNewSynapseCount 20 (s), activationThreshold 13 (θ), maxSegmentsPerCell 255 (m); a = 102: htm/spatial.DefaultParams' localAreaDensity 0.05 of 2048 columns, one active cell per predicted column",
		Params: map[string]int{"n": 65536, "a": 102, "s": 20, "theta": 13, "noise": 26, "patterns": 1, "segments": 255}},
}
