package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	registerLegacy(command{
		name:    "design",
		summary: "find the fewest synapses s and a threshold θ meeting false-positive and noise targets",
		run:     runDesign,
	})
}

// probFlag is a flag.Value for a probability in (0, 1].
type probFlag struct {
	v   float64
	set bool
}

func (p *probFlag) String() string {
	if p == nil || !p.set {
		return ""
	}
	return strconv.FormatFloat(p.v, 'g', -1, 64)
}

func (p *probFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	p.v, p.set = x, true
	return nil
}

func runDesign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("design", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var n, a, segments, maxS cliutil.IntFlag
	var noise, maxFP, maxFN probFlag
	fs.Var(&n, "n", "population size (cells)")
	fs.Var(&a, "a", "active cells per pattern")
	fs.Var(&noise, "noise", "fraction of a pattern's active cells replaced by noise, in [0,1]")
	fs.Var(&maxFP, "max-fp", "largest acceptable false-positive probability (of the neuron if --segments > 1)")
	fs.Var(&maxFN, "max-fn", "largest acceptable false-negative probability under the noise")
	fs.Var(&segments, "segments", "segments per neuron (default 1)")
	fs.Var(&maxS, "max-s", "synapse budget of the Pareto frontier (default: the fewest that work)")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic design --n N --a A --noise F --max-fp P --max-fn Q [--segments K] [--max-s S] [--format text|json]")
		fmt.Fprintln(stderr, "\nFinds the segment sizes s and thresholds θ that meet both the false-positive (E2/E5)")
		fmt.Fprintln(stderr, "and false-negative (E3) targets with the fewest synapses, and the Pareto frontier")
		fmt.Fprintln(stderr, "of false positives against false negatives within that synapse budget.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dendritic design: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var missing []string
	for _, r := range []struct {
		name string
		set  bool
	}{{"--n", n.IsSet}, {"--a", a.IsSet}, {"--noise", noise.set}, {"--max-fp", maxFP.set}, {"--max-fn", maxFN.set}} {
		if !r.set {
			missing = append(missing, r.name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "dendritic design: missing %v\n", missing)
		fs.Usage()
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "dendritic design: unknown --format %q (text or json)\n", *format)
		return exitUsage
	}
	spec := theory.DesignSpec{N: n.V, A: a.V, Noise: noise.v, MaxFP: maxFP.v, MaxFN: maxFN.v,
		Segments: segments.V, MaxS: maxS.V}
	d, err := theory.DesignSegment(spec)
	if err != nil {
		fmt.Fprintln(stderr, "dendritic design:", err)
		return 1
	}
	if *format == "json" {
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
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "dendritic design:", err)
			return 1
		}
		return 0
	}
	fpName := "fp (one segment, E2)"
	if spec.Segments > 1 {
		fpName = fmt.Sprintf("fp (neuron of %d segments, E5)", spec.Segments)
	}
	fmt.Fprintf(stdout, "n=%d a=%d: noise replaces %d of %d active cells; targets %s ≤ %g, fn (E3) ≤ %g\n",
		spec.N, spec.A, d.V, spec.A, fpName, spec.MaxFP, spec.MaxFN)
	if d.Feasible {
		fmt.Fprintf(stdout, "\nfewest synapses: s = %d\n", d.MinS)
		for _, p := range d.Best {
			fmt.Fprintf(stdout, "  s=%-4d θ=%-4d fp=%-12s fn=%s\n", p.S, p.Theta, p.FP.Text(4), p.FN.Text(4))
		}
	} else {
		fmt.Fprintf(stdout, "\nno segment with s ≤ a = %d meets both targets\n", spec.A)
	}
	budget := spec.MaxS
	if budget == 0 {
		budget = d.MinS
		if !d.Feasible {
			budget = min(spec.A, 100)
		}
	}
	fmt.Fprintf(stdout, "\nPareto frontier of fp against fn with s ≤ %d (%d designs):\n", budget, len(d.Frontier))
	for _, p := range d.Frontier {
		mark := ""
		if p.FP.Cmp(theory.NewFloat(spec.MaxFP)) <= 0 && p.FN.Cmp(theory.NewFloat(spec.MaxFN)) <= 0 {
			mark = "  ← meets both"
		}
		fmt.Fprintf(stdout, "  s=%-4d θ=%-4d fp=%-12s fn=%s%s\n", p.S, p.Theta, p.FP.Text(4), p.FN.Text(4), mark)
	}
	return 0
}
