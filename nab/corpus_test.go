package nab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadSeries(t *testing.T) {
	in := "\ufefftimestamp,value\r\n" +
		"2014-03-09 02:55:00,1.5\r\n" +
		"2014-03-09 03:00:00,2\r\n" +
		"2014-03-09 03:00:00, 3e2 \r\n" + // repeated timestamp, spaces
		"2014-03-09 02:00:00,-4\r\n" + // backwards step
		"\r\n" + // blank lines are skipped
		"2014-03-09 02:05:00.000000,5\r\n"
	s, err := ReadSeries(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 5 || s.Values[2] != 300 || s.Values[3] != -4 {
		t.Errorf("got %+v", s)
	}
	if !s.Timestamps[1].Equal(s.Timestamps[2]) || !s.Timestamps[3].Before(s.Timestamps[2]) {
		t.Errorf("timestamps %v", s.Timestamps)
	}
	// Extra columns and another column order are fine.
	s, err = ReadSeries(strings.NewReader("value,timestamp,note\n7,2014-01-01 00:00:00,x\n"), "y.csv")
	if err != nil || s.Values[0] != 7 {
		t.Errorf("reordered columns: %v %v", s, err)
	}
}

func TestReadSeriesErrors(t *testing.T) {
	const h = "timestamp,value\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "x.csv: empty file"},
		{"header only", h, "x.csv: no data rows"},
		{"blank lines only", h + "\n\n", "x.csv: no data rows"},
		{"no value column", "timestamp,val\n2014-01-01 00:00:00,1\n", `x.csv:1: header "timestamp,val" has no column "value"`},
		{"duplicate column", "timestamp,value,value\n2014-01-01 00:00:00,1,2\n", `x.csv:1: header has column "value" twice`},
		{"bad timestamp", h + "2014-01-01 00:00:00,1\n2014-01-01,2\n", `x.csv:3: timestamp "2014-01-01" is not of the form`},
		{"bad date", h + "2014-02-30 00:00:00,1\n", "x.csv:2: timestamp"},
		{"missing value", h + "2014-01-01 00:00:00,\n", "x.csv:2: missing value"},
		{"NaN", h + "2014-01-01 00:00:00,1\n2014-01-01 00:05:00,NaN\n", "x.csv:3: value is NaN"},
		{"nan", h + "2014-01-01 00:00:00,nan\n", "x.csv:2: value is nan"},
		{"Inf", h + "2014-01-01 00:00:00,-Inf\n", "x.csv:2: value is -Inf"},
		{"huge", h + "2014-01-01 00:00:00,1e999\n", "x.csv:2: value \"1e999\" is out of the float64 range"},
		{"text", h + "2014-01-01 00:00:00,abc\n", `x.csv:2: value "abc" is not a number`},
		{"too many fields", h + "2014-01-01 00:00:00,1\n2014-01-01 00:05:00,1,2\n", "x.csv:3: malformed CSV: wrong number of fields"},
		{"too few fields", h + "2014-01-01 00:00:00\n", "x.csv:2: malformed CSV: wrong number of fields"},
		{"bare quote", h + "2014-01-01 00:00:00,1\"2\n", "x.csv:2: malformed CSV"},
		{"unterminated quote", h + "\"2014-01-01 00:00:00,1\n", "x.csv:2: malformed CSV"},
	} {
		_, err := ReadSeries(strings.NewReader(tc.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

const windowsJSON = `{
    "cat/a.csv": [
        ["2014-01-01 00:10:00.000000", "2014-01-01 00:20:00.000000"],
        ["2014-01-01 00:40:00", "2014-01-01 00:40:00"]
    ],
    "cat/b.csv": []
}`

func TestReadWindows(t *testing.T) {
	m, err := ReadWindows(strings.NewReader(windowsJSON), "w.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || len(m["cat/a.csv"]) != 2 || len(m["cat/b.csv"]) != 0 {
		t.Fatalf("got %v", m)
	}
	if w := m["cat/a.csv"][0]; !w.Start.Equal(time.Date(2014, 1, 1, 0, 10, 0, 0, time.UTC)) {
		t.Errorf("start %v", w.Start)
	}
}

func TestReadWindowsErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"syntax", "{\n  \"a.csv\": [\n    [\"x\" \"y\"]\n  ]\n}", "w.json:3:10: invalid JSON"},
		{"type", "{\n\"a.csv\": {\"x\": 1}\n}", "w.json:2:"},
		{"null", "null", "got null"},
		{"three", `{"a.csv": [["2014-01-01 00:00:00", "2014-01-01 00:05:00", "2014-01-01 00:10:00"]]}`, "window 0 has 3 timestamps"},
		{"bad time", `{"a.csv": [["2014-01-01 00:00:00", "tomorrow"]]}`, `w.json: a.csv: window 0 end: timestamp "tomorrow"`},
		{"reversed", `{"a.csv": [["2014-01-01 00:10:00", "2014-01-01 00:05:00"]]}`, "ends (2014-01-01 00:05:00) before it starts"},
		{"overlap", `{"a.csv": [["2014-01-01 00:00:00", "2014-01-01 00:10:00"], ["2014-01-01 00:10:00", "2014-01-01 00:20:00"]]}`, "window 1 (start 2014-01-01 00:10:00) does not come after window 0"},
		{"escape", `{"../a.csv": []}`, `key "../a.csv": not a slash-separated relative path`},
		{"absolute", `{"/etc/a.csv": []}`, "not a slash-separated relative path"},
		{"trailing", `{} x`, "invalid JSON"},
	} {
		_, err := ReadWindows(strings.NewReader(tc.in), "w.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestMapWindowsFirstRow(t *testing.T) {
	// A DST-style repeat: the boundary maps to the first row with the time.
	in := "timestamp,value\n" +
		"2014-03-09 02:50:00,0\n" +
		"2014-03-09 02:55:00,0\n" +
		"2014-03-09 03:00:00,0\n" + // row 2
		"2014-03-09 03:00:00,0\n" +
		"2014-03-09 03:00:00,0\n" +
		"2014-03-09 03:05:00,0\n" + // row 5
		"2014-03-09 02:00:00,0\n" + // backwards
		"2014-03-09 03:10:00,0\n" // row 7
	s, err := ReadSeries(strings.NewReader(in), "s.csv")
	if err != nil {
		t.Fatal(err)
	}
	tm := func(h, m int) time.Time { return time.Date(2014, 3, 9, h, m, 0, 0, time.UTC) }
	ws, err := MapWindows(s, []RawWindow{{tm(2, 55), tm(3, 0)}, {tm(3, 5), tm(3, 10)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Window{{1, 2}, {5, 7}}; ws[0] != want[0] || ws[1] != want[1] {
		t.Errorf("windows %v, want %v", ws, want)
	}
	for _, tc := range []struct {
		raw  []RawWindow
		want string
	}{
		{[]RawWindow{{tm(2, 56), tm(3, 0)}}, "window 0: start 2014-03-09 02:56:00 is not a row timestamp"},
		{[]RawWindow{{tm(2, 55), tm(4, 0)}}, "window 0: end 2014-03-09 04:00:00 is not a row timestamp"},
		// 03:05 (row 5) .. 02:00 (row 6) is ordered in rows; 03:10 .. 02:00 is not.
		{[]RawWindow{{tm(3, 10), tm(2, 0)}}, "end row 6 comes before start row 7"},
		{[]RawWindow{{tm(2, 50), tm(3, 5)}, {tm(3, 0), tm(3, 10)}}, "window 1 (rows 2..7) overlaps or precedes window 0"},
	} {
		_, err := MapWindows(s, tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

func TestReadProfiles(t *testing.T) {
	in := `{"mine": {"CostMatrix": {"tpWeight": 2, "fpWeight": 0.5, "fnWeight": 1}},
	        "standard": {"CostMatrix": {"tpWeight": 1, "fpWeight": 0.11, "fnWeight": 1, "tnWeight": 1}}}`
	ps, err := ReadProfiles(strings.NewReader(in), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0] != Standard || ps[1] != (Profile{"mine", 2, 0.5, 1, 0}) {
		t.Errorf("got %v", ps)
	}
	for _, tc := range []struct{ in, want string }{
		{`{}`, "p.json: no profiles"},
		{`{"a": {}}`, `profile "a" has no CostMatrix`},
		{`{"a": {"CostMatrix": {"tpWeight": 1, "fnWeight": 1}}}`, "needs tpWeight, fpWeight and fnWeight"},
		{`{"a": {"CostMatrix": {"tpWeight": 1, "fpWeight": -1, "fnWeight": 1}}}`, "fpWeight = -1 must be finite and ≥ 0"},
		{`{"a": {"CostMatrix": {"tpWeight": "1", "fpWeight": 1, "fnWeight": 1}}}`, "p.json:1:"},
		{`[1]`, "p.json:1:"},
	} {
		_, err := ReadProfiles(strings.NewReader(tc.in), "p.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

func TestReadThresholds(t *testing.T) {
	th, err := ReadThresholds(strings.NewReader(`{"d": {"standard": {"score": 3, "threshold": 0.5}}}`), "t.json")
	if err != nil || th["d"]["standard"] != 0.5 {
		t.Fatalf("%v %v", th, err)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"d": {"standard": {"score": 3}}}`, `t.json: d/standard has no "threshold"`},
		{`{"d": {"standard": {"threshold": "x"}}}`, "t.json:1:"},
		{`null`, "got null"},
		{``, "t.json: empty file"},
		{"{\"d\": 1", "t.json:1:7: invalid JSON"},
	} {
		_, err := ReadThresholds(strings.NewReader(tc.in), "t.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

// writeCorpus makes a small NAB root in a temp dir: files maps a relative
// data path to CSV text.
func writeCorpus(t *testing.T, windows string, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, "data", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "labels"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "labels", "combined_windows.json"), []byte(windows), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// tinySeries has rows at 00:00, 00:05, ..., one every 5 minutes.
func tinySeries(n int) string {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	t0 := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		b.WriteString(t0.Add(5*time.Minute*time.Duration(i)).Format(TimeLayout) + ",1\n")
	}
	return b.String()
}

func TestLoadCorpusSynthetic(t *testing.T) {
	root := writeCorpus(t, windowsJSON, map[string]string{"cat/a.csv": tinySeries(20), "cat/b.csv": tinySeries(3)})
	c, err := LoadCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 2 || c.Files[0].Name != "cat/a.csv" || c.NumWindows() != 2 || c.NumRows() != 23 {
		t.Fatalf("corpus %+v", c)
	}
	if w := c.File("cat/a.csv").Windows; w[0] != (Window{2, 4}) || w[1] != (Window{8, 8}) {
		t.Errorf("windows %v", w)
	}
	if c.File("nope") != nil {
		t.Error("File(nope) != nil")
	}
	// An empty label path is the default label file, as LoadCorpus reads it.
	if d, err := LoadCorpusWindows(root, ""); err != nil || len(d.Files) != 2 || d.NumRows() != 23 || d.NumWindows() != 2 {
		t.Errorf("LoadCorpusWindows(root, \"\") = %+v, %v; want LoadCorpus's corpus", d, err)
	}

	// Errors name the file.
	root = writeCorpus(t, windowsJSON, map[string]string{"cat/a.csv": tinySeries(20)})
	if _, err := LoadCorpus(root); err == nil || !strings.Contains(err.Error(), filepath.Join("data", "cat", "b.csv")) {
		t.Errorf("missing data file: %v", err)
	}
	root = writeCorpus(t, windowsJSON, map[string]string{"cat/a.csv": tinySeries(5), "cat/b.csv": tinySeries(3)})
	if _, err := LoadCorpus(root); err == nil || !strings.Contains(err.Error(), "cat/a.csv: window 1: start 2014-01-01 00:40:00 is not a row timestamp") {
		t.Errorf("window outside the data: %v", err)
	}
	root = writeCorpus(t, windowsJSON, map[string]string{"cat/a.csv": tinySeries(20), "cat/b.csv": "timestamp,value\n2014-01-01 00:00:00,x\n"})
	if _, err := LoadCorpus(root); err == nil || !strings.Contains(err.Error(), "b.csv:2: value \"x\" is not a number") {
		t.Errorf("bad data file: %v", err)
	}
	root = writeCorpus(t, `{}`, nil)
	if _, err := LoadCorpus(root); err == nil || !strings.Contains(err.Error(), "names no data files") {
		t.Errorf("empty labels: %v", err)
	}
	if _, err := LoadCorpus(t.TempDir()); err == nil {
		t.Error("no labels file: no error")
	}
}

func TestNewCorpusErrors(t *testing.T) {
	s := seriesOf(10)
	for _, tc := range []struct {
		files []*File
		want  string
	}{
		{[]*File{{Name: "a", Series: s}, {Name: "a", Series: s}}, "given twice"},
		{[]*File{{Name: "a", Series: &Series{}}}, "no rows"},
		{[]*File{{Name: "a"}}, "no rows"},
		{[]*File{{Name: "a", Series: s, Windows: []Window{{5, 10}}}}, "not a valid range"},
	} {
		_, err := NewCorpus(tc.files)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

func TestTimeOrder(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2014, 3, 9, h, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		hours []int
		want  TimeOrder
	}{
		{nil, TimeOrder{First: -1}},
		{[]int{1, 2, 3}, TimeOrder{First: -1}},
		{[]int{1, 2, 2, 3}, TimeOrder{Repeats: 1, First: 2}},
		{[]int{1, 3, 2, 2}, TimeOrder{Repeats: 1, Backwards: 1, First: 2}},
	} {
		s := &Series{}
		for _, h := range c.hours {
			s.Timestamps = append(s.Timestamps, at(h))
			s.Values = append(s.Values, 0)
		}
		if got := s.TimeOrder(); got != c.want || got.OK() != (c.want.Repeats+c.want.Backwards == 0) {
			t.Errorf("%v: %+v, want %+v", c.hours, got, c.want)
		}
	}
}

// TestCorpusTimeOrder: the corpus has the deviations docs/benchmarks.md
// §1.1 lists: timestamps not strictly increasing in 8 files, repeats in 7 of
// them and one backward jump in machine_temperature_system_failure.csv.
func TestCorpusTimeOrder(t *testing.T) {
	c := loadCorpus(t)
	repeats, deviating := 0, 0
	for _, f := range c.Files {
		o := f.TimeOrder()
		if o.Repeats > 0 {
			repeats++
		}
		if !o.OK() {
			deviating++
		}
	}
	if repeats != 7 || deviating != 8 {
		t.Errorf("%d files repeat a timestamp and %d are not increasing, want 7 and 8", repeats, deviating)
	}
	if o := c.File("realKnownCause/machine_temperature_system_failure.csv").TimeOrder(); o.Backwards == 0 {
		t.Errorf("machine_temperature_system_failure: %v, want a backward step", o)
	}
}
