package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	register(&cli.Command{
		Name:    "design",
		Summary: "find the fewest synapses s and a threshold θ meeting false-positive and noise targets",
		Doc: `Finds the segment sizes s and thresholds θ that meet both the false-positive (E2/E5)
and false-negative (E3) targets with the fewest synapses, and the Pareto frontier
of false positives against false negatives within that synapse budget. The noise
is a fraction of the active cells (--noise-frac; calc and simulate count cells
with --noise). Exit status 1 if no segment meets both targets.`,
		Required: []string{"n", "a", "noise-frac", "max-fp", "max-fn"},
		Flags:    designFlags,
	})
}

func designFlags(fs *flag.FlagSet) cli.Run {
	n := cli.OptInt(fs, "n", "population size `N` (cells)")
	a := cli.OptInt(fs, "a", "`A` active cells per pattern")
	noise, _ := cli.OptFloat(fs, "noise-frac", 0, 1, "`fraction` of a pattern's active cells replaced by noise, in [0,1]")
	cli.Deprecated(fs, "noise", "noise-frac")
	maxFP, _ := cli.OptFloat(fs, "max-fp", 0, 1, "largest acceptable false-positive `probability` (of the neuron if --segments > 1)")
	maxFN, _ := cli.OptFloat(fs, "max-fn", 0, 1, "largest acceptable false-negative `probability` under the noise")
	segments := cli.Int(fs, "segments", 1, 1, "`K` segments per neuron")
	maxS := cli.Int(fs, "max-s", 0, 0, "synapse budget `S` of the Pareto frontier (0: the fewest that work)")
	format := cli.Format(fs, "text", "json")
	return func(ctx context.Context, env *cli.Env) error {
		spec := theory.DesignSpec{N: n.V, A: a.V, Noise: *noise, MaxFP: *maxFP, MaxFN: *maxFN,
			Segments: *segments, MaxS: *maxS}
		d, err := theory.DesignSegmentContext(ctx, spec)
		if err != nil {
			return err
		}
		if *format == "json" {
			err = writeDesignJSON(env.Stdout, spec, d)
		} else {
			writeDesignText(env.Stdout, spec, d)
		}
		if err == nil && !d.Feasible {
			err = fmt.Errorf("no segment with s ≤ a = %d meets both targets", spec.A)
		}
		return err
	}
}

func writeDesignJSON(w io.Writer, spec theory.DesignSpec, d theory.Design) error {
	out := struct {
		Spec struct {
			N        int     `json:"n"`
			A        int     `json:"a"`
			Noise    float64 `json:"noise"`
			MaxFP    float64 `json:"max_fp"`
			MaxFN    float64 `json:"max_fn"`
			Segments int     `json:"segments"`
		} `json:"spec"`
		theory.Design
	}{Design: d}
	out.Spec.N, out.Spec.A, out.Spec.Noise = spec.N, spec.A, spec.Noise
	out.Spec.MaxFP, out.Spec.MaxFN, out.Spec.Segments = spec.MaxFP, spec.MaxFN, max(spec.Segments, 1)
	return writeJSON(w, out, true)
}

func writeDesignText(w io.Writer, spec theory.DesignSpec, d theory.Design) {
	fpName := "fp (one segment, E2)"
	if spec.Segments > 1 {
		fpName = fmt.Sprintf("fp (neuron of %d segments, E5)", spec.Segments)
	}
	fmt.Fprintf(w, "n=%d a=%d: noise replaces %d of %d active cells; targets %s ≤ %g, fn (E3) ≤ %g\n",
		spec.N, spec.A, d.V, spec.A, fpName, spec.MaxFP, spec.MaxFN)
	if d.Feasible {
		fmt.Fprintf(w, "\nfewest synapses: s = %d\n", d.MinS)
		for _, p := range d.Best {
			fmt.Fprintf(w, "  s=%-4d θ=%-4d fp=%-12s fn=%s\n", p.S, p.Theta, p.FP.Text(4), p.FN.Text(4))
		}
	} else {
		fmt.Fprintf(w, "\nno segment with s ≤ a = %d meets both targets\n", spec.A)
	}
	budget := spec.MaxS
	if budget == 0 {
		budget = d.MinS
		if !d.Feasible {
			budget = min(spec.A, 100)
		}
	}
	fmt.Fprintf(w, "\nPareto frontier of fp against fn with s ≤ %d (%d designs):\n", budget, len(d.Frontier))
	for _, p := range d.Frontier {
		mark := ""
		if p.FP.Cmp(theory.NewFloat(spec.MaxFP)) <= 0 && p.FN.Cmp(theory.NewFloat(spec.MaxFN)) <= 0 {
			mark = "  ← meets both"
		}
		fmt.Fprintf(w, "  s=%-4d θ=%-4d fp=%-12s fn=%s%s\n", p.S, p.Theta, p.FP.Text(4), p.FN.Text(4), mark)
	}
}
