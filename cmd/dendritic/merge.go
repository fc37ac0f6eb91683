package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/sim"
)

func init() {
	registerLegacy(command{
		name:    "merge",
		summary: "merge the shards of 'simulate --shard i/N' (JSON) or of 'paper --shard i/N' (points.jsonl)",
		run:     runMerge,
	})
}

const mergeSynopsis = `usage: dendritic merge [--format json|text] FILE...          (shards of 'simulate')
       dendritic merge --out DIR POINTS_FILE...               (shards of 'paper')
`

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "json", "output `format` of merged simulate shards: json or text")
	out := fs.String("out", "", "paper shards: write the merged "+pointsFile+" and the whole report into `DIR`")
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "dendritic merge: "+format+"\n\n%s", append(args, mergeSynopsis)...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mergeSynopsis+`
Shards of 'dendritic simulate --shard i/N --format json': reads the JSON
results (each FILE may hold several; - reads standard input), checks that
they belong to the same run and hold every shard exactly once, and prints
the result of the whole run: the same counts, estimate, interval and z as an
unsplit run. seconds is the sum over the shards.

Shards of 'dendritic paper --shard i/N' (their DIR/`+pointsFile+` files, detected by
their header): checks that the shards were run with the same options and
that each shard 0..N-1 is given once and every point of the run is present,
then writes DIR/`+pointsFile+` and the whole report into DIR, the same bytes as an
unsplit 'paper' run ('paper --out DIR --resume' with the same options
rebuilds it without simulating). A point recorded twice with the same result
(a shard run again: simulations are deterministic) is accepted; two
different results for one point are an error.

Flags:
`)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usageErr("%v", err)
	}
	switch *format {
	case "json", "text":
	default:
		return usageErr("unknown --format %q (want json or text)", *format)
	}
	if fs.NArg() == 0 {
		return usageErr("no files given")
	}
	var (
		parts  []sim.Result
		points []*paper.Points
	)
	for _, name := range fs.Args() {
		data, err := readInput(name)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic merge: %v\n", err)
			return 1
		}
		p, err := paper.ReadPoints(bytes.NewReader(data))
		switch {
		case err == nil:
			p.Source = name
			points = append(points, p)
			if p.Truncated {
				fmt.Fprintf(stderr, "dendritic merge: %s: ignored an incomplete last line (a point cut short)\n", name)
			}
			continue
		case !errors.Is(err, paper.ErrNotPoints):
			fmt.Fprintf(stderr, "dendritic merge: %s: %v\n", name, err)
			return 1
		}
		rs, err := readResults(name, data)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic merge: %v\n", err)
			return 1
		}
		parts = append(parts, rs...)
	}
	if len(points) > 0 && len(parts) > 0 {
		return usageErr("cannot merge simulate results and paper points files together")
	}
	if len(points) > 0 {
		if *out == "" {
			return usageErr("paper points files need --out DIR")
		}
		return mergePoints(points, *out, stdout, stderr)
	}
	if *out != "" {
		return usageErr("--out is for the points files of 'paper --shard'; simulate results are printed")
	}
	r, err := sim.Merge(parts...)
	if err != nil {
		fmt.Fprintf(stderr, "dendritic merge: %s\n", strings.TrimPrefix(err.Error(), "sim: merge: "))
		return 1
	}
	if err := writeSimResult(stdout, r, *format); err != nil {
		fmt.Fprintf(stderr, "dendritic merge: %v\n", err)
		return 1
	}
	return 0
}

// mergePoints merges the points files of the shards of a paper run and
// writes the merged points file and the report into out.
func mergePoints(parts []*paper.Points, out string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "dendritic merge: %v\n", err)
		return 1
	}
	merged, info, err := paper.MergePoints(parts...)
	if err != nil {
		return fail(err)
	}
	if info.Duplicates > 0 {
		fmt.Fprintf(stderr, "dendritic merge: points recorded more than once, with identical results: %d\n", info.Duplicates)
	}
	if info.Ignored > 0 {
		fmt.Fprintf(stderr, "dendritic merge: ignored %d records that are not points of this run (made with other options)\n", info.Ignored)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fail(err)
	}
	plog, err := paper.CreatePoints(filepath.Join(out, pointsFile), merged.Header, merged.Records)
	if err != nil {
		return fail(err)
	}
	if err := plog.Close(); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "merged %d shards: %d points (%s) into %s\n",
		info.Shards, info.Points, merged.Header.Describe(), filepath.Join(out, pointsFile))
	rep, err := paper.Build(context.Background(), paper.FromPoints(merged))
	if err != nil {
		return fail(err)
	}
	files, err := rep.Write(out)
	if err != nil {
		return fail(err)
	}
	printPaperSummary(stdout, rep, files, out, true)
	return 0
}

// readInput returns the content of the named file (- for stdin).
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

// readResults reads every JSON simulation result in data, read from the
// named file.
func readResults(name string, data []byte) ([]sim.Result, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var out []sim.Result
	for {
		var r sim.Result
		err := dec.Decode(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: result %d: %v", name, len(out)+1, err)
		}
		if r.Quantity == "" || r.Params == nil {
			return nil, fmt.Errorf("%s: result %d is not a simulation result", name, len(out)+1)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no results", name)
	}
	return out, nil
}
