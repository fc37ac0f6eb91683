package paper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// countingSim wraps a Simulator and counts, per point, the calls and the
// simulations that returned a result.
type countingSim struct {
	inner Simulator
	mu    sync.Mutex
	calls int
	ok    map[string]int // successful simulations by kind/method/params/seed
}

func (c *countingSim) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (SimPoint, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	sp, err := c.inner.Simulate(ctx, kind, p, samples, seed, method)
	if err == nil {
		c.mu.Lock()
		if c.ok == nil {
			c.ok = map[string]int{}
		}
		c.ok[fmt.Sprintf("%s/%s %s seed %d", kind, method, paramString(p), seed)]++
		c.mu.Unlock()
	}
	return sp, err
}

func TestJobs(t *testing.T) {
	o := smallOptions(nil)
	jobs, err := Jobs(o)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	sj := simJobs(r)
	if len(jobs) != len(sj) || len(jobs) == 0 {
		t.Fatalf("%d jobs, report requests %d", len(jobs), len(sj))
	}
	keys := map[string]bool{}
	for i, j := range jobs {
		if j.Index != i || j.Samples != sj[i].p.simSamples || j.Seed != sj[i].p.seed || j.Figure != sj[i].fig.ID {
			t.Errorf("job %d = %+v does not describe %s", i, j, sj[i].label())
		}
		if keys[j.Key] {
			t.Errorf("key %q twice", j.Key)
		}
		keys[j.Key] = true
		if want := pointSeed(o.Seed, j.Figure, j.Kind, j.Method, j.Params); j.Seed != want {
			t.Errorf("%s: seed %d, want %d", j.Key, j.Seed, want)
		}
	}
	if !strings.HasPrefix(jobs[0].Key, "F2|fp|") {
		t.Errorf("first key %q", jobs[0].Key)
	}
	if _, err := Jobs(Options{Shard: 3, Shards: 3}); err == nil {
		t.Error("shard 3/3 accepted")
	}
}

