package sequences

import (
	"context"
	"fmt"
	"math"
)

// MaxSeeds bounds Config.Seeds: each seed is a whole run of the tasks.
const MaxSeeds = 100

// SeedStats is one task's headline numbers over several seeds (the
// original study used seeds 0–9): the values per seed, in seed order, and
// their mean and sample standard deviation. A recovery that never happens
// is left out of the recovery statistics and counted in NeverRecovered.
type SeedStats struct {
	Task  string    `json:"task"`
	Seeds []uint64  `json:"seeds"`
	Final []float64 `json:"final_accuracy"`
	// Recovery holds the recovery steps of the seeds that recovered.
	Recovery       []int   `json:"recovery_steps,omitempty"`
	NeverRecovered int     `json:"never_recovered,omitempty"`
	FinalMean      float64 `json:"final_mean"`
	FinalSD        float64 `json:"final_sd"`
	RecoveryMean   float64 `json:"recovery_mean,omitempty"`
	RecoverySD     float64 `json:"recovery_sd,omitempty"`
}

// runSeeds runs the tasks for seeds Seed+1 … Seed+Seeds−1 (without
// probes, which only the page's theory section uses) and summarises
// them with first, the result of seed Seed.
func runSeeds(ctx context.Context, cfg Config, tasks []string, first *Result) ([]SeedStats, error) {
	stats := make([]SeedStats, len(first.Tasks))
	add := func(seed uint64, r *Result) {
		for i := range stats {
			t := r.Task(first.Tasks[i].Name)
			if t == nil {
				continue
			}
			st := &stats[i]
			st.Task = t.Name
			st.Seeds = append(st.Seeds, seed)
			st.Final = append(st.Final, t.FinalAccuracy)
			if c := t.Change; c != nil {
				if c.RecoverySteps != nil {
					st.Recovery = append(st.Recovery, *c.RecoverySteps)
				} else {
					st.NeverRecovered++
				}
			}
		}
	}
	add(cfg.Seed, first)
	for k := 1; k < cfg.Seeds; k++ {
		c := cfg
		c.Seeds, c.Probes = 1, 0
		c.Seed = cfg.Seed + uint64(k)
		c.TM.Seed = c.Seed
		r, err := Run(ctx, c, tasks)
		if err != nil {
			return nil, fmt.Errorf("sequences: seed %d: %w", c.Seed, err)
		}
		add(c.Seed, r)
	}
	for i := range stats {
		st := &stats[i]
		st.FinalMean, st.FinalSD = meanSD(st.Final)
		rec := make([]float64, len(st.Recovery))
		for j, x := range st.Recovery {
			rec[j] = float64(x)
		}
		st.RecoveryMean, st.RecoverySD = meanSD(rec)
	}
	return stats, nil
}

// meanSD returns the mean and the sample standard deviation (n − 1; 0
// for fewer than two values) of xs.
func meanSD(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}
