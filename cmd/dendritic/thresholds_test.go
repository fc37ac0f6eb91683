package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"github.com/dendritic/dendritic/internal/cli"
	"strings"
	"testing"
)

func runWithArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// The paper grid's θ=10 row; the published table (paper-spec F7) prints
// mean 8.55E-08, stdev 3.20E-07, min 6.67E-19, max 2.01E-06, median
// 7.40E-11.
func TestThresholdsCSV(t *testing.T) {
	code, out, errOut := runWithArgs(t, "thresholds", "--grid", "paper")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 23 || strings.Join(recs[0], ",") != "theta,count,mean,stdev,min,max,median" {
		t.Fatalf("got %d rows, header %v", len(recs), recs[0])
	}
	row := recs[8] // θ = 10
	if row[0] != "10" || row[1] != "420" || !strings.HasPrefix(row[6], "7.40") || !strings.HasPrefix(row[4], "6.67") {
		t.Errorf("θ=10 row %v", row)
	}
	// θ=21..24 have min exactly 0 (s=20 < θ contributes zeros).
	if recs[19][4] != "0" {
		t.Errorf("θ=21 min %q, want 0", recs[19][4])
	}
}

func TestThresholdsCustomAndJSON(t *testing.T) {
	code, out, errOut := runWithArgs(t, "thresholds", "--n", "1000,2000", "--sparsity", "0.02:0.04:0.01", "--s", "20", "--theta", "5:7:1", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Grid struct {
			Name     string
			Sparsity []float64
		}
		Thresholds []struct {
			Theta  int
			Count  int
			Median string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Grid.Name != "paper (modified)" || len(res.Grid.Sparsity) != 3 || len(res.Thresholds) != 3 || res.Thresholds[0].Count != 6 {
		t.Errorf("got %+v", res)
	}
}

func TestThresholdsErrors(t *testing.T) {
	for _, args := range [][]string{
		{"thresholds", "--grid", "nope"},
		{"thresholds", "--format", "xml"},
		{"thresholds", "--n", "1:0:1"},
		{"thresholds", "--s", "2.5"},
		{"thresholds", "extra"},
		{"thresholds", "--bogus"},
	} {
		if code, _, _ := runWithArgs(t, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, cli.ExitUsage)
		}
	}
	if code, _, errOut := runWithArgs(t, "thresholds", "--n", "100", "--sparsity", "2"); code != 1 || errOut == "" {
		t.Errorf("sparsity 2: exit %d (%s), want 1", code, errOut)
	}
}

// The README's worked example of the designer.
func TestDesignText(t *testing.T) {
	code, out, errOut := runWithArgs(t, "design", "--n", "200000", "--a", "2000", "--noise-frac", "0.3", "--max-fp", "1e-9", "--max-fn", "1e-3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "fewest synapses: s = 19") || !strings.Contains(out, "s=19   θ=7 ") {
		t.Errorf("unexpected output:\n%s", out)
	}
}

func TestDesignJSONAndErrors(t *testing.T) {
	code, out, _ := runWithArgs(t, "design", "--n", "2048", "--a", "40", "--noise-frac", "0.25", "--max-fp", "1e-6", "--max-fn", "1e-2", "--segments", "32", "--format", "json")
	if code != 0 {
		t.Fatal(code)
	}
	var res struct {
		Feasible bool `json:"feasible"`
		MinS     int  `json:"min_s"`
		Best     []struct {
			S, Theta int
			FP, FN   string
		} `json:"best"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Feasible || res.MinS != 13 || len(res.Best) == 0 {
		t.Errorf("got %+v", res)
	}
	for _, args := range [][]string{
		{"design", "--n", "100"},
		{"design", "--n", "x", "--a", "1", "--noise", "0", "--max-fp", "1", "--max-fn", "1"},
		{"design", "--n", "100", "--a", "10", "--noise", "0", "--max-fp", "1", "--max-fn", "1", "--format", "yaml"},
	} {
		if code, _, _ := runWithArgs(t, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// A fraction outside [0, 1] is a bad flag value (2); targets no segment
	// meets are a model result (1), printed before the error.
	if code, _, _ := runWithArgs(t, "design", "--n", "100", "--a", "10", "--noise-frac", "1.5", "--max-fp", "1", "--max-fn", "1"); code != cli.ExitUsage {
		t.Errorf("noise 1.5: exit %d, want 2", code)
	}
	code, out, errOut := runWithArgs(t, "design", "--n", "100", "--a", "10", "--noise-frac", "0.5", "--max-fp", "1e-30", "--max-fn", "1e-30")
	if code != 1 || !strings.Contains(out, "no segment with s ≤ a = 10 meets both targets") || !strings.Contains(errOut, "dendritic design: no segment") {
		t.Errorf("infeasible: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
