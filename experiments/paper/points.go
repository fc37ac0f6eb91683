package paper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/theory"
)

// Job is one simulation requested by a report.
type Job struct {
	// Index is the position of the job in the report's order (Jobs); a
	// sweep split into Shards parts gives the job to shard
	// Index mod Shards.
	Index int
	// Key is the identity of the point, "FIGURE|kind|method|params" with
	// the parameters in canonical order, e.g.
	// "F5|fp|direct|n=300 a=64 s=24 theta=12". It is unique within a
	// report, and the point's seed is derived from it and Options.Seed.
	Key     string
	Figure  string
	Series  string
	Kind    string
	Method  string
	Params  theory.Args
	Samples int64  // samples requested
	Seed    uint64 // the point's own seed
}

// Jobs lists the simulations that Build(ctx, o) requests, in order,
// whatever o.Shard (and without simulating: o.Sim is not used).
func Jobs(o Options) ([]Job, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	figs, err := (&builder{o: o}).figures()
	if err != nil {
		return nil, err
	}
	var jobs []Job
	for i, sj := range simJobs(&Report{Figures: figs}) {
		jobs = append(jobs, sj.job(i))
	}
	return jobs, nil
}

// Matches reports whether r is the result of j: the same point, method,
// requested samples and seed. A Simulator is deterministic, so such a
// record is exactly what simulating j would give.
func (j Job) Matches(r Record) bool {
	return r.Key == j.Key && r.Kind == j.Kind && r.Method == j.Method && r.Samples == j.Samples && r.Seed == j.Seed
}

func (j Job) record(sp SimPoint) Record {
	return Record{
		Key: j.Key, Figure: j.Figure, Kind: j.Kind, Method: j.Method, Params: j.Params,
		Samples: j.Samples, Seed: j.Seed, Result: sp,
	}
}

// Record is one finished simulation: a line of points.jsonl.
type Record struct {
	Key     string      `json:"key"`
	Figure  string      `json:"figure"`
	Kind    string      `json:"kind"`
	Method  string      `json:"method"`
	Params  theory.Args `json:"params"`
	Samples int64       `json:"samples"` // requested (Result.Samples: drawn)
	Seed    uint64      `json:"seed"`
	Result  SimPoint    `json:"result"`
}

// jsonFloat is a float64 that survives JSON exactly, NaN and ±Inf
// included (as the strings "NaN", "+Inf" and "-Inf").
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return json.Marshal(x) // the shortest text that reads back as x
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = jsonFloat(math.NaN())
		case "+Inf":
			*f = jsonFloat(math.Inf(1))
		case "-Inf":
			*f = jsonFloat(math.Inf(-1))
		default:
			return fmt.Errorf("invalid number %q", s)
		}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

type simPointJSON struct {
	Samples      int64        `json:"samples"`
	Hits         int64        `json:"hits"`
	Estimate     jsonFloat    `json:"estimate"`
	SE           jsonFloat    `json:"se"`
	CI95         [2]jsonFloat `json:"ci95"`
	DesignEffect jsonFloat    `json:"design_effect"`
}

type recordJSON struct {
	Key     string       `json:"key"`
	Figure  string       `json:"figure"`
	Kind    string       `json:"kind"`
	Method  string       `json:"method"`
	Params  theory.Args  `json:"params"`
	Samples int64        `json:"samples"`
	Seed    uint64       `json:"seed"`
	Result  simPointJSON `json:"result"`
}

// MarshalJSON writes the record on one line; every float reads back
// bit for bit.
func (r Record) MarshalJSON() ([]byte, error) {
	sp := r.Result
	return json.Marshal(recordJSON{
		Key: r.Key, Figure: r.Figure, Kind: r.Kind, Method: r.Method, Params: r.Params,
		Samples: r.Samples, Seed: r.Seed,
		Result: simPointJSON{
			Samples: sp.Samples, Hits: sp.Hits, Estimate: jsonFloat(sp.Estimate), SE: jsonFloat(sp.SE),
			CI95: [2]jsonFloat{jsonFloat(sp.CI95[0]), jsonFloat(sp.CI95[1])}, DesignEffect: jsonFloat(sp.DesignEffect),
		},
	})
}

