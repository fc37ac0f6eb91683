package nab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Series is one data file: timestamps and values, by row index. Timestamps
// need not increase (see the package comment).
type Series struct {
	Timestamps []time.Time
	Values     []float64
}

// Len is the number of rows.
func (s *Series) Len() int { return len(s.Timestamps) }

// ReadSeries reads a NAB data CSV (header with columns "timestamp" and
// "value"; further columns are ignored). Every row must have a timestamp of
// the form YYYY-MM-DD HH:MM:SS and a finite value; a missing, NaN or infinite
// value is an error. name labels errors ("name:line: ...").
func ReadSeries(r io.Reader, name string) (*Series, error) {
	s := &Series{}
	err := readTable(r, name, []string{"timestamp", "value"}, func(_ int, f []string) error {
		t, err := parseTime(f[0])
		if err != nil {
			return err
		}
		v, err := parseFinite(f[1], "value")
		if err != nil {
			return err
		}
		s.Timestamps = append(s.Timestamps, t)
		s.Values = append(s.Values, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ReadSeriesFile reads a data CSV from disk.
func ReadSeriesFile(path string) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadSeries(f, path)
}

// Window is an anomaly window as inclusive row indices.
type Window struct {
	Start, End int
}

// Len is the number of rows in the window.
func (w Window) Len() int { return w.End - w.Start + 1 }

// RawWindow is a window as read from combined_windows.json.
type RawWindow struct {
	Start, End time.Time
}

// ReadWindows reads a label file in the format of labels/combined_windows.json:
// {"<category>/<file>.csv": [["start", "end"], ...], ...}. Keys must be
// slash-separated relative paths; within a file the windows must be in order
// and not overlap (checked again by MapWindows on row indices).
func ReadWindows(r io.Reader, name string) (map[string][]RawWindow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var raw map[string][][]string
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(name, data, err, `{"category/file.csv": [["start", "end"], ...]}`)
	}
	if raw == nil {
		return nil, fmt.Errorf("%s: expected a JSON object of files, got null", name)
	}
	out := make(map[string][]RawWindow, len(raw))
	for file, ws := range raw {
		if err := checkRelPath(file); err != nil {
			return nil, fmt.Errorf("%s: key %q: %v", name, file, err)
		}
		list := make([]RawWindow, 0, len(ws))
		for k, w := range ws {
			if len(w) != 2 {
				return nil, fmt.Errorf("%s: %s: window %d has %d timestamps, want 2 (start, end)", name, file, k, len(w))
			}
			start, err := parseTime(w[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %s: window %d start: %v", name, file, k, err)
			}
			end, err := parseTime(w[1])
			if err != nil {
				return nil, fmt.Errorf("%s: %s: window %d end: %v", name, file, k, err)
			}
			if end.Before(start) {
				return nil, fmt.Errorf("%s: %s: window %d ends (%s) before it starts (%s)", name, file, k, w[1], w[0])
			}
			if k > 0 && !start.After(list[k-1].End) {
				return nil, fmt.Errorf("%s: %s: window %d (start %s) does not come after window %d (end %s)",
					name, file, k, w[0], k-1, formatTime(list[k-1].End))
			}
			list = append(list, RawWindow{start, end})
		}
		out[file] = list
	}
	return out, nil
}

// checkRelPath accepts "category/file.csv"-style keys only.
func checkRelPath(p string) error {
	if !fs.ValidPath(p) || p == "." || strings.Contains(p, `\`) {
		return errors.New("not a slash-separated relative path inside the corpus")
	}
	return nil
}

// MapWindows converts timestamp windows to row indices: each boundary maps to
// the first row carrying its timestamp (rows repeat timestamps in some files).
// A boundary that is not a row timestamp, or windows that are out of order or
// overlap in rows, is an error.
func MapWindows(s *Series, raw []RawWindow) ([]Window, error) {
	find := func(t time.Time) int {
		for i, u := range s.Timestamps {
			if u.Equal(t) {
				return i
			}
		}
		return -1
	}
	out := make([]Window, 0, len(raw))
	for k, w := range raw {
		a, b := find(w.Start), find(w.End)
		if a < 0 {
			return nil, fmt.Errorf("window %d: start %s is not a row timestamp", k, formatTime(w.Start))
		}
		if b < 0 {
			return nil, fmt.Errorf("window %d: end %s is not a row timestamp", k, formatTime(w.End))
		}
		if b < a {
			return nil, fmt.Errorf("window %d: end row %d comes before start row %d", k, b, a)
		}
		if k > 0 && a <= out[k-1].End {
			return nil, fmt.Errorf("window %d (rows %d..%d) overlaps or precedes window %d (rows %d..%d)",
				k, a, b, k-1, out[k-1].Start, out[k-1].End)
		}
		out = append(out, Window{a, b})
	}
	return out, nil
}

// File is one corpus file with its windows.
type File struct {
	Name string // slash-separated path under data/, e.g. "realKnownCause/nyc_taxi.csv"
	*Series
	Windows []Window
}

// Probation is the file's probationary period (ProbationaryPeriod(Len())).
func (f *File) Probation() int { return ProbationaryPeriod(f.Len()) }

// Corpus is the set of data files named in a label file, sorted by name.
type Corpus struct {
	Files []*File
	index map[string]int
}

// File returns the corpus file with the given name, or nil.
func (c *Corpus) File(name string) *File {
	if i, ok := c.index[name]; ok {
		return c.Files[i]
	}
	return nil
}

// NumWindows is the total number of windows in the corpus.
func (c *Corpus) NumWindows() int {
	n := 0
	for _, f := range c.Files {
		n += len(f.Windows)
	}
	return n
}

// NumRows is the total number of data rows in the corpus.
func (c *Corpus) NumRows() int {
	n := 0
	for _, f := range c.Files {
		n += f.Len()
	}
	return n
}

// DefaultWindowsFile is the label file of NAB v1.1, relative to the NAB root.
const DefaultWindowsFile = "labels/combined_windows.json"

// LoadCorpus loads the NAB corpus under root (the directory holding data/,
// labels/ and config/): the files named in labels/combined_windows.json.
func LoadCorpus(root string) (*Corpus, error) {
	return LoadCorpusWindows(root, "")
}

// LoadCorpusWindows loads the files named in the given label file (for
// example labels/combined_windows_tiny.json) from root/data/. An empty
// windowsPath means root/DefaultWindowsFile, as LoadCorpus.
func LoadCorpusWindows(root, windowsPath string) (*Corpus, error) {
	if windowsPath == "" {
		windowsPath = filepath.Join(root, filepath.FromSlash(DefaultWindowsFile))
	}
	wf, err := os.Open(windowsPath)
	if err != nil {
		return nil, err
	}
	raw, err := ReadWindows(wf, windowsPath)
	wf.Close()
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: names no data files", windowsPath)
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	c := &Corpus{index: make(map[string]int, len(names))}
	for _, n := range names {
		path := filepath.Join(root, "data", filepath.FromSlash(n))
		s, err := ReadSeriesFile(path)
		if err != nil {
			return nil, err
		}
		ws, err := MapWindows(s, raw[n])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v (in %s)", windowsPath, n, err, path)
		}
		c.index[n] = len(c.Files)
		c.Files = append(c.Files, &File{Name: n, Series: s, Windows: ws})
	}
	return c, nil
}

// NewCorpus builds a corpus from files (for tests and generated corpora). It
// checks that names are unique and windows are valid for their series.
func NewCorpus(files []*File) (*Corpus, error) {
	c := &Corpus{index: make(map[string]int, len(files))}
	sorted := append([]*File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, f := range sorted {
		if _, dup := c.index[f.Name]; dup {
			return nil, fmt.Errorf("nab: file %q given twice", f.Name)
		}
		if f.Series == nil || f.Len() == 0 {
			return nil, fmt.Errorf("nab: file %q has no rows", f.Name)
		}
		if err := checkWindows(f.Windows, f.Len()); err != nil {
			return nil, fmt.Errorf("nab: file %q: %v", f.Name, err)
		}
		c.index[f.Name] = len(c.Files)
		c.Files = append(c.Files, f)
	}
	return c, nil
}

// checkWindows validates row-index windows: inside [0,n), ordered, disjoint.
func checkWindows(ws []Window, n int) error {
	for k, w := range ws {
		if w.Start < 0 || w.End >= n || w.End < w.Start {
			return fmt.Errorf("window %d (rows %d..%d) is not a valid range in %d rows", k, w.Start, w.End, n)
		}
		if k > 0 && w.Start <= ws[k-1].End {
			return fmt.Errorf("window %d (rows %d..%d) overlaps or precedes window %d", k, w.Start, w.End, k-1)
		}
	}
	return nil
}

// Profile is a NAB cost matrix.
type Profile struct {
	Name     string  `json:"name"`
	TPWeight float64 `json:"tpWeight"`
	FPWeight float64 `json:"fpWeight"`
	FNWeight float64 `json:"fnWeight"`
	TNWeight float64 `json:"tnWeight"` // unused by the NAB v1.1 score
}

// The three NAB v1.1 profiles (config/profiles.json).
var (
	Standard        = Profile{"standard", 1, 0.11, 1, 1}
	RewardLowFPRate = Profile{"reward_low_FP_rate", 1, 0.22, 1, 1}
	RewardLowFNRate = Profile{"reward_low_FN_rate", 1, 0.11, 2, 1}
)

// Profiles are the three NAB profiles in their conventional order.
var Profiles = []Profile{Standard, RewardLowFPRate, RewardLowFNRate}

func (p Profile) validate() error {
	for _, w := range []struct {
		n string
		v float64
	}{{"tpWeight", p.TPWeight}, {"fpWeight", p.FPWeight}, {"fnWeight", p.FNWeight}, {"tnWeight", p.TNWeight}} {
		if math.IsNaN(w.v) || math.IsInf(w.v, 0) || w.v < 0 {
			return fmt.Errorf("%s = %v must be finite and ≥ 0", w.n, w.v)
		}
	}
	if p.TPWeight+p.FNWeight <= 0 {
		return errors.New("tpWeight + fnWeight must be > 0 (else scores cannot be normalised)")
	}
	return nil
}

// ReadProfiles reads config/profiles.json:
// {"<name>": {"CostMatrix": {"tpWeight": …, "fpWeight": …, "fnWeight": …, "tnWeight": …}}}.
// tpWeight, fpWeight and fnWeight are required. The result lists NAB's
// three profiles first (in the order of Profiles), then any others by name.
func ReadProfiles(r io.Reader, name string) ([]Profile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var raw map[string]struct {
		CostMatrix *struct {
			TP *float64 `json:"tpWeight"`
			FP *float64 `json:"fpWeight"`
			FN *float64 `json:"fnWeight"`
			TN *float64 `json:"tnWeight"`
		}
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(name, data, err, `{"profile": {"CostMatrix": {"tpWeight": 1, ...}}}`)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: no profiles", name)
	}
	var out []Profile
	for pn, v := range raw {
		cm := v.CostMatrix
		if cm == nil {
			return nil, fmt.Errorf("%s: profile %q has no CostMatrix", name, pn)
		}
		if cm.TP == nil || cm.FP == nil || cm.FN == nil {
			return nil, fmt.Errorf("%s: profile %q: CostMatrix needs tpWeight, fpWeight and fnWeight", name, pn)
		}
		p := Profile{Name: pn, TPWeight: *cm.TP, FPWeight: *cm.FP, FNWeight: *cm.FN}
		if cm.TN != nil {
			p.TNWeight = *cm.TN
		}
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("%s: profile %q: %v", name, pn, err)
		}
		out = append(out, p)
	}
	rank := func(n string) int {
		for i, p := range Profiles {
			if p.Name == n {
				return i
			}
		}
		return len(Profiles)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank(out[i].Name), rank(out[j].Name)
		if ri != rj {
			return ri < rj
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// LoadProfiles reads a profiles file from disk.
func LoadProfiles(path string) ([]Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadProfiles(f, path)
}

// Thresholds maps detector → profile → threshold, as in
// config/thresholds.json.
type Thresholds map[string]map[string]float64

// ReadThresholds reads config/thresholds.json:
// {"<detector>": {"<profile>": {"score": …, "threshold": …}}}. Only the
// thresholds are kept; each must be present and finite.
func ReadThresholds(r io.Reader, name string) (Thresholds, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var raw map[string]map[string]struct {
		Threshold *float64 `json:"threshold"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(name, data, err, `{"detector": {"profile": {"threshold": 0.5}}}`)
	}
	if raw == nil {
		return nil, fmt.Errorf("%s: expected a JSON object of detectors, got null", name)
	}
	out := make(Thresholds, len(raw))
	for det, ps := range raw {
		m := make(map[string]float64, len(ps))
		for pn, v := range ps {
			if v.Threshold == nil {
				return nil, fmt.Errorf("%s: %s/%s has no \"threshold\"", name, det, pn)
			}
			if math.IsNaN(*v.Threshold) || math.IsInf(*v.Threshold, 0) {
				return nil, fmt.Errorf("%s: %s/%s: threshold is not finite", name, det, pn)
			}
			m[pn] = *v.Threshold
		}
		out[det] = m
	}
	return out, nil
}

// LoadThresholds reads a thresholds file from disk.
func LoadThresholds(path string) (Thresholds, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadThresholds(f, path)
}

// jsonError turns a decoding error into "name:line:col: ..." where the
// decoder reports an offset.
func jsonError(name string, data []byte, err error, shape string) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		msg := fmt.Sprintf("%s where %s was expected", te.Value, te.Type)
		if te.Field != "" {
			msg += " (field " + te.Field + ")"
		}
		err = fmt.Errorf("%s; expected the shape %s", msg, shape)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: empty file (expected JSON %s)", name, shape)
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("%s: invalid JSON: %v", name, err)
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := max(1, int(off)-(bytes.LastIndexByte(before, '\n')+1))
	return fmt.Errorf("%s:%d:%d: invalid JSON: %v", name, line, col, err)
}

// TimeOrder describes how a series' timestamps deviate from strictly
// increasing order. NAB's rule, which this package follows, is that rows are
// handled by index and a detector sees them in file order whatever their
// timestamps say (the corpus itself has repeated timestamps, from daylight
// saving time, and a few backward steps); TimeOrder lets a caller report the
// deviation instead of accepting it silently.
type TimeOrder struct {
	// Repeats counts rows whose timestamp equals the previous row's;
	// Backwards rows whose timestamp is before it.
	Repeats, Backwards int
	// First is the index of the first such row, or -1 if there is none.
	First int
}

// OK reports whether the timestamps increase strictly.
func (o TimeOrder) OK() bool { return o.Repeats == 0 && o.Backwards == 0 }

// String describes o, e.g. "2 repeated and 1 backward timestamp(s), first at row 17".
func (o TimeOrder) String() string {
	if o.OK() {
		return "timestamps increase"
	}
	return fmt.Sprintf("%d repeated and %d backward timestamp(s), first at row %d", o.Repeats, o.Backwards, o.First)
}

// TimeOrder checks the order of the series' timestamps.
func (s *Series) TimeOrder() TimeOrder {
	o := TimeOrder{First: -1}
	for i := 1; i < len(s.Timestamps); i++ {
		switch c := s.Timestamps[i].Compare(s.Timestamps[i-1]); {
		case c == 0:
			o.Repeats++
		case c < 0:
			o.Backwards++
		default:
			continue
		}
		if o.First < 0 {
			o.First = i
		}
	}
	return o
}
