package main

import (
	"bytes"
	"encoding/json"
	"github.com/dendritic/dendritic/internal/cli"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/internal/shareddata"
	"github.com/dendritic/dendritic/nab"
)

// sharedNAB is the read-only NAB copy as seen from cmd/dendritic.
var sharedNAB = shareddata.String("data", "nab")

func nabRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// checkNABProfileLine finds the summary line of a profile in the text output
// and checks its score and threshold fields.
func checkNABProfileLine(t *testing.T, out, profile, score, threshold string) {
	t.Helper()
	for _, ln := range strings.Split(out, "\n") {
		f := strings.Fields(ln)
		if len(f) == 8 && f[0] == profile {
			if f[1] != score || f[2] != threshold {
				t.Errorf("%s: score %s threshold %s, want %s %s", profile, f[1], f[2], score, threshold)
			}
			return
		}
	}
	t.Errorf("no summary line for %s in:\n%s", profile, out)
}

func sharedNABOrSkip(t *testing.T) (root, tarball string) {
	t.Helper()
	tarball = filepath.Join(sharedNAB, "results", "numenta.tar.gz")
	if _, err := os.Stat(tarball); err != nil {
		t.Skipf("../shared/data/nab not found (expected %s relative to cmd/dendritic): %v", tarball, err)
	}
	return sharedNAB, tarball
}

// TestNABScoreNumentaThresholds: Numenta's published 70.1011 / 63.1168 /
// 74.3202 with config/thresholds.json, from the tarball directly.
func TestNABScoreNumentaThresholds(t *testing.T) {
	root, tarball := sharedNABOrSkip(t)
	code, out, errOut := nabRun(t, "nab", "score", "--results", tarball, "--data", root,
		"--thresholds", filepath.Join(root, "config", "thresholds.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`detector "numenta"`, "58 files, 365558 rows, 116 windows",
		"realKnownCause/nyc_taxi.csv",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out[:min(len(out), 1500)])
		}
	}
	checkNABProfileLine(t, out, "standard", "70.1011", "0.5421876907348634")
	checkNABProfileLine(t, out, "reward_low_FP_rate", "63.1168", "0.5751955032348636")
	checkNABProfileLine(t, out, "reward_low_FN_rate", "74.3202", "0.5421876907348634")
	if n := strings.Count(out, "realKnownCause/nyc_taxi.csv"); n != 3 {
		t.Errorf("nyc_taxi appears %d times, want once per profile", n)
	}
}

