package sequences

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/htm"
)

// The tasks, in report order.
const (
	TaskHighOrder = "high-order"
	TaskNoise     = "noise"
	TaskSwitch    = "switch"
	TaskCellDeath = "cell-death"
)

// Tasks lists every task in report order.
func Tasks() []string { return []string{TaskHighOrder, TaskNoise, TaskSwitch, TaskCellDeath} }

// ErrTask is wrapped by the error of ParseTasks for an unknown task.
var ErrTask = errors.New("sequences: unknown task")

// ParseTasks reads task names, each value possibly a comma-separated list
// (spaces ignored). Duplicates are dropped and the result is in report
// order; no name at all means every task.
func ParseTasks(values []string) ([]string, error) {
	seen := map[string]bool{}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if !slices.Contains(Tasks(), name) {
				return nil, fmt.Errorf("%w %q (want %s)", ErrTask, name, strings.Join(Tasks(), ", "))
			}
			seen[name] = true
		}
	}
	if len(seen) == 0 {
		return Tasks(), nil
	}
	var out []string
	for _, t := range Tasks() {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

// TMParams returns the temporal-memory parameters of Cui et al. (2016) for
// the discrete sequence tasks (benchmarks.md §2.3): 2048 columns × 32 cells,
// activation and matching threshold 15, 32 new synapses per transition,
// at most 128 synapses per segment and 128 segments per cell, initial
// permanence 0.21, connected at 0.5, increment and decrement 0.1,
// predicted-segment decrement 0.02, no global segment bound.
func TMParams(seed uint64) htm.Params {
	p := htm.DefaultParams()
	p.NumColumns, p.CellsPerColumn = 2048, 32
	p.ActivationThreshold, p.MinThreshold = 15, 15
	p.MaxNewSynapseCount = 32
	p.MaxSynapsesPerSegment, p.MaxSegmentsPerCell = 128, 128
	p.InitialPermanence, p.ConnectedPermanence = 0.21, 0.5
	p.PermanenceIncrement, p.PermanenceDecrement = 0.1, 0.1
	p.PredictedSegmentDecrement = 0.02
	p.MaxSegments = 0
	p.Seed = seed
	return p
}

// Config defines a set of experiments. DefaultConfig gives the protocol of
// benchmarks.md §2.3; every random draw derives from Seed.
type Config struct {
	Seed uint64 `json:"seed"`
	// Steps is the length of every run (19,999).
	Steps int `json:"steps"`
	// SwitchAt is the number of elements presented before the change of
	// the switch task (sequences starting at step ≥ SwitchAt come from the
	// perturbed set) and before the noise of the noise task starts
	// (10,000).
	SwitchAt int `json:"switch_at"`
	// KillAt is the number of elements presented before the cells die in
	// the cell-death task (10,001; at least SwitchAt).
	KillAt int `json:"kill_at"`
	// Sequences is how many sequences of the set are used (8; the first
	// ones, so an even number keeps the pairs).
	Sequences int `json:"sequences"`
	// NoiseCategories is the number of noise symbols (5,000).
	NoiseCategories int `json:"noise_categories"`
	// ActiveBits of TM.NumColumns: the symbol encoding (41 of 2048).
	ActiveBits int `json:"active_bits"`
	// TM are the temporal-memory parameters (TMParams(Seed)).
	TM htm.Params `json:"tm"`
	// Window is the number of scored predictions of the moving accuracy
	// (100); FinalWindow that of the final accuracy (1,000).
	Window      int `json:"window"`
	FinalWindow int `json:"final_window"`
	// NoiseLevel is the headline level of the noise task; NoiseLevels
	// the sweep (fractions of the active bits replaced at every step).
	NoiseLevel  float64   `json:"noise_level"`
	NoiseLevels []float64 `json:"noise_levels"`
	// DeadFraction is the headline fraction of dead cells of the
	// cell-death task; DeadFractions the sweep.
	DeadFraction  float64   `json:"dead_fraction"`
	DeadFractions []float64 `json:"dead_fractions"`
	// Probes is the number of random inputs of each kind presented to the
	// trained store to measure false predictions (0: no probe).
	Probes int `json:"probes"`
	// Seeds is the number of seeds the tasks run with: Seed, Seed+1, …,
	// Seed+Seeds−1 (0 or 1: Seed only; DefaultSeeds by default, as in the
	// original study; see seeds.go). The page's tables and every file but
	// summary.json's seeds describe seed Seed; Result.Seeds adds the mean
	// and spread over all of them, which the figures draw. At most
	// MaxSeeds.
	Seeds int `json:"seeds,omitempty"`
	// Workers runs that many seeds or forks of the shared prefix at once
	// (≤ 0: one). The results do not depend on it.
	Workers int `json:"-"`
}

// DefaultConfig returns the protocol of benchmarks.md §2.3 for seed.
func DefaultConfig(seed uint64) Config {
	return Config{
		Seed:            seed,
		Steps:           19_999,
		SwitchAt:        10_000,
		KillAt:          10_001,
		Sequences:       8,
		NoiseCategories: 5000,
		ActiveBits:      41,
		TM:              TMParams(seed),
		Window:          100,
		FinalWindow:     1000,
		NoiseLevel:      0.3,
		NoiseLevels:     []float64{0.1, 0.2, 0.3, 0.4, 0.5},
		DeadFraction:    0.4,
		DeadFractions:   []float64{0.2, 0.4, 0.5, 0.6, 0.7, 0.8},
		Probes:          1000,
		Seeds:           DefaultSeeds,
		Workers:         1,
	}
}

// Limits on a run's size. A temporal memory's store grows with the steps
// it learns (about 26 KB a step at the protocol's worst, 41 new segments
// of 32 synapses), and every worker holds a copy: MaxSteps, five times the
// protocol's, keeps one copy under about 2.6 GB. MaxProbes bounds the
// probes of each kind.
const (
	MaxSteps  = 100_000
	MaxProbes = 100_000
)

// Validate checks c.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sequences: "+format, args...)
	}
	if err := c.TM.Validate(); err != nil {
		return err
	}
	switch {
	case c.Steps < 2 || c.Steps > MaxSteps:
		return bad("steps = %d: must lie in [2, %d]", c.Steps, MaxSteps)
	case c.SwitchAt < 1 || c.SwitchAt >= c.Steps:
		return bad("switch at %d: must lie in [1, steps = %d)", c.SwitchAt, c.Steps)
	case c.KillAt < c.SwitchAt || c.KillAt >= c.Steps:
		return bad("kill at %d: must lie in [switch at = %d, steps = %d)", c.KillAt, c.SwitchAt, c.Steps)
	case c.Sequences < 1 || c.Sequences > len(highOrder):
		return bad("%d sequences: must lie in [1, %d]", c.Sequences, len(highOrder))
	case c.NoiseCategories < 1:
		return bad("%d noise categories: must be positive", c.NoiseCategories)
	case c.ActiveBits < 1 || c.ActiveBits > c.TM.NumColumns:
		return bad("%d active bits: must lie in [1, columns = %d]", c.ActiveBits, c.TM.NumColumns)
	case c.Window < 1 || c.FinalWindow < 1:
		return bad("windows %d and %d: must be positive", c.Window, c.FinalWindow)
	case c.Probes < 0 || c.Probes > MaxProbes:
		return bad("%d probes: must lie in [0, %d]", c.Probes, MaxProbes)
	case c.Seeds < 0 || c.Seeds > MaxSeeds:
		return bad("%d seeds: must lie in [0, %d]", c.Seeds, MaxSeeds)
	}
	for _, f := range append([]float64{c.NoiseLevel}, c.NoiseLevels...) {
		if !(f >= 0 && f <= 1) {
			return bad("noise level %v: must lie in [0, 1]", f)
		}
	}
	for _, f := range append([]float64{c.DeadFraction}, c.DeadFractions...) {
		if !(f >= 0 && f <= 1) {
			return bad("dead fraction %v: must lie in [0, 1]", f)
		}
	}
	return nil
}
