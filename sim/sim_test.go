package sim

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/theory"
)

func run(t *testing.T, c Config) Result {
	t.Helper()
	r, err := Run(context.Background(), c, nil)
	if err != nil {
		t.Fatalf("%+v: %v", c, err)
	}
	return r
}

func checkZ(t *testing.T, name string, r Result) {
	t.Helper()
	if r.Z == nil {
		t.Fatalf("%s: z undefined (estimate %g, theory %g)", name, r.Estimate, r.Theory)
	}
	t.Logf("%s: %d samples, %d hits, estimate %.6g, theory %.6g, ci [%.4g, %.4g], z %+.2f, d %.2f",
		name, r.Samples, r.Hits, r.Estimate, r.Theory, r.CI95[0], r.CI95[1], *r.Z, r.DesignEffect)
	if math.Abs(*r.Z) > 4 {
		t.Errorf("%s: |z| = %.2f > 4 (estimate %g, theory %g)", name, math.Abs(*r.Z), r.Estimate, r.Theory)
	}
	if !(r.CI95[0] <= r.Estimate && r.Estimate <= r.CI95[1]) {
		t.Errorf("%s: estimate %g outside its interval %v", name, r.Estimate, r.CI95)
	}
}

// TestAgreement checks every kind and method against the theory on
// small configurations: |z| ≤ 4 with fixed seeds.
func TestAgreement(t *testing.T) {
	cases := []struct {
		name string
		c    Config
	}{
		{"fp n=300 a=64", Config{Kind: KindFP, N: 300, A: 64, S: 24, Theta: 12, Samples: 1e6}},
		{"fp n=500 a=128", Config{Kind: KindFP, N: 500, A: 128, S: 24, Theta: 12, Samples: 1e6}},
		{"fp n=2000 a=128 θ=8", Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 8, Samples: 2e6}},
		{"fp dense a=n/2", Config{Kind: KindFP, N: 300, A: 150, S: 24, Theta: 12, Samples: 2e5}},
		{"fp s=40 odd n", Config{Kind: KindFP, N: 777, A: 77, S: 40, Theta: 9, Samples: 1e6}},
		{"fn θ=16 v=51", Config{Kind: KindFN, N: 6000, A: 128, S: 30, Theta: 16, Noise: 51, Samples: 1e6}},
		{"fn θ=12 v=45", Config{Kind: KindFN, N: 6000, A: 128, S: 30, Theta: 12, Noise: 45, Samples: 1e6}},
		{"fn v=0", Config{Kind: KindFN, N: 200, A: 20, S: 10, Theta: 5, Noise: 0, Samples: 1e4}},
		{"union M=2", Config{Kind: KindUnion, N: 1000, A: 200, S: 25, Theta: 15, Patterns: 2, Samples: 1e6}},
		{"union M=4", Config{Kind: KindUnion, N: 2000, A: 100, S: 20, Theta: 10, Patterns: 4, Samples: 1e6}},
		{"neuron m=10", Config{Kind: KindNeuron, N: 1000, A: 128, S: 24, Theta: 10, Segments: 10, Samples: 1e6}},
		{"neuron m=100", Config{Kind: KindNeuron, N: 2000, A: 128, S: 24, Theta: 8, Segments: 100, Samples: 2e5}},
		{"importance fp n=2000", Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1e5, Method: MethodImportance}},
		{"importance fp n=300", Config{Kind: KindFP, N: 300, A: 64, S: 24, Theta: 12, Samples: 1e5, Method: MethodImportance}},
		{"importance fp n=100000", Config{Kind: KindFP, N: 100000, A: 2000, S: 40, Theta: 20, Samples: 1e5, Method: MethodImportance}},
		{"importance fn θ=12 v=26", Config{Kind: KindFN, N: 6000, A: 128, S: 30, Theta: 12, Noise: 26, Samples: 1e5, Method: MethodImportance}},
		{"importance fn θ=8 v=45", Config{Kind: KindFN, N: 6000, A: 128, S: 30, Theta: 8, Noise: 45, Samples: 1e5, Method: MethodImportance}},
	}
	for i, tc := range cases {
		tc.c.Seed = uint64(1000 + i)
		checkZ(t, tc.name, run(t, tc.c))
	}
}

