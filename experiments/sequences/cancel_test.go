package sequences

import (
	"context"
	"errors"
	"testing"

	"github.com/dendritic/dendritic/htm"
)

// TestCancelKeepsFinishedTasks: when the run is cancelled, the tasks whose
// runs all finished are kept (Run then returns them, Partial, so that the
// command writes them) and the others are not; before, Run returned
// nothing and a Ctrl-C lost every finished task.
func TestCancelKeepsFinishedTasks(t *testing.T) {
	cfg := DefaultConfig(0)
	tm, err := htm.New(cfg.TM)
	if err != nil {
		t.Fatal(err)
	}
	snapshot, err := tm.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	finish := func(context.Context, *htm.TemporalMemory, *Curve) error { return nil }
	interrupt := func(ctx context.Context, _ *htm.TemporalMemory, _ *Curve) error {
		cancel() // Ctrl-C while this run is in progress
		return ctx.Err()
	}
	jobs := []*job{
		{task: TaskSwitch, label: "switch", run: finish},
		{task: TaskNoise, label: "noise 0.1", run: finish},
		{task: TaskNoise, label: "noise 0.2", run: interrupt},
		{task: TaskCellDeath, label: "dead 0.2", run: finish},
	}
	err = runJobs(ctx, jobs, snapshot, 1)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("runJobs: %v, want context.Canceled", err)
	}
	for task, want := range map[string]bool{TaskSwitch: true, TaskNoise: false, TaskCellDeath: false} {
		if got := tasksDone(jobs, task); got != want {
			t.Errorf("task %s done = %v, want %v", task, got, want)
		}
	}
}

// TestCancelSeeds: a run over seeds cancelled before it starts returns
// context.Canceled and no result, rather than hanging or panicking.
func TestCancelSeeds(t *testing.T) {
	cfg := shortConfig(1)
	cfg.Seeds = 3
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, cfg, []string{TaskSwitch})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("Run: %v, %v; want context.Canceled and no result", res, err)
	}
}
