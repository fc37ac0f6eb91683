package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/dendritic/dendritic/experiments/sequences"
)

func init() {
	registerLegacy(command{
		name:    "sequences",
		summary: "high-order sequence tasks of Cui et al. 2016 (high-order, noise, switch, cell-death) and false predictions vs theory",
		run:     runSequences,
	})
}

// taskList is a repeatable flag of task names (each possibly a comma list).
type taskList []string

func (t *taskList) String() string { return strings.Join(*t, ",") }

func (t *taskList) Set(v string) error {
	*t = append(*t, v)
	return nil
}

// sequencesSignals is the context of a run: cancelled by Ctrl-C or
// SIGTERM. Tests replace it.
var sequencesSignals = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runSequences(args []string, stdout, stderr io.Writer) int {
	const name = "dendritic sequences"
	fs := flag.NewFlagSet("sequences", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := sequences.DefaultConfig(0)
	var tasks taskList
	fs.Var(&tasks, "task", "task to run: "+strings.Join(sequences.Tasks(), ", ")+" (repeatable or a comma list; default all)")
	out := fs.String("out", "", "output directory (required)")
	seed := fs.String("seed", "0", "seed of every random draw")
	format := fs.String("format", "json", "summary on stdout: json or text")
	steps := fs.Int("steps", def.Steps, "steps per run")
	switchAt := fs.Int("switch-at", def.SwitchAt, "steps before the switch and the noise (the cells die one step later)")
	nseq := fs.Int("sequences", def.Sequences, "number of sequences used (1-8)")
	probes := fs.Int("probes", def.Probes, "random inputs of each kind presented to the trained store (0: none)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs at once (results do not depend on it)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic sequences --out DIR [--task high-order|noise|switch|cell-death]... [--seed S] [--format json|text]")
		fmt.Fprintln(stderr, "\nRuns the discrete high-order sequence tasks of Cui, Ahmad & Hawkins (2016) on the temporal")
		fmt.Fprintln(stderr, "memory and reports the accuracy of predicting the last element of each sequence over time,")
		fmt.Fprintln(stderr, "with the network's false predictions beside the theory (E2, E5). Writes CSV, SVG, JSON and")
		fmt.Fprintln(stderr, "index.html into DIR and prints a summary.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr, name); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(stderr, name, format, a...) }
	if *format != "text" && *format != "json" {
		return usageErr("unknown --format %q (json or text)", *format)
	}
	if *out == "" {
		return usageErr("--out DIR is required")
	}
	list, err := sequences.ParseTasks(tasks)
	if err != nil {
		return usageErr("%v", err)
	}
	s, err := strconv.ParseUint(strings.TrimSpace(*seed), 10, 64)
	if err != nil {
		return usageErr("--seed %q: want an unsigned integer", *seed)
	}
	cfg := sequences.DefaultConfig(s)
	cfg.Steps, cfg.SwitchAt, cfg.KillAt = *steps, *switchAt, *switchAt+1
	cfg.Sequences, cfg.Probes, cfg.Workers = *nseq, *probes, *workers
	if err := cfg.Validate(); err != nil {
		return usageErr("%v", err)
	}

	ctx, stop := sequencesSignals()
	defer stop()
	res, err := sequences.Run(ctx, cfg, list)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		if ctx.Err() != nil {
			return exitPaperInterrupted
		}
		return 1
	}
	if _, err := sequences.Write(*out, res); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	sum := res.Summary()
	if *format == "json" {
		b, err := json.Marshal(sum)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return 0
	}
	writeSequencesText(stdout, res, *out)
	return 0
}

func writeSequencesText(w io.Writer, res *sequences.Result, dir string) {
	cfg := res.Config
	fmt.Fprintf(w, "high-order sequences (Cui et al. 2016), seed %d, %d steps; final accuracy = last %d predicted last elements\n\n",
		cfg.Seed, cfg.Steps, cfg.FinalWindow)
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