// TestUnionPaperApproximation shows that the simulation follows the exact
// union-size mixture and can tell it from the paper's plug-in value.
func TestUnionPaperApproximation(t *testing.T) {
	c := Config{Kind: KindUnion, N: 1000, A: 200, S: 25, Theta: 15, Patterns: 2, Samples: 2e6, Seed: 7}
	r := run(t, c)
	checkZ(t, "union", r)
	if r.TheoryPaper == nil {
		t.Fatal("no paper value for union")
	}
	zPaper := (r.Estimate - *r.TheoryPaper) / r.StdError
	t.Logf("paper value %.6g: z %.1f", *r.TheoryPaper, zPaper)
	if zPaper < 6 {
		t.Errorf("expected the plug-in value %g to be rejected, z = %.1f", *r.TheoryPaper, zPaper)
	}
}

// TestImportanceRare verifies fp ≈ 4.0416e-21 (n=10000, a=64, s=24,
// θ=12) within ±10%, with an interval that covers the exact value.
func TestImportanceRare(t *testing.T) {
	c := Config{Kind: KindFP, N: 10000, A: 64, S: 24, Theta: 12, Samples: 2e5, Seed: 42, Method: MethodImportance}
	start := time.Now()
	r := run(t, c)
	el := time.Since(start)
	exact, _ := theory.FP(10000, 64, 24, 12)
	p := exact.Float64()
	t.Logf("estimate %.5g ± %.2g (exact %.5g) in %v", r.Estimate, r.StdError, p, el)
	if math.Abs(r.Estimate/p-1) > 0.10 {
		t.Errorf("estimate %g not within 10%% of %g", r.Estimate, p)
	}
	if !(r.CI95[0] <= p && p <= r.CI95[1]) {
		t.Errorf("interval %v does not cover %g", r.CI95, p)
	}
	if el > 30*time.Second {
		t.Errorf("took %v", el)
	}
	checkZ(t, "rare fp", r)
	// Below 1e-20 as well: 1e-24 at n=20000.
	c.N = 20000
	r = run(t, c)
	exact, _ = theory.FP(20000, 64, 24, 12)
	if math.Abs(r.Estimate/exact.Float64()-1) > 0.10 {
		t.Errorf("n=20000: estimate %g, exact %g", r.Estimate, exact.Float64())
	}
	checkZ(t, "rare fp n=20000", r)
}

// TestLogHyper checks the importance weights' overlap law against the
// theory's tail sums.
func TestLogHyper(t *testing.T) {
	for _, c := range []Config{
		{Kind: KindFP, N: 10000, A: 64, S: 24, Theta: 12},
		{Kind: KindFP, N: 300, A: 150, S: 24, Theta: 3},
		{Kind: KindFP, N: 100000, A: 2000, S: 40, Theta: 20},
		{Kind: KindFP, N: 50, A: 40, S: 30, Theta: 25},
	} {
		m, err := newISModel(c)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := theory.FP(c.N, c.A, c.S, c.Theta)
		if d := math.Abs(m.logP - want.Log()); d > 1e-10 {
			t.Errorf("%+v: log P %v, theory %v", c, m.logP, want.Log())
		}
		var total float64
		for _, x := range m.logp {
			total += math.Exp(x)
		}
		if math.Abs(total-1) > 1e-12 {
			t.Errorf("%+v: pmf sums to %v", c, total)
		}
	}
}

