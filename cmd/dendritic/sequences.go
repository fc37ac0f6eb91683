package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/experiments/sequences"
	"github.com/dendritic/dendritic/internal/cli"
)

func init() {
	register(&cli.Command{
		Name:    "sequences",
		Summary: "high-order sequence tasks of Cui et al. 2016 (high-order, noise, switch, cell-death) and false predictions vs theory",
		Doc: `Runs the discrete high-order sequence tasks of Cui, Ahmad & Hawkins (2016) on the temporal
memory and reports the accuracy of predicting the last element of each sequence over time,
with the network's false predictions beside the theory (E2, E5). Writes CSV, SVG, JSON and
index.html into DIR and prints a summary. Every task runs with seeds 0–9 by default, as in the
original study, the seeds side by side on the workers; the figures draw their mean ± 1 s.d.
and the tables give seed S. --seeds 1 is a quick run. The README's accuracies are those of
seed 0 and the ten-seed means.`,
		Required: []string{"out"},
		Locks:    "out",
		Flags:    sequencesFlags,
	})
}

func sequencesFlags(fs *flag.FlagSet) cli.Run {
	def := sequences.DefaultConfig(0)
	tasks := cli.List(fs, "task", "`task` to run: "+strings.Join(sequences.Tasks(), ", ")+" (repeatable or a comma list; default all)")
	out := fs.String("out", "", "output directory `DIR`")
	seed := cli.SeedFrom(fs, 0, "first seed `S` of every random draw (0 if not given: seeds 0–9 with the default --seeds)")
	format := cli.Format(fs, "json", "text")
	steps := cli.Int(fs, "steps", def.Steps, 1, "steps per run")
	switchAt := cli.Int(fs, "switch-at", def.SwitchAt, 0, "steps before the switch and the noise (the cells die one step later)")
	nseq := cli.Int(fs, "sequences", def.Sequences, 1, "number of sequences used (1-8)")
	probes := cli.Int(fs, "probes", def.Probes, 0, "random inputs of each kind presented to the trained store (0: none)")
	seeds := cli.IntIn(fs, "seeds", sequences.DefaultSeeds, 1, sequences.MaxSeeds, "run every task with seeds S … S+N−1 and draw their mean and spread (each seed is a whole run, about 45 s of CPU at the default protocol)")
	workers := cli.Workers(fs)
	return func(ctx context.Context, env *cli.Env) error {
		list, err := sequences.ParseTasks(*tasks)
		if err != nil {
			return cli.Usagef("%v", err)
		}
		cfg := sequences.DefaultConfig(*seed)
		cfg.Steps, cfg.SwitchAt, cfg.KillAt = *steps, *switchAt, *switchAt+1
		cfg.Sequences, cfg.Probes, cfg.Workers, cfg.Seeds = *nseq, *probes, *workers, *seeds
		if cfg.Workers == 0 {
			cfg.Workers = runtime.GOMAXPROCS(0)
		}
		if err := cfg.Validate(); err != nil {
			return cli.Usagef("%v", err)
		}
		boundMemory(cfg.Workers)
		res, runErr := sequences.Run(ctx, cfg, list)
		if res == nil {
			return runErr
		}
		if _, err := sequences.Write(*out, res); err != nil {
			return err
		}
		if *format == "text" {
			writeSequencesText(env.Stdout, res, *out)
		} else {
			err = writeJSON(env.Stdout, res.Summary(), false)
		}
		if res.Partial {
			return fmt.Errorf("%w: the report in %s holds the %d finished tasks", cli.ErrInterrupted, *out, len(res.Tasks))
		}
		return err
	}
}

// workerMemory is the soft memory limit per worker of sequences: each
// worker holds its own copy of the temporal memory, which grows as it
// learns (the noise runs of the protocol peak at 418 MB live), and Go's
// collector lets the heap reach twice the live data before collecting
// (833 MB heap, 866 MB RSS for one worker), hence 1.4 GB by default.
const workerMemory = 512 << 20

// boundMemory sets the soft memory limit of workers workers, unless the
// user set GOMEMLIMIT.
func boundMemory(workers int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(max(workers, 1)) * workerMemory)
	}
}

func writeSequencesText(w io.Writer, res *sequences.Result, dir string) {
	cfg := res.Config
	fmt.Fprintf(w, "high-order sequences (Cui et al. 2016), seed %d (%d seeds in all), %d steps; final accuracy = last %d predicted last elements\n\n",
		cfg.Seed, max(cfg.Seeds, 1), cfg.Steps, cfg.FinalWindow)
	fmt.Fprintf(w, "%-11s %-12s %9s %8s %9s %9s %9s %9s\n", "task", "headline", "final", "before", "after100", "lowest", "recovery", "time(s)")
	for _, t := range res.Tasks {
		before, after, low, rec := "", "", "", ""
		if c := t.Change; c != nil {
			before, after, low = fmt.Sprintf("%.3f", c.AccuracyBefore), fmt.Sprintf("%.3f", c.AccuracyFirstWindow), fmt.Sprintf("%.3f", c.MinWindowAccuracy)
			rec = "never"
			if c.RecoverySteps != nil {
				rec = strconv.Itoa(*c.RecoverySteps)
			}
		}
		fmt.Fprintf(w, "%-11s %-12s %9.3f %8s %9s %9s %9s %9.1f\n", t.Name, t.Headline.Label, t.FinalAccuracy, before, after, low, rec, t.Seconds)
		for _, v := range t.Sweep {
			fmt.Fprintf(w, "  %-21s %9.3f\n", v.Label, v.FinalAccuracy)
		}
	}
	if len(res.Seeds) > 0 {
		last := cfg.Seed + uint64(cfg.Seeds) - 1
		fmt.Fprintf(w, "\nover %d seeds (%d–%d): final accuracy mean ± sd, recovery steps mean ± sd\n", cfg.Seeds, cfg.Seed, last)
		for _, st := range res.Seeds {
			fmt.Fprintf(w, "  %-11s %.3f ± %.3f", st.Task, st.FinalMean, st.FinalSD)
			if len(st.Recovery) > 0 {
				fmt.Fprintf(w, "   %.0f ± %.0f", st.RecoveryMean, st.RecoverySD)
			}
			if st.NeverRecovered > 0 {
				fmt.Fprintf(w, "   (%d never recovered)", st.NeverRecovered)
			}
			fmt.Fprintln(w)
		}
	}
	if th := res.Theory; th != nil {
		fmt.Fprintf(w, "\nfalse predictions (per column and step) after step %d, theory E2/E5 beside:\n", cfg.SwitchAt)
		for _, r := range th.InRun {
			fmt.Fprintf(w, "  %s: %d/%d measured (95%% upper %.2e); theory: parameters %.2e, census %.2e\n",
				r.Condition, r.Measured.Count, r.Measured.Trials, r.Measured.Hi95, r.Parametric.Column.Float64(), r.CensusRate)
		}
		if len(th.Probes) > 0 {
			ag := th.ProbeAgreement()
			fmt.Fprintf(w, "  probes at lowered thresholds: theory within the 95%% CI at %d/%d (uniform), %d/%d (bursting, column-level)\n",
				ag[sequences.ProbeUniform][0], ag[sequences.ProbeUniform][1], ag[sequences.ProbeBursting][0], ag[sequences.ProbeBursting][1])
		}
	}
	fmt.Fprintf(w, "\nreport: %s/index.html (%.1f s)\n", dir, res.Seconds)
}
