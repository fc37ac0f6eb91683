package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/dendritic/dendritic/internal/cli"
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

func thresholdsFlags(fs *flag.FlagSet) cli.Run {
	grid := cli.Enum(fs, "grid", "built-in `grid` (paper: v1/v2, 420 configurations; paper-2018: 210)", "paper", "paper-2018")
	ns := cli.IntList(fs, "n", "override n values: a `LIST` 1000,2000 or a range lo:hi:step")
	sparsities := cli.FloatList(fs, "sparsity", "override sparsities (a = round(sparsity·n)): `LIST` or lo:hi:step")
	ss := cli.IntList(fs, "s", "override segment sizes: `LIST` or lo:hi:step")
	thetas := cli.IntList(fs, "theta", "override thresholds: `LIST` or lo:hi:step")
	format := cli.Format(fs, "csv", "json", "text")
	return func(ctx context.Context, env *cli.Env) error {
		g, err := theory.GridByName(*grid)
		if err != nil {
			return cli.Usagef("%v", err)
		}
		custom := false
		for _, o := range []struct {
			name string
			src  *[]int
			dst  *[]int
		}{{"n", ns, &g.N}, {"s", ss, &g.S}, {"theta", thetas, &g.Theta}} {
			if env.Given(o.name) {
				*o.dst, custom = *o.src, true
			}
		}
		if env.Given("sparsity") {
			g.Sparsity, custom = *sparsities, true
		}
		if custom {
			g.Name += " (modified)"
		}
		stats, err := theory.ThresholdsContext(ctx, g)
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
