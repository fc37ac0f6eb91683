package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	registerLegacy(command{
		name:    "paper",
		summary: "regenerate the paper's figures and tables (with corrections) into a directory",
		run:     runPaper,
	})
}

// paperSimulator returns the simulation engine of the paper command (nil
// would build theory only). workers is the --workers flag (0: one per
// CPU).
var paperSimulator = func(workers int) paper.Simulator { return simAdapter{workers: workers} }

// simAdapter runs the report's simulations with package sim.
type simAdapter struct{ workers int }

func (s simAdapter) Simulate(ctx context.Context, kind string, p theory.Params, samples int64, seed uint64, method string) (paper.SimPoint, error) {
	c := sim.Config{
		Kind: kind, N: p["n"], A: p["a"], S: p["s"], Theta: p["theta"],
		Noise: p["noise"], Patterns: p["patterns"], Segments: p["segments"],
		Samples: samples, Seed: seed, Method: method, Workers: s.workers,
	}
	r, err := sim.Run(ctx, c, nil)
	if err != nil {
		return paper.SimPoint{}, err
	}
	return paper.SimPoint{
		Samples: r.Samples, Hits: r.Hits, Estimate: r.Estimate, SE: r.StdError,
		CI95: r.CI95, DesignEffect: r.DesignEffect,
	}, nil
}

// exitPaperInterrupted is the exit status after Ctrl-C (128 + SIGINT).
const exitPaperInterrupted = 130

// pointsFile is the name of the file, in the output directory, to which
// paper appends every finished simulation.
const pointsFile = "points.jsonl"

// paperContext returns the context of a run: cancelled by Ctrl-C or
// SIGTERM (what Slurm and Kubernetes send before killing a job). Tests
// replace it.
var paperContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

const paperSynopsis = "usage: dendritic paper --out DIR [--samples N] [--is-samples N] [--seed S] [--only F1,F5,…]\n" +
	"                      [--workers W] [--resume] [--shard i/N] [--no-sim]"

