package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	register(&cli.Command{
		Name:    "thresholds",
		Summary: "statistics of the false-match rate per threshold θ over a grid (E7)",
		Doc: `For each θ: mean, population stdev, min, max and median of E2 over the grid
(the paper's optimal-NMDA-threshold statistic). LIST is 1,2,3 or lo:hi:step.`,
		Flags: thresholdsFlags,
	})
}

// intList is a flag holding a LIST of integers (parseIntList).
type intList struct{ v *[]int }

func (l intList) String() string { return "" }
func (l intList) Set(s string) (err error) {
	*l.v, err = parseIntList(s)
	return err
}

// floatList is a flag holding a LIST of numbers (parseFloatList).
type floatList struct{ v *[]float64 }

func (l floatList) String() string { return "" }
func (l floatList) Set(s string) (err error) {
	*l.v, err = parseFloatList(s)
	return err
}

func thresholdsFlags(fs *flag.FlagSet) cli.Run {
	grid := cli.Enum(fs, "grid", "built-in `grid`: paper (v1/v2, 420 configurations) or paper-2018 (210)", "paper", "paper-2018")
	var ns, ss, thetas []int
	var sparsities []float64
	fs.Var(intList{&ns}, "n", "override n values: a `LIST` 1000,2000 or a range lo:hi:step")
	fs.Var(floatList{&sparsities}, "sparsity", "override sparsities (a = round(sparsity·n)): `LIST` or lo:hi:step")
	fs.Var(intList{&ss}, "s", "override segment sizes: `LIST` or lo:hi:step")
	fs.Var(intList{&thetas}, "theta", "override thresholds: `LIST` or lo:hi:step")
	format := cli.Format(fs, "csv", "json", "text")
	return func(ctx context.Context, env *cli.Env) error {
		g, err := theory.GridByName(*grid)
		if err != nil {
			return cli.Usagef("%v", err)
		}
		custom := false
		for _, o := range []struct {
			name string
			src  []int
			dst  *[]int
		}{{"n", ns, &g.N}, {"s", ss, &g.S}, {"theta", thetas, &g.Theta}} {
			if env.Given(o.name) {
				*o.dst, custom = o.src, true
			}
		}
		if env.Given("sparsity") {
			g.Sparsity, custom = sparsities, true
		}
		if custom {
			g.Name += " (modified)"
		}
		stats, err := theory.Thresholds(g)
		if err != nil {
			return err
		}
		return writeThresholds(env.Stdout, *format, g, stats)
	}
}

// writeThresholds writes the statistics in the format.
func writeThresholds(w io.Writer, format string, g theory.Grid, stats []theory.ThresholdStats) error {
	switch format {
	case "json":
		return writeJSON(w, struct {
			Grid  theory.Grid             `json:"grid"`
			Stats []theory.ThresholdStats `json:"thresholds"`
		}{g, stats}, true)
	case "text":
		fmt.Fprintf(w, "grid %s: %d configurations per θ\n", g.Name, stats[0].Count)
		fmt.Fprintf(w, "%5s  %-10s %-10s %-10s %-10s %s\n", " θ", "mean", "stdev", "min", "max", "median")
		for _, st := range stats {
			fmt.Fprintf(w, "%5d  %-10s %-10s %-10s %-10s %s\n", st.Theta,
				st.Mean.Text(4), st.Stdev.Text(4), st.Min.Text(4), st.Max.Text(4), st.Median.Text(4))
		}
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"theta", "count", "mean", "stdev", "min", "max", "median"})
	for _, st := range stats {
		cw.Write([]string{strconv.Itoa(st.Theta), strconv.Itoa(st.Count),
			st.Mean.String(), st.Stdev.String(), st.Min.String(), st.Max.String(), st.Median.String()})
	}
	cw.Flush()
	return cw.Error()
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