func sameResult(a, b Result) bool {
	a.Seconds, b.Seconds = 0, 0
	a.EvaluationsPerSecond, b.EvaluationsPerSecond = 0, 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestDeterministicAcrossWorkers: the same seed gives the same result
// with 1, 2 or 3 workers.
func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, c := range []Config{
		{Kind: KindFP, N: 500, A: 64, S: 24, Theta: 10, Samples: 3e5, Seed: 5},
		{Kind: KindFN, N: 600, A: 64, S: 20, Theta: 10, Noise: 30, Samples: 3e5, Seed: 5},
		{Kind: KindUnion, N: 800, A: 64, S: 20, Theta: 10, Patterns: 3, Samples: 3e5, Seed: 5},
		{Kind: KindNeuron, N: 500, A: 64, S: 20, Theta: 8, Segments: 7, Samples: 3e5, Seed: 5},
		{Kind: KindFP, N: 5000, A: 64, S: 24, Theta: 12, Samples: 1e5, Seed: 5, Method: MethodImportance},
		{Kind: KindFN, N: 600, A: 64, S: 20, Theta: 10, Noise: 30, Samples: 1e5, Seed: 5, Method: MethodImportance},
	} {
		var first Result
		for _, w := range []int{1, 2, 3} {
			c.Workers = w
			r := run(t, c)
			if w == 1 {
				first = r
				if r.Stats.Tasks < 3 {
					t.Fatalf("%s: only %d tasks; the test needs several", c.Kind, r.Stats.Tasks)
				}
				continue
			}
			if !sameResult(first, r) {
				t.Errorf("%s/%s: %d workers differ from 1:\n%+v\n%+v", c.Kind, c.method(), w, first, r)
			}
		}
		c.Workers = 0
		c.Seed++
		if other := run(t, c); sameResult(first, other) {
			t.Errorf("%s: a different seed gave the same result", c.Kind)
		}
	}
}

// TestShardMerge: shards merged (via JSON, in any order) equal the
// unsplit run.
func TestShardMerge(t *testing.T) {
	for _, c := range []Config{
		{Kind: KindFP, N: 500, A: 64, S: 24, Theta: 10, Samples: 3e5 + 17, Seed: 9},
		{Kind: KindNeuron, N: 500, A: 64, S: 20, Theta: 8, Segments: 7, Samples: 2e5, Seed: 9},
		{Kind: KindFP, N: 3000, A: 64, S: 24, Theta: 12, Samples: 1e5 + 3, Seed: 9, Method: MethodImportance},
	} {
		whole := run(t, c)
		for _, k := range []int{2, 3, 7} {
			var parts []Result
			for i := k - 1; i >= 0; i-- { // reverse order on purpose
				sc := c
				sc.Shard, sc.Shards = i, k
				r := run(t, sc)
				b, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				var back Result
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				parts = append(parts, back)
			}
			m, err := Merge(parts...)
			if err != nil {
				t.Fatalf("%d shards: %v", k, err)
			}
			m.Shards, m.Shard = whole.Shards, whole.Shard
			if !sameResult(whole, m) {
				t.Errorf("%s/%s %d shards: merged result differs:\n%+v\n%+v", c.Kind, c.method(), k, whole, m)
			}
			// Errors: missing, duplicate, foreign.
			if _, err := Merge(parts[1:]...); err == nil || !strings.Contains(err.Error(), "missing") {
				t.Errorf("missing shard: err = %v", err)
			}
			if _, err := Merge(append(parts, parts[0])...); err == nil || !strings.Contains(err.Error(), "twice") {
				t.Errorf("duplicate shard: err = %v", err)
			}
			bad := append([]Result{}, parts...)
			bad[0].Seed++
			if _, err := Merge(bad...); err == nil || !strings.Contains(err.Error(), "different run") {
				t.Errorf("foreign shard: err = %v", err)
			}
		}
	}
}

