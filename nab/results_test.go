package nab

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadResults(t *testing.T) {
	// Numenta's files carry more columns; anomaly_score is found by name.
	in := "timestamp,value,anomaly_score,raw_score,label,S(t)_standard\n" +
		"2014-07-01 00:00:00,10844,0.0301029996659,1.0,0,0.0\n" +
		"2014-07-01 00:30:00,8127,1.0,1.0,0,0.0\n" +
		"2014-07-01 00:30:00,8127,0,1.0,0,0.0\n"
	r, err := ReadResults(strings.NewReader(in), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Scores) != 3 || r.Scores[0] != 0.0301029996659 || r.Scores[1] != 1 || r.Scores[2] != 0 {
		t.Errorf("scores %v", r.Scores)
	}
	const h = "timestamp,anomaly_score\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "r.csv: empty file"},
		{"no rows", h, "r.csv: no data rows"},
		{"no score column", "timestamp,value\n2014-01-01 00:00:00,1\n", `has no column "anomaly_score"`},
		{"above 1", h + "2014-01-01 00:00:00,0.5\n2014-01-01 00:05:00,1.0000001\n", "r.csv:3: anomaly_score 1.0000001 is outside [0,1]"},
		{"negative", h + "2014-01-01 00:00:00,-0.0001\n", "r.csv:2: anomaly_score -0.0001 is outside [0,1]"},
		{"NaN", h + "2014-01-01 00:00:00,nan\n", "r.csv:2: anomaly_score is nan"},
		{"missing", h + "2014-01-01 00:00:00,\n", "r.csv:2: missing anomaly_score"},
		{"timestamp", h + "01/01/2014,0\n", "r.csv:2: timestamp"},
	} {
		_, err := ReadResults(strings.NewReader(tc.in), "r.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestResultsPath(t *testing.T) {
	got := ResultsPath("res", "numenta", "realKnownCause/nyc_taxi.csv")
	if want := filepath.Join("res", "numenta", "realKnownCause", "numenta_nyc_taxi.csv"); got != want {
		t.Errorf("%s, want %s", got, want)
	}
}

func TestWriteLoadResults(t *testing.T) {
	c := mustCorpus(t,
		&File{Name: "cat/a.csv", Series: seriesOf(30), Windows: []Window{{10, 14}, {20, 20}}},
		&File{Name: "other/b.csv", Series: seriesOf(7)})
	c.Files[0].Values[3] = 1e300
	c.Files[0].Values[4] = -0.1
	scores := map[string][]float64{}
	for _, f := range c.Files {
		a := make([]float64, f.Len())
		for i := range a {
			a[i] = math.Mod(float64(i)*0.1234567891234, 1)
		}
		a[0], a[1] = 1, 5e-324
		scores[f.Name] = a
	}
	dir := t.TempDir()
	for _, f := range c.Files {
		if err := WriteResultsFile(dir, "det", f, scores[f.Name]); err != nil {
			t.Fatal(err)
		}
	}
	got, err := LoadResults(dir, "det", c)
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range scores {
		for i := range a {
			if got[name][i] != a[i] {
				t.Fatalf("%s row %d: %v, wrote %v", name, i, got[name][i], a[i])
			}
		}
	}
	// Values and labels: a data reader sees the same series back; label is 1
	// exactly inside the windows.
	text, err := os.ReadFile(ResultsPath(dir, "det", "cat/a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadSeries(bytes.NewReader(text), "w")
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Values {
		if s.Values[i] != c.Files[0].Values[i] || !s.Timestamps[i].Equal(c.Files[0].Timestamps[i]) {
			t.Fatalf("row %d: %v %v", i, s.Timestamps[i], s.Values[i])
		}
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if lines[0] != "timestamp,value,anomaly_score,label" {
		t.Errorf("header %q", lines[0])
	}
	for i, ln := range lines[1:] {
		in := (i >= 10 && i <= 14) || i == 20
		if strings.HasSuffix(ln, ",1") != in {
			t.Errorf("row %d: %q (in window: %v)", i, ln, in)
		}
	}

	// Misaligned results are refused with the file and line (the other
	// file is whole, so the set is complete).
	for _, det := range []string{"short", "shift"} {
		if err := WriteResultsFile(dir, det, c.File("other/b.csv"), scores["other/b.csv"]); err != nil {
			t.Fatal(err)
		}
	}
	short := map[string][]float64{"cat/a.csv": scores["cat/a.csv"][:29]}
	if err := WriteResultsFile(dir, "short", &File{Name: "cat/a.csv", Series: seriesOf(29)}, short["cat/a.csv"]); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadResults(dir, "short", c); err == nil || !strings.Contains(err.Error(), "29 result rows, but data file cat/a.csv has 30 rows") {
		t.Errorf("short results: %v", err)
	}
	shifted := &File{Name: "cat/a.csv", Series: seriesOf(31)}
	shifted.Series.Timestamps = shifted.Series.Timestamps[1:]
	shifted.Series.Values = shifted.Series.Values[1:]
	if err := WriteResultsFile(dir, "shift", shifted, scores["cat/a.csv"]); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadResults(dir, "shift", c); err == nil || !strings.Contains(err.Error(), "shift_a.csv:2: timestamp 2014-04-01 00:05:00 differs from row 0") {
		t.Errorf("shifted results: %v", err)
	}
	if _, err := LoadResults(dir, "missing", c); err == nil {
		t.Error("missing detector: no error")
	}
	if _, err := LoadResults(dir, "../x", c); err == nil || !strings.Contains(err.Error(), "invalid detector name") {
		t.Errorf("bad detector name: %v", err)
	}
	// Writing refuses out-of-range scores and wrong lengths.
	if err := WriteResults(&bytes.Buffer{}, c.Files[1], []float64{0, 0, 0, 0, 0, 0, math.NaN()}); err == nil {
		t.Error("NaN written")
	}
	if err := WriteResults(&bytes.Buffer{}, c.Files[1], []float64{0}); err == nil {
		t.Error("short scores written")
	}
}

func TestOpenResults(t *testing.T) {
	c := loadCorpus(t)
	root := numentaResults(t) // root/numenta/<category>/numenta_<file>.csv
	// The results root: one detector.
	rd, err := OpenResults(root, c)
	if err != nil || rd.Root != root || !slices.Equal(rd.Detectors, []string{"numenta"}) {
		t.Fatalf("root: %+v, %v", rd, err)
	}
	// One detector's folder (NAB's results/numenta/): its categories are
	// recognised, and the root is its parent.
	rd, err = OpenResults(filepath.Join(root, "numenta"), c)
	if err != nil || !slices.Equal(rd.Detectors, []string{"numenta"}) {
		t.Fatalf("detector folder: %+v, %v", rd, err)
	}
	if _, err := LoadResults(rd.Root, "numenta", c); err != nil {
		t.Fatalf("detector folder: %v", err)
	}
	// A renamed detector folder names the prefix of its files.
	other := t.TempDir()
	if err := os.Symlink(filepath.Join(root, "numenta", "realKnownCause"), filepath.Join(other, "realKnownCause")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenResults(other, c); err == nil || !strings.Contains(err.Error(), `detector "numenta"`) {
		t.Errorf("renamed folder: %v", err)
	}
	// Empty and mixed folders are refused with the layout expected.
	if _, err := OpenResults(t.TempDir(), c); err == nil || !strings.Contains(err.Error(), "holds no results") {
		t.Errorf("empty: %v", err)
	}
	os.Mkdir(filepath.Join(other, "mine"), 0o755)
	if _, err := OpenResults(other, c); err == nil || !strings.Contains(err.Error(), "mixes category folders") {
		t.Errorf("mixed: %v", err)
	}
}

// TestPartialResults: a result set that lacks files is refused with the
// list of what is missing, never scored as if it were whole.
func TestPartialResults(t *testing.T) {
	c := loadCorpus(t)
	dir := t.TempDir()
	for _, f := range c.Files[:3] {
		if err := WriteResultsFile(dir, "mine", f, make([]float64, f.Len())); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadResults(dir, "mine", c)
	var miss *MissingResultsError
	if !errors.As(err, &miss) || len(miss.Missing) != len(c.Files)-3 || miss.Total != len(c.Files) {
		t.Fatalf("partial set: %v", err)
	}
	if !strings.Contains(err.Error(), "results for 3 of 58 corpus files") || !strings.Contains(err.Error(), "more") {
		t.Errorf("message: %v", err)
	}
}

// TestTarDotEntries: an archive made with "tar -czf x.tgz -C dir ." has a
// "./" root entry and "./"-prefixed names; it extracts like any other.
func TestTarDotEntries(t *testing.T) {
	src := tarGz(t, [2]string{"./", ""}, [2]string{"./det/", ""}, [2]string{"./det/a/", ""}, [2]string{"./det/a/det_x.csv", "timestamp,value,anomaly_score,label\n"})
	dst := t.TempDir()
	if err := ExtractTarGz(src, dst); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, "det", "a", "det_x.csv")); err != nil {
		t.Fatal(err)
	}
}

// tarGz builds a .tar.gz from (name, body) entries; a name ending in "/" is
// a directory.
func tarGz(t *testing.T, entries ...[2]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e[0], Mode: 0o644, Size: int64(len(e[1])), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e[0], "/") {
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e[1]))
	}
	tw.Close()
	zw.Close()
	p := filepath.Join(t.TempDir(), "x.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtractTarGz(t *testing.T) {
	src := tarGz(t, [2]string{"d/", ""}, [2]string{"d/cat/f.csv", "hello"}, [2]string{"./g.txt", "x"})
	dst := t.TempDir()
	if err := ExtractTarGz(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "d", "cat", "f.csv")); err != nil || string(b) != "hello" {
		t.Errorf("%q %v", b, err)
	}
	for _, bad := range []string{"../evil", "/abs", "d/../../evil"} {
		src := tarGz(t, [2]string{bad, "x"})
		if err := ExtractTarGz(src, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a slash-separated relative path") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	notGz := filepath.Join(t.TempDir(), "n.tar.gz")
	os.WriteFile(notGz, []byte("plain"), 0o644)
	if err := ExtractTarGz(notGz, t.TempDir()); err == nil {
		t.Error("not gzip: no error")
	}
}
