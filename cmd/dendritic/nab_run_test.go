package main

import (
	"context"
	"encoding/json"
	"github.com/dendritic/dendritic/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/nab"
)

// nabSubset copies two short NAB files (2751 rows, 5 windows) with their
// windows and the profiles into a temporary NAB root.
func nabSubset(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedNAB, "labels", "combined_windows.json")); err != nil {
		t.Skipf("../shared/data/nab not found (expected %s relative to cmd/dendritic): %v", sharedNAB, err)
	}
	files := []string{"realAdExchange/exchange-2_cpc_results.csv", "realTraffic/speed_7578.csv"}
	root := t.TempDir()
	var all map[string]json.RawMessage
	b, err := os.ReadFile(filepath.Join(sharedNAB, "labels", "combined_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	sub := map[string]json.RawMessage{}
	for _, f := range files {
		sub[f] = all[f]
		data, err := os.ReadFile(filepath.Join(sharedNAB, "data", f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, "data", f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _ = json.Marshal(sub)
	os.MkdirAll(filepath.Join(root, "labels"), 0o755)
	os.MkdirAll(filepath.Join(root, "config"), 0o755)
	os.WriteFile(filepath.Join(root, "labels", "combined_windows.json"), b, 0o644)
	prof, err := os.ReadFile(filepath.Join(sharedNAB, "config", "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "config", "profiles.json"), prof, 0o644)
	return root
}

// TestNABRunEndToEnd: run (htm and null), skip, redo (same bytes), score
// and report on a two-file corpus.
func TestNABRunEndToEnd(t *testing.T) {
	root := nabSubset(t)
	out := filepath.Join(t.TempDir(), "results")
	code, stdout, errOut := nabRun(t, "nab", "run", "--data", root, "--out", out, "--detector", "htm", "--jobs", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "detector htm: 2 files written, 0 skipped") || !strings.Contains(stdout, "dendritic nab score --results") {
		t.Errorf("stdout %q", stdout)
	}
	p := filepath.Join(out, "htm", "realTraffic", "htm_speed_7578.csv")
	first, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(first), "timestamp,value,anomaly_score,label\n2015-09-08 11:39:00,") {
		t.Errorf("results file starts %q", first[:80])
	}
	code, stdout, _ = nabRun(t, "nab", "run", "--data", root, "--out", out, "--detector", "htm")
	if code != 0 || !strings.Contains(stdout, "0 files written, 2 skipped") {
		t.Errorf("second run: exit %d, %q", code, stdout)
	}
	code, stdout, _ = nabRun(t, "nab", "run", "--data", root, "--out", out, "--detector", "htm", "--redo", "--jobs", "1", "--only", "speed")
	if code != 0 || !strings.Contains(stdout, "1 files written, 0 skipped") {
		t.Errorf("redo: exit %d, %q", code, stdout)
	}
	again, _ := os.ReadFile(p)
	if string(again) != string(first) {
		t.Error("a second run of the same file gave different scores")
	}
	code, stdout, errOut = nabRun(t, "nab", "score", "--results", out, "--data", root)
	if code != 0 || !strings.Contains(stdout, `detector "htm"`) || !strings.Contains(stdout, "2 files, 2751 rows, 5 windows") {
		t.Errorf("score: exit %d, %s %s", code, stdout, errOut)
	}
	if code, _, errOut = nabRun(t, "nab", "run", "--data", root, "--out", out, "--detector", "null"); code != 0 {
		t.Fatalf("null: %s", errOut)
	}
	rep := filepath.Join(t.TempDir(), "report")
	code, stdout, errOut = nabRun(t, "nab", "report", "--results", out, "--data", root, "--out", rep)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "null        standard 0.0000") || !strings.Contains(stdout, "2 series plotted") {
		t.Errorf("report stdout %q", stdout)
	}
	page, err := os.ReadFile(filepath.Join(rep, "index.html"))
	if err != nil || strings.Count(string(page), "<svg") != 2 || !strings.Contains(string(page), "dendritic htm (this report)") {
		t.Errorf("report page (%d bytes): %v", len(page), err)
	}
}

func TestNABRunInterrupted(t *testing.T) {
	root := nabSubset(t)
	old := program.Context
	defer func() { program.Context = old }()
	program.Context = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	out := t.TempDir()
	code, _, errOut := nabRun(t, "nab", "run", "--data", root, "--out", out, "--detector", "random")
	if code != cli.ExitInterrupted || !strings.Contains(errOut, "interrupted") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(nab.ResultsPath(out, "random", "realTraffic/speed_7578.csv")); err == nil {
		t.Error("a results file was written by a cancelled run")
	}
}

func TestNABRunReportUsage(t *testing.T) {
	root := nabSubset(t)
	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, "data", "cat"), 0o755)
	os.MkdirAll(filepath.Join(bad, "labels"), 0o755)
	os.WriteFile(filepath.Join(bad, "data", "cat", "x.csv"), []byte("timestamp,value\n2015-01-01 00:00:00,1\n2015-01-01 00:05:00,NaN\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "labels", "combined_windows.json"), []byte(`{"cat/x.csv": []}`), 0o644)
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nab", "run", "--data", root}, cli.ExitUsage, "missing --out"},
		{[]string{"nab", "run", "--data", root, "--out", out, "--detector", "lstm"}, cli.ExitUsage, `unknown --detector "lstm" (contextOSE, htm, htm-raw, null, numenta, numenta-gmean-cad, numenta-gmean-cad-peaks-cal, numenta-gmean2-cad-peaks, numenta-raw, random)`},
		{[]string{"nab", "run", "--data", root, "--out", out, "--workers", "-1"}, cli.ExitUsage, `--workers "-1": must be at least 0`},
		{[]string{"nab", "run", "--data", root, "--out", out, "--jobs", "-1"}, cli.ExitUsage, `--jobs "-1": must be at least 0`},
		{[]string{"nab", "run", "--data", root, "--out", out, "--only", "zzz"}, cli.ExitUsage, `--only: "zzz" matches no file`},
		{[]string{"nab", "run", "--data", root, "--out", out, "x"}, cli.ExitUsage, `unexpected argument "x"`},

		{[]string{"nab", "run", "--data", bad, "--out", out}, 1, "x.csv:3: value is NaN (must be finite)"},
		{[]string{"nab", "report", "--data", root, "--out", out}, cli.ExitUsage, "missing --results"},
		{[]string{"nab", "report", "--data", root, "--results", out, "--out", out, "--points", "2"}, cli.ExitUsage, `--points "2": must be at least 10`},
		{[]string{"nab", "report", "--data", root, "--results", t.TempDir(), "--out", out}, 1, "holds no results"},
	} {
		code, _, errOut := nabRun(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}