func runPaper(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("paper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output directory (required)")
	samples := &cliutil.IntFlag{}
	fs.Var(samples, "samples", fmt.Sprintf("samples per direct Monte Carlo point, e.g. 1e7 (default %d)", paper.DefaultSamples))
	isSamples := &cliutil.IntFlag{}
	fs.Var(isSamples, "is-samples", "samples per importance-sampled point (default samples/25, clamped to [1e4, 4e6])")
	seed := fs.Uint64("seed", 42, "master random seed")
	only := fs.String("only", "", "comma-separated figures and tables to build: "+strings.Join(paper.IDs(), ","))
	workers := fs.Int("workers", 0, "simulation goroutines (0: one per CPU)")
	noSim := fs.Bool("no-sim", false, "theory only: skip every simulation")
	resume := fs.Bool("resume", false, "reuse the finished points of DIR/"+pointsFile+" and simulate only the others")
	shard := fs.String("shard", "", "simulate only part `i/N` of the points (0 ≤ i < N) into DIR/"+pointsFile+"; join the parts with 'dendritic merge'")
	fs.Usage = func() {
		fmt.Fprintln(stderr, paperSynopsis)
		fmt.Fprintln(stderr, "\nRegenerates figures F1–F7 (and the added E5), tables 1B–1D and the E7 statistics of")
		fmt.Fprintln(stderr, "Ahmad & Hawkins (2016), with the published errors corrected, into DIR: SVG, PNG and CSV")
		fmt.Fprintln(stderr, "per figure, CSV per table, report.json and a self-contained index.html.")
		fmt.Fprintln(stderr, "\nEvery finished simulation is appended at once to DIR/"+pointsFile+". Ctrl-C (or SIGTERM)")
		fmt.Fprintln(stderr, "stops after writing the report of the points finished so far (exit 130); --resume")
		fmt.Fprintln(stderr, "continues from DIR/"+pointsFile+" (give the same options). --shard i/N simulates every")
		fmt.Fprintln(stderr, "N-th point, starting at the i-th, and writes only DIR/"+pointsFile+"; 'dendritic merge")
		fmt.Fprintln(stderr, "--out DIR2 SHARD/"+pointsFile+"…' joins the N parts into the report of the whole run, the")
		fmt.Fprintln(stderr, "same bytes as an unsplit run.")
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
	ids, err := paper.ParseOnly(*only)
	if err != nil {
		return usageErr("--only: %v", err)
	}
	opts := paper.Options{Seed: *seed, Only: ids}
	if *shard != "" {
		i, k, err := parseShard(*shard)
		if err != nil {
			return usageErr("--shard: %v", err)
		}
		opts.Shard, opts.Shards = i, k
	}
	if *noSim && (*resume || *shard != "") {
		return usageErr("--no-sim simulates nothing: it cannot be combined with --resume or --shard")
	}
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
		if *resume || *shard != "" {
			fmt.Fprintln(stderr, "dendritic paper: no simulator available")
			return 1
		}
		fmt.Fprintln(stderr, "dendritic paper: no simulator available; building theory only")
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "dendritic paper: %v\n", err)
		return 1
	}

	// The points file: every finished simulation is appended to it at
	// once, so that an interrupted run can be resumed.
	pointsPath := filepath.Join(*out, pointsFile)
	var index *paper.RecordIndex
	kept := 0
	if opts.Sim != nil {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fail(err)
		}
		var keep []paper.Record
		if !*resume {
			if prev, err := readPointsFile(pointsPath); err == nil && prev != nil && len(prev.Records) > 0 {
				fmt.Fprintf(stderr, "dendritic paper: starting afresh: the %d finished points of %s are discarded (--resume would reuse them)\n",
					len(prev.Records), pointsPath)
			}
		}
		if *resume {
			prev, err := readPointsFile(pointsPath)
			switch {
			case err != nil:
				return fail(fmt.Errorf("--resume: %v", err))
			case prev == nil:
				fmt.Fprintf(stderr, "dendritic paper: --resume: no %s yet: starting afresh\n", pointsPath)
			default:
				if prev.Truncated {
					fmt.Fprintf(stderr, "dendritic paper: --resume: dropped the incomplete last line of %s (a point cut short)\n", pointsPath)
				}
				h := paper.NewPointsHeader(opts)
				if ph := prev.Header; ph.Format != "" && ph.Describe() != h.Describe() {
					fmt.Fprintf(stderr, "dendritic paper: --resume: %s was written with %s; this run has %s: only points that match are reused\n",
						pointsPath, ph.Describe(), h.Describe())
				}
				keep = prev.Records
			}
		}
		kept = len(keep)
		index = paper.NewRecordIndex(keep)
		opts.Reuse = index.Reuse
		// Rewritten whole (atomically): the current header, every record
		// read (also those of other options, which stay available), and
		// no incomplete line for the appends to land after.
		plog, err := paper.CreatePoints(pointsPath, paper.NewPointsHeader(opts), keep)
		if err != nil {
			return fail(err)
		}
		defer plog.Close()
		opts.Finished = plog.Append
	}
	var bar *paperBar
	if paperIsTerminal(stderr) {
		bar = newPaperBar(stderr)
		opts.Progress = bar.update
	}

	ctx, stop := paperContext()
	defer stop()
	start := time.Now()
	rep, buildErr := paper.Build(ctx, opts)
	if bar != nil {
		bar.finish()
	}
	interrupted := buildErr != nil && ctx.Err() != nil
	if rep == nil {
		return fail(buildErr)
	}
	if index != nil && *resume {
		fmt.Fprintf(stderr, "dendritic paper: --resume: %d finished points reused", index.Used())
		if unused := kept - index.Used(); unused > 0 {
			fmt.Fprintf(stderr, "; %d other records of %s are not points of this run and were left as they are", unused, pointsFile)
		}
		fmt.Fprintln(stderr)
	}
	if opts.Shards > 1 {
		a := rep.Agreement
		mine := 0
		if opts.Shard < a.Requested {
			mine = (a.Requested-1-opts.Shard)/opts.Shards + 1
		}
		fmt.Fprintf(stdout, "shard %d/%d: %d of its %d points finished (the whole run has %d), in %s\n",
			opts.Shard, opts.Shards, a.Simulated, mine, a.Requested, pointsPath)
		fmt.Fprintf(stdout, "time: %.1fs\n", time.Since(start).Seconds())
		if a.Simulated == mine && buildErr == nil {
			fmt.Fprintln(stdout, "when every shard is done: dendritic merge --out DIR SHARD_DIR/"+pointsFile+"…")
		}
	} else {
		files, err := rep.Write(*out)
		if err != nil {
			return fail(err)
		}
		printPaperSummary(stdout, rep, files, *out, opts.Sim != nil)
		fmt.Fprintf(stdout, "time: %.1fs\n", time.Since(start).Seconds())
	}
	if interrupted {
		fmt.Fprintf(stderr, "dendritic paper: interrupted; the finished points are kept in %s: run again with --resume to continue\n", pointsPath)
		return exitPaperInterrupted
	}
	if buildErr != nil {
		return fail(buildErr)
	}
	return 0
}

