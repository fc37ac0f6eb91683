package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dendritic/dendritic/nab"
)

func init() {
	register(command{
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
	{"score", "score a detector's per-row results in NAB format", runNABScore},
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
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, name+": "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
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
