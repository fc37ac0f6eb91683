package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/dendritic/dendritic/internal/cli"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func simRun(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var o, e bytes.Buffer
	status = run(args, &o, &e)
	return o.String(), e.String(), status
}

// simJSON decodes a result into a generic map.
func simJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return m
}

// simStrip removes the timing fields, which differ between runs.
func simStrip(m map[string]any) map[string]any {
	delete(m, "seconds")
	delete(m, "evaluations_per_second")
	return m
}

func TestSimulateJSON(t *testing.T) {
	out, errOut, st := simRun(t, "simulate", "fp", "--n", "500", "--a", "128", "--s", "24", "--theta", "12",
		"--samples", "2e5", "--seed", "3", "--format", "json")
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	m := simJSON(t, out)
	for _, k := range []string{"quantity", "params", "method", "samples", "hits", "estimate", "ci95", "theory", "z", "test", "verdict",
		"seed", "seconds", "evaluations_per_second"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if m["quantity"] != "fp" || m["method"] != "direct" || m["seed"].(float64) != 3 {
		t.Errorf("got %v", m)
	}
	if p := m["params"].(map[string]any); p["n"].(float64) != 500 || p["theta"].(float64) != 12 {
		t.Errorf("params %v", p)
	}
	if m["samples"].(float64) < 2e5 {
		t.Errorf("samples %v", m["samples"])
	}
	if z := m["z"].(float64); math.Abs(z) > 4 {
		t.Errorf("z = %v", z)
	}
	ci := m["ci95"].([]any)
	if est := m["estimate"].(float64); ci[0].(float64) > est || est > ci[1].(float64) {
		t.Errorf("estimate %v outside %v", est, ci)
	}
}

func TestSimulateText(t *testing.T) {
	out, errOut, st := simRun(t, "simulate", "union", "--n", "1000", "--a", "200", "--s", "25", "--theta", "15",
		"--patterns", "2", "--samples", "1e5")
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	for _, want := range []string{"union n=1000 a=200 s=25 theta=15 patterns=2", "estimate", "ci95", "theory_paper", "z "} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr not empty (no terminal): %q", errOut)
	}
}

func TestSimulateImportance(t *testing.T) {
	out, errOut, st := simRun(t, "simulate", "fp", "--n", "10000", "--a", "64", "--s", "24", "--theta", "12",
		"--samples", "1e5", "--method", "importance", "--format", "json")
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	m := simJSON(t, out)
	if est := m["estimate"].(float64); math.Abs(est/4.041597122776570e-21-1) > 0.1 {
		t.Errorf("estimate %v", est)
	}
}

func TestSimulateWorkers(t *testing.T) {
	args := []string{"simulate", "neuron", "--n", "600", "--a", "64", "--s", "20", "--theta", "8",
		"--segments", "5", "--samples", "3e5", "--format", "json"}
	var first map[string]any
	for _, w := range []string{"1", "2", "3"} {
		out, errOut, st := simRun(t, append(args, "--workers", w)...)
		if st != 0 {
			t.Fatalf("status %d: %s", st, errOut)
		}
		m := simStrip(simJSON(t, out))
		if first == nil {
			first = m
			continue
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(m)
		if !bytes.Equal(a, b) {
			t.Errorf("workers %s differ:\n%s\n%s", w, a, b)
		}
	}
}

func TestSimulateShardMerge(t *testing.T) {
	args := []string{"simulate", "fn", "--n", "600", "--a", "64", "--s", "20", "--theta", "10",
		"--noise", "30", "--samples", "3e5", "--seed", "11", "--format", "json"}
	whole, errOut, st := simRun(t, args...)
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	dir := t.TempDir()
	var files []string
	for i := range 3 {
		out, errOut, st := simRun(t, append(args, "--shard", []string{"0/3", "1/3", "2/3"}[i])...)
		if st != 0 {
			t.Fatalf("shard %d: status %d: %s", i, st, errOut)
		}
		f := filepath.Join(dir, []string{"a.json", "b.json", "c.json"}[i])
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	merged, errOut, st := simRun(t, append([]string{"merge"}, files[2], files[0], files[1])...)
	if st != 0 {
		t.Fatalf("merge: status %d: %s", st, errOut)
	}
	a, _ := json.Marshal(simStrip(simJSON(t, whole)))
	b, _ := json.Marshal(simStrip(simJSON(t, merged)))
	if !bytes.Equal(a, b) {
		t.Errorf("merged differs from whole:\n%s\n%s", a, b)
	}
	// Text output, and errors.
	if out, _, st := simRun(t, "merge", "--format", "text", files[0], files[1], files[2]); st != 0 || !strings.Contains(out, "estimate") {
		t.Errorf("merge text: %d %s", st, out)
	}
	if _, errOut, st := simRun(t, "merge", files[0], files[1]); st != 1 || !strings.Contains(errOut, "shard 2/3 is missing") {
		t.Errorf("missing shard: %d %s", st, errOut)
	}
	if _, errOut, st := simRun(t, "merge", files[0], files[0], files[1], files[2]); st != 1 || !strings.Contains(errOut, "twice") {
		t.Errorf("duplicate: %d %s", st, errOut)
	}
	if _, _, st := simRun(t, "merge"); st != cli.ExitUsage {
		t.Errorf("no files: status %d", st)
	}
	if _, _, st := simRun(t, "merge", filepath.Join(dir, "none.json")); st != 1 {
		t.Errorf("absent file: status %d", st)
	}
}

func TestSimulateInterrupt(t *testing.T) {
	old := program.Context
	defer func() { program.Context = old }()
	program.Context = func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 300*time.Millisecond)
	}
	out, errOut, st := simRun(t, "simulate", "fp", "--n", "2000", "--a", "128", "--s", "24", "--theta", "12",
		"--samples", "1e15", "--format", "json")
	if st != cli.ExitInterrupted {
		t.Fatalf("status %d, want %d: %s", st, cli.ExitInterrupted, errOut)
	}
	m := simJSON(t, out)
	if m["partial"] != true || m["samples"].(float64) <= 0 {
		t.Errorf("partial %v, samples %v", m["partial"], m["samples"])
	}
	if !strings.Contains(errOut, "interrupted") {
		t.Errorf("stderr: %q", errOut)
	}
}

