package theory

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// Grid is a set of configurations (n, a, s) over which Thresholds
// summarises E2 for each θ, the paper's argument for an "optimal NMDA
// threshold" (E7). Each configuration has a = round(sparsity·n), rounded
// half away from zero as the reference code's Python 2 round() did.
type Grid struct {
	Name     string    `json:"name"`
	N        []int     `json:"n"`
	Sparsity []float64 `json:"sparsity"`
	S        []int     `json:"s"`
	Theta    []int     `json:"theta"`
}

// PaperGrid returns the grid of the paper's v1/v2 optimal-threshold figure
// (compute_optimal_threshold.py; paper spec E7, F7): n = 10000, 30000, …,
// 190000; sparsity 0.005, 0.010, …, 0.030 accumulated in float64 exactly
// as the reference loop did (its last value is 0.030000000000000002);
// s = 20, 25, …, 50; θ = 3…24. That is 420 configurations per θ.
func PaperGrid() Grid {
	return Grid{
		Name:     "paper",
		N:        intRange(10000, 190000, 20000),
		Sparsity: accumulatedSparsity(),
		S:        intRange(20, 50, 5),
		Theta:    intRange(3, 24, 1),
	}
}

// Paper2018Grid returns the later (2018) grid of the reference code:
// n = 1000, 5000, …, 17000 and otherwise as PaperGrid (210
// configurations per θ).
func Paper2018Grid() Grid {
	g := PaperGrid()
	g.Name = "paper-2018"
	g.N = intRange(1000, 17000, 4000)
	return g
}

// accumulatedSparsity reproduces `sparsity = 0.005; while sparsity < 0.035:
// …; sparsity += 0.005` in float64.
func accumulatedSparsity() []float64 {
	var out []float64
	for x := 0.005; x < 0.035; x += 0.005 {
		out = append(out, x)
	}
	return out
}

func intRange(lo, hi, step int) []int {
	var out []int
	for x := lo; x <= hi; x += step {
		out = append(out, x)
	}
	return out
}

// GridByName returns a built-in grid: "paper" or "paper-2018".
func GridByName(name string) (Grid, error) {
	switch name {
	case "paper":
		return PaperGrid(), nil
	case "paper-2018":
		return Paper2018Grid(), nil
	}
	return Grid{}, fmt.Errorf("theory: unknown grid %q (built-in: paper, paper-2018)", name)
}

// maxGridConfigs bounds the size of a grid (configurations × θ values).
const maxGridConfigs = 10_000_000

// Validate checks that the grid is non-empty and every configuration is a
// valid E2 question.
func (g Grid) Validate() error {
	if len(g.N) == 0 || len(g.Sparsity) == 0 || len(g.S) == 0 || len(g.Theta) == 0 {
		return fmt.Errorf("theory: grid %q: n, sparsity, s and theta each need at least one value", g.Name)
	}
	if total := len(g.N) * len(g.Sparsity) * len(g.S) * len(g.Theta); total > maxGridConfigs {
		return fmt.Errorf("theory: grid %q has %d evaluations, more than %d", g.Name, total, maxGridConfigs)
	}
	for _, x := range g.Sparsity {
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("theory: grid %q: sparsity %v must lie in [0, 1]", g.Name, x)
		}
	}
	for _, n := range g.N {
		for _, x := range g.Sparsity {
			for _, s := range g.S {
				if err := checkNAS("thresholds", n, roundHalfAway(x*float64(n)), s); err != nil {
					return err
				}
				if err := checkTerms("thresholds", min(s, roundHalfAway(x*float64(n))), false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// roundHalfAway rounds half away from zero (Python 2 round()).
func roundHalfAway(x float64) int { return int(math.Round(x)) }

// ThresholdStats summarises E2 over the configurations of a grid for one
// θ (E7): mean, population standard deviation (numpy.std), minimum,
// maximum and median (numpy's: the mean of the two middle values for an
// even count). Configurations with θ > s contribute exact zeros.
type ThresholdStats struct {
	Theta  int   `json:"theta"`
	Count  int   `json:"count"`
	Mean   Float `json:"mean"`
	Stdev  Float `json:"stdev"`
	Min    Float `json:"min"`
	Max    Float `json:"max"`
	Median Float `json:"median"`
}

// Thresholds computes ThresholdStats for every θ of the grid, in the
// grid's order (E7). Values are carried as Float, so statistics of
// probabilities far below 1e-308 do not underflow.
func Thresholds(g Grid) ([]ThresholdStats, error) { return thresholds(nil, g) }

// ThresholdsContext is Thresholds that ends with ctx's error soon after
// ctx is done (a custom grid may hold 10^7 evaluations), polling ctx in
// the caller's goroutine.
func ThresholdsContext(ctx context.Context, g Grid) ([]ThresholdStats, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return thresholds(newStopper(ctx), g)
}

func thresholds(st *stopper, g Grid) ([]ThresholdStats, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	var out []ThresholdStats
	vals := make([]Float, 0, len(g.N)*len(g.Sparsity)*len(g.S))
	for _, theta := range g.Theta {
		vals = vals[:0]
		for _, n := range g.N {
			for _, x := range g.Sparsity {
				a := roundHalfAway(x * float64(n))
				for _, s := range g.S {
					if st.stop(min(s, a) + 1) { // E2's fast sum has ≤ min(s, a)+1 terms
						return nil, st.failed()
					}
					p, err := FP(n, a, s, theta)
					if err != nil {
						return nil, err
					}
					vals = append(vals, p)
				}
			}
		}
		st := summarise(vals)
		st.Theta = theta
		out = append(out, st)
	}
	return out, nil
}

// summarise computes the statistics of non-negative values. It sorts vals.
func summarise(vals []Float) ThresholdStats {
	slices.SortFunc(vals, Float.Cmp)
	k := len(vals)
	st := ThresholdStats{Count: k, Min: vals[0], Max: vals[k-1]}
	if k%2 == 1 {
		st.Median = vals[k/2]
	} else {
		st.Median = vals[k/2-1].Add(vals[k/2]).MulFloat64(0.5)
	}
	if st.Max.IsZero() {
		return st
	}
	// Scale by the maximum so that every value is a float64 in [0, 1];
	// values more than 1e308 times smaller than the maximum cannot change
	// the mean or the deviation.
	scaled := make([]float64, k)
	var sum float64
	for i, v := range vals {
		scaled[i] = v.Quo(st.Max).Float64()
		sum += scaled[i]
	}
	mean := sum / float64(k)
	var ss float64
	for _, x := range scaled {
		d := x - mean
		ss += d * d
	}
	st.Mean = st.Max.MulFloat64(mean)
	st.Stdev = st.Max.MulFloat64(math.Sqrt(ss / float64(k)))
	return st
}
