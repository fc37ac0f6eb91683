package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/dendritic/dendritic/internal/cli"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/internal/dirlock"
	"github.com/dendritic/dendritic/theory"
)

func runPaperArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"paper"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestPaperUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},                                           // --out missing
		{"--out", dir, "--only", "F9"},               // unknown figure
		{"--out", dir, "--only", ","},                // empty selection
		{"--out", dir, "--samples", "0"},             // no samples
		{"--out", dir, "--samples", "1.5"},           // not an integer
		{"--out", dir, "--is-samples", "-3"},         // negative
		{"--out", dir, "--workers", "-1"},            // negative
		{"--out", dir, "extra"},                      // stray argument
		{"--bogus"},                                  // unknown flag
		{"--out", dir, "--no-sim", "--resume"},       // nothing to resume
		{"--out", dir, "--no-sim", "--fresh"},        // nothing to redo
		{"--out", dir, "--resume", "--fresh"},        // contradiction
		{"--out", dir, "--no-sim", "--shard", "0/2"}, // nothing to split
		{"--out", dir, "--shard", "2/2"},             // no such shard
		{"--out", dir, "--shard", "1"},               // not i/N
	} {
		code, _, stderr := runPaperArgs(t, args...)
		if code != cli.ExitUsage {
			t.Errorf("paper %v: exit %d, want %d (stderr %q)", args, code, cli.ExitUsage, stderr)
		}
		if !strings.Contains(stderr, "usage") && !strings.Contains(stderr, "flag provided but not defined") {
			t.Errorf("paper %v: no usage on stderr: %q", args, stderr)
		}
	}
	if code, _, _ := runPaperArgs(t, "-h"); code != 0 {
		t.Errorf("paper -h: exit %d", code)
	}
}

func TestPaperTheoryOnly(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runPaperArgs(t, "--out", dir, "--no-sim", "--only", "F4,t1b,E7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"F4.svg", "F4.png", "F4.csv", "T1B.csv", "E7.csv", "report.json", "index.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "F1.svg")); err == nil {
		t.Error("F1 written although not selected")
	}
	if !strings.Contains(stdout, "wrote 7 files") || !strings.Contains(stdout, "theory only") {
		t.Errorf("summary: %q", stdout)
	}
}

