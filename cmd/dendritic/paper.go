package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/report"
	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	register(command{
		name:    "paper",
		summary: "regenerate the paper's figures and tables (with corrections) into a directory",
		run:     runPaper,
	})
}

// paperSimulator returns the simulation engine of the paper command (nil
// would build theory only). workers is the --workers flag (0: one per
// CPU).
var paperSimulator = func(workers int) report.Simulator { return simAdapter{workers: workers} }

// simAdapter runs the report's simulations with package sim.
type simAdapter struct{ workers int }

func (s simAdapter) Simulate(ctx context.Context, kind string, p theory.Params, samples int64, seed uint64, method string) (report.SimPoint, error) {
	c := sim.Config{
		Kind: kind, N: p["n"], A: p["a"], S: p["s"], Theta: p["theta"],
		Noise: p["noise"], Patterns: p["patterns"], Segments: p["segments"],
		Samples: samples, Seed: seed, Method: method, Workers: s.workers,
	}
	r, err := sim.Run(ctx, c, nil)
	if err != nil {
		return report.SimPoint{}, err
	}
	return report.SimPoint{
		Samples: r.Samples, Hits: r.Hits, Estimate: r.Estimate, SE: r.StdError,
		CI95: r.CI95, DesignEffect: r.DesignEffect,
	}, nil
}

// exitPaperInterrupted is the exit status after Ctrl-C (128 + SIGINT).
const exitPaperInterrupted = 130

func runPaper(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("paper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output directory (required)")
	samples := &cliutil.IntFlag{}
	fs.Var(samples, "samples", fmt.Sprintf("samples per direct Monte Carlo point, e.g. 1e7 (default %d)", report.DefaultSamples))
	isSamples := &cliutil.IntFlag{}
	fs.Var(isSamples, "is-samples", "samples per importance-sampled point (default samples/25, clamped to [1e4, 4e6])")
	seed := fs.Uint64("seed", 42, "master random seed")
	only := fs.String("only", "", "comma-separated figures and tables to build: "+strings.Join(report.IDs(), ","))
	workers := fs.Int("workers", 0, "simulation goroutines (0: one per CPU)")
	noSim := fs.Bool("no-sim", false, "theory only: skip every simulation")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic paper --out DIR [--samples N] [--seed S] [--only F1,F5,…] [--workers W] [--no-sim]")
		fmt.Fprintln(stderr, "\nRegenerates figures F1–F7 (and the added E5), tables 1B–1D and the E7 statistics of")
		fmt.Fprintln(stderr, "Ahmad & Hawkins (2016), with the published errors corrected, into DIR: SVG, PNG and CSV")
		fmt.Fprintln(stderr, "per figure, CSV per table, report.json and a self-contained index.html.")
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "dendritic paper: "+format+"\n", a...)
		fs.Usage()
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return usageErr("--out is required")
	}
	if samples.IsSet && samples.V < 1 {
		return usageErr("--samples must be at least 1")
	}
	if isSamples.IsSet && isSamples.V < 1 {
		return usageErr("--is-samples must be at least 1")
	}
	if *workers < 0 {
		return usageErr("--workers must not be negative")
	}
	ids, err := report.ParseOnly(*only)
	if err != nil {
		return usageErr("--only: %v", err)
	}

	opts := report.Options{Seed: *seed, Only: ids}
	if samples.IsSet {
		opts.Samples = int64(samples.V)
	}
	if isSamples.IsSet {
		opts.ISSamples = int64(isSamples.V)
	}
	if !*noSim && paperSimulator != nil {
		opts.Sim = paperSimulator(*workers)
	}
	if opts.Sim == nil && !*noSim {
		fmt.Fprintln(stderr, "dendritic paper: no simulator available; building theory only")
	}
	if paperIsTerminal(stderr) {
		opts.Progress = progressPrinter(stderr)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	rep, buildErr := report.Build(ctx, opts)
	interrupted := buildErr != nil && ctx.Err() != nil
	if rep == nil {
		fmt.Fprintf(stderr, "dendritic paper: %v\n", buildErr)
		return 1
	}
	files, err := rep.Write(*out)
	if err != nil {
		fmt.Fprintf(stderr, "dendritic paper: %v\n", err)
		return 1
	}
	elapsed := time.Since(start)

	fmt.Fprintf(stdout, "wrote %d files to %s (%d figures, %d tables, %d corrections)\n",
		len(files), *out, len(rep.Figures), len(rep.Tables), len(rep.Corrections))
	a := rep.Agreement
	switch {
	case opts.Sim == nil:
		fmt.Fprintln(stdout, "simulation: none (theory only)")
	default:
		fmt.Fprintf(stdout, "simulation: %d of %d points, %d agree with theory (|z| ≤ %d), %d do not",
			a.Simulated, a.Requested, a.Agree, report.ZLimit, a.Disagree)
		if a.Simulated > 0 {
			fmt.Fprintf(stdout, ", max |z| = %.2f", a.MaxAbsZ)
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "time: %.1fs\n", elapsed.Seconds())
	if interrupted {
		fmt.Fprintln(stderr, "dendritic paper: interrupted; the report holds the simulations finished so far")
		return exitPaperInterrupted
	}
	if buildErr != nil {
		fmt.Fprintf(stderr, "dendritic paper: %v\n", buildErr)
		return 1
	}
	return 0
}

// paperIsTerminal reports whether w is a character device (a terminal).
func paperIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter returns a Progress callback that rewrites one line.
func progressPrinter(w io.Writer) func(report.Progress) {
	start := time.Now()
	return func(p report.Progress) {
		if p.Label == "" {
			fmt.Fprintf(w, "\r\033[Ksimulations: %d/%d done in %.1fs\n", p.Done, p.Total, time.Since(start).Seconds())
			return
		}
		fmt.Fprintf(w, "\r\033[K[%d/%d %.0fs] %s", p.Done+1, p.Total, time.Since(start).Seconds(), p.Label)
	}
}
