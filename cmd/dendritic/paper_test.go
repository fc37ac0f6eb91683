package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runPaperArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"paper"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestPaperUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},                                   // --out missing
		{"--out", dir, "--only", "F9"},       // unknown figure
		{"--out", dir, "--only", ","},        // empty selection
		{"--out", dir, "--samples", "0"},     // no samples
		{"--out", dir, "--samples", "1.5"},   // not an integer
		{"--out", dir, "--is-samples", "-3"}, // negative
		{"--out", dir, "--workers", "-1"},    // negative
		{"--out", dir, "extra"},              // stray argument
		{"--bogus"},                          // unknown flag
	} {
		code, _, stderr := runPaperArgs(t, args...)
		if code != exitUsage {
			t.Errorf("paper %v: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, "usage") && !strings.Contains(stderr, "flag provided but not defined") {
			t.Errorf("paper %v: no usage on stderr: %q", args, stderr)
		}
	}
	if code, _, _ := runPaperArgs(t, "-h"); code != 0 {
		t.Errorf("paper -h: exit %d", code)
	}
}

func TestPaperTheoryOnly(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runPaperArgs(t, "--out", dir, "--no-sim", "--only", "F4,t1b,E7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"F4.svg", "F4.png", "F4.csv", "T1B.csv", "E7.csv", "report.json", "index.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "F1.svg")); err == nil {
		t.Error("F1 written although not selected")
	}
	if !strings.Contains(stdout, "wrote 7 files") || !strings.Contains(stdout, "theory only") {
		t.Errorf("summary: %q", stdout)
	}
}

func TestPaperSimulated(t *testing.T) {
	if paperSimulator == nil {
		t.Skip("no simulator")
	}
	dir := t.TempDir()
	code, stdout, stderr := runPaperArgs(t, "--out", dir, "--samples", "2e5", "--is-samples", "2e4", "--seed", "7", "--only", "F5,F2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "simulation: 33 of 33 points") {
		t.Errorf("summary: %q", stdout)
	}
	js, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Options struct {
			Samples int64  `json:"samples"`
			Seed    uint64 `json:"seed"`
		} `json:"options"`
		Agreement struct {
			Simulated, Disagree int
			MaxAbsZ             float64 `json:"max_abs_z"`
		} `json:"agreement"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Options.Samples != 200000 || doc.Options.Seed != 7 {
		t.Errorf("options %+v", doc.Options)
	}
	// The run is deterministic (seed 7). With a correct simulator a point
	// misses |z| ≤ 4 with probability 6e-5, so all 33 agree.
	if doc.Agreement.Simulated != 33 || doc.Agreement.Disagree != 0 {
		t.Errorf("agreement %+v", doc.Agreement)
	}
}
