package main

import (
	"fmt"
	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// paperShards runs 'paper --shard i/n' for every i with the given options
// and returns the shards' points files.
func paperShards(t *testing.T, root string, n int, opts ...string) []string {
	t.Helper()
	var files []string
	for i := range n {
		dir := filepath.Join(root, fmt.Sprintf("shard-%d", i))
		args := append([]string{"--out", dir, "--shard", fmt.Sprintf("%d/%d", i, n)}, opts...)
		if code, _, stderr := runPaperArgs(t, args...); code != 0 {
			t.Fatalf("paper %v: exit %d: %s", args, code, stderr)
		}
		files = append(files, filepath.Join(dir, paper.PointsFile))
	}
	return files
}

func TestMergePointsErrors(t *testing.T) {
	if paperSimulator == nil {
		t.Skip("no simulator")
	}
	root := t.TempDir()
	opts := []string{"--samples", "1e3", "--seed", "5", "--only", "F5"}
	files := paperShards(t, root, 2, opts...)
	other := paperShards(t, filepath.Join(root, "other"), 2, "--samples", "2e3", "--seed", "5", "--only", "F5")
	out := filepath.Join(root, "merged")

	// A simulate result, for the mixed cases.
	simOut, errOut, st := simRun(t, "simulate", "fp", "--n", "500", "--a", "64", "--s", "24", "--theta", "12",
		"--samples", "1e3", "--format", "json")
	if st != 0 {
		t.Fatalf("simulate: %d %s", st, errOut)
	}
	simFile := filepath.Join(root, "sim.json")
	os.WriteFile(simFile, []byte(simOut), 0o644)

	// A shard with a point missing (its last line cut short by a kill).
	data, _ := os.ReadFile(files[1])
	cut := filepath.Join(root, "cut.jsonl")
	os.WriteFile(cut, data[:len(data)-30], 0o644)
	// A shard that also holds a point of the other shard (the same result).
	data0, _ := os.ReadFile(files[0])
	point0 := strings.SplitAfter(string(data0), "\n")[1]
	dup := filepath.Join(root, "dup.jsonl")
	os.WriteFile(dup, []byte(string(data)+point0), 0o644)
	// A shard whose copy of that point has another result.
	forged := filepath.Join(root, "forged.jsonl")
	os.WriteFile(forged, []byte(string(data)+strings.Replace(point0, `"design_effect":`, `"design_effect":1`, 1)), 0o644)
	// A copy edited into a result no simulation gives (hits/samples is
	// not its estimate) is refused when read.
	edited := filepath.Join(root, "edited.jsonl")
	os.WriteFile(edited, []byte(string(data)+strings.Replace(point0, `"hits":`, `"hits":1`, 1)), 0o644)

	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{files[0], files[1]}, cli.ExitUsage, "need --out"},
		{[]string{"--out", out, files[0], simFile}, cli.ExitUsage, "cannot merge"},
		{[]string{"--out", out, simFile}, cli.ExitUsage, "--out is for"},
		{[]string{"--out", out, files[0]}, 1, "shard 1/2 is missing"},
		{[]string{"--out", out, files[0], files[0], files[1]}, 1, "shard 0/2 given twice"},
		{[]string{"--out", out, files[0], other[1]}, 1, "differ in --samples"},
		{[]string{"--out", out, files[0], cut}, 1, "1 of 29 points missing: F5|"},
		{[]string{"--out", out, files[0], forged}, 1, "two different results"},
		{[]string{"--out", out, files[0], edited}, 1, "invalid result: estimate"},
	} {
		stdout, stderr, st := simRun(t, append([]string{"merge"}, c.args...)...)
		if st != c.status || !strings.Contains(stderr, c.want) {
			t.Errorf("merge %v: status %d, stderr %q; want %d and %q (stdout %q)", c.args, st, stderr, c.status, c.want, stdout)
		}
	}
	if _, stderr, _ := simRun(t, "merge", "--out", out, files[0], cut); !strings.Contains(stderr, "incomplete last line") {
		t.Errorf("no note on the cut line: %s", stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed merge wrote its output")
	}

	stdout, stderr, st := simRun(t, "merge", "--out", out, files[0], dup)
	if st != 0 || !strings.Contains(stderr, "recorded more than once, with identical results: 1") || !strings.Contains(stdout, "merged 2 shards: 29 points") {
		t.Errorf("identical duplicate: status %d: %s %s", st, stdout, stderr)
	}
	// The merged points file merges again, by itself, to the same bytes.
	merged, _ := os.ReadFile(filepath.Join(out, paper.PointsFile))
	again := filepath.Join(root, "again")
	if _, stderr, st := simRun(t, "merge", "--out", again, filepath.Join(out, paper.PointsFile)); st != 0 {
		t.Fatalf("re-merge: %d %s", st, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(again, paper.PointsFile)); string(b) != string(merged) {
		t.Error("re-merging the merged points changed them")
	}
	if stdout, _, st := simRun(t, "merge", "-h"); st != 0 || !strings.Contains(stdout, "paper --shard") {
		t.Errorf("merge -h: %d %q", st, stdout)
	}
}