// TestNABScoreNumentaSweepJSON: the sweep gives 70.1011 / 63.2092 / 74.3202
// (benchmarks.md §1.3, caveat 1).
func TestNABScoreNumentaSweepJSON(t *testing.T) {
	root, tarball := sharedNABOrSkip(t)
	dir := t.TempDir()
	if err := nab.ExtractTarGz(tarball, dir); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := nabRun(t, "nab", "score", "--results", dir, "--data", root, "--optimize", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Detector string
		Method   string
		Profiles map[string]struct{ Score, Threshold, Raw float64 }
		Files    []struct {
			File      string
			Rows      int
			Probation int
			Windows   int
			Profiles  map[string]struct {
				Score          float64
				TP, TN, FP, FN int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Detector != "numenta" || res.Method != "sweep" || len(res.Files) != 58 {
		t.Errorf("detector %q method %q files %d", res.Detector, res.Method, len(res.Files))
	}
	for p, want := range map[string]float64{"standard": 70.1011, "reward_low_FP_rate": 63.2092, "reward_low_FN_rate": 74.3202} {
		if got := math.Round(res.Profiles[p].Score*1e4) / 1e4; got != want {
			t.Errorf("%s: %v, want %v", p, res.Profiles[p].Score, want)
		}
	}
	for _, f := range res.Files {
		fp := f.Profiles["standard"]
		if fp.TP+fp.TN+fp.FP+fp.FN != f.Rows-f.Probation {
			t.Errorf("%s: counts %+v for %d rows, P %d", f.File, fp, f.Rows, f.Probation)
		}
	}
}

// synthNAB writes a small NAB root (two files, three windows) and a results
// directory with a "perfect" detector (1 at each window start) and a "null"
// detector (all 0).
func synthNAB(t *testing.T) (root, results string) {
	t.Helper()
	root = t.TempDir()
	t0 := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(name string, n int, windows [][2]int) *nab.File {
		s := &nab.Series{}
		var b strings.Builder
		b.WriteString("timestamp,value\n")
		for i := range n {
			ts := t0.Add(time.Duration(i) * 5 * time.Minute)
			s.Timestamps = append(s.Timestamps, ts)
			s.Values = append(s.Values, float64(i%7))
			b.WriteString(ts.Format(nab.TimeLayout) + "," + string(rune('0'+i%7)) + "\n")
		}
		p := filepath.Join(root, "data", filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		f := &nab.File{Name: name, Series: s}
		for _, w := range windows {
			f.Windows = append(f.Windows, nab.Window{Start: w[0], End: w[1]})
		}
		return f
	}
	files := []*nab.File{
		mk("catA/one.csv", 400, [][2]int{{100, 139}, {250, 289}}),
		mk("catB/two.csv", 300, [][2]int{{200, 229}}),
	}
	labels := map[string][][2]string{}
	for _, f := range files {
		ws := [][2]string{}
		for _, w := range f.Windows {
			ws = append(ws, [2]string{f.Timestamps[w.Start].Format(nab.TimeLayout) + ".000000", f.Timestamps[w.End].Format(nab.TimeLayout) + ".000000"})
		}
		labels[f.Name] = ws
	}
	js, _ := json.Marshal(labels)
	os.MkdirAll(filepath.Join(root, "labels"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "labels", "combined_windows.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	results = t.TempDir()
	for _, f := range files {
		perfect := make([]float64, f.Len())
		for _, w := range f.Windows {
			perfect[w.Start] = 1
		}
		if err := nab.WriteResultsFile(results, "perfect", f, perfect); err != nil {
			t.Fatal(err)
		}
		if err := nab.WriteResultsFile(results, "null", f, make([]float64, f.Len())); err != nil {
			t.Fatal(err)
		}
	}
	return root, results
}

func TestNABScoreSynthetic(t *testing.T) {
	root, results := synthNAB(t)
	code, out, errOut := nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "perfect", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Profiles map[string]struct{ Score, Threshold float64 }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"standard", "reward_low_FP_rate", "reward_low_FN_rate"} {
		if r := res.Profiles[p]; r.Score != 100 || r.Threshold != 1 {
			t.Errorf("perfect %s: %+v", p, r)
		}
	}
	// No config/profiles.json under this root: the built-in profiles are used.
	code, out, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "null")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "profiles:   built-in") {
		t.Errorf("null output:\n%s", out)
	}
	checkNABProfileLine(t, out, "standard", "0.0000", "1.1")
	// Stored thresholds.
	th := filepath.Join(t.TempDir(), "th.json")
	os.WriteFile(th, []byte(`{"perfect": {"standard": {"threshold": 0.5}, "reward_low_FP_rate": {"threshold": 0.5}, "reward_low_FN_rate": {"threshold": 0.5}},
		"partial": {"standard": {"threshold": 0.5}}}`), 0o644)
	code, out, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "perfect", "--thresholds", th)
	if code != 0 || !strings.Contains(out, "thresholds: from "+th) {
		t.Errorf("exit %d: %s\n%s", code, errOut, out)
	}
	checkNABProfileLine(t, out, "reward_low_FN_rate", "100.0000", "0.5")
	code, _, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "null", "--thresholds", th)
	if code != 1 || !strings.Contains(errOut, `has no thresholds for detector "null"`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	os.MkdirAll(filepath.Join(results, "partial"), 0o755)
	code, _, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "partial", "--thresholds", th)
	if code != 1 || !strings.Contains(errOut, `has no reward_low_FP_rate threshold for detector "partial"`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// Two detectors and no --detector: a usage error naming them.
	code, _, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root)
	if code != cli.ExitUsage || !strings.Contains(errOut, "null, partial, perfect") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// A malformed results file: the error names the file and line.
	bad := nab.ResultsPath(results, "null", "catB/two.csv")
	text, _ := os.ReadFile(bad)
	lines := strings.Split(string(text), "\n")
	lines[5] = strings.Replace(lines[5], ",0,", ",1.5,", 1)
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	code, _, errOut = nabRun(t, "nab", "score", "--results", results, "--data", root, "--detector", "null")
	if code != 1 || !strings.Contains(errOut, bad+":6: anomaly_score 1.5 is outside [0,1]") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestNABUsage(t *testing.T) {
	root, results := synthNAB(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nab"}, cli.ExitUsage, "score"},

		{[]string{"nab", "bogus"}, cli.ExitUsage, `unknown command "bogus"`},

		{[]string{"nab", "score", "--data", root}, cli.ExitUsage, "missing --results"},
		{[]string{"nab", "score", "--results", results, "--data", root, "--optimize", "--thresholds", "x"}, cli.ExitUsage, "exclusive"},
		{[]string{"nab", "score", "--results", results, "--data", root, "--format", "xml"}, cli.ExitUsage, `--format "xml": want text or json`},
		{[]string{"nab", "score", "--results", results, "--data", root, "extra"}, cli.ExitUsage, `unexpected argument "extra"`},
		{[]string{"nab", "score", "--results", results, "--data", root, "--detector", "absent"}, 1, "missing: catA/one.csv, catB/two.csv"},
		{[]string{"nab", "score", "--results", results, "--data", t.TempDir(), "--detector", "null"}, 1, "combined_windows.json"},
		{[]string{"nab", "score", "--results", t.TempDir(), "--data", root}, 1, "holds no results"},
		{[]string{"nab", "score", "--results", filepath.Join(t.TempDir(), "x.tar.gz"), "--data", root}, 1, "x.tar.gz"},
	} {
		code, _, errOut := nabRun(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// Without --data the root is $DENDRITIC_DATA/nab: a root without NAB is
	// a usage error naming the variable; one with it is used.
	t.Setenv(dataEnv, t.TempDir())
	code, _, errOut := nabRun(t, "nab", "score", "--results", results)
	if code != cli.ExitUsage || !strings.Contains(errOut, "--data is required") || !strings.Contains(errOut, dataEnv) {
		t.Errorf("no --data: exit %d, %s", code, errOut)
	}
	data := t.TempDir()
	if err := os.Symlink(root, filepath.Join(data, "nab")); err != nil {
		t.Fatal(err)
	}
	t.Setenv(dataEnv, data)
	if code, _, errOut := nabRun(t, "nab", "score", "--results", results, "--detector", "null"); code != 0 {
		t.Errorf("$%s/nab: exit %d, %s", dataEnv, code, errOut)
	}
	// The top-level usage lists the command.
	_, out, _ := nabRun(t, "help")
	if !strings.Contains(out, "nab") {
		t.Errorf("help lacks nab: %s", out)
	}
}
