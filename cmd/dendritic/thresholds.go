package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	registerLegacy(command{
		name:    "thresholds",
		summary: "statistics of the false-match rate per threshold θ over a grid (E7)",
		run:     runThresholds,
	})
}

func runThresholds(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("thresholds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	grid := fs.String("grid", "paper", "built-in grid: paper (v1/v2, 420 configurations) or paper-2018 (210)")
	nList := fs.String("n", "", "override n values: a list 1000,2000 or a range lo:hi:step")
	spList := fs.String("sparsity", "", "override sparsities (a = round(sparsity·n)): list or lo:hi:step")
	sList := fs.String("s", "", "override segment sizes: list or lo:hi:step")
	thList := fs.String("theta", "", "override thresholds: list or lo:hi:step")
	format := fs.String("format", "csv", "output format: csv, json or text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic thresholds [--grid paper|paper-2018] [--n LIST] [--sparsity LIST] [--s LIST] [--theta LIST] [--format csv|json|text]")
		fmt.Fprintln(stderr, "\nFor each θ: mean, population stdev, min, max and median of E2 over the grid")
		fmt.Fprintln(stderr, "(the paper's optimal-NMDA-threshold statistic). LIST is 1,2,3 or lo:hi:step.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dendritic thresholds: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	g, err := theory.GridByName(*grid)
	if err != nil {
		fmt.Fprintln(stderr, "dendritic thresholds:", err)
		return exitUsage
	}
	custom := false
	for _, o := range []struct {
		name, val string
		dst       *[]int
	}{{"n", *nList, &g.N}, {"s", *sList, &g.S}, {"theta", *thList, &g.Theta}} {
		if o.val == "" {
			continue
		}
		v, err := parseIntList(o.val)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic thresholds: --%s: %v\n", o.name, err)
			return exitUsage
		}
		*o.dst, custom = v, true
	}
	if *spList != "" {
		v, err := parseFloatList(*spList)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic thresholds: --sparsity: %v\n", err)
			return exitUsage
		}
		g.Sparsity, custom = v, true
	}
	if custom {
		g.Name += " (modified)"
	}
	if *format != "csv" && *format != "json" && *format != "text" {
		fmt.Fprintf(stderr, "dendritic thresholds: unknown --format %q (csv, json or text)\n", *format)
		return exitUsage
	}
	stats, err := theory.Thresholds(g)
	if err != nil {
		fmt.Fprintln(stderr, "dendritic thresholds:", err)
		return 1
	}
	switch *format {
	case "json":
		out := struct {
			Grid  theory.Grid             `json:"grid"`
			Stats []theory.ThresholdStats `json:"thresholds"`
		}{g, stats}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "dendritic thresholds:", err)
			return 1
		}
	case "text":
		fmt.Fprintf(stdout, "grid %s: %d configurations per θ\n", g.Name, stats[0].Count)
		fmt.Fprintf(stdout, "%5s  %-10s %-10s %-10s %-10s %s\n", " θ", "mean", "stdev", "min", "max", "median")
		for _, st := range stats {
			fmt.Fprintf(stdout, "%5d  %-10s %-10s %-10s %-10s %s\n", st.Theta,
				st.Mean.Text(4), st.Stdev.Text(4), st.Min.Text(4), st.Max.Text(4), st.Median.Text(4))
		}
	default:
		w := csv.NewWriter(stdout)
		w.Write([]string{"theta", "count", "mean", "stdev", "min", "max", "median"})
		for _, st := range stats {
			w.Write([]string{strconv.Itoa(st.Theta), strconv.Itoa(st.Count),
				st.Mean.String(), st.Stdev.String(), st.Min.String(), st.Max.String(), st.Median.String()})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			fmt.Fprintln(stderr, "dendritic thresholds:", err)
			return 1
		}
	}
	return 0
}

// maxListLen bounds a list expanded from lo:hi:step.
const maxListLen = 100_000

// parseIntList parses "1,2,3" or "lo:hi:step" (hi inclusive).
func parseIntList(s string) ([]int, error) {
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]int
		for i, p := range parts {
			x, err := cliutil.ParseInt(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		lo, hi, step := v[0], v[1], v[2]
		if step <= 0 || hi < lo {
			return nil, fmt.Errorf("range %q needs lo ≤ hi and step > 0", s)
		}
		if (hi-lo)/step >= maxListLen {
			return nil, fmt.Errorf("range %q has more than %d values", s, maxListLen)
		}
		var out []int
		for x := lo; x <= hi; x += step {
			out = append(out, x)
		}
		return out, nil
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		x, err := cliutil.ParseInt(p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// parseFloatList parses "0.01,0.02" or "lo:hi:step" (hi inclusive up to a
// rounding tolerance; values are lo + i·step, not accumulated).
func parseFloatList(s string) ([]float64, error) {
	parse := func(p string) (float64, error) {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", p)
		}
		return x, nil
	}
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]float64
		for i, p := range parts {
			x, err := parse(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		lo, hi, step := v[0], v[1], v[2]
		if !(step > 0) || !(hi >= lo) || (hi-lo)/step >= maxListLen {
			return nil, fmt.Errorf("range %q needs lo ≤ hi, step > 0 and at most %d values", s, maxListLen)
		}
		var out []float64
		for i := 0; ; i++ {
			x := lo + float64(i)*step
			if x > hi+step*1e-9 {
				break
			}
			out = append(out, x)
		}
		return out, nil
	}
	var out []float64
	for _, p := range strings.Split(s, ",") {
		x, err := parse(p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
