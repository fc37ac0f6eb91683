package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/cli"
)

// commandPaths returns every command and subcommand as its words, such as
// ["nab", "run"], and whether it only groups subcommands.
func commandPaths() (paths [][]string, groups map[string]bool) {
	groups = map[string]bool{}
	var walk func(prefix []string, cs []*cli.Command)
	walk = func(prefix []string, cs []*cli.Command) {
		for _, c := range cs {
			p := append(append([]string{}, prefix...), c.Name)
			paths = append(paths, p)
			if len(c.Subcommands) > 0 {
				groups[strings.Join(p, " ")] = true
				walk(p, c.Subcommands)
			}
		}
	}
	walk(nil, program.Commands)
	return paths, groups
}

func runCLI(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// TestEveryCommandHelp runs every command and subcommand with -h, --help
// and 'help CMD' (the usage on stdout, exit 0, nothing on stderr, the same
// text each way) and with an unknown flag (a message on stderr, exit 2).
func TestEveryCommandHelp(t *testing.T) {
	paths, groups := commandPaths()
	for _, want := range []string{"calc", "thresholds", "design", "bench", "simulate", "merge", "paper",
		"sequences", "nab", "nab run", "nab score", "nab report", "taxi", "serve", "explore"} {
		found := false
		for _, p := range paths {
			found = found || strings.Join(p, " ") == want
		}
		if !found {
			t.Errorf("command %q is not registered", want)
		}
	}
	for _, p := range paths {
		name := strings.Join(p, " ")
		out, errOut, code := runCLI(append(p, "-h")...)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "usage: dendritic "+name) {
			t.Errorf("%s -h: exit %d, stderr %q, stdout %.80q", name, code, errOut, out)
		}
		for _, args := range [][]string{append(p, "--help"), append([]string{"help"}, p...)} {
			out2, errOut2, code2 := runCLI(args...)
			if code2 != 0 || errOut2 != "" || out2 != out {
				t.Errorf("%q: exit %d, stderr %q, stdout differs from -h: %v", args, code2, errOut2, out2 != out)
			}
		}
		out, errOut, code = runCLI(append(p, "--no-such-flag")...)
		want := "dendritic " + name + ": unknown flag --no-such-flag"
		if groups[name] {
			want = "dendritic " + name + `: unknown command "--no-such-flag"`
		}
		if code != cli.ExitUsage || out != "" || !strings.HasPrefix(errOut, want) {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q; want 2 and %q", name, code, out, errOut, want)
		}
	}
}

func TestTopLevel(t *testing.T) {
	out, errOut, code := runCLI("--version")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "dendritic ") || !strings.Contains(out, "revision") {
		t.Errorf("--version: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		out, errOut, code := runCLI(args...)
		if code != 0 || errOut != "" || !strings.Contains(out, "nab ") || !strings.Contains(out, "130 interrupted") {
			t.Errorf("%q: exit %d, stderr %q, stdout %q", args, code, errOut, out)
		}
	}
	for _, args := range [][]string{{}, {"nope"}, {"help", "nope"}, {"help", "nab", "nope"}} {
		if out, errOut, code := runCLI(args...); code != cli.ExitUsage || out != "" || errOut == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// TestExitCodes checks the exit-code rule on representative errors of
// each kind: 1 for a model, data or I/O error, 2 for a usage error.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"calc", "--batch", filepath.Join(dir, "missing.csv")}, 1, "dendritic calc: open "},
		{[]string{"merge", filepath.Join(dir, "missing.json")}, 1, "dendritic merge: open "},
		{[]string{"merge", empty}, 1, "no results"},
		{[]string{"simulate", "fp", "--n", "100", "--a", "10", "--s", "8", "--theta", "4", "--samples", "10", "--workers", "-1"}, 2, `--workers "-1": must be at least 0`},
		{[]string{"paper", "--out", dir, "--workers", "-1"}, 2, `dendritic paper: --workers "-1": must be at least 0`},
		{[]string{"paper", "--samples", "1e3"}, 2, "dendritic paper: missing --out"},
		{[]string{"design", "--n", "100", "--a", "10", "--noise-frac", "0.5", "--max-fp", "1e-30", "--max-fn", "1e-30"}, 1, "dendritic design: no segment"},
		{[]string{"design", "--n", "100", "--a", "10", "--noise-frac", "0.5", "--max-fp", "2", "--max-fn", "0.1"}, 2, `--max-fp "2": want a number in [0, 1]`},
		{[]string{"calc", "fp", "--n", "100", "--a", "200", "--s", "24", "--theta", "12"}, 1, "dendritic calc: "},
		{[]string{"calc", "fp", "--n", "1e2", "--a", "2.5"}, 2, `--a "2.5": not an integer`},
		{[]string{"calc", "fn", "--n", "70", "--a", "64", "--s", "24", "--theta", "12", "--noise", "10"}, 1, "a + noise = 74 exceeds n = 70"},
		{[]string{"thresholds", "--theta", "x"}, 2, `--theta "x"`},
		{[]string{"thresholds", "--grid", "nope"}, 2, `--grid "nope": want paper or paper-2018`},
		{[]string{"sequences", "--out", dir, "--steps", "2.5"}, 2, "not an integer"},
		{[]string{"nab", "run", "--out", dir, "--workers", "x"}, 2, "not an integer"},
		{[]string{"taxi", "--data", filepath.Join(dir, "missing.csv")}, 1, "dendritic taxi: open "},
		{[]string{"nab", "score", "--data", dir, "--results", filepath.Join(dir, "missing")}, 1, "dendritic nab score: open "},
		{[]string{"nab", "report", "--data", filepath.Join(dir, "missing"), "--results", dir, "--out", dir}, 1, "dendritic nab report: "},
		{[]string{"sequences", "--out", empty, "--task", "high-order", "--steps", "3e2", "--switch-at", "1e2", "--probes", "0"}, 1, "dendritic sequences: "},
	} {
		_, errOut, code := runCLI(c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.msg)
		}
	}
	// calc fn takes the --n that simulate fn needs.
	out, errOut, code := runCLI("calc", "fn", "--n", "10000", "--a", "64", "--s", "24", "--theta", "12", "--noise", "10")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "fn(a=64, s=24, theta=12, noise=10) = ") {
		t.Errorf("calc fn --n: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// The deprecated spellings still work, with a note.
	out, errOut, code = runCLI("design", "--n", "200000", "--a", "2000", "--noise", "0.3", "--max-fp", "1e-9", "--max-fn", "1e-3")
	if code != 0 || !strings.Contains(errOut, "--noise is deprecated; use --noise-frac") || !strings.Contains(out, "noise replaces 600 of 2000") {
		t.Errorf("design --noise: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
