package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dendritic/dendritic/sim"
)

func init() {
	register(command{
		name:    "merge",
		summary: "merge the JSON outputs of 'simulate --shard i/N' into the whole run's result",
		run:     runMerge,
	})
}

const mergeSynopsis = `usage: dendritic merge [--format json|text] FILE...
`

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "json", "output `format`: json or text")
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "dendritic merge: "+format+"\n\n%s", append(args, mergeSynopsis)...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mergeSynopsis+`
Reads the JSON results of the shards of one simulation (each FILE may hold
several; - reads standard input), checks that they belong to the same run
and hold every shard exactly once, and prints the result of the whole run:
the same counts, estimate, interval and z as an unsplit run. seconds is the
sum over the shards.

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
	var parts []sim.Result
	for _, name := range fs.Args() {
		rs, err := readResults(name)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic merge: %v\n", err)
			return 1
		}
		parts = append(parts, rs...)
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

// readResults reads every JSON result in the named file (- for stdin).
func readResults(name string) ([]sim.Result, error) {
	var f io.Reader = os.Stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		f = fh
	}
	dec := json.NewDecoder(f)
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
