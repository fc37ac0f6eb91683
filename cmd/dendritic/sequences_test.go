package main

import (
	"bytes"
	"encoding/json"
	"github.com/dendritic/dendritic/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSequencesUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", dir, "--task", "bogus"}, `unknown task "bogus"`},
		{[]string{"--out", dir, "--task", "high-order,nope"}, `unknown task "nope"`},
		{[]string{"--task", "high-order"}, "missing --out"},
		{[]string{"--out", dir, "--format", "xml"}, `--format "xml": want json or text`},
		{[]string{"--out", dir, "--seed", "-1"}, "--seed"},
		{[]string{"--out", dir, "--steps", "100"}, "switch at"},
		{[]string{"--out", dir, "--seeds", "101"}, "must be at most 100"},
		{[]string{"--out", dir, "--seeds", "0"}, "--seeds"},
		{[]string{"--out", dir, "extra"}, `unexpected argument "extra"`},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"sequences"}, tc.args...), &out, &errb); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, cli.ExitUsage, errb.String())
		}
		if !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, errb.String(), tc.want)
		}
	}
}

// TestSequencesDefaults: seeds 0–9 by default, as in the original study.
func TestSequencesDefaults(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"sequences", "-h"}, &out, &errb); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, want := range []string{"(default 10)", "0 if not given: seeds 0–9"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSequencesJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var out, errb bytes.Buffer
	args := []string{"sequences", "--out", dir, "--task", "high-order", "--task", "switch", "--seed", "3",
		"--steps", "2500", "--switch-at", "1500", "--sequences", "4", "--probes", "20", "--seeds", "2"}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var sum struct {
		Seed  uint64 `json:"seed"`
		Tasks []struct {
			Name          string   `json:"name"`
			FinalAccuracy *float64 `json:"final_accuracy"`
			Predictions   int      `json:"predictions"`
			Seconds       float64  `json:"seconds"`
			Change        *struct {
				Step int `json:"step"`
			} `json:"change"`
		} `json:"tasks"`
		Theory *struct {
			InRun []struct {
				Condition string `json:"condition"`
				Measured  struct {
					Trials int `json:"trials"`
				} `json:"measured"`
				Parametric struct {
					Column string `json:"column"`
				} `json:"parametric"`
				CensusRate *float64 `json:"census_rate"`
			} `json:"in_run"`
		} `json:"theory"`
		Seeds []struct {
			Task  string   `json:"task"`
			Seeds []uint64 `json:"seeds"`
			Band  any      `json:"moving_accuracy"`
		} `json:"seeds"`
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out.String())
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Seed != 3 || len(sum.Tasks) != 2 || sum.Tasks[0].Name != "high-order" || sum.Tasks[1].Name != "switch" {
		t.Fatalf("summary %+v", sum)
	}
	for _, tk := range sum.Tasks {
		if tk.FinalAccuracy == nil || *tk.FinalAccuracy < 0 || *tk.FinalAccuracy > 1 || tk.Predictions == 0 || tk.Seconds <= 0 {
			t.Errorf("task %+v", tk)
		}
	}
	if c := sum.Tasks[1].Change; c == nil || c.Step != 1500 {
		t.Errorf("switch change %+v", c)
	}
	if sum.Theory == nil || len(sum.Theory.InRun) != 2 || sum.Theory.InRun[0].CensusRate == nil || sum.Theory.InRun[0].Parametric.Column == "" {
		t.Fatalf("theory %+v", sum.Theory)
	}
	// Seeds 3 and 4, without the bands (result.json has them).
	if len(sum.Seeds) != 2 || sum.Seeds[1].Task != "switch" || len(sum.Seeds[1].Seeds) != 2 || sum.Seeds[1].Seeds[1] != 4 || sum.Seeds[0].Band != nil {
		t.Errorf("seeds %+v", sum.Seeds)
	}
	for _, f := range []string{"index.html", "high-order.csv", "switch.svg", "summary.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}

	// Text format.
	out.Reset()
	args = append(args[:len(args):len(args)], "--format", "text", "--probes", "0")
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("text: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "high-order") || !strings.Contains(out.String(), "index.html") ||
		!strings.Contains(out.String(), "over 2 seeds (3–4)") || strings.Contains(out.String(), `{"seed"`) {
		t.Errorf("text output:\n%s", out.String())
	}
}