// TestCancel: a cancelled run returns the finished tasks, flagged partial.
func TestCancel(t *testing.T) {
	c := Config{Kind: KindFP, N: 2000, A: 128, S: 24, Theta: 12, Samples: 1 << 34, Seed: 3, Workers: 2}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls int
	r, err := Run(ctx, c, func(done, total int64) {
		calls++
		if calls == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Workers may finish a few more tasks before they see the
	// cancellation (how many depends on scheduling), but the run must
	// stop long before its ~2^34 samples.
	pl := c.plan()
	if !r.Partial || r.Stats.Tasks < 3 || r.Stats.Tasks > 64 {
		t.Fatalf("partial %v after %d tasks", r.Partial, r.Stats.Tasks)
	}
	if r.Samples != r.Stats.Tasks*pl.taskSamples(0) || r.Samples == 0 {
		t.Fatalf("samples %d for %d tasks", r.Samples, r.Stats.Tasks)
	}
	checkZ(t, "partial", r)
	if _, err := Merge(r); err == nil || !strings.Contains(err.Error(), "partial") {
		t.Errorf("merging a partial result: err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Kind: KindFP, N: 100, A: 10, S: 8, Theta: 4, Samples: 10}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Kind = "fx" }, "unknown kind"},
		{func(c *Config) { c.Method = "magic" }, "unknown method"},
		{func(c *Config) { c.A = 101 }, "a = 101 exceeds n = 100"},
		{func(c *Config) { c.S = 101 }, "s = 101 exceeds n"},
		{func(c *Config) { c.N = 0 }, "n = 0"},
		{func(c *Config) { c.N = MaxN + 1 }, "limit"},
		{func(c *Config) { c.Theta = 0 }, "theta = 0"},
		{func(c *Config) { c.Theta = 9 }, "theta = 9 exceeds s = 8"},
		{func(c *Config) { c.Samples = 0 }, "samples = 0"},
		{func(c *Config) { c.Workers = -1 }, "workers"},
		{func(c *Config) { c.Shard, c.Shards = 3, 3 }, "shard = 3"},
		{func(c *Config) { c.Noise = 3 }, "noise applies to fn only"},
		{func(c *Config) { c.Kind, c.S, c.A = KindFN, 12, 10 }, "s ≤ a"},
		{func(c *Config) { c.Kind, c.Noise = KindFN, 11 }, "noise = 11 exceeds a"},
		{func(c *Config) { c.Kind, c.N, c.Noise = KindFN, 15, 6 }, "n − a"},
		{func(c *Config) { c.Kind = KindUnion }, "patterns = 0"},
		{func(c *Config) { c.Kind = KindNeuron }, "segments = 0"},
		{func(c *Config) { c.Kind, c.Segments, c.Method = KindNeuron, 3, MethodImportance }, "fp and fn"},
		{func(c *Config) { c.Method, c.A, c.Theta = MethodImportance, 3, 4 }, "exactly 0"},
		{func(c *Config) { c.Kind, c.Method, c.Noise, c.Theta = KindFN, MethodImportance, 2, 4 }, "exactly 0"},
		{func(c *Config) { c.Method, c.N, c.A, c.S, c.Theta = MethodImportance, 1<<24, 200, 200, 200 }, "float64 range"},
	}
	for _, tc := range cases {
		c := ok
		tc.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", c, err, tc.want)
		}
		if _, rerr := Run(context.Background(), c, nil); rerr == nil {
			t.Errorf("Run accepted %+v", c)
		}
	}
}

// taskConfigs has one small configuration of each kind and method, for
// the tests of single tasks.
var taskConfigs = []Config{
	{Kind: KindFP, N: 500, A: 64, S: 24, Theta: 10, Samples: 1e6, Seed: 1},
	{Kind: KindFN, N: 600, A: 64, S: 20, Theta: 10, Noise: 30, Samples: 1e6, Seed: 1},
	{Kind: KindUnion, N: 800, A: 64, S: 20, Theta: 10, Patterns: 3, Samples: 1e6, Seed: 1},
	{Kind: KindNeuron, N: 500, A: 64, S: 20, Theta: 8, Segments: 7, Samples: 1e6, Seed: 1},
	{Kind: KindFP, N: 5000, A: 64, S: 24, Theta: 12, Samples: 1e6, Seed: 1, Method: MethodImportance},
	{Kind: KindFN, N: 600, A: 64, S: 20, Theta: 10, Noise: 30, Samples: 1e6, Seed: 1, Method: MethodImportance},
}

// testWorker returns a worker for c as Run makes it.
func testWorker(c Config) *worker {
	var is *isModel
	if c.Method == MethodImportance {
		is, _ = newISModel(c)
	}
	return newWorker(c, c.plan(), is)
}

// TestNoAllocs: the tasks allocate nothing.
func TestNoAllocs(t *testing.T) {
	for _, c := range taskConfigs {
		w := testWorker(c)
		var task int64
		if a := testing.AllocsPerRun(5, func() { w.runTask(task); task++ }); a != 0 {
			t.Errorf("%s/%s: %v allocations per task", c.Kind, c.method(), a)
		}
	}
}

func TestNeuronHits(t *testing.T) {
	hm := []uint64{0, 1 << 63, 0, 1}
	// 256 lanes; neurons of 70 lanes: [0,70) [70,140) [140,210).
	if got := neuronHits(hm, 3, 70); got != 2 { // lanes 127 and 192
		t.Errorf("got %d, want 2", got)
	}
	if got := neuronHits(hm, 4, 64); got != 2 {
		t.Errorf("got %d, want 2", got)
	}
}

func TestU128JSON(t *testing.T) {
	var u U128
	u.addMul(1<<63, 6)
	u.addMul(5, 7)
	b, _ := json.Marshal(u)
	if string(b) != `"55340232221128654883"` {
		t.Fatalf("got %s", b)
	}
	var v U128
	if err := json.Unmarshal(b, &v); err != nil || v != u {
		t.Fatalf("round trip: %v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`"-1"`), &v); err == nil {
		t.Fatal("accepted -1")
	}
}

// TestHugeShardCount: a result claiming an absurd shard count is refused by
// Validate and Merge before the count sizes anything (merging shards made
// with --shard 0/1000000000000 died with "runtime: out of memory").
func TestHugeShardCount(t *testing.T) {
	c := Config{Kind: KindFP, N: 1000, A: 20, S: 10, Theta: 5, Samples: 64, Shards: MaxShards + 1}
	if err := c.Validate(); err == nil {
		t.Fatal("Shards above MaxShards accepted")
	}
	r := Result{Quantity: KindFP, Method: MethodDirect, Params: (Config{Kind: KindFP, N: 1000, A: 20, S: 10, Theta: 5}).args(), Samples: 64, Shards: 1 << 40}
	if _, err := Merge(r); err == nil {
		t.Fatal("Merge of a result claiming 2^40 shards succeeded")
	}
}

// TestSetArgs: the kinds' parameters come from the theory's table; a
// missing or unused one is a typed error, and the Args round-trip
// through the Config into the Result.
func TestSetArgs(t *testing.T) {
	fn := theory.Args{}.With(theory.ParamN, 6000).With(theory.ParamA, 128).With(theory.ParamS, 30).
		With(theory.ParamTheta, 8).With(theory.ParamNoise, 32)
	c := Config{Kind: KindFN}
	if err := c.SetArgs(fn); err != nil || c.N != 6000 || c.Noise != 32 || c.args() != fn {
		t.Fatalf("SetArgs: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		kind   string
		args   theory.Args
		reason error
		param  string
	}{
		{KindFN, fn.Without(theory.ParamNoise), theory.ErrMissing, "noise"},
		{KindFP, fn, theory.ErrUnused, "noise"},
		{KindUnion, fn.Without(theory.ParamNoise).With(theory.ParamB, 2).With(theory.ParamPatterns, 3), theory.ErrUnused, "b"},
	} {
		c := Config{Kind: tc.kind}
		err := c.SetArgs(tc.args)
		var ae *theory.ArgError
		if !errors.Is(err, tc.reason) || !errors.As(err, &ae) || ae.Param != tc.param || ae.Quantity != tc.kind {
			t.Errorf("%s %v: %v, want %v on %s", tc.kind, tc.args, err, tc.reason, tc.param)
		}
	}
	var se *Error
	if err := (&Config{Kind: "fq"}).SetArgs(fn); !errors.As(err, &se) {
		t.Errorf("unknown kind: %v", err)
	}
	for _, k := range Kinds() {
		if len(KindParams(k)) < 4 {
			t.Errorf("%s: parameters %v", k, KindParams(k))
		}
	}
}
