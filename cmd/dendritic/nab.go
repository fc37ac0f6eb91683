package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/dendritic/dendritic/cad" // registers contextOSE
	"github.com/dendritic/dendritic/experiments/nabreport"
	"github.com/dendritic/dendritic/htmdetect"
	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/progress"
	"github.com/dendritic/dendritic/nab"
)

func init() {
	register(&cli.Command{
		Name:        "nab",
		Summary:     "Numenta Anomaly Benchmark (NAB v1.1): 'dendritic nab -h' lists its commands",
		Doc:         "The Numenta Anomaly Benchmark v1.1: run a detector over the corpus, score it, report it.",
		Subcommands: []*cli.Command{nabRunCommand, nabScoreCommand, nabReportCommand},
	})
}

// nabDataUsage is the usage of --data.
const nabDataUsage = "NAB root `DIR` with data/, labels/, config/ (default $" + dataEnv + "/nab, else ../shared/data/nab)"

// nabData resolves --data (see defaultData).
func nabData(data string) (string, error) { return defaultData(data, "nab", "NAB's data") }

var nabScoreCommand = &cli.Command{
	Name:    "score",
	Summary: "score a detector's per-row results in NAB format",
	Doc: `Scores a detector's results with the NAB v1.1 scorer under the three profiles and
prints the normalised scores (null detector 0, perfect 100) and the per-file rows.
Without --thresholds the thresholds are optimised by the sweep (--optimize, the default).`,
	Required: []string{"results"},
	Flags: func(fs *flag.FlagSet) cli.Run {
		results := fs.String("results", "", "results `DIR` holding <detector>/<category>/<detector>_<file>.csv (or a .tar.gz of one)")
		data := fs.String("data", "", nabDataUsage)
		detector := fs.String("detector", "", "detector `name` (default: the only detector directory under --results)")
		thresholds := fs.String("thresholds", "", "score at the thresholds stored in this `file` (NAB's config/thresholds.json format)")
		optimize := fs.Bool("optimize", false, "find each profile's threshold by NAB's corpus-wide sweep (the default)")
		format := cli.Format(fs, "text", "json")
		return func(ctx context.Context, env *cli.Env) error {
			if *thresholds != "" && *optimize {
				return cli.Usagef("--thresholds and --optimize are exclusive")
			}
			root, err := nabData(*data)
			if err != nil {
				return err
			}
			ev, err := nab.Evaluate(nab.EvaluateOptions{Data: root, Results: *results, Detector: *detector, Thresholds: *thresholds})
			if dc := (*nab.DetectorChoiceError)(nil); errors.As(err, &dc) {
				return cli.Usagef("%v (use --detector)", dc.Err)
			}
			if err != nil {
				return err
			}
			if *format == "json" {
				return writeJSON(env.Stdout, ev, true)
			}
			return ev.WriteText(env.Stdout)
		}
	},
}

var nabRunCommand = &cli.Command{
	Name:    "run",
	Summary: "run a detector over the corpus, writing NAB results files",
	Doc: `Runs a streaming detector over every file of the NAB corpus (files in parallel,
each deterministic) and writes one NAB results file per data file, atomically.
Files whose results exist are skipped unless --redo; Ctrl-C keeps the finished files.
Then: dendritic nab score --results DIR --detector NAME.`,
	Required: []string{"out"},
	Locks:    "out",
	Flags:    nabRunFlags,
}

func nabRunFlags(fs *flag.FlagSet) cli.Run {
	data := fs.String("data", "", nabDataUsage)
	out := fs.String("out", "", "results `DIR`: files go to DIR/<detector>/<category>/<detector>_<file>.csv")
	detector := fs.String("detector", htmdetect.NameHTM, "`detector`: "+strings.Join(nab.DetectorNames(), ", "))
	workers := cli.Workers(fs)
	cli.Deprecated(fs, "jobs", "workers")
	redo := fs.Bool("redo", false, "run every file again, even those whose results exist")
	seed := cli.Seed(fs, "seed `S` of the random detector; numenta and numenta-raw shift NuPIC's seeds by S−42")
	only := cli.List(fs, "only", "run only the files whose name contains one of these comma-separated `strings`")
	windows := fs.String("windows", "", "label `file` naming the files to run (default <data>/"+nab.DefaultWindowsFile+")")
	return func(ctx context.Context, env *cli.Env) error {
		factory, err := nab.Lookup(*detector, *seed)
		if err != nil {
			return cli.Usagef("unknown --detector %q (%s)", *detector, strings.Join(nab.DetectorNames(), ", "))
		}
		root, err := nabData(*data)
		if err != nil {
			return err
		}
		c, err := nab.LoadCorpusWindows(root, *windows) // "": the default label file
		if err == nil && len(*only) > 0 {
			if c, err = c.Select(*only); err != nil {
				return cli.Usagef("--only: %v", err)
			}
		}
		if err != nil {
			return err
		}
		opts := nab.RunOptions{Jobs: *workers, Redo: *redo} // 0: one per CPU
		bar := progress.New(env.Stderr)
		if bar != nil {
			opts.Progress = func(p nab.RunProgress) {
				bar.Update(p.RowsDone, p.RowsTotal, func() string {
					return fmt.Sprintf("files %d/%d (%d skipped)  %d/%d rows", p.FilesDone+p.FilesSkipped, p.FilesTotal, p.FilesSkipped, p.RowsDone, p.RowsTotal)
				})
			}
		}
		sum, runErr := nab.Run(ctx, c, *out, *detector, factory, opts)
		bar.Finish()
		if sum == nil {
			return runErr
		}
		return nabRunReport(env, sum, runErr, *out, *detector, root, len(*only) == 0 && *windows == "", len(c.Files))
	}
}

