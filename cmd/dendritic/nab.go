package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/dendritic/dendritic/experiments/nabreport"
	"github.com/dendritic/dendritic/htmdetect"
	"github.com/dendritic/dendritic/nab"
)

func init() {
	registerLegacy(command{
		name:    "nab",
		summary: "Numenta Anomaly Benchmark (NAB v1.1): 'dendritic nab -h' lists its subcommands",
		run:     runNAB,
	})
}

// nabSubcommand is one subcommand of "dendritic nab". To add one, append an
// entry to nabSubcommands (from its own file's init if preferred).
type nabSubcommand struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var nabSubcommands = []nabSubcommand{
	{"run", "run a detector over the corpus, writing NAB results files", runNABRun},
	{"score", "score a detector's per-row results in NAB format", runNABScore},
	{"report", "an HTML page of a detector's scores and per-series plots", runNABReport},
}

func runNAB(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		nabUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	for _, sc := range nabSubcommands {
		if sc.name == args[0] {
			return sc.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "dendritic nab: unknown subcommand %q\n\n", args[0])
	nabUsage(stderr)
	return exitUsage
}

func nabUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dendritic nab SUBCOMMAND [flags]")
	fmt.Fprintln(w, "\nSubcommands:")
	for _, sc := range nabSubcommands {
		fmt.Fprintf(w, "  %-10s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintln(w, "\nRun 'dendritic nab SUBCOMMAND -h' for its flags.")
}

// defaultNABRoot is where the project keeps its read-only copy of NAB.
const defaultNABRoot = "../shared/data/nab"

// nabDataFlag resolves --data: the given directory, else defaultNABRoot if it
// exists.
func nabDataFlag(data string) (string, error) {
	if data != "" {
		return data, nil
	}
	if st, err := os.Stat(defaultNABRoot); err == nil && st.IsDir() {
		return defaultNABRoot, nil
	}
	return "", fmt.Errorf("--data is required (the default %s was not found)", defaultNABRoot)
}

func runNABScore(args []string, stdout, stderr io.Writer) int {
	const name = "dendritic nab score"
	fs := flag.NewFlagSet("nab score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	results := fs.String("results", "", "results directory holding <detector>/<category>/<detector>_<file>.csv (or a .tar.gz of one)")
	data := fs.String("data", "", "NAB root with data/, labels/, config/ (default "+defaultNABRoot+" if it exists)")
	detector := fs.String("detector", "", "detector name (default: the only detector directory under --results)")
	thresholds := fs.String("thresholds", "", "score at the thresholds stored in this file (NAB's config/thresholds.json format)")
	optimize := fs.Bool("optimize", false, "find each profile's threshold by NAB's corpus-wide sweep (the default)")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic nab score --results DIR [--data DIR] [--detector NAME] [--thresholds FILE | --optimize] [--format text|json]")
		fmt.Fprintln(stderr, "\nScores a detector's results with the NAB v1.1 scorer under the three profiles and")
		fmt.Fprintln(stderr, "prints the normalised scores (null detector 0, perfect 100) and the per-file rows.")
		fmt.Fprintln(stderr, "Without --thresholds the thresholds are optimised by the sweep.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr, name); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(stderr, name, format, a...) }
	if *results == "" {
		return usageErr("--results is required")
	}
	if *thresholds != "" && *optimize {
		return usageErr("--thresholds and --optimize are exclusive")
	}
	if *format != "text" && *format != "json" {
		return usageErr("unknown --format %q (text or json)", *format)
	}
	root, err := nabDataFlag(*data)
	if err != nil {
		return usageErr("%v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}

	resultsDir := *results
	if strings.HasSuffix(resultsDir, ".tar.gz") || strings.HasSuffix(resultsDir, ".tgz") {
		tmp, err := os.MkdirTemp("", "dendritic-nab-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(tmp)
		if err := nab.ExtractTarGz(resultsDir, tmp); err != nil {
			return fail(err)
		}
		resultsDir = tmp
	}
	det := *detector
	if det == "" {
		if det, err = nab.FindDetector(resultsDir); err != nil {
			return usageErr("%v (use --detector)", err)
		}
	}

	profiles := nab.Profiles
	profilesSource := "built-in"
	pf := filepath.Join(root, "config", "profiles.json")
	if _, err := os.Stat(pf); err == nil {
		if profiles, err = nab.LoadProfiles(pf); err != nil {
			return fail(err)
		}
		profilesSource = pf
	}
	var th map[string]float64
	if *thresholds != "" {
		all, err := nab.LoadThresholds(*thresholds)
		if err != nil {
			return fail(err)
		}
		if th = all[det]; th == nil {
			return fail(fmt.Errorf("%s has no thresholds for detector %q", *thresholds, det))
		}
		for _, p := range profiles {
			if _, ok := th[p.Name]; !ok {
				return fail(fmt.Errorf("%s has no %s threshold for detector %q", *thresholds, p.Name, det))
			}
		}
	}

	c, err := nab.LoadCorpus(root)
	if err != nil {
		return fail(err)
	}
	if c.NumWindows() == 0 {
		return fail(fmt.Errorf("the corpus in %s has no anomaly windows, so scores cannot be normalised", root))
	}
	scores, err := nab.LoadResults(resultsDir, det, c)
	if err != nil {
		return fail(err)
	}
	sc, err := nab.NewScorer(c, scores)
	if err != nil {
		return fail(err)
	}
	var res []*nab.Result
	for _, p := range profiles {
		var r *nab.Result
		if th != nil {
			r, err = sc.Score(p, th[p.Name])
		} else {
			r, err = sc.Sweep(p)
		}
		if err != nil {
			return fail(err)
		}
		res = append(res, r)
	}
	method := "sweep"
	if th != nil {
		method = "thresholds"
	}

	if *format == "json" {
		err = writeNABScoreJSON(stdout, det, root, method, *thresholds, c, res)
	} else {
		err = writeNABScoreText(stdout, det, root, method, *thresholds, profilesSource, c, res)
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

type nabProfileJSON struct {
	Score     float64 `json:"score"`
	Threshold float64 `json:"threshold"`
	Raw       float64 `json:"raw"`
	Null      float64 `json:"null"`
	Perfect   float64 `json:"perfect"`
	TP        int     `json:"tp"`
	TN        int     `json:"tn"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
}

type nabFileProfileJSON struct {
	Score float64 `json:"score"`
	TP    int     `json:"tp"`
	TN    int     `json:"tn"`
	FP    int     `json:"fp"`
	FN    int     `json:"fn"`
}

type nabFileJSON struct {
	File      string                        `json:"file"`
	Rows      int                           `json:"rows"`
	Probation int                           `json:"probation"`
	Windows   int                           `json:"windows"`
	Profiles  map[string]nabFileProfileJSON `json:"profiles"`
}

func writeNABScoreJSON(w io.Writer, det, root, method, thresholds string, c *nab.Corpus, res []*nab.Result) error {
	out := struct {
		Detector   string                    `json:"detector"`
		Data       string                    `json:"data"`
		Method     string                    `json:"method"`
		Thresholds string                    `json:"thresholds_file,omitempty"`
		Profiles   map[string]nabProfileJSON `json:"profiles"`
		Files      []nabFileJSON             `json:"files"`
	}{Detector: det, Data: root, Method: method, Thresholds: thresholds, Profiles: map[string]nabProfileJSON{}}
	for _, r := range res {
		out.Profiles[r.Profile.Name] = nabProfileJSON{r.Normalized, r.Threshold, r.Raw, r.Null, r.Perfect, r.TP, r.TN, r.FP, r.FN}
	}
	for i, f := range c.Files {
		fj := nabFileJSON{File: f.Name, Rows: f.Len(), Probation: f.Probation(), Windows: len(f.Windows),
			Profiles: map[string]nabFileProfileJSON{}}
		for _, r := range res {
			s := r.Files[i]
			fj.Profiles[r.Profile.Name] = nabFileProfileJSON{s.Score, s.TP, s.TN, s.FP, s.FN}
		}
		out.Files = append(out.Files, fj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeNABScoreText(w io.Writer, det, root, method, thresholds, profilesSource string, c *nab.Corpus, res []*nab.Result) error {
	ew := &nabOut{w: w}
	ew.printf("NAB v1.1 score of detector %q\n", det)
	ew.printf("corpus:     %s (%d files, %d rows, %d windows)\n", root, len(c.Files), c.NumRows(), c.NumWindows())
	ew.printf("profiles:   %s\n", profilesSource)
	if method == "thresholds" {
		ew.printf("thresholds: from %s\n", thresholds)
	} else {
		ew.printf("thresholds: swept (every distinct score and 1.1; best corpus score, ties → highest θ)\n")
	}
	ew.printf("\n%-20s %9s %-20s %12s %7s %8s %6s %7s\n", "profile", "score", "threshold", "raw", "TP", "TN", "FP", "FN")
	for _, r := range res {
		ew.printf("%-20s %9.4f %-20.16g %12.6f %7d %8d %6d %7d\n",
			r.Profile.Name, r.Normalized, r.Threshold, r.Raw, r.TP, r.TN, r.FP, r.FN)
	}
	ew.printf("\nscore = 100·(raw − null)/(perfect − null); null = −fnWeight·windows, perfect = tpWeight·windows.\n")
	ew.printf("TP/TN/FP/FN count rows after each file's probationary period.\n")
	for _, r := range res {
		ew.printf("\n%s (θ = %.16g)\n", r.Profile.Name, r.Threshold)
		ew.printf("%-56s %12s %5s %6s %5s %6s\n", "file", "score", "TP", "TN", "FP", "FN")
		for _, s := range r.Files {
			ew.printf("%-56s %12.6f %5d %6d %5d %6d\n", s.File, s.Score, s.TP, s.TN, s.FP, s.FN)
		}
	}
	return ew.err
}

// nabOut keeps the first write error.
type nabOut struct {
	w   io.Writer
	err error
}

func (e *nabOut) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

// nabContext returns the context of "nab run": cancelled by Ctrl-C or
// SIGTERM. Tests replace it.
var nabContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runNABRun(args []string, stdout, stderr io.Writer) int {
	const name = "dendritic nab run"
	fs := flag.NewFlagSet("nab run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "NAB root with data/ and labels/ (default "+defaultNABRoot+" if it exists)")
	out := fs.String("out", "", "results directory: files go to <out>/<detector>/<category>/<detector>_<file>.csv")
	detector := fs.String("detector", htmdetect.NameHTM, "detector: "+strings.Join(nab.DetectorNames(), ", "))
	jobs := fs.Int("jobs", runtime.NumCPU(), "files run in parallel")
	redo := fs.Bool("redo", false, "run every file again, even those whose results exist")
	seed := fs.Uint64("seed", 1, "seed of the random detector")
	only := fs.String("only", "", "run only the files whose name contains one of these comma-separated strings")
	windows := fs.String("windows", "", "label file naming the files to run (default <data>/"+nab.DefaultWindowsFile+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic nab run --out DIR [--data DIR] [--detector htm|htm-raw|null|random] [--jobs N] [--redo] [--only S,...]")
		fmt.Fprintln(stderr, "\nRuns a streaming detector over every file of the NAB corpus (files in parallel,")
		fmt.Fprintln(stderr, "each deterministic) and writes one NAB results file per data file, atomically.")
		fmt.Fprintln(stderr, "Files whose results exist are skipped unless --redo; Ctrl-C keeps the finished files.")
		fmt.Fprintln(stderr, "Then: dendritic nab score --results DIR --detector NAME.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr, name); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(stderr, name, format, a...) }
	if *out == "" {
		return usageErr("--out is required")
	}
	if *jobs < 1 {
		return usageErr("--jobs must be at least 1")
	}
	factory, err := nab.Lookup(*detector, *seed)
	if err != nil {
		return usageErr("unknown --detector %q (%s)", *detector, strings.Join(nab.DetectorNames(), ", "))
	}
	root, err := nabDataFlag(*data)
	if err != nil {
		return usageErr("%v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	var c *nab.Corpus
	if *windows != "" {
		c, err = nab.LoadCorpusWindows(root, *windows)
	} else {
		c, err = nab.LoadCorpus(root)
	}
	if err != nil {
		return fail(err)
	}
	if *only != "" {
		var keep []*nab.File
		for _, f := range c.Files {
			for _, s := range strings.Split(*only, ",") {
				if s != "" && strings.Contains(f.Name, s) {
					keep = append(keep, f)
					break
				}
			}
		}
		if len(keep) == 0 {
			return usageErr("--only %q matches no file of the corpus", *only)
		}
		if c, err = nab.NewCorpus(keep); err != nil {
			return fail(err)
		}
	}

	opts := nab.RunOptions{Jobs: *jobs, Redo: *redo}
	var bar *nabBar
	if isTerminal(stderr) {
		bar = &nabBar{w: stderr, start: time.Now()}
		opts.Progress = bar.update
	}
	ctx, stop := nabContext()
	defer stop()
	sum, runErr := nab.Run(ctx, c, *out, *detector, factory, opts)
	if bar != nil {
		bar.finish()
	}
	if sum == nil {
		return fail(runErr)
	}
	for _, f := range sum.Files {
		if f.Err != nil && !errors.Is(f.Err, context.Canceled) {
			fmt.Fprintf(stderr, "%s: %v\n", name, f.Err)
		}
	}
	rate := 0.0
	if sum.CPUSeconds > 0 {
		rate = 1e6 * sum.CPUSeconds / float64(sum.Rows)
	}
	fmt.Fprintf(stdout, "detector %s: %d files written, %d skipped (already done), %d failed; %d rows in %.1f s wall on %d jobs (%.1f µs/row/job)\n",
		*detector, sum.Written, sum.Skipped, sum.Failed, sum.Rows, sum.Seconds, sum.Jobs, rate)
	fmt.Fprintf(stdout, "results: %s\n", filepath.Join(*out, *detector))
	if sum.Interrupted {
		fmt.Fprintf(stderr, "%s: interrupted; the %d finished files are kept (run again to resume)\n", name, sum.Written+sum.Skipped)
		return exitInterrupted
	}
	if runErr != nil {
		return 1
	}
	if sum.Written+sum.Skipped == len(c.Files) && *only == "" && *windows == "" {
		fmt.Fprintf(stdout, "score:   dendritic nab score --results %s --detector %s --data %s\n", *out, *detector, root)
	}
	return 0
}

// nabBar is the progress line of "nab run" on a terminal, redrawn at most
// five times a second.
type nabBar struct {
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func (b *nabBar) update(p nab.RunProgress) {
	now := time.Now()
	if now.Sub(b.last) < 200*time.Millisecond && p.RowsDone < p.RowsTotal {
		return
	}
	b.last = now
	frac := 1.0
	if p.RowsTotal > 0 {
		frac = float64(p.RowsDone) / float64(p.RowsTotal)
	}
	const width = 30
	k := int(math.Round(frac * width))
	el := now.Sub(b.start).Seconds()
	eta := "?"
	if frac > 0 {
		eta = time.Duration(el * (1/frac - 1) * 1e9).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r[%s%s] %5.1f%%  files %d/%d (%d skipped)  %d/%d rows  ETA %s  ",
		strings.Repeat("#", k), strings.Repeat(" ", width-k), 100*frac,
		p.FilesDone+p.FilesSkipped, p.FilesTotal, p.FilesSkipped, p.RowsDone, p.RowsTotal, eta)
	b.drawn = true
}

func (b *nabBar) finish() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

// nabNotes collects the repeated --note flags of "nab report".
type nabNotes []string

func (n *nabNotes) String() string     { return strings.Join(*n, " | ") }
func (n *nabNotes) Set(s string) error { *n = append(*n, s); return nil }

func runNABReport(args []string, stdout, stderr io.Writer) int {
	const name = "dendritic nab report"
	fs := flag.NewFlagSet("nab report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	results := fs.String("results", "", "results directory holding <detector>/<category>/<detector>_<file>.csv")
	data := fs.String("data", "", "NAB root with data/, labels/, config/ (default "+defaultNABRoot+" if it exists)")
	out := fs.String("out", "", "output directory for index.html and scores.json")
	detectors := fs.String("detectors", "", "comma-separated detectors to score (default: every detector directory under --results)")
	plotDet := fs.String("plot", "", "detector whose scores are plotted (default htm if present, else the first)")
	series := fs.String("series", "", "plot only the series whose name contains one of these comma-separated strings (default: all 58)")
	points := fs.Int("points", 400, "buckets per plotted series (each keeps its minimum and maximum)")
	var notes nabNotes
	fs.Var(&notes, "note", "a paragraph for the top of the page, such as the run time (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dendritic nab report --results DIR --out DIR [--data DIR] [--detectors A,B] [--plot NAME] [--series S,...] [--points N]")
		fmt.Fprintln(stderr, "\nWrites a self-contained HTML page: the detectors' NAB scores (sweep, three profiles)")
		fmt.Fprintln(stderr, "beside the published scoreboard, a per-file table and per-series plots of the value,")
		fmt.Fprintln(stderr, "the anomaly score, the detections and the labelled windows.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr, name); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(stderr, name, format, a...) }
	if *results == "" || *out == "" {
		return usageErr("--results and --out are required")
	}
	if *points < 10 {
		return usageErr("--points must be at least 10")
	}
	root, err := nabDataFlag(*data)
	if err != nil {
		return usageErr("%v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	c, err := nab.LoadCorpus(root)
	if err != nil {
		return fail(err)
	}
	opts := nabreport.Options{Corpus: c, Data: root, Results: *results, Plot: *plotDet, Points: *points, Notes: notes}
	split := func(s string) []string {
		var r []string
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				r = append(r, x)
			}
		}
		return r
	}
	opts.Detectors = split(*detectors)
	opts.Series = split(*series)
	pf := filepath.Join(root, "config", "profiles.json")
	if _, err := os.Stat(pf); err == nil {
		if opts.Profiles, err = nab.LoadProfiles(pf); err != nil {
			return fail(err)
		}
	}
	rep, err := nabreport.Build(opts)
	if err != nil {
		return fail(err)
	}
	if err := rep.Write(*out); err != nil {
		return fail(err)
	}
	for _, d := range rep.Scores {
		fmt.Fprintf(stdout, "%-10s", d.Detector)
		for _, r := range d.Results {
			fmt.Fprintf(stdout, "  %s %.4f", r.Profile.Name, r.Normalized)
		}
		fmt.Fprintln(stdout)
	}
	st, err := os.Stat(filepath.Join(*out, "index.html"))
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "wrote %s (%.1f MB, %d series plotted) and scores.json\n", filepath.Join(*out, "index.html"), float64(st.Size())/1e6, len(rep.Series))
	return 0
}
