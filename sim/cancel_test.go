package sim

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestTaskStops: a worker whose run is cancelled gives up the task in
// progress and adds nothing (before, a task ran to its end whatever the
// context said: `simulate fp --n 16777216 --a 4e6 --s 4e6 --theta 2e6
// --samples 64` ignored SIGINT for 43 s, its single task being 43 s long).
func TestTaskStops(t *testing.T) {
	for _, c := range taskConfigs {
		w := testWorker(c)
		w.stop = new(atomic.Bool)
		w.stop.Store(true)
		if w.runTask(0) {
			t.Errorf("%s/%s: the task ran to its end after the stop", c.Kind, c.method())
		}
		if w.acc.Tasks != 0 || w.acc.Samples != 0 || w.acc.Hits != 0 {
			t.Errorf("%s/%s: a stopped task added counts %+v", c.Kind, c.method(), w.acc)
		}
		for _, h := range w.acc.Hist {
			if h != 0 {
				t.Errorf("%s/%s: a stopped task added to the histogram", c.Kind, c.method())
				break
			}
		}
	}
}

// TestRunStopsInsideTask: a run of a single long task, cancelled while the
// task runs, returns a partial result of no task with the context's error
// (before, the task finished and Run returned the full result with nil).
// The task takes about a second; the cancel comes after 20 ms.
func TestRunStopsInsideTask(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 80 MB")
	}
	c := Config{Kind: KindFP, N: 1 << 22, A: 1 << 20, S: 1 << 20, Theta: 1 << 19, Samples: 64, Seed: 1, Workers: 1}
	if got := c.plan().tasks; got != 1 {
		t.Fatalf("plan has %d tasks, the test needs 1", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(20*time.Millisecond, cancel)
	defer timer.Stop()
	r, err := Run(ctx, c, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !r.Partial || r.Stats.Tasks != 0 || r.Samples != 0 {
		t.Fatalf("Partial %v, %d tasks, %d samples; want a partial result of no task", r.Partial, r.Stats.Tasks, r.Samples)
	}
}

// TestWorkerMemory: the scratch memory follows the work requested. 64
// samples of the largest population take one worker of about 0.5 GB
// (before: 64·s cells of set-cell list, 1 GB for s = 4e6 and 2.3 GB in
// all for a = 8e6); explicit workers beyond MaxMemory are refused before
// anything is allocated.
func TestWorkerMemory(t *testing.T) {
	c := Config{Kind: KindFP, N: MaxN, A: 8e6, S: 4e6, Theta: 2e6, Samples: 64}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// perm 4n + undo 3·4·a + table 8n + set-cell list ≤ 4n + one pattern 4a.
	want := int64(16*MaxN + 16*8e6)
	if got := c.WorkerBytes(); got != want {
		t.Errorf("WorkerBytes = %d, want %d", got, want)
	}
	if got := c.workers(); got != 1 {
		t.Errorf("64 samples (one task) use %d workers, want 1", got)
	}
	c.Samples = 1 << 40
	c.Workers = MaxWorkers
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "memory") {
		t.Errorf("%d workers of %d bytes each: err = %v, want a memory limit", MaxWorkers, c.WorkerBytes(), err)
	}
	c.Workers = 0
	if w := int64(c.workers()); w*c.WorkerBytes() > MaxMemory {
		t.Errorf("default workers %d exceed MaxMemory", w)
	}
}

// TestFullTableCleared: when the cells set in the lane table overflow the
// list (64·s > n), clearing falls back to the whole table, which must end
// all zero.
func TestFullTableCleared(t *testing.T) {
	c := Config{Kind: KindUnion, N: 300, A: 64, S: 20, Theta: 10, Patterns: 3, Samples: 1e5, Seed: 1}
	w := newWorker(c, c.plan(), nil)
	for task := range int64(3) {
		w.runTask(task)
		for i, x := range w.tab {
			if x != 0 {
				t.Fatalf("task %d: tab[%d] = %#x after the block", task, i, x)
			}
		}
	}
	if cap(w.syn) != c.N {
		t.Errorf("set-cell list capacity %d, want n = %d", cap(w.syn), c.N)
	}
}