// nabRunReport prints what a run did and returns its error.
func nabRunReport(env *cli.Env, sum *nab.RunSummary, runErr error, out, detector, root string, whole bool, files int) error {
	for _, f := range sum.Files {
		if f.Err != nil && !errors.Is(f.Err, context.Canceled) {
			env.Notef("%v", f.Err)
		}
	}
	rate := 0.0
	if sum.CPUSeconds > 0 {
		rate = 1e6 * sum.CPUSeconds / float64(sum.Rows)
	}
	fmt.Fprintf(env.Stdout, "detector %s: %d files written, %d skipped (already done), %d failed; %d rows in %.1f s wall on %d jobs (%.1f µs/row/job)\n",
		detector, sum.Written, sum.Skipped, sum.Failed, sum.Rows, sum.Seconds, sum.Jobs, rate)
	fmt.Fprintf(env.Stdout, "results: %s\n", filepath.Join(out, detector))
	switch {
	case sum.Interrupted:
		return fmt.Errorf("%w; the %d finished files are kept (run again to resume)", cli.ErrInterrupted, sum.Written+sum.Skipped)
	case runErr != nil:
		return cli.Exit(cli.ExitFailure) // the files' errors are printed above
	case sum.Written+sum.Skipped == files && whole:
		fmt.Fprintf(env.Stdout, "score:   dendritic nab score --results %s --detector %s --data %s\n", out, detector, root)
	}
	return nil
}

var nabReportCommand = &cli.Command{
	Name:    "report",
	Summary: "an HTML page of a detector's scores and per-series plots",
	Doc: `Writes a self-contained HTML page: the detectors' NAB scores (sweep, three profiles)
beside the published scoreboard, a per-file table and per-series plots of the value,
the anomaly score, the detections and the labelled windows.`,
	Required: []string{"results", "out"},
	Locks:    "out",
	Flags:    nabReportFlags,
}

func nabReportFlags(fs *flag.FlagSet) cli.Run {
	results := fs.String("results", "", "results `DIR` holding <detector>/<category>/<detector>_<file>.csv")
	data := fs.String("data", "", nabDataUsage)
	out := fs.String("out", "", "output `DIR` for index.html and scores.json")
	detectors := cli.List(fs, "detectors", "comma-separated `detectors` to score (default: every detector directory under --results)")
	plotDet := fs.String("plot", "", "`detector` whose scores are plotted (default htm if present, else the first)")
	series := cli.List(fs, "series", "plot only the series whose name contains one of these comma-separated `strings` (default: all 58)")
	points := cli.IntIn(fs, "points", 400, 10, 100_000, "buckets per plotted series (each keeps its minimum and maximum)")
	notes := cli.Repeated(fs, "note", "a paragraph for the top of the page, such as the run time (repeatable)")
	return func(ctx context.Context, env *cli.Env) error {
		root, err := nabData(*data)
		if err != nil {
			return err
		}
		c, err := nab.LoadCorpus(root)
		if err != nil {
			return err
		}
		opts := nabreport.Options{Corpus: c, Data: root, Results: *results, Plot: *plotDet, Points: *points,
			Notes: *notes, Detectors: *detectors, Series: *series}
		if opts.Profiles, _, err = nab.DefaultProfiles(root); err != nil {
			return err
		}
		rep, err := nabreport.Build(opts)
		if err != nil {
			return err
		}
		if err := rep.Write(*out); err != nil {
			return err
		}
		for _, d := range rep.Scores {
			fmt.Fprintf(env.Stdout, "%-10s", d.Detector)
			for _, r := range d.Results {
				fmt.Fprintf(env.Stdout, "  %s %.4f", r.Profile.Name, r.Normalized)
			}
			fmt.Fprintln(env.Stdout)
		}
		st, err := os.Stat(filepath.Join(*out, "index.html"))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "wrote %s (%.1f MB, %d series plotted) and scores.json\n", filepath.Join(*out, "index.html"), float64(st.Size())/1e6, len(rep.Series))
		return nil
	}
}
