package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dendritic/dendritic/internal/benchwork"
	"github.com/dendritic/dendritic/internal/cli"
)

func init() {
	register(&cli.Command{
		Name:    "bench",
		Summary: "run the canonical benchmark suite (text table or JSON)",
		Flags:   benchFlags,
		Help:    func(w io.Writer) { fmt.Fprintf(w, "Suites: all, %s\n", strings.Join(benchSuites(), ", ")) },
	})
}

// benchCases are the cases `dendritic bench` knows (the tests add fakes).
var benchCases = benchwork.All()

// benchSuites returns the suite names of the cases, sorted.
func benchSuites() []string { return benchCases.Suites() }

func benchFlags(fs *flag.FlagSet) cli.Run {
	suite := fs.String("suite", "all", "run only the cases of `suite` (all: every case except the long optional ones, such as suite nab)")
	format := cli.Format(fs, "text", "json")
	list := fs.Bool("list", false, "list the cases without running them")
	return func(ctx context.Context, env *cli.Env) error {
		if code := runBench(ctx, *suite, *format, *list, env.Stdout, env.Stderr); code != 0 {
			return cli.Exit(code)
		}
		return nil
	}
}

// runBench lists or runs the cases of suite in format (text or json).
func runBench(ctx context.Context, suite, format string, list bool, stdout, stderr io.Writer) int {
	cases := benchCases.Select(suite)
	if len(cases) == 0 {
		fmt.Fprintf(stderr, "dendritic bench: unknown suite %q (suites: all, %s)\n", suite, strings.Join(benchSuites(), ", "))
		return exitUsage
	}
	if list {
		for _, c := range cases {
			fmt.Fprintf(stdout, "%-36s %s\n", c.Name, c.Unit)
		}
		return 0
	}
	return benchRun(ctx, cases, format == "json", stdout, stderr)
}

// benchRun measures the cases and prints a table as each ends, or the JSON
// report at the end (progress on stderr, so that stdout stays valid JSON).
// It returns 1 if a case failed. Cancelling ctx (Ctrl-C) stops before the
// next case: the finished cases are still reported, and the status is 130.
// A case in progress runs to its end (each takes a few seconds at most).
func benchRun(ctx context.Context, cases benchwork.Cases, asJSON bool, stdout, stderr io.Writer) int {
	width := 0
	for _, c := range cases {
		width = max(width, len(c.Name))
	}
	status := 0
	rep := benchwork.Report{Machine: benchwork.MachineInfo()}
	for i, c := range cases {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "dendritic bench: interrupted: %d of %d cases finished\n", i, len(cases))
			status = cli.ExitInterrupted
			break
		}
		if asJSON {
			fmt.Fprintf(stderr, "running %s…\n", c.Name)
		}
		r := c.Measure()
		rep.Results = append(rep.Results, r)
		if r.Value == nil {
			status = 1
			fmt.Fprintf(stderr, "dendritic bench: %s: %s\n", c.Name, r.Error)
		}
		if !asJSON {
			fmt.Fprintln(stdout, r.TextRow(width))
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "dendritic bench: %v\n", err)
			return 1
		}
		return status
	}
	fmt.Fprintf(stdout, "\n%s\n", rep.Machine)
	return status
}