// UnmarshalJSON reads a record and checks that its key names its figure,
// kind, method and parameters.
func (r *Record) UnmarshalJSON(b []byte) error {
	var v recordJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch v.Kind {
	case KindFP, KindFN, KindUnion, KindNeuron:
	default:
		return fmt.Errorf("unknown kind %q", v.Kind)
	}
	if want := pointKey(v.Figure, v.Kind, v.Method, v.Params); v.Key != want {
		return fmt.Errorf("key %q does not match the point %q", v.Key, want)
	}
	rec := Record{
		Key: v.Key, Figure: v.Figure, Kind: v.Kind, Method: v.Method, Params: v.Params,
		Samples: v.Samples, Seed: v.Seed,
		Result: SimPoint{
			Samples: v.Result.Samples, Hits: v.Result.Hits, Estimate: float64(v.Result.Estimate),
			SE: float64(v.Result.SE), CI95: [2]float64{float64(v.Result.CI95[0]), float64(v.Result.CI95[1])},
			DesignEffect: float64(v.Result.DesignEffect),
		},
	}
	if err := rec.validate(); err != nil {
		return fmt.Errorf("%s: %w", v.Key, err)
	}
	*r = rec
	return nil
}

// validate checks that a record's result is one a simulation can give:
// before, an edited points.jsonl was taken as it was, and a standard error
// of 1e-308 made the summary print a 309-digit max |z|.
//
//   - 1 ≤ requested samples ≤ samples drawn, 0 ≤ hits ≤ samples drawn;
//   - the estimate, its standard error and interval finite, the interval
//     ordered and inside [0, 1] at its lower end, the design effect ≥ 0;
//   - direct Monte Carlo: estimate = hits/samples exactly, within [0, 1];
//   - importance sampling: the standard error is the sample one, which is
//     never below est·√((N−h)/(h·(N−1))) for h hits in N samples (the
//     variance of h equal weights and N−h zeros, the least for that mean
//     and count); a smaller one is refused.
func (r Record) validate() error {
	sp := r.Result
	bad := func(format string, a ...any) error { return fmt.Errorf("invalid result: "+format, a...) }
	switch {
	case r.Samples < 1 || sp.Samples < r.Samples:
		return bad("%d samples drawn for %d requested", sp.Samples, r.Samples)
	case sp.Hits < 0 || sp.Hits > sp.Samples:
		return bad("%d hits in %d samples", sp.Hits, sp.Samples)
	case !finite(sp.Estimate) || sp.Estimate < 0:
		return bad("estimate %v", sp.Estimate)
	case !finite(sp.SE) || sp.SE < 0:
		return bad("standard error %v", sp.SE)
	case !finite(sp.CI95[0]) || !finite(sp.CI95[1]) || sp.CI95[0] < 0 || sp.CI95[0] > sp.CI95[1]:
		return bad("interval %v", sp.CI95)
	case !finite(sp.DesignEffect) || sp.DesignEffect < 0:
		return bad("design effect %v", sp.DesignEffect)
	}
	if r.Method != MethodImportance {
		if sp.Estimate != float64(sp.Hits)/float64(sp.Samples) {
			return bad("estimate %v is not hits/samples = %d/%d", sp.Estimate, sp.Hits, sp.Samples)
		}
		return nil
	}
	if h, n := float64(sp.Hits), float64(sp.Samples); sp.Hits > 0 && sp.Samples > 1 {
		if least := sp.Estimate * math.Sqrt((n-h)/(h*(n-1))); sp.SE < least*(1-1e-9) {
			return bad("standard error %v below the least possible %v for %d hits in %d samples", sp.SE, least, sp.Hits, sp.Samples)
		}
	}
	return nil
}

// PointsFormat is the format tag of a points file's header.
const PointsFormat = "dendritic-paper-points/1"