func TestRecordRoundTrip(t *testing.T) {
	recs := []Record{
		{Key: "F5|fp|direct|n=300 a=64 s=24 theta=12", Figure: "F5", Kind: KindFP, Method: MethodDirect,
			Params: segArgs(300, 64, 24, 12), Samples: 100, Seed: math.MaxUint64,
			Result: SimPoint{Samples: 128, Hits: 3, Estimate: 3.0 / 128, SE: 5e-324, CI95: [2]float64{0, 1}, DesignEffect: math.Copysign(0, -1)}},
		{Key: "F6|fn|importance|n=6000 a=128 s=30 theta=8 noise=32", Figure: "F6", Kind: KindFN, Method: MethodImportance,
			Params: segArgs(6000, 128, 30, 8).With(theory.ParamNoise, 32), Samples: 1e4, Seed: 7,
			Result: SimPoint{Samples: 1e4, Hits: 9000, Estimate: 4.9e-324, SE: 0.1 + 0.2, CI95: [2]float64{1e-300, 1.7976931348623157e308}}},
	}
	var buf bytes.Buffer
	h := NewPointsHeader(Options{Samples: 100, Seed: 9, Only: []string{"F6", "F5"}, Shard: 1, Shards: 4})
	line, err := h.MarshalLine()
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(line)
	for _, r := range recs {
		line, err := r.MarshalLine()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(line, []byte("\n")) != 1 {
			t.Fatalf("record not on one line: %q", line)
		}
		buf.Write(line)
	}
	p, err := ReadPoints(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if p.Truncated || p.Header.Describe() != h.Describe() || p.Header.ISSamples != 10_000 || len(p.Records) != 2 {
		t.Fatalf("read back %+v", p)
	}
	bits := func(sp SimPoint) [5]uint64 {
		return [5]uint64{math.Float64bits(sp.Estimate), math.Float64bits(sp.SE), math.Float64bits(sp.CI95[0]),
			math.Float64bits(sp.CI95[1]), math.Float64bits(sp.DesignEffect)}
	}
	for i, r := range p.Records {
		w := recs[i]
		if r.Key != w.Key || r.Seed != w.Seed || r.Samples != w.Samples || r.Result.Hits != w.Result.Hits ||
			r.Result.Samples != w.Result.Samples || bits(r.Result) != bits(w.Result) || paramString(r.Params) != paramString(w.Params) {
			t.Errorf("record %d: read %+v, wrote %+v", i, r, w)
		}
	}

	// A line cut short at its end is dropped; anywhere else it is an error.
	whole := buf.Bytes()
	cut := whole[:len(whole)-40]
	p, err = ReadPoints(bytes.NewReader(cut))
	if err != nil || !p.Truncated || len(p.Records) != 1 {
		t.Errorf("truncated last line: %v, %+v", err, p)
	}
	bad := append(append([]byte{}, cut...), '\n')
	bad = append(bad, whole[len(whole)-40:]...)
	if _, err := ReadPoints(bytes.NewReader(bad)); err == nil || errors.Is(err, ErrNotPoints) {
		t.Errorf("bad middle line: %v", err)
	}
	// A header cut short: no header, no records, no error.
	p, err = ReadPoints(strings.NewReader(`{"format":"dendritic-paper-po`))
	if err != nil || p.Header.Format != "" || !p.Truncated {
		t.Errorf("truncated header: %v %+v", err, p)
	}
	for _, s := range []string{"", "\n", "{\n  \"quantity\": \"fp\"\n}\n", `{"quantity":"fp"}`, "hello"} {
		if _, err := ReadPoints(strings.NewReader(s)); !errors.Is(err, ErrNotPoints) {
			t.Errorf("ReadPoints(%q) = %v, want ErrNotPoints", s, err)
		}
	}
	if _, err := ReadPoints(strings.NewReader(`{"format":"dendritic-paper-points/9"}` + "\n")); err == nil || errors.Is(err, ErrNotPoints) {
		t.Errorf("future version: %v", err)
	}
	// A record whose key does not name its point is rejected.
	forged := strings.Replace(string(whole), `"key":"F5|fp|direct|n=300`, `"key":"F5|fp|direct|n=301`, 1)
	if _, err := ReadPoints(strings.NewReader(forged)); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("forged key: %v", err)
	}
}

// buildAll builds the report and returns the bytes of every file written.
func buildAll(t *testing.T, o Options) map[string][]byte {
	t.Helper()
	r, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return writeAll(t, r)
}

func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: %s differs from the unsplit, uninterrupted run", what, name)
		}
	}
}

