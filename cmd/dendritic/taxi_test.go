package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/experiments/taxi"
)

// taxiCSV writes a taxi file of n rows, a daily cycle, with only the two
// columns the reader needs (experiments/taxi tests NuPIC's headers).
func taxiCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,passenger_count\n")
	for i := range n {
		ts := time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 30 * time.Minute)
		fmt.Fprintf(&b, "%s,%.0f\n", ts.Format(time.DateTime), 15000+10000*math.Sin(2*math.Pi*float64(i)/48))
	}
	p := filepath.Join(t.TempDir(), "taxi.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTaxiCommand(t *testing.T) {
	p := taxiCSV(t, 400)
	pred := filepath.Join(t.TempDir(), "pred.csv")
	out, errOut, st := calcRun(t, "taxi", "--data", p, "--skip", "300", "--format", "json", "--predictions", pred)
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	var r taxi.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Rows != 400 || r.Skip != 300 || r.Evaluated != 100 || r.Steps != 5 || !(r.NRMSE > 0) || !(r.MAPE > 0) {
		t.Errorf("result %+v", r)
	}
	// A clean daily cycle is learned far better than the shift baseline.
	if !(r.NRMSE < r.ShiftNRMSE/2) {
		t.Errorf("NRMSE %v, shift %v", r.NRMSE, r.ShiftNRMSE)
	}
	b, err := os.ReadFile(pred)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 401 || lines[0] != "timestamp,passenger_count,prediction_t_plus_5,truth_t_plus_5" || !strings.HasSuffix(lines[400], ",") {
		t.Errorf("predictions file: %d lines, %q … %q", len(lines), lines[0], lines[len(lines)-1])
	}
	out, _, st = calcRun(t, "taxi", "--data", p, "--skip", "300")
	for _, want := range []string{"HTM (this run)", "0.286", "0.274", "LSTM-6000", "shift (this run)"} {
		if st != 0 || !strings.Contains(out, want) {
			t.Errorf("status %d, text output lacks %q:\n%s", st, want, out)
		}
	}
}

func TestTaxiErrors(t *testing.T) {
	p := taxiCSV(t, 50)
	for _, tc := range []struct {
		args []string
		st   int
		want string
	}{
		{[]string{"--data", p}, 1, "has 50 rows; steps 10000 on are scored"},
		{[]string{"--data", filepath.Join(t.TempDir(), "none.csv")}, 1, "no such file"},
		{[]string{"--data", p, "--format", "xml"}, 2, `--format "xml": want text or json`},
		{[]string{"--data", p, "--skip", "-1"}, 2, `--skip "-1": must be at least 0`},
		{[]string{"--data", p, "extra"}, 2, "unexpected argument"},
	} {
		_, errOut, st := calcRun(t, append([]string{"taxi"}, tc.args...)...)
		if st != tc.st || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: status %d, stderr %q", tc.args, st, errOut)
		}
	}
}