// PointsHeader is the first line of a points file: the options of the
// sweep that the records belong to.
type PointsHeader struct {
	Format    string   `json:"format"` // PointsFormat
	Samples   int64    `json:"samples"`
	ISSamples int64    `json:"is_samples"`
	Seed      uint64   `json:"seed"`
	Only      []string `json:"only"`
	Shard     int      `json:"shard"`
	Shards    int      `json:"shards"` // 1 for a whole (or merged) sweep
}

// NewPointsHeader returns the header of a sweep built with o (the sample
// counts resolved, Shards at least 1).
func NewPointsHeader(o Options) PointsHeader {
	h := PointsHeader{
		Format: PointsFormat, Samples: o.samples(), ISSamples: o.isSamples(), Seed: o.Seed,
		Only: o.Only, Shard: o.Shard, Shards: max(o.Shards, 1),
	}
	if h.Only == nil {
		h.Only = []string{}
	}
	return h
}

// Options returns the options of the sweep (without Sim, Reuse and the
// callbacks). Build with them gives the same report as the sweep.
func (h PointsHeader) Options() Options {
	o := Options{Samples: h.Samples, ISSamples: h.ISSamples, Seed: h.Seed, Shard: h.Shard, Shards: h.Shards}
	if len(h.Only) > 0 {
		o.Only = h.Only
	}
	return o
}

// Describe returns the options as command-line flags, e.g.
// "--samples 100000000 --is-samples 4000000 --seed 42 --only F5 --shard 0/4".
func (h PointsHeader) Describe() string {
	s := fmt.Sprintf("--samples %d --is-samples %d --seed %d", h.Samples, h.ISSamples, h.Seed)
	if len(h.Only) > 0 {
		s += " --only " + strings.Join(h.Only, ",")
	}
	if h.Shards > 1 {
		s += fmt.Sprintf(" --shard %d/%d", h.Shard, h.Shards)
	}
	return s
}

// sameSweep reports the first option in which h and g differ ("" if none;
// the shard index is not compared).
func (h PointsHeader) sameSweep(g PointsHeader) string {
	switch {
	case h.Samples != g.Samples:
		return "samples"
	case h.ISSamples != g.ISSamples:
		return "is-samples"
	case h.Seed != g.Seed:
		return "seed"
	case !slices.Equal(h.Only, g.Only):
		return "only"
	case h.Shards != g.Shards:
		return "shards"
	}
	return ""
}

// Points is the content of a points file.
type Points struct {
	// Source names the file in messages (set by the caller).
	Source string
	// Header is the zero value when the file has no complete header (it
	// is empty, or the run was killed while writing it).
	Header  PointsHeader
	Records []Record
	// Truncated is set when the last line was incomplete (a run killed
	// while writing it) and was dropped.
	Truncated bool
}

// MaxShards bounds the shard count of a sweep: the sweep has about a
// hundred points, so more shards than this only make empty ones, and the
// bound keeps a merge's bookkeeping small whatever a points file claims.
const MaxShards = 4096

// ErrNotPoints is returned by ReadPoints for data that is not a points
// file.
var ErrNotPoints = errors.New("not a points file")

// ReadPoints reads a points file: a header line (PointsHeader) and one
// Record per line. An incomplete last line is dropped and reported by
// Points.Truncated; any other bad line is an error.
func ReadPoints(r io.Reader) (*Points, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrNotPoints)
	}
	p := &Points{}
	lines := bytes.Split(data, []byte("\n"))
	header := false
	for i, line := range lines {
		// The element after the last newline is a line cut short (or
		// empty when the file ends with a newline).
		last := i == len(lines)-1
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !header {
			var h PointsHeader
			if err := json.Unmarshal(line, &h); err != nil {
				if pre := []byte(`{"format":`); last && !json.Valid(line) && (bytes.HasPrefix(line, pre) || bytes.HasPrefix(pre, line)) {
					p.Truncated = true
					break
				}
				return nil, fmt.Errorf("%w: line 1: %v", ErrNotPoints, err)
			}
			if !strings.HasPrefix(h.Format, "dendritic-paper-points/") {
				return nil, fmt.Errorf("%w: line 1 has no \"format\": %q", ErrNotPoints, PointsFormat)
			}
			if h.Format != PointsFormat {
				return nil, fmt.Errorf("line 1: format %q is not supported (want %q)", h.Format, PointsFormat)
			}
			if h.Shards < 1 || h.Shards > MaxShards || h.Shard < 0 || h.Shard >= h.Shards {
				return nil, fmt.Errorf("line 1: shard %d/%d: want 0 ≤ shard < shards ≤ %d", h.Shard, h.Shards, MaxShards)
			}
			if h.Only == nil {
				h.Only = []string{}
			}
			p.Header, header = h, true
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			if last && !json.Valid(line) {
				p.Truncated = true
				break
			}
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		p.Records = append(p.Records, rec)
	}
	return p, nil
}

