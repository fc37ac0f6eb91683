package sequences

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// MaxSeeds bounds Config.Seeds: each seed is a whole run of the tasks.
const MaxSeeds = 100

// DefaultSeeds is the number of seeds of DefaultConfig and of the
// command: seeds 0–9, as in the original study (Cui et al. 2016).
const DefaultSeeds = 10

// bandPoints is the number of steps at which the band of the moving
// accuracy over the seeds is sampled.
const bandPoints = 200

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
	// Band is the moving accuracy of the headline run over the seeds.
	Band Band `json:"moving_accuracy,omitzero"`
	// Sweep holds the statistics of every run of a swept task, in sweep
	// order (the headline among them).
	Sweep []SweepStats `json:"sweep,omitempty"`
}

// Band is a moving accuracy over seeds: at each of Steps, the mean and the
// sample standard deviation over the seeds of each seed's moving accuracy
// at its last scored prediction at or before that step. Steps before
// every seed has scored a prediction are left out.
type Band struct {
	Steps []int     `json:"steps"`
	Mean  []float64 `json:"mean"`
	SD    []float64 `json:"sd"`
}

// SweepStats is one value of a sweep over the seeds: the final accuracy and
// the lowest moving accuracy after the change, per seed and their mean and
// sample standard deviation.
type SweepStats struct {
	Value     float64   `json:"value"`
	Final     []float64 `json:"final_accuracy"`
	FinalMean float64   `json:"final_mean"`
	FinalSD   float64   `json:"final_sd"`
	Lowest    []float64 `json:"lowest_moving_accuracy,omitempty"`
	LowMean   float64   `json:"lowest_mean,omitempty"`
	LowSD     float64   `json:"lowest_sd,omitempty"`
}

// runSeeds runs the tasks for seeds Seed … Seed+Seeds−1 and returns the
// result of seed Seed (the only one with probes, which the page's theory
// section uses) with Seeds, the statistics over all of them. The seeds
// run side by side: min(Workers, Seeds) at once, each with its share of
// the workers for its own forks. Every seed's run depends on its seed
// alone, so the answer is the same for any number of workers. A
// cancelled run returns seed Seed's (partial) result without Seeds.
func runSeeds(ctx context.Context, cfg Config, tasks []string) (*Result, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := cfg.Seeds
	par := max(1, min(cfg.Workers, n))
	per := max(1, cfg.Workers/par)
	results := make([]*Result, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				c := cfg
				c.Seeds, c.Workers = 1, per
				c.Seed = cfg.Seed + uint64(k)
				c.TM.Seed = c.Seed
				if k > 0 {
					c.Probes = 0
				}
				results[k], errs[k] = runSeed(ctx, c, tasks)
				if errs[k] != nil {
					cancel()
				}
			}
		}()
	}
	for k := range n {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	for k, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, fmt.Errorf("sequences: seed %d: %w", cfg.Seed+uint64(k), err)
		}
	}
	first := results[0]
	if first == nil {
		return nil, errors.Join(errs[0], ctx.Err())
	}
	first.Config = cfg
	first.Seconds = time.Since(start).Seconds()
	for _, r := range results {
		if r == nil || r.Partial {
			first.Partial = true
			return first, context.Canceled
		}
	}
	first.Seeds = seedStats(cfg, results)
	return first, nil
}

// seedStats summarises the results of consecutive seeds, task by task.
func seedStats(cfg Config, results []*Result) []SeedStats {
	stats := make([]SeedStats, len(results[0].Tasks))
	for i := range stats {
		st := &stats[i]
		st.Task = results[0].Tasks[i].Name
		var curves [][]Score
		for _, r := range results {
			t := r.Task(st.Task)
			st.Seeds = append(st.Seeds, r.Config.Seed)
			st.Final = append(st.Final, t.FinalAccuracy)
			curves = append(curves, t.Headline.Scores)
			if c := t.Change; c != nil {
				if c.RecoverySteps != nil {
					st.Recovery = append(st.Recovery, *c.RecoverySteps)
				} else {
					st.NeverRecovered++
				}
			}
		}
		st.FinalMean, st.FinalSD = meanSD(st.Final)
		rec := make([]float64, len(st.Recovery))
		for j, x := range st.Recovery {
			rec[j] = float64(x)
		}
		st.RecoveryMean, st.RecoverySD = meanSD(rec)
		st.Band = band(curves, cfg.Window, cfg.Steps)
		for j, v := range results[0].Tasks[i].Sweep {
			sw := SweepStats{Value: v.Value}
			for _, r := range results {
				rv := r.Task(st.Task).Sweep[j]
				sw.Final = append(sw.Final, rv.FinalAccuracy)
				if rv.Change != nil {
					sw.Lowest = append(sw.Lowest, rv.Change.MinWindowAccuracy)
				}
			}
			sw.FinalMean, sw.FinalSD = meanSD(sw.Final)
			sw.LowMean, sw.LowSD = meanSD(sw.Lowest)
			st.Sweep = append(st.Sweep, sw)
		}
	}
	return stats
}

