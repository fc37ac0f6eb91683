package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/sim"
)

func init() {
	register(&cli.Command{
		Name:    "merge",
		Summary: "merge the shards of 'simulate --shard i/N' (JSON) or of 'paper --shard i/N' (points.jsonl)",
		Args:    "FILE...",
		Doc: `Shards of 'dendritic simulate --shard i/N --format json': reads the JSON
results (each FILE may hold several; - reads standard input), checks that
they belong to the same run and hold every shard exactly once, and prints
the result of the whole run: the same counts, estimate, interval and z as an
unsplit run. seconds is the sum over the shards.

Shards of 'dendritic paper --shard i/N' (their DIR/` + paper.PointsFile + ` files, detected by
their header; give --out DIR): checks that the shards were run with the same
options and that each shard 0..N-1 is given once and every point of the run
is present, then writes DIR/` + paper.PointsFile + ` and the whole report into DIR, the same
bytes as an unsplit 'paper' run ('paper --out DIR --resume' with the same
options rebuilds it without simulating). A point recorded twice with the same
result (a shard run again: simulations are deterministic) is accepted; two
different results for one point are an error.`,
		Flags: mergeFlags,
		Locks: "out",
	})
}

func mergeFlags(fs *flag.FlagSet) cli.Run {
	format := cli.Format(fs, "json", "text")
	out := fs.String("out", "", "paper shards: write the merged "+paper.PointsFile+" and the whole report into `DIR`")
	return func(ctx context.Context, env *cli.Env) error {
		if len(env.Args) == 0 {
			return cli.Usagef("no files given")
		}
		parts, points, err := mergeRead(env)
		if err != nil {
			return err
		}
		switch {
		case len(points) > 0 && len(parts) > 0:
			return cli.Usagef("cannot merge simulate results and paper points files together")
		case len(points) > 0 && *out == "":
			return cli.Usagef("paper points files need --out DIR")
		case len(points) > 0:
			return mergePoints(ctx, env, points, *out)
		case *out != "":
			return cli.Usagef("--out is for the points files of 'paper --shard'; simulate results are printed")
		}
		r, err := sim.Merge(parts...)
		if err != nil {
			return simError(err)
		}
		return writeSimResult(env.Stdout, r, *format)
	}
}

// mergeRead reads the files: simulate results or paper points files.
func mergeRead(env *cli.Env) ([]sim.Result, []*paper.Points, error) {
	var (
		parts  []sim.Result
		points []*paper.Points
	)
	for _, name := range env.Args {
		data, err := readInput(name)
		if err != nil {
			return nil, nil, err
		}
		p, err := paper.ReadPoints(bytes.NewReader(data))
		switch {
		case err == nil:
			p.Source = name
			points = append(points, p)
			if p.Truncated {
				env.Notef("%s: ignored an incomplete last line (a point cut short)", name)
			}
			continue
		case !errors.Is(err, paper.ErrNotPoints):
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		rs, err := sim.ReadResults(bytes.NewReader(data), name)
		if err != nil {
			return nil, nil, err
		}
		parts = append(parts, rs...)
	}
	return parts, points, nil
}

// mergePoints merges the points files of the shards of a paper run and
// writes the merged points file and the report into out.
func mergePoints(ctx context.Context, env *cli.Env, parts []*paper.Points, out string) error {
	merged, info, err := paper.MergePoints(parts...)
	if err != nil {
		return err
	}
	if info.Duplicates > 0 {
		env.Notef("points recorded more than once, with identical results: %d", info.Duplicates)
	}
	if info.Ignored > 0 {
		env.Notef("ignored %d records that are not points of this run (made with other options)", info.Ignored)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	plog, err := paper.CreatePoints(filepath.Join(out, paper.PointsFile), merged.Header, merged.Records)
	if err != nil {
		return err
	}
	if err := plog.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "merged %d shards: %d points (%s) into %s\n",
		info.Shards, info.Points, merged.Header.Describe(), filepath.Join(out, paper.PointsFile))
	rep, err := paper.Build(ctx, paper.FromPoints(merged))
	if err != nil {
		return err
	}
	files, err := rep.Write(out)
	if err != nil {
		return err
	}
	rep.WriteSummary(env.Stdout, files, out, true)
	return nil
}

// readInput returns the content of the named file (- for stdin).
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}