// MarshalLine returns the header as one line of JSON.
func (h PointsHeader) MarshalLine() ([]byte, error) {
	b, err := json.Marshal(h)
	return append(b, '\n'), err
}

// MarshalLine returns the record as one line of JSON.
func (r Record) MarshalLine() ([]byte, error) {
	b, err := json.Marshal(r)
	return append(b, '\n'), err
}

// PointsLog is a points file open for appending records.
type PointsLog struct {
	f *os.File
}

// CreatePoints writes a points file holding h and recs at path, replacing
// any file there atomically (a temporary file is written, synced and
// renamed over path), and opens it for Append.
func CreatePoints(path string, h PointsHeader, recs []Record) (*PointsLog, error) {
	var buf bytes.Buffer
	line, err := h.MarshalLine()
	if err != nil {
		return nil, err
	}
	buf.Write(line)
	for _, r := range recs {
		line, err := r.MarshalLine()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Key, err)
		}
		buf.Write(line)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable where the system allows it
		d.Close()
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	return &PointsLog{f: f}, nil
}

// Append writes r as one line with a single write and syncs the file, so
// that a killed run loses at most the line being written (which
// ReadPoints then drops).
func (l *PointsLog) Append(r Record) error {
	line, err := r.MarshalLine()
	if err != nil {
		return err
	}
	if _, err := l.f.Write(line); err != nil {
		return err
	}
	return l.f.Sync()
}

// Close closes the file.
func (l *PointsLog) Close() error { return l.f.Close() }

// RecordIndex offers finished simulations for reuse (Options.Reuse).
type RecordIndex struct {
	recs  []Record
	byKey map[string][]int
	used  []bool
}

// NewRecordIndex indexes recs by point.
func NewRecordIndex(recs []Record) *RecordIndex {
	x := &RecordIndex{recs: recs, byKey: map[string][]int{}, used: make([]bool, len(recs))}
	for i, r := range recs {
		x.byKey[r.Key] = append(x.byKey[r.Key], i)
	}
	return x
}

// Reuse returns the result of the first record that Matches j.
func (x *RecordIndex) Reuse(j Job) (SimPoint, bool) {
	for _, i := range x.byKey[j.Key] {
		if j.Matches(x.recs[i]) {
			x.used[i] = true
			return x.recs[i].Result, true
		}
	}
	return SimPoint{}, false
}

// Used returns the number of records that Reuse has returned.
func (x *RecordIndex) Used() int {
	n := 0
	for _, u := range x.used {
		if u {
			n++
		}
	}
	return n
}

// MergeInfo describes a merge of points files.
type MergeInfo struct {
	Shards     int // shards merged
	Points     int // points of the sweep (all present)
	Duplicates int // points found more than once, always with identical results
	Ignored    int // records that are no point of the sweep (other options)
}

