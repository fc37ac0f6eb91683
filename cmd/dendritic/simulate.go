package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/progress"
	"github.com/dendritic/dendritic/sim"
)

func init() {
	register(&cli.Command{
		Name:    "simulate",
		Summary: "Monte Carlo of the real model (fp, fn, union, neuron) against the theory",
		Args:    "fp|fn|union|neuron",
		Doc: `Simulates real patterns and real segments and compares the frequency of the
event with the theory: fp (E2, overlap ≥ θ with a random pattern), fn (E3,
overlap < θ after noise replaced v active cells), union (E4, a segment holding
M patterns; theory = exact union-size mixture, paper's plug-in shown too),
neuron (E5, any of m segments fires). Integers may be written as 1e8.
--method importance (fp, fn) verifies probabilities far below 1/samples.
The same seed gives the same result for any --workers; --shard i/N runs one
part of the run, and 'dendritic merge' joins the parts' JSON into the result
of the whole run. Ctrl-C stops and prints the partial result (exit 130).`,
		Required: []string{"n", "a", "s", "theta", "samples"},
		Flags:    simulateFlags,
	})
}

// simulateOnly names the flags that belong to one kind.
var simulateOnly = map[string]string{"noise": sim.KindFN, "patterns": sim.KindUnion, "segments": sim.KindNeuron}

func simulateFlags(fs *flag.FlagSet) cli.Run {
	n := cli.OptInt(fs, "n", "population size `N` (cells)")
	a := cli.OptInt(fs, "a", "`A` active cells in a pattern")
	s := cli.OptInt(fs, "s", "`S` synapses on a segment (per stored pattern for union)")
	theta := cli.OptInt(fs, "theta", "threshold `T`: a segment fires iff overlap ≥ T")
	noise := cli.OptInt(fs, "noise", "fn: `V` active cells replaced by noise (a count of cells)")
	patterns := cli.OptInt(fs, "patterns", "union: `M` patterns stored on the segment")
	segments := cli.OptInt(fs, "segments", "neuron: `K` segments per neuron")
	samples := cli.OptInt(fs, "samples", "number of samples `N` (e.g. 1e8)")
	workers := cli.Workers(fs)
	seed := cli.Seed(fs, "")
	method := cli.Enum(fs, "method", "sampling `method` (importance for fp and fn only)", sim.MethodDirect, sim.MethodImportance)
	shard := cli.ShardFlag(fs, "run only part `i/N` of the tasks (0 ≤ i < N)")
	format := cli.Format(fs, "text", "json")
	return func(ctx context.Context, env *cli.Env) error {
		if len(env.Args) != 1 {
			return cli.Usagef("want one kind (fp, fn, union or neuron), got %d", len(env.Args))
		}
		kind := env.Args[0]
		switch kind {
		case sim.KindFP, sim.KindFN, sim.KindUnion, sim.KindNeuron:
		default:
			return cli.Usagef("unknown kind %q (want fp, fn, union or neuron)", kind)
		}
		for name, only := range simulateOnly {
			if env.Given(name) != (kind == only) {
				if kind == only {
					return cli.Usagef("%s needs --%s", kind, name)
				}
				return cli.Usagef("--%s applies to %s only", name, only)
			}
		}
		c := sim.Config{
			Kind: kind, N: n.V, A: a.V, S: s.V, Theta: theta.V, Noise: noise.V,
			Patterns: patterns.V, Segments: segments.V, Samples: int64(samples.V),
			Seed: *seed, Method: *method, Workers: *workers, Shard: shard.I, Shards: shard.N,
		}
		if err := c.Validate(); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "sim: "))
		}
		bar := progress.New(env.Stderr)
		var update func(done, total int64)
		if bar != nil {
			update = func(done, total int64) {
				bar.Update(done, total, func() string {
					return fmt.Sprintf("%.3g/%.3g samples", float64(done), float64(total))
				})
			}
		}
		r, err := sim.Run(ctx, c, update)
		bar.Finish()
		if err != nil && !r.Partial {
			return errors.New(strings.TrimPrefix(err.Error(), "sim: "))
		}
		if werr := writeSimResult(env.Stdout, r, *format); werr != nil {
			return werr
		}
		if err != nil {
			return fmt.Errorf("%w: partial result of %d of %d tasks", cli.ErrInterrupted, r.Stats.Tasks, r.ShardTasks())
		}
		return nil
	}
}

// writeSimResult prints r as indented JSON or as a text table.
func writeSimResult(w io.Writer, r sim.Result, format string) error {
	if format == "json" {
		return writeJSON(w, r, true)
	}
	return r.WriteText(w)
}