func TestPaperSimulated(t *testing.T) {
	if paperSimulator == nil {
		t.Skip("no simulator")
	}
	dir := t.TempDir()
	code, stdout, stderr := runPaperArgs(t, "--out", dir, "--samples", "2e5", "--is-samples", "2e4", "--seed", "7", "--only", "F5,F2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "simulation: 33 of 33 points") {
		t.Errorf("summary: %q", stdout)
	}
	js, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Options struct {
			Samples int64  `json:"samples"`
			Seed    uint64 `json:"seed"`
		} `json:"options"`
		Agreement struct {
			Simulated, Disagree int
			MaxAbsZ             float64 `json:"max_abs_z"`
		} `json:"agreement"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Options.Samples != 200000 || doc.Options.Seed != 7 {
		t.Errorf("options %+v", doc.Options)
	}
	// The run is deterministic (seed 7). With a correct simulator a point
	// misses |z| ≤ 4 with probability 6e-5, so all 33 agree.
	if doc.Agreement.Simulated != 33 || doc.Agreement.Disagree != 0 {
		t.Errorf("agreement %+v", doc.Agreement)
	}
}

// countSim wraps the paper's simulator: it counts the calls and the
// simulations that returned a result, per point, and can cancel the run
// when a given call starts.
type countSim struct {
	inner    paper.Simulator
	mu       sync.Mutex
	calls    int
	ok       map[string]int
	cancelAt int // call number that cancels (0: never)
	cancel   context.CancelFunc
}

func (c *countSim) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (paper.SimPoint, error) {
	c.mu.Lock()
	c.calls++
	if c.cancelAt > 0 && c.calls == c.cancelAt {
		c.cancel()
	}
	c.mu.Unlock()
	sp, err := c.inner.Simulate(ctx, kind, p, samples, seed, method)
	if err == nil {
		c.mu.Lock()
		if c.ok == nil {
			c.ok = map[string]int{}
		}
		c.ok[fmt.Sprintf("%s/%s %v seed %d", kind, method, p, seed)]++
		c.mu.Unlock()
	}
	return sp, err
}

// usePaperSim makes the paper command simulate through c (wrapping the
// real engine), each run with a new context that c can cancel (as Ctrl-C
// would).
func usePaperSim(t *testing.T, c *countSim) {
	t.Helper()
	if paperSimulator == nil {
		t.Skip("no simulator")
	}
	sim0, ctx0 := paperSimulator, program.Context
	t.Cleanup(func() { paperSimulator, program.Context = sim0, ctx0 })
	c.inner = sim0(0)
	paperSimulator = func(int) paper.Simulator { return c }
	program.Context = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		c.mu.Lock()
		c.cancel = cancel
		c.mu.Unlock()
		return ctx, cancel
	}
}

// readDir returns every file of dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// sameDir checks that dir holds exactly the files of want, byte for byte.
func sameDir(t *testing.T, what, dir string, want map[string][]byte) {
	t.Helper()
	got := readDir(t, dir)
	var gn, wn []string
	for n := range got {
		gn = append(gn, n)
	}
	for n := range want {
		wn = append(wn, n)
	}
	slices.Sort(gn)
	slices.Sort(wn)
	if !slices.Equal(gn, wn) {
		t.Errorf("%s: files %v, want %v", what, gn, wn)
	}
	for n, b := range want {
		if got[n] != nil && !bytes.Equal(got[n], b) {
			t.Errorf("%s: %s differs from the unsplit, uninterrupted run", what, n)
		}
	}
}

// paperSmall is a quick selection with every kind of simulation (fp
// direct and importance, fn, union, neuron), a table and E7.
var paperSmall = []string{"--samples", "1e4", "--is-samples", "1e4", "--seed", "3", "--only", "F2,F3,F5,F6,E5,T1D,E7"}

func TestPaperShardMerge(t *testing.T) {
	c := &countSim{}
	usePaperSim(t, c)
	root := t.TempDir()
	full := filepath.Join(root, "full")
	if code, _, stderr := runPaperArgs(t, append([]string{"--out", full}, paperSmall...)...); code != 0 {
		t.Fatalf("unsplit run: exit %d: %s", code, stderr)
	}
	requested := c.calls
	want := readDir(t, full)
	if want["points.jsonl"] == nil || want["report.json"] == nil || want["index.html"] == nil {
		t.Fatalf("unsplit run wrote %d files, without points.jsonl, report.json or index.html", len(want))
	}

	c.calls, c.ok = 0, nil
	var shards []string
	for i := range 3 {
		dir := filepath.Join(root, fmt.Sprintf("shard-%d", i))
		code, stdout, stderr := runPaperArgs(t, append([]string{"--out", dir, "--shard", fmt.Sprintf("%d/3", i)}, paperSmall...)...)
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
		if !strings.Contains(stdout, fmt.Sprintf("shard %d/3: ", i)) || !strings.Contains(stdout, "dendritic merge") {
			t.Errorf("shard %d summary: %q", i, stdout)
		}
		if files := readDir(t, dir); len(files) != 1 || files["points.jsonl"] == nil {
			t.Errorf("shard %d wrote %d files, want points.jsonl only", i, len(files))
		}
		shards = append(shards, filepath.Join(dir, "points.jsonl"))
	}
	if c.calls != requested || len(c.ok) != requested {
		t.Errorf("the shards made %d calls for %d points, want %d", c.calls, len(c.ok), requested)
	}

	merged := filepath.Join(root, "merged")
	c.calls = 0
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"merge", "--out", merged}, shards[2], shards[0], shards[1]), &stdout, &stderr); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("merged 3 shards: %d points", requested)) {
		t.Errorf("merge summary: %q", stdout.String())
	}
	sameDir(t, "merged", merged, want)

	// paper --resume on the merged points rebuilds the report without
	// simulating.
	if code, _, stderr := runPaperArgs(t, append([]string{"--out", merged, "--resume"}, paperSmall...)...); code != 0 {
		t.Fatalf("resume after merge: exit %d: %s", code, stderr)
	}
	if c.calls != 0 {
		t.Errorf("%d simulations after merge, want 0", c.calls)
	}
	sameDir(t, "merged, then resumed", merged, want)
}

func TestPaperInterruptResume(t *testing.T) {
	c := &countSim{}
	usePaperSim(t, c)
	root := t.TempDir()
	full := filepath.Join(root, "full")
	if code, _, stderr := runPaperArgs(t, append([]string{"--out", full}, paperSmall...)...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	requested := c.calls
	want := readDir(t, full)

	// Interrupted when the 8th simulation starts: 7 points finished.
	const k = 7
	c.calls, c.ok, c.cancelAt = 0, nil, k+1
	dir := filepath.Join(root, "run")
	code, stdout, stderr := runPaperArgs(t, append([]string{"--out", dir}, paperSmall...)...)
	if code != cli.ExitInterrupted || !strings.Contains(stderr, "run the same command again") {
		t.Fatalf("interrupted run: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprintf("simulation: %d of %d points", k, requested)) {
		t.Errorf("interrupted summary: %q", stdout)
	}
	js, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if !bytes.Contains(js, []byte(`"complete": false`)) {
		t.Error("the interrupted report is not marked incomplete")
	}
	lines := strings.Count(string(readDir(t, dir)["points.jsonl"]), "\n")
	if lines != 1+k {
		t.Errorf("points.jsonl has %d lines, want a header and %d points", lines, k)
	}
	// A kill in the middle of a write leaves a partial line.
	f, err := os.OpenFile(filepath.Join(dir, "points.jsonl"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"key":"F5|fp|direct|n=300 a=64 s=24 theta=12","figure":"F`)
	f.Close()

	c.cancelAt = 0
	code, _, stderr = runPaperArgs(t, append([]string{"--out", dir, "--resume"}, paperSmall...)...)
	if code != 0 {
		t.Fatalf("resumed run: exit %d: %s", code, stderr)
	}
	for _, w := range []string{fmt.Sprintf("%d finished points reused", k), "incomplete last line"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("resume notes lack %q: %s", w, stderr)
		}
	}
	// One call was cut short by the interruption; every point was
	// simulated to the end exactly once.
	if c.calls != requested+1 || len(c.ok) != requested {
		t.Errorf("%d calls for %d points, want %d and %d", c.calls, len(c.ok), requested+1, requested)
	}
	for key, n := range c.ok {
		if n != 1 {
			t.Errorf("%s simulated %d times", key, n)
		}
	}
	sameDir(t, "interrupted, then resumed", dir, want)

	// Resuming with other options recomputes, and keeps the old records.
	c.calls = 0
	other := append(slices.Clone(paperSmall), "--only", "F5")
	code, _, stderr = runPaperArgs(t, append([]string{"--out", dir, "--resume"}, other...)...)
	if code != 0 || c.calls != 0 || !strings.Contains(stderr, "was written with") {
		t.Errorf("resume --only F5: exit %d, %d calls: %s", code, c.calls, stderr)
	}
	other = append(slices.Clone(paperSmall), "--seed", "4")
	code, _, stderr = runPaperArgs(t, append([]string{"--out", dir, "--resume"}, other...)...)
	if code != 0 || c.calls != requested || !strings.Contains(stderr, "left as they are") {
		t.Errorf("resume --seed 4: exit %d, %d calls for %d points: %s", code, c.calls, requested, stderr)
	}
	// Without any flag a run on a finished directory reuses its points
	// (before, it discarded them at once: an interrupted rerun of a
	// complete 10^8-sample run left 9 of 106 lines).
	c.calls = 0
	code, _, stderr = runPaperArgs(t, append([]string{"--out", dir}, paperSmall...)...)
	if code != 0 || c.calls != 0 || !strings.Contains(stderr, "finished points reused") {
		t.Errorf("rerun: exit %d, %d calls (want 0): %s", code, c.calls, stderr)
	}
	if got := readDir(t, dir)["report.json"]; !bytes.Equal(got, want["report.json"]) {
		t.Error("rerun: report.json differs from the uninterrupted run")
	}
	// --fresh starts afresh, and keeps the old points as a backup.
	before := readDir(t, dir)["points.jsonl"]
	code, _, stderr = runPaperArgs(t, append([]string{"--out", dir, "--fresh"}, paperSmall...)...)
	if code != 0 || c.calls != requested || !strings.Contains(stderr, "starting afresh") {
		t.Errorf("fresh run: exit %d, %d calls: %s", code, c.calls, stderr)
	}
	if bak, err := os.ReadFile(filepath.Join(dir, "points.jsonl.bak")); err != nil || !bytes.Equal(bak, before) {
		t.Errorf("--fresh left no backup of the old points: %v", err)
	}
	os.Remove(filepath.Join(dir, "points.jsonl.bak"))
	sameDir(t, "fresh run", dir, want)
}

// TestPaperLocked: a second run on an --out in use fails at once (exit 1)
// and writes nothing (before, both runs went on and the directory ended
// with one run's report and the other's points, both exiting 0).
func TestPaperLocked(t *testing.T) {
	dir := t.TempDir()
	host, _ := os.Hostname()
	lock := filepath.Join(dir, dirlock.Name)
	if err := os.WriteFile(lock, []byte(fmt.Sprintf("%d %s\n", os.Getpid(), host)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runPaperArgs(t, "--out", dir, "--no-sim", "--only", "F4")
	if code != cli.ExitFailure || !strings.Contains(stderr, "in use by another run") {
		t.Errorf("exit %d, stderr %q: want a refusal", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err == nil {
		t.Error("the refused run wrote its report")
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("the refused run removed the other run's lock: %v", err)
	}
}
