package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/progress"
	"github.com/dendritic/dendritic/sim"
	"github.com/dendritic/dendritic/theory"
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

// simKindsOf returns the kinds of simulation that take parameter p.
func simKindsOf(p theory.Param) []string {
	var kinds []string
	for _, k := range sim.Kinds() {
		if slices.Contains(sim.KindParams(k), p) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

func simulateFlags(fs *flag.FlagSet) cli.Run {
	var ps []theory.Param // the parameters of any kind
	for _, k := range sim.Kinds() {
		for _, p := range sim.KindParams(k) {
			if !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
	}
	slices.Sort(ps)
	params := paramFlags(fs, ps, func(p theory.Param) string {
		if kinds := simKindsOf(p); len(kinds) == 1 {
			return kinds[0] + ": "
		}
		return ""
	})
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
		if !slices.Contains(sim.Kinds(), kind) {
			return cli.Usagef("unknown kind %q (want fp, fn, union or neuron)", kind)
		}
		c := sim.Config{
			Kind: kind, Samples: int64(samples.V),
			Seed: *seed, Method: *method, Workers: *workers, Shard: shard.I, Shards: shard.N,
		}
		if err := c.SetArgs(params.args()); err != nil {
			return simArgUsage(err)
		}
		if err := c.Validate(); err != nil {
			return simError(err)
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
			return simError(err)
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

// simError returns the reason of a *sim.Error (its message without the
// package prefix), or err itself.
func simError(err error) error {
	var se *sim.Error
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// simArgUsage words a missing or unused parameter of a kind as a usage
// error: "fn needs --noise", "--noise applies to fn only".
func simArgUsage(err error) error {
	var ae *theory.ArgError
	p, ok := theory.Param(0), false
	if errors.As(err, &ae) {
		p, ok = theory.ParamByName(ae.Param)
	}
	switch {
	case ok && errors.Is(err, theory.ErrMissing):
		return cli.Usagef("%s needs --%s", ae.Quantity, p)
	case ok && errors.Is(err, theory.ErrUnused):
		return cli.Usagef("--%s applies to %s only", p, strings.Join(simKindsOf(p), ", "))
	}
	return simError(err)
}
