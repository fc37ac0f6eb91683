package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/internal/progress"
	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
)

// paperSimulator returns the simulation engine of the paper command (nil
// would build theory only). workers is the --workers flag (0: one per
// CPU).
var paperSimulator = func(workers int) paper.Simulator { return simAdapter{workers: workers} }

// simAdapter runs the report's simulations with package sim.
type simAdapter struct{ workers int }

func (s simAdapter) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (paper.SimPoint, error) {
	c := sim.Config{Kind: kind, Samples: samples, Seed: seed, Method: method, Workers: s.workers}
	if err := c.SetArgs(p); err != nil {
		return paper.SimPoint{}, err
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

func init() {
	register(&cli.Command{
		Name:    "paper",
		Summary: "regenerate the paper's figures and tables (with corrections) into a directory",
		Doc: `Regenerates figures F1–F7 (and the added E5), tables 1B–1D and the E7 statistics of
Ahmad & Hawkins (2016), with the published errors corrected, into DIR: SVG, PNG and CSV
per figure, CSV per table, report.json and a self-contained index.html.

Every finished simulation is appended at once to DIR/` + paper.PointsFile + `, and a run reuses
the finished points found there (--fresh starts afresh, keeping the old file as a
backup). Ctrl-C (or SIGTERM) stops after writing the report of the points finished
so far (exit 130); running the same command again continues. --shard i/N simulates every
N-th point, starting at the i-th, and writes only DIR/` + paper.PointsFile + `; 'dendritic merge
--out DIR2 SHARD/` + paper.PointsFile + `…' joins the N parts into the report of the whole run, the
same bytes as an unsplit run.`,
		Required: []string{"out"},
		Locks:    "out",
		Flags:    paperFlags,
	})
}

// paperArgs are the parsed flags of paper.
type paperArgs struct {
	out            *string
	samples, isSam *cliutil.IntFlag
	seed           *uint64
	only           *string
	workers        *int
	noSim, resume  *bool
	fresh          *bool
	shard          *cli.Shard
}

func paperFlags(fs *flag.FlagSet) cli.Run {
	a := paperArgs{
		out:     fs.String("out", "", "output directory `DIR`"),
		samples: cli.OptInt(fs, "samples", fmt.Sprintf("samples per direct Monte Carlo point, e.g. 1e7 (default %d)", paper.DefaultSamples)),
		isSam:   cli.OptInt(fs, "is-samples", "samples per importance-sampled point (default samples/25, clamped to [1e4, 4e6])"),
		seed:    cli.Seed(fs, ""),
		only:    fs.String("only", "", "comma-separated figures and tables to build: "+strings.Join(paper.IDs(), ",")),
		workers: cli.Workers(fs),
		noSim:   fs.Bool("no-sim", false, "theory only: skip every simulation"),
		resume:  fs.Bool("resume", false, "reuse the finished points of DIR/"+paper.PointsFile+" (the default; kept for scripts)"),
		fresh:   fs.Bool("fresh", false, "simulate every point again; DIR/"+paper.PointsFile+" is first renamed to a backup"),
		shard: cli.ShardFlag(fs, "simulate only part `i/N` of the points (0 ≤ i < N) into DIR/"+paper.PointsFile+
			"; join the parts with 'dendritic merge'"),
	}
	return func(ctx context.Context, env *cli.Env) error { return runPaper(ctx, env, a) }
}

// paperOptions checks the flags and returns the options of the run.
func paperOptions(a paperArgs) (paper.Options, error) {
	switch {
	case a.samples.IsSet && a.samples.V < 1:
		return paper.Options{}, cli.Usagef("--samples must be at least 1")
	case a.isSam.IsSet && a.isSam.V < 1:
		return paper.Options{}, cli.Usagef("--is-samples must be at least 1")
	case *a.noSim && (*a.resume || *a.fresh || a.shard.N > 0):
		return paper.Options{}, cli.Usagef("--no-sim simulates nothing: it cannot be combined with --resume, --fresh or --shard")
	case *a.resume && *a.fresh:
		return paper.Options{}, cli.Usagef("--resume and --fresh contradict each other")
	}
	ids, err := paper.ParseOnly(*a.only)
	if err != nil {
		return paper.Options{}, cli.Usagef("--only: %v", err)
	}
	opts := paper.Options{Seed: *a.seed, Only: ids, Shard: a.shard.I, Shards: a.shard.N,
		Samples: int64(a.samples.V), ISSamples: int64(a.isSam.V)}
	if !*a.noSim && paperSimulator != nil {
		opts.Sim = paperSimulator(*a.workers)
	}
	return opts, nil
}

func runPaper(ctx context.Context, env *cli.Env, a paperArgs) error {
	opts, err := paperOptions(a)
	if err != nil {
		return err
	}
	if opts.Sim == nil && !*a.noSim {
		if *a.resume || *a.fresh || opts.Shards > 0 {
			return errors.New("no simulator available")
		}
		env.Notef("no simulator available; building theory only")
	}
	var session *paper.Session
	if opts.Sim != nil {
		start := paper.Reuse
		if *a.fresh {
			start = paper.Fresh
		}
		if session, err = paper.OpenSession(*a.out, &opts, start, func(s string) { env.Notef("%s", s) }); err != nil {
			return err
		}
		defer session.Close()
	}
	bar := progress.New(env.Stderr)
	if bar != nil {
		start := time.Now()
		opts.Progress = func(p paper.Progress) {
			if p.Label == "" {
				bar.Println(fmt.Sprintf("simulations: %d/%d done in %s", p.Done, p.Total, time.Since(start).Round(100*time.Millisecond)))
				return
			}
			bar.Update(int64(p.Done), int64(p.Total), func() string { return fmt.Sprintf("%d/%d  %s", p.Done, p.Total, p.Label) })
		}
	}
	start := time.Now()
	rep, buildErr := paper.Build(ctx, opts)
	bar.Finish()
	if rep == nil {
		return buildErr
	}
	if session != nil && session.Err() != nil {
		return session.Err() // the first I/O error, not a later one it caused
	}
	if session != nil && session.Reused() != "" {
		env.Notef("%s", session.Reused())
	}
	if err := paperWrite(env.Stdout, rep, opts, *a.out, session, buildErr == nil, start); err != nil {
		return err
	}
	if buildErr != nil && ctx.Err() != nil && session != nil {
		return fmt.Errorf("%w; the finished points are kept in %s: run the same command again to continue", cli.ErrInterrupted, session.Path)
	}
	return buildErr
}

// paperWrite writes the report of a whole run, or says how far a shard got.
func paperWrite(w io.Writer, rep *paper.Report, opts paper.Options, out string, session *paper.Session, complete bool, start time.Time) error {
	if opts.Shards <= 1 {
		files, err := rep.Write(out)
		if err != nil {
			return err
		}
		rep.WriteSummary(w, files, out, opts.Sim != nil)
		fmt.Fprintf(w, "time: %.1fs\n", time.Since(start).Seconds())
		return nil
	}
	ag := rep.Agreement
	mine := cli.Shard{I: opts.Shard, N: opts.Shards}.Count(int64(ag.Requested))
	fmt.Fprintf(w, "shard %d/%d: %d of its %d points finished (the whole run has %d), in %s\n",
		opts.Shard, opts.Shards, ag.Simulated, mine, ag.Requested, session.Path)
	fmt.Fprintf(w, "time: %.1fs\n", time.Since(start).Seconds())
	if int64(ag.Simulated) == mine && complete {
		fmt.Fprintln(w, "when every shard is done: dendritic merge --out DIR SHARD_DIR/"+paper.PointsFile+"…")
	}
	return nil
}
