package theory

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// TestEvalContextStopsTheWork: an exact union-fp-exact evaluation that
// runs about 11 s uncancelled (n = 2000, a = 40, s = 100, θ = 20, M = 50;
// measured with `dendritic calc union-fp-exact --exact …` on the 2-core
// build machine: 10.8 s) is cancelled after 50 ms. EvalContext must
// return context.Canceled within 1 s and leave no goroutine behind: the
// chain itself stops, not only the wait for it (issue 10 item 2).
func TestEvalContextStopsTheWork(t *testing.T) {
	q, _ := Lookup("union-fp-exact")
	args := argsOf(t, map[string]int{"n": 2000, "a": 40, "s": 100, "theta": 20, "patterns": 50})
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	v, err := q.EvalContext(ctx, args, true)
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, value %v after %v; want the context's error", err, v, took)
	}
	if took > time.Second {
		t.Errorf("returned %v after the 50 ms deadline; want under 1 s", took)
	}
	// EvalContext starts no goroutine; allow the runtime a moment to
	// retire the timer's.
	for i := 0; i < 50 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after: the computation leaked", before, after)
	}
}

// TestEveryLongLoopStops: with a context cancelled before the start, each
// loop that polls the stopper ends at its first poll (after stopEvery
// units of work) with context.Canceled. Each case has more than
// stopEvery terms or transitions, so a loop without a poll would finish
// and return a value instead.
func TestEveryLongLoopStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name  string
		exact bool
		args  map[string]int
	}{
		{"fp", true, map[string]int{"n": 100000, "a": 5000, "s": 5000, "theta": 1}},
		{"fn", true, map[string]int{"a": 20000, "s": 5000, "theta": 5000, "noise": 10000}},
		{"neuron", true, map[string]int{"n": 100000, "a": 5000, "s": 5000, "theta": 1, "segments": 3}},
		{"neuron-bound", true, map[string]int{"n": 100000, "a": 5000, "s": 5000, "theta": 1, "segments": 3}},
		{"fp-binomial", true, map[string]int{"n": 100000, "a": 5000, "s": 5000, "theta": 1}},
		{"union-fp", true, map[string]int{"n": 100000, "a": 5000, "s": 2000, "theta": 1, "patterns": 3}},
		{"union-fp-exact", true, map[string]int{"n": 2000, "a": 40, "s": 100, "theta": 20, "patterns": 50}},
		{"union-fp-exact", false, map[string]int{"n": 20000, "a": 40, "s": 100, "theta": 20, "patterns": 100}},
	}
	for _, c := range cases {
		q, ok := Lookup(c.name)
		if !ok {
			t.Fatalf("no quantity %s", c.name)
		}
		args := argsOf(t, c.args)
		if _, err := q.eval(newStopper(ctx), args, c.exact); !errors.Is(err, context.Canceled) {
			t.Errorf("%s (exact %v): err = %v, want context.Canceled", c.name, c.exact, err)
		}
	}
}

// TestStopperNil: the nil stopper of the plain functions never stops.
func TestStopperNil(t *testing.T) {
	var st *stopper
	for i := 0; i < 3*stopEvery; i++ {
		if st.stop(1) {
			t.Fatal("nil stopper stopped")
		}
	}
	if st.failed() != nil || newStopper(context.Background()) != nil {
		t.Fatal("a context that is never done needs no stopper")
	}
}

// TestDesignContextStopsTheWork: a design that runs about a minute
// uncancelled (n = 10^8, a = 10^5, noise 0.5, both targets 1e-300: the
// frontier then has ~1.7·10^6 designs; `dendritic design` with these
// flags ran 65 s on the 2-core build machine) is cancelled after 50 ms
// and must end within 1 s with the context's error.
func TestDesignContextStopsTheWork(t *testing.T) {
	spec := DesignSpec{N: 100_000_000, A: 100_000, Noise: 0.5, MaxFP: 1e-300, MaxFN: 1e-300, Segments: 1}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := DesignSegmentContext(ctx, spec)
	if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > time.Second {
		t.Fatalf("err = %v after %v; want the context's error within 1 s", err, took)
	}
}

// TestSearchesStop: the designer's searches and the thresholds grid stop
// at their first poll with a context cancelled up front; each case does
// more than stopEvery units of work (the paper grid sums E2, 20 to 50
// terms, over every configuration for each θ).
func TestSearchesStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	spec := DesignSpec{N: 100_000, A: 2000, Noise: 0.5, MaxFP: 1e-300, MaxFN: 1e-300, Segments: 1}
	if _, err := designSegment(newStopper(ctx), spec); !errors.Is(err, context.Canceled) {
		t.Errorf("design search: err = %v, want context.Canceled", err)
	}
	if got := frontier(newStopper(ctx), spec, 100, 1000); got != nil {
		t.Errorf("frontier: %d points after cancellation, want none", len(got))
	}
	if _, err := thresholds(newStopper(ctx), PaperGrid()); !errors.Is(err, context.Canceled) {
		t.Errorf("thresholds: err = %v, want context.Canceled", err)
	}
	if _, err := ThresholdsContext(ctx, PaperGrid()); !errors.Is(err, context.Canceled) {
		t.Errorf("ThresholdsContext: err = %v, want context.Canceled", err)
	}
}