// MergePoints merges the points files of the shards of one sweep into the
// points of the whole sweep, in job order, with the header of an unsplit
// run (Shard 0, Shards 1). The headers must agree on every option, each
// shard 0..Shards−1 must be given exactly once, and every point of the
// sweep must be present. A point recorded more than once is accepted if
// every copy has the same result (a Simulator is deterministic: a shard run
// twice gives the same records) and is an error otherwise. Records that
// match no point of the sweep are ignored and counted.
func MergePoints(parts ...*Points) (*Points, MergeInfo, error) {
	var info MergeInfo
	if len(parts) == 0 {
		return nil, info, errors.New("no points files")
	}
	for _, p := range parts {
		if p.Header.Format == "" {
			return nil, info, fmt.Errorf("%s: no header (an empty file, or a run killed at its start)", p.Source)
		}
	}
	h := parts[0].Header
	if h.Shards < 1 || h.Shards > MaxShards {
		return nil, info, fmt.Errorf("%s: %d shards: want 1 to %d", parts[0].Source, h.Shards, MaxShards)
	}
	byShard := make([]*Points, h.Shards)
	for _, p := range parts {
		if what := h.sameSweep(p.Header); what != "" {
			return nil, info, fmt.Errorf("%s and %s are not shards of the same sweep: they differ in --%s (%s; %s)",
				parts[0].Source, p.Source, what, h.Describe(), p.Header.Describe())
		}
		if q := byShard[p.Header.Shard]; q != nil {
			return nil, info, fmt.Errorf("shard %d/%d given twice: %s and %s", p.Header.Shard, h.Shards, q.Source, p.Source)
		}
		byShard[p.Header.Shard] = p
	}
	for i, p := range byShard {
		if p == nil {
			return nil, info, fmt.Errorf("shard %d/%d is missing", i, h.Shards)
		}
	}
	o := h.Options()
	o.Shard, o.Shards = 0, 0
	jobs, err := Jobs(o)
	if err != nil {
		return nil, info, err
	}
	type found struct {
		rec  Record
		line []byte
		src  string
	}
	byKey := map[string][]found{}
	total := 0
	for _, p := range parts {
		for _, r := range p.Records {
			line, err := r.MarshalLine()
			if err != nil {
				return nil, info, fmt.Errorf("%s: %s: %w", p.Source, r.Key, err)
			}
			byKey[r.Key] = append(byKey[r.Key], found{r, line, p.Source})
			total++
		}
	}
	out := &Points{Header: h}
	out.Header.Shard, out.Header.Shards = 0, 1
	var missing []string
	used := 0
	for _, j := range jobs {
		var got []found
		for _, f := range byKey[j.Key] {
			if j.Matches(f.rec) {
				got = append(got, f)
			}
		}
		used += len(got)
		if len(got) == 0 {
			missing = append(missing, fmt.Sprintf("%s (shard %d/%d)", j.Key, j.Index%h.Shards, h.Shards))
			continue
		}
		for _, f := range got[1:] {
			if !bytes.Equal(f.line, got[0].line) {
				return nil, info, fmt.Errorf("point %s has two different results (%s and %s): not one sweep", j.Key, got[0].src, f.src)
			}
		}
		if len(got) > 1 {
			info.Duplicates++
		}
		out.Records = append(out.Records, got[0].rec)
	}
	if n := len(missing); n > 0 {
		const show = 5
		more := ""
		if n > show {
			more = fmt.Sprintf(", … (%d more)", n-show)
			missing = missing[:show]
		}
		return nil, info, fmt.Errorf("%d of %d points missing: %s%s", n, len(jobs), strings.Join(missing, ", "), more)
	}
	info.Shards, info.Points, info.Ignored = h.Shards, len(jobs), total-used
	return out, info, nil
}

// noSimulator is the Simulator of a report built from records only.
type noSimulator struct{}

func (noSimulator) Simulate(_ context.Context, kind string, p theory.Args, _ int64, _ uint64, method string) (SimPoint, error) {
	return SimPoint{}, fmt.Errorf("no record of %s/%s %s", kind, method, paramString(p))
}

// FromPoints returns the options that build the report of a whole sweep
// from its points (for example the output of MergePoints) without
// simulating: every point is reused, and a missing one fails (its fields
// stay null and Build returns an error).
func FromPoints(p *Points) Options {
	o := p.Header.Options()
	o.Shard, o.Shards = 0, 0
	o.Sim = noSimulator{}
	o.Reuse = NewRecordIndex(p.Records).Reuse
	return o
}
