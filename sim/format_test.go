package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// Tasks j = 0…9 over 3 shards (j mod 3): shard 0 has 0,3,6,9; shard 1 has
// 1,4,7; shard 2 has 2,5,8; a shard beyond the tasks has none.
func TestShardTasks(t *testing.T) {
	for _, c := range []struct {
		shard, shards int
		tasks, want   int64
	}{{0, 3, 10, 4}, {1, 3, 10, 3}, {2, 3, 10, 3}, {0, 0, 10, 10}, {5, 8, 4, 0}} {
		if got := (Result{Shard: c.shard, Shards: c.shards, Tasks: c.tasks}).ShardTasks(); got != c.want {
			t.Errorf("shard %d/%d of %d tasks: %d, want %d", c.shard, c.shards, c.tasks, got, c.want)
		}
	}
}

// A result written as JSON reads back equal, and its text names the run.
func TestReadResultsAndText(t *testing.T) {
	r, err := Run(context.Background(), Config{Kind: KindFP, N: 200, A: 20, S: 10, Theta: 3, Samples: 1000, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for range 2 {
		b, _ := json.Marshal(r)
		buf.Write(b)
	}
	got, err := ReadResults(&buf, "x.json")
	if err != nil || len(got) != 2 || got[1].Hits != r.Hits || got[0].Seed != 7 {
		t.Fatalf("read %d results, %v", len(got), err)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil || !strings.HasPrefix(text.String(), "fp n=200 a=20 s=10 theta=3  (direct, seed 7)\n") {
		t.Errorf("text %q, %v", text.String(), err)
	}
	for in, msg := range map[string]string{
		"":                            "x.json: no results",
		`{"quantity":"fp","bogus":1}`: "result 1: json: unknown field",
		`{"hits":3}`:                  "result 1 is not a simulation result",
		`{`:                           "result 1: unexpected EOF",
	} {
		if _, err := ReadResults(strings.NewReader(in), "x.json"); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", in, err, msg)
		}
	}
}

// TestZUndefinedSays: a result without z says why, and an interrupted run
// with no finished sample does not blame the theory (issue 10: after
// Ctrl-C before the first task, simulate printed "theory is 0 or 1" for a
// theory of 4e-390291).
func TestZUndefinedSays(t *testing.T) {
	tiny, err := theory.ParseFloat("3.994135461e-390291")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		r    Result
		want string
	}{
		{Result{Samples: 0, TheoryValue: tiny}, "no sample finished"},
		{Result{Samples: 64, Hits: 1, Estimate: 1.0 / 64, TheoryValue: tiny}, "the theory is below the float64 range"},
		{Result{Samples: 64, Hits: 1, Estimate: 1.0 / 64}, "theory is 0 or 1"},
	} {
		var text strings.Builder
		if err := c.r.WriteText(&text); err != nil || !strings.Contains(text.String(), "z            undefined ("+c.want) {
			t.Errorf("samples %d theory %s: %q, %v; want %q", c.r.Samples, c.r.TheoryValue.Text(4), text.String(), err, c.want)
		}
	}
}