// reportJSON builds the report and returns its JSON, without writing the
// figures (so without the file names that Write adds).
func reportJSON(t *testing.T, o Options) []byte {
	t.Helper()
	r, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func TestResumeAfterCancel(t *testing.T) {
	want := buildAll(t, smallOptions(&fakeSim{}))
	requested := len(mustJobs(t, smallOptions(nil)))

	dir := t.TempDir()
	path := filepath.Join(dir, "points.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const k = 7
	cs := &countingSim{inner: &fakeSim{cancelAfter: k, cancel: cancel}}
	o := smallOptions(cs)
	log, err := CreatePoints(path, NewPointsHeader(o), nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Finished = log.Append
	r, err := Build(ctx, o)
	log.Close()
	if !errors.Is(err, context.Canceled) || r == nil || r.Complete || r.Agreement.Simulated != k {
		t.Fatalf("interrupted build: %v, %+v", err, r.Agreement)
	}
	// A kill while a line was being written leaves part of it.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"key":"F5|fp|direct|n=300 a=64 s=24 theta=12","figure":"F5","kind":"fp","meth`)
	f.Close()

	f, _ = os.Open(path)
	p, err := ReadPoints(f)
	f.Close()
	if err != nil || !p.Truncated || len(p.Records) != k {
		t.Fatalf("read back: %v, %d records, truncated %v", err, len(p.Records), p.Truncated)
	}
	cs.inner = &fakeSim{}
	o = smallOptions(cs)
	idx := NewRecordIndex(p.Records)
	o.Reuse = idx.Reuse
	log, err = CreatePoints(path, NewPointsHeader(o), p.Records)
	if err != nil {
		t.Fatal(err)
	}
	o.Finished = log.Append
	var progress []Progress
	o.Progress = func(p Progress) { progress = append(progress, p) }
	got := buildAll(t, o)
	log.Close()
	sameFiles(t, "resumed", got, want)
	if idx.Used() != k {
		t.Errorf("%d records reused, want %d", idx.Used(), k)
	}
	// Every point simulated once: k before the cancel, one call cut short
	// by it, the rest after.
	if cs.calls != requested+1 || len(cs.ok) != requested {
		t.Errorf("%d calls, %d points simulated, want %d and %d", cs.calls, len(cs.ok), requested+1, requested)
	}
	for key, n := range cs.ok {
		if n != 1 {
			t.Errorf("%s simulated %d times", key, n)
		}
	}
	if len(progress) == 0 || progress[0].Done != k || progress[0].Total != requested {
		t.Errorf("first progress of the resumed run: %+v", progress[:min(1, len(progress))])
	}
	// The file now holds every point once.
	f, _ = os.Open(path)
	p, err = ReadPoints(f)
	f.Close()
	if err != nil || p.Truncated || len(p.Records) != requested {
		t.Fatalf("final file: %v, %d records, truncated %v", err, len(p.Records), p.Truncated)
	}
	// And a second resume simulates nothing.
	cs2 := &countingSim{inner: failingSim{}}
	o = smallOptions(cs2)
	o.Reuse = NewRecordIndex(p.Records).Reuse
	if !bytes.Equal(reportJSON(t, o), reportJSON(t, smallOptions(&fakeSim{}))) {
		t.Error("resumed twice: the report differs from the uninterrupted run")
	}
	if cs2.calls != 0 {
		t.Errorf("%d simulations on a complete resume", cs2.calls)
	}
}

func mustJobs(t *testing.T, o Options) []Job {
	t.Helper()
	jobs, err := Jobs(o)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// shardPoints runs shard i of n of o and returns its points.
func shardPoints(t *testing.T, o Options, i, n int) *Points {
	t.Helper()
	o.Shard, o.Shards = i, n
	p := &Points{Source: "shard" + string(rune('0'+i)), Header: NewPointsHeader(o)}
	o.Finished = func(r Record) error { p.Records = append(p.Records, r); return nil }
	r, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete && n > 1 {
		t.Error("a shard's report is marked complete")
	}
	return p
}

func TestShardsMerge(t *testing.T) {
	want := buildAll(t, smallOptions(&fakeSim{}))
	jobs := mustJobs(t, smallOptions(nil))
	const n = 3
	var parts []*Points
	seen := map[string]int{}
	for i := range n {
		p := shardPoints(t, smallOptions(&fakeSim{}), i, n)
		for _, r := range p.Records {
			seen[r.Key]++
		}
		parts = append(parts, p)
	}
	if len(seen) != len(jobs) {
		t.Fatalf("the shards simulated %d distinct points of %d", len(seen), len(jobs))
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("%s simulated by %d shards", k, c)
		}
	}
	merged, info, err := MergePoints(parts[2], parts[0], parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if info.Points != len(jobs) || info.Shards != n || info.Duplicates != 0 || info.Ignored != 0 {
		t.Errorf("info %+v", info)
	}
	if merged.Header.Shards != 1 || merged.Header.Shard != 0 || len(merged.Records) != len(jobs) {
		t.Errorf("merged header %+v, %d records", merged.Header, len(merged.Records))
	}
	for i, r := range merged.Records {
		if r.Key != jobs[i].Key {
			t.Fatalf("merged record %d is %s, want %s (job order)", i, r.Key, jobs[i].Key)
		}
	}
	cs := &countingSim{inner: failingSim{}}
	o := FromPoints(merged)
	o.Sim = cs
	sameFiles(t, "merged", buildAll(t, o), want)
	if !bytes.Equal(reportJSON(t, FromPoints(merged)), reportJSON(t, smallOptions(&fakeSim{}))) {
		t.Error("merged (FromPoints): the report differs from the unsplit run")
	}
	if cs.calls != 0 {
		t.Errorf("%d simulations building the merged report", cs.calls)
	}

	clone := func(p *Points) *Points {
		q := *p
		q.Records = append([]Record(nil), p.Records...)
		return &q
	}
	// An identical duplicate (a shard run twice) is accepted; records of
	// other options are ignored.
	extra := clone(parts[1])
	extra.Records = append(extra.Records, parts[0].Records[0])
	other := parts[0].Records[1]
	other.Seed++
	extra.Records = append(extra.Records, other)
	_, info, err = MergePoints(parts[0], extra, parts[2])
	if err != nil || info.Duplicates != 1 || info.Ignored != 1 {
		t.Errorf("duplicate and extra: %v, %+v", err, info)
	}

	errCase := func(name, wantErr string, ps ...*Points) {
		t.Helper()
		if _, _, err := MergePoints(ps...); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%s: err = %v, want %q", name, err, wantErr)
		}
	}
	errCase("missing shard", "shard 1/3 is missing", parts[0], parts[2])
	errCase("shard twice", "shard 0/3 given twice", parts[0], parts[0], parts[1], parts[2])
	gap := clone(parts[1])
	gap.Records = gap.Records[1:]
	errCase("gap", "1 of "+strconv.Itoa(len(jobs))+" points missing: "+parts[1].Records[0].Key+" (shard 1/3)", parts[0], gap, parts[2])
	conflict := clone(parts[1])
	r := parts[0].Records[0]
	r.Result.Hits++
	conflict.Records = append(conflict.Records, r)
	errCase("conflict", "two different results", parts[0], conflict, parts[2])
	mism := clone(parts[1])
	mism.Header.Seed++
	errCase("options", "differ in --seed", parts[0], mism, parts[2])
	whole := shardPoints(t, smallOptions(&fakeSim{}), 0, 1)
	errCase("shard counts", "differ in --shards", parts[0], whole)
	errCase("no header", "no header", &Points{Source: "empty"})
	errCase("nothing", "no points files")

	// A single unsplit run merges to itself.
	m, _, err := MergePoints(whole)
	if err != nil || len(m.Records) != len(jobs) {
		t.Errorf("unsplit: %v", err)
	}
}

func TestCreatePointsAppend(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "points.jsonl")
	if err := os.WriteFile(path, []byte("old content, replaced\n{\"trunc"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := NewPointsHeader(Options{Samples: 10})
	rec := Record{Key: "E5|neuron|direct|n=700 a=128 s=24 theta=12 segments=1", Figure: "E5", Kind: KindNeuron,
		Method: MethodDirect, Params: segArgs(700, 128, 24, 12).With(theory.ParamSegments, 1),
		Samples: 10, Seed: 1, Result: SimPoint{Samples: 10, Hits: 1, Estimate: 0.1}}
	log, err := CreatePoints(path, h, []Record{rec})
	if err != nil {
		t.Fatal(err)
	}
	rec.Seed = 2
	if err := log.Append(rec); err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	p, err := ReadPoints(f)
	f.Close()
	if err != nil || p.Truncated || len(p.Records) != 2 || p.Records[1].Seed != 2 || p.Header.Samples != 10 {
		t.Errorf("%v %+v", err, p)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

// TestHugeShardCounts: a points file claiming an absurd shard count is
// refused before anything is sized by it (merging such a file used to die
// with "runtime: out of memory" or a makeslice panic).
func TestHugeShardCounts(t *testing.T) {
	for _, shards := range []string{"1000000000000", "4611686018427387904", "4097"} {
		in := `{"format":"` + PointsFormat + `","samples":1,"is_samples":1,"seed":1,"only":[],"shard":0,"shards":` + shards + "}\n"
		if _, err := ReadPoints(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "shards ≤ 4096") {
			t.Errorf("shards %s: %v", shards, err)
		}
	}
	p := &Points{Source: "x", Header: PointsHeader{Format: PointsFormat, Shards: 1 << 40}}
	if _, _, err := MergePoints(p); err == nil || !strings.Contains(err.Error(), "want 1 to 4096") {
		t.Errorf("MergePoints: %v", err)
	}
}