// printPaperSummary prints what a written report holds.
func printPaperSummary(stdout io.Writer, rep *paper.Report, files []string, out string, simulated bool) {
	fmt.Fprintf(stdout, "wrote %d files to %s (%d figures, %d tables, %d corrections)\n",
		len(files), out, len(rep.Figures), len(rep.Tables), len(rep.Corrections))
	a := rep.Agreement
	if !simulated {
		fmt.Fprintln(stdout, "simulation: none (theory only)")
		return
	}
	fmt.Fprintf(stdout, "simulation: %d of %d points, %d agree with theory (|z| ≤ %d), %d do not",
		a.Simulated, a.Requested, a.Agree, paper.ZLimit, a.Disagree)
	if a.Simulated > 0 {
		fmt.Fprintf(stdout, ", max |z| = %.2f", a.MaxAbsZ)
	}
	fmt.Fprintln(stdout)
}

// readPointsFile reads a points file; nil (and no error) if there is none.
func readPointsFile(path string) (*paper.Points, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		return nil, nil
	}
	p, err := paper.ReadPoints(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p.Source = path
	return p, nil
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

// paperBar draws a one-line progress bar of the simulations: a bar, the
// points done, the time so far, an estimate of the time left (from the
// points simulated by this run, not the reused ones) and the point being
// simulated.
type paperBar struct {
	w     io.Writer
	start time.Time
	done0 int // points done at the first update (reused ones)
	began bool
	drawn bool
}

func newPaperBar(w io.Writer) *paperBar { return &paperBar{w: w, start: time.Now()} }

func (b *paperBar) update(p paper.Progress) {
	if !b.began {
		b.began, b.done0 = true, p.Done
	}
	el := time.Since(b.start)
	if p.Label == "" {
		fmt.Fprintf(b.w, "\r\033[Ksimulations: %d/%d done in %s\n", p.Done, p.Total, el.Round(100*time.Millisecond))
		b.drawn = false
		return
	}
	const width = 24
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	k := int(math.Round(frac * width))
	eta := "?"
	if n := p.Done - b.done0; n > 0 {
		eta = time.Duration(float64(el) / float64(n) * float64(p.Total-p.Done)).Round(time.Second).String()
	}
	line := fmt.Sprintf("[%s%s] %d/%d  %s  ETA %s  %s",
		strings.Repeat("#", k), strings.Repeat(".", width-k), p.Done, p.Total, el.Round(time.Second), eta, p.Label)
	// One line that does not wrap, or \r cannot redraw it.
	if r, cols := []rune(line), terminalColumns()-1; len(r) > cols {
		line = string(r[:cols-1]) + "…"
	}
	fmt.Fprintf(b.w, "\r\033[K%s", line)
	b.drawn = true
}

// terminalColumns returns the width of the terminal: $COLUMNS if set,
// else 80.
func terminalColumns() int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 40 {
		return n
	}
	return 80
}

// finish clears a bar left on the line (an interrupted run).
func (b *paperBar) finish() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}
