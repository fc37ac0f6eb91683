package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// A suite that exists only in the test binary, so that the output format
// can be tested without running the real (≈1 s per case) measurements.
func init() {
	registerBench(benchCase{Name: "benchtest/const", Suite: "benchtest", Unit: "ns/op",
		Run: func() (float64, error) { return 42.5, nil }})
	registerBench(benchCase{Name: "benchtest/fails", Suite: "benchtest", Unit: "ms",
		Run: func() (float64, error) { return 0, errors.New("boom") }})
	registerBench(benchCase{Name: "benchtest2/panics", Suite: "benchtest2", Unit: "ms",
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

// TestBenchCasesRun runs the cheap real cases once, and checks that the
// inputs of the others are valid (a bad parameter set would otherwise only
// show when the suite runs).
func TestBenchCasesRun(t *testing.T) {
	for _, c := range benchCases {
		if c.Name == "sdr/overlap-2048-allocs" {
			v, err := c.Run()
			if err != nil || v != 0 {
				t.Errorf("%s = %v, %v; want 0 allocations", c.Name, v, err)
			}
		}
	}
	for _, p := range benchFPSet {
		if p[2] < 20 || p[2] > 100 {
			t.Errorf("fp set: s = %d outside 20..100", p[2])
		}
		if _, err := theory.FP(p[0], p[1], p[2], p[3]); err != nil {
			t.Errorf("fp set %v: %v", p, err)
		}
	}
	for _, p := range benchFNSet {
		if _, err := theory.FN(p[0], p[1], p[2], p[3]); err != nil {
			t.Errorf("fn set %v: %v", p, err)
		}
	}
	if testing.Short() {
		return
	}
	out, errOut, st := calcRun(t, "calc", "--batch", calcWriteFile(t, benchBatchInput(len(benchFPSet))))
	if st != 0 || errOut != "" || strings.Count(out, "\n") != len(benchFPSet)+1 {
		t.Errorf("batch input: status %d, stderr %q", st, errOut)
	}
}
