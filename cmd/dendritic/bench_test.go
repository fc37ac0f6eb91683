package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
	"github.com/dendritic/dendritic/internal/cli"
)

// A suite that exists only in the test binary, so that the output format
// can be tested without running the real (≈1 s per case) measurements.
func init() {
	benchCases = append(benchCases,
		benchwork.Case{Name: "benchtest/const", Suite: "benchtest", Unit: "ns/op",
			Run: func() (float64, error) { return 42.5, nil }},
		benchwork.Case{Name: "benchtest/fails", Suite: "benchtest", Unit: "ms",
			Run: func() (float64, error) { return 0, errors.New("boom") }},
		benchwork.Case{Name: "benchtest2/panics", Suite: "benchtest2", Unit: "ms",
			Run: func() (float64, error) { panic("oops") }})
}

func TestBenchJSON(t *testing.T) {
	out, errOut, st := calcRun(t, "bench", "--suite", "benchtest", "--format", "json")
	if st != 1 || !strings.Contains(errOut, "benchtest/fails: boom") {
		t.Fatalf("status %d, stderr %q", st, errOut)
	}
	var r struct {
		Machine map[string]any
		Results []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"goos", "goarch", "cpus", "go_version"} {
		if _, ok := r.Machine[k]; !ok {
			t.Errorf("machine lacks %q: %v", k, r.Machine)
		}
	}
	if len(r.Results) != 2 {
		t.Fatalf("results %v", r.Results)
	}
	if r.Results[0]["name"] != "benchtest/const" || r.Results[0]["value"] != 42.5 || r.Results[0]["unit"] != "ns/op" {
		t.Errorf("result 0: %v", r.Results[0])
	}
	if r.Results[1]["value"] != nil || r.Results[1]["error"] != "boom" {
		t.Errorf("result 1: %v", r.Results[1])
	}
}

func TestBenchText(t *testing.T) {
	out, _, st := calcRun(t, "bench", "--suite", "benchtest")
	if st != 1 || !strings.Contains(out, "benchtest/const") || !strings.Contains(out, "42.50") ||
		!strings.Contains(out, "FAILED") {
		t.Errorf("status %d, output %q", st, out)
	}
	out, errOut, st := calcRun(t, "bench", "--suite", "benchtest2")
	if st != 1 || !strings.Contains(errOut, "panic: oops") {
		t.Errorf("status %d, output %q, stderr %q", st, out, errOut)
	}
}

func TestBenchUsage(t *testing.T) {
	_, errOut, st := calcRun(t, "bench", "--suite", "nope")
	if st != 2 || !strings.Contains(errOut, `unknown suite "nope"`) || !strings.Contains(errOut, "theory") {
		t.Errorf("status %d, stderr %q", st, errOut)
	}
	for _, args := range [][]string{{"bench", "--bogus"}, {"bench", "extra"}, {"bench", "--format", "xml"}} {
		if _, _, st := calcRun(t, args...); st != 2 {
			t.Errorf("%q: status %d", args, st)
		}
	}
	out, _, st := calcRun(t, "bench", "--list")
	for _, name := range []string{"theory/fp-fast", "theory/fp-exact-200000", "theory/fn-fast",
		"theory/union-fp-exact-fast", "theory/batch-10000", "sdr/overlap-2048", "sdr/overlap-2048-allocs"} {
		if st != 0 || !strings.Contains(out, name) {
			t.Errorf("--list lacks %s: %q", name, out)
		}
	}
}

// TestBenchNABOptional: the corpus case runs only when its suite is named.
func TestBenchNABOptional(t *testing.T) {
	out, _, st := calcRun(t, "bench", "--list")
	if st != 0 || strings.Contains(out, "nab/corpus-htm") || !strings.Contains(out, "hello/tm") {
		t.Errorf("--suite all --list: status %d\n%s", st, out)
	}
	out, _, st = calcRun(t, "bench", "--suite", "nab", "--list")
	if st != 0 || !strings.Contains(out, "nab/corpus-htm") {
		t.Errorf("--suite nab --list: status %d\n%s", st, out)
	}
}

// TestBenchInterrupted: a cancelled run stops before the next case, reports
// the finished ones and exits 130 (issue 10: `dendritic bench` ran on for
// 28 s after Ctrl-C and exited 0).
func TestBenchInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cases := benchwork.Cases{
		{Name: "benchtest/first", Suite: "benchtest", Unit: "ns/op",
			Run: func() (float64, error) { cancel(); return 1, nil }},
		{Name: "benchtest/never", Suite: "benchtest", Unit: "ns/op",
			Run: func() (float64, error) { t.Error("the case after the interrupt ran"); return 2, nil }},
	}
	var out, errOut strings.Builder
	if st := benchRun(ctx, cases, false, &out, &errOut); st != cli.ExitInterrupted {
		t.Errorf("status %d, want %d", st, cli.ExitInterrupted)
	}
	if !strings.Contains(out.String(), "benchtest/first") || !strings.Contains(errOut.String(), "interrupted: 1 of 2 cases finished") {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}
