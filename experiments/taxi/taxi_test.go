package taxi

import (
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
	d, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Count) != 10 || d.Count[0] != 15000 || d.TOD[1] != 30 || d.DOW[0] != 1 {
		t.Errorf("read %d rows: %v %v %v", len(d.Count), d.Count[:2], d.TOD[:2], d.DOW[:2])
	}
	// Only timestamp and count: the time of day and the weekday come from
	// the timestamp (2014-07-01 was a Tuesday, day 1).
	d, err = ReadCSV(strings.NewReader("passenger_count,timestamp\n5,2014-07-01 13:30:00\n"), "x.csv")
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
		_, err := ReadCSV(strings.NewReader(tc.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}