func TestSimulateErrors(t *testing.T) {
	base := []string{"--n", "100", "--a", "10", "--s", "8", "--theta", "4", "--samples", "100"}
	cases := []struct {
		args   []string
		status int
		msg    string
	}{
		{[]string{}, cli.ExitUsage, "missing --n, --a, --s, --theta, --samples"},
		{base, cli.ExitUsage, "want one kind"},
		{append([]string{"fq"}, base...), cli.ExitUsage, "unknown kind"},
		{[]string{"fp", "--n", "100"}, cli.ExitUsage, "missing --a, --s, --theta, --samples"},
		{append([]string{"fn"}, base...), cli.ExitUsage, "needs --noise"},
		{append([]string{"fp", "--noise", "3"}, base...), cli.ExitUsage, "--noise applies to fn only"},
		{append([]string{"fp", "--shard", "3/3"}, base...), cli.ExitUsage, "0 ≤ i < N"},
		{append([]string{"fp", "--shard", "x"}, base...), cli.ExitUsage, "want i/N"},
		{append([]string{"fp", "--format", "xml"}, base...), cli.ExitUsage, `--format "xml": want text or json`},
		{append([]string{"fp", "--method", "magic"}, base...), cli.ExitUsage, `--method "magic": want direct or importance`},
		{append([]string{"fp", "--bogus"}, base...), cli.ExitUsage, "bogus"},
		{append([]string{"fp", "--samples", "2.5"}, base...), cli.ExitUsage, "not an integer"},
		{append([]string{"fp", "fn"}, base...), cli.ExitUsage, "want one kind (fp, fn, union or neuron), got 2"},
		{append([]string{"fp"}, append(base, "--a", "200")...), 1, "a = 200 exceeds n = 100"},
		{append([]string{"fp"}, append(base, "--samples", "0")...), 1, "samples = 0"},
		{append([]string{"fp"}, append(base, "--theta", "9")...), 1, "theta = 9 exceeds s = 8"},
		{append([]string{"fn", "--noise", "2"}, append(base, "--s", "12")...), 1, "s ≤ a"},
		{append([]string{"union", "--patterns", "2", "--method", "importance"}, base...), 1, "fp and fn"},
	}
	for _, c := range cases {
		out, errOut, st := simRun(t, append([]string{"simulate"}, c.args...)...)
		if st != c.status || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", c.args, st, errOut, c.status, c.msg)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", c.args, out)
		}
	}
	if out, _, st := simRun(t, "simulate", "-h"); st != 0 || !strings.Contains(out, "usage: dendritic simulate") {
		t.Errorf("-h: %d %q", st, out)
	}
}

func TestSimBenchCases(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the simulator for about two seconds")
	}
	for _, c := range benchCases {
		if c.Suite != "sim" {
			continue
		}
		v, err := c.Run()
		if err != nil || !(v > 0) {
			t.Errorf("%s = %v, %v", c.Name, v, err)
		}
	}
}
