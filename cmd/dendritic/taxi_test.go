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
)

// taxiCSV writes a NuPIC-format taxi file of n rows (a daily cycle).
func taxiCSV(t *testing.T, n int, nupicHeader bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,passenger_count,timeofday,dayofweek\n")
	if nupicHeader {
		b.WriteString("datetime,int,int,int\nT,,,\n")
	}
	t0 := time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		ts := t0.Add(time.Duration(i) * 30 * time.Minute)
		v := 15000 + 10000*math.Sin(2*math.Pi*float64(i)/48)
		fmt.Fprintf(&b, "%s,%.0f,%d,%d\n", ts.Format(time.DateTime), v, ts.Hour()*60+ts.Minute(), (int(ts.Weekday())+6)%7)
	}
	p := filepath.Join(t.TempDir(), "taxi.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadTaxiCSV(t *testing.T) {
	p := taxiCSV(t, 10, true)
	fh, _ := os.Open(p)
	d, err := readTaxiCSV(fh, p)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Count) != 10 || d.Count[0] != 15000 || d.TOD[1] != 30 || d.DOW[0] != 1 {
		t.Errorf("read %d rows: %v %v %v", len(d.Count), d.Count[:2], d.TOD[:2], d.DOW[:2])
	}
	// Only timestamp and count: the time of day and the weekday come from
	// the timestamp (2014-07-01 was a Tuesday, day 1).
	d, err = readTaxiCSV(strings.NewReader("passenger_count,timestamp\n5,2014-07-01 13:30:00\n"), "x.csv")
	if err != nil || d.TOD[0] != 810 || d.DOW[0] != 1 || d.Count[0] != 5 {
		t.Errorf("derived fields: %+v, %v", d, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "x.csv: empty file"},
		{"time,count\n", `x.csv:1: header "time,count" lacks timestamp or passenger_count`},
		{"timestamp,passenger_count\n", "x.csv: no data rows"},
		{"timestamp,passenger_count\n2014-07-01 00:00:00,abc\n", `x.csv:2: passenger_count "abc" is not a finite number`},
		{"timestamp,passenger_count\n2014-07-01 00:00:00,NaN\n", `x.csv:2: passenger_count "NaN" is not a finite number`},
		{"timestamp,passenger_count\n2014-07-01,5\n", `x.csv:2: timestamp "2014-07-01" is not of the form`},
		{"timestamp,passenger_count\n2014-07-01 00:00:00,5,7\n", "x.csv:2: 3 fields, the header has 2"},
		{"timestamp,passenger_count,timeofday\n2014-07-01 00:00:00,5,\n", `x.csv:2: timeofday "" is not a finite number`},
		{"timestamp,passenger_count\n\"2014-07-01 00:00:00,5\n", "x.csv: parse error on line 2"},
	} {
		_, err := readTaxiCSV(strings.NewReader(tc.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestTaxiCommand(t *testing.T) {
	p := taxiCSV(t, 400, true)
	pred := filepath.Join(t.TempDir(), "pred.csv")
	out, errOut, st := calcRun(t, "taxi", "--data", p, "--skip", "300", "--format", "json", "--predictions", pred)
	if st != 0 {
		t.Fatalf("status %d: %s", st, errOut)
	}
	var r taxiResult
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
	p := taxiCSV(t, 50, false)
	for _, tc := range []struct {
		args []string
		st   int
		want string
	}{
		{[]string{"--data", p}, 1, "has 50 rows; steps 10000 on are scored"},
		{[]string{"--data", filepath.Join(t.TempDir(), "none.csv")}, 1, "no such file"},
		{[]string{"--data", p, "--format", "xml"}, 2, "unknown --format"},
		{[]string{"--data", p, "--skip", "-1"}, 2, "--skip must be at least 0"},
		{[]string{"--data", p, "extra"}, 2, "unexpected argument"},
	} {
		_, errOut, st := calcRun(t, append([]string{"taxi"}, tc.args...)...)
		if st != tc.st || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: status %d, stderr %q", tc.args, st, errOut)
		}
	}
}