// band samples the moving accuracy (over w predictions) of each run at
// bandPoints steps spread evenly over [0, steps) and returns their mean
// and spread (see Band).
func band(runs [][]Score, w, steps int) Band {
	var b Band
	if len(runs) == 0 {
		return b
	}
	wins := make([][]float64, len(runs))
	for i, s := range runs {
		wins[i], _ = WindowAccuracy(s, w)
	}
	at := make([]int, len(runs)) // index of the next score of each run
	vals := make([]float64, len(runs))
	for p := range bandPoints {
		step := int(int64(p+1) * int64(steps) / bandPoints)
		ok := true
		for i, s := range runs {
			for at[i] < len(s) && s[at[i]].Step <= step {
				at[i]++
			}
			if at[i] == 0 {
				ok = false
				continue
			}
			vals[i] = wins[i][at[i]-1]
		}
		if !ok || (len(b.Steps) > 0 && b.Steps[len(b.Steps)-1] == step) {
			continue
		}
		m, sd := meanSD(vals)
		b.Steps, b.Mean, b.SD = append(b.Steps, step), append(b.Mean, m), append(b.SD, sd)
	}
	return b
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

// seedStats returns the statistics over the seeds of the named task, or
// nil for one seed.
func (r *Result) seedStats(task string) *SeedStats {
	for i := range r.Seeds {
		if r.Seeds[i].Task == task {
			return &r.Seeds[i]
		}
	}
	return nil
}

// seedRange names the seeds of r, as "seeds 0–9".
func (r *Result) seedRange() string {
	return fmt.Sprintf("seeds %d–%d", r.Config.Seed, r.Config.Seed+uint64(max(r.Config.Seeds, 1))-1)
}

// drawSeeds adds to c, the moving-accuracy chart of task t, the band of
// mean ± 1 sample standard deviation (clipped to [0, 1]) of the headline
// run's moving accuracy over the seeds and their mean, and returns the
// sentence of the caption that says so.
func (r *Result) drawSeeds(c *chart, t *TaskResult, st *SeedStats) string {
	head := 0
	for i, cv := range t.Curves {
		if cv == t.Headline {
			head = i
		}
	}
	b := shade{label: fmt.Sprintf("%s: mean ± 1 s.d.", r.seedRange()), color: head}
	mean := series{label: fmt.Sprintf("%s: mean", r.seedRange()), color: 6, style: "dashed", width: 1.2}
	for i, step := range st.Band.Steps {
		m, sd := st.Band.Mean[i], st.Band.SD[i]
		b.xs = append(b.xs, float64(step))
		b.lo, b.hi = append(b.lo, max(0, m-sd)), append(b.hi, min(1, m+sd))
		mean.xs, mean.ys = append(mean.xs, float64(step)), append(mean.ys, m)
	}
	c.bands = append(c.bands, b)
	c.series = append(c.series, mean)
	lines := "The solid lines are seed " + fmt.Sprint(r.Config.Seed)
	if len(t.Curves) > 1 {
		lines += " (the headline run bold)"
	}
	return fmt.Sprintf(" %s. The shaded band is the mean ± 1 sample standard deviation over the %d %s of the headline run's moving accuracy "+
		"(clipped to [0, 1]; each seed's value at its last scored prediction at or before each of %d evenly spaced steps), the dashed black line their mean.",
		lines, len(st.Seeds), r.seedRange(), bandPoints)
}

// drawSweepSeeds adds to c, the sweep chart of a task, the mean ± 1
// sample standard deviation over the seeds of every run's final and lowest
// moving accuracy, as error bars beside seed Seed's markers, and returns
// the caption's sentence.
func (r *Result) drawSweepSeeds(c *chart, st *SeedStats) string {
	fin := series{label: fmt.Sprintf("final, %s: mean ± 1 s.d.", r.seedRange()), color: 6, markers: true, dx: 0.015}
	low := series{label: fmt.Sprintf("lowest, %s: mean ± 1 s.d.", r.seedRange()), color: 7, markers: true, dx: 0.015}
	for _, v := range st.Sweep {
		fin.xs, fin.ys = append(fin.xs, v.Value), append(fin.ys, v.FinalMean)
		fin.lo, fin.hi = append(fin.lo, v.FinalMean-v.FinalSD), append(fin.hi, v.FinalMean+v.FinalSD)
		if len(v.Lowest) == len(v.Final) {
			low.xs, low.ys = append(low.xs, v.Value), append(low.ys, v.LowMean)
			low.lo, low.hi = append(low.lo, v.LowMean-v.LowSD), append(low.hi, v.LowMean+v.LowSD)
		}
	}
	c.series = append(c.series, fin, low)
	return fmt.Sprintf(" Lines and blue markers: seed %d. Black and brown markers, set slightly to the right: the mean over the %d %s "+
		"of the final and of the lowest moving accuracy, with error bars of ± 1 sample standard deviation (clipped to [0, 1]).",
		r.Config.Seed, len(st.Seeds), r.seedRange())
}

// seedNote states the headline run of a task with a change over the
// seeds: the lowest moving accuracy after the change (swept tasks), the
// final accuracy and the recovery, as mean ± sample standard deviation,
// so that the comparison with the published claims rests on more than
// seed Seed.
func (r *Result) seedNote(t *TaskResult, st *SeedStats) string {
	if t.Change == nil {
		return ""
	}
	var parts []string
	for _, v := range st.Sweep {
		if v.Value == t.Value && len(v.Lowest) == len(v.Final) {
			parts = append(parts, fmt.Sprintf("lowest moving accuracy after the change %.3f ± %.3f", v.LowMean, v.LowSD))
		}
	}
	parts = append(parts, fmt.Sprintf("final accuracy %.3f ± %.3f", st.FinalMean, st.FinalSD))
	if len(st.Recovery) > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d seeds back at %.0f %%, after %.0f ± %.0f steps",
			len(st.Recovery), len(st.Seeds), 100*RecoveryLevel, st.RecoveryMean, st.RecoverySD))
	} else {
		parts = append(parts, fmt.Sprintf("no seed back at %.0f %%", 100*RecoveryLevel))
	}
	return fmt.Sprintf("Over the %d %s (mean ± 1 sample s.d.), the headline run (%s): %s.",
		len(st.Seeds), r.seedRange(), t.Headline.Label, strings.Join(parts, "; "))
}
