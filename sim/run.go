package sim

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Run validates c and runs it on c.Workers goroutines. progress, if not
// nil, is called from a single goroutine after every finished task with
// the samples done so far and the samples of the run (or shard).
//
// The samples are cut into tasks of a size fixed by the Config alone;
// task t draws its randomness from the stream (c.Seed, t), and the
// results of tasks are exact integer counts, so the result does not
// depend on the number of workers or on the order in which tasks finish.
//
// If ctx is cancelled, Run stops handing out tasks, waits for the tasks
// in progress, and returns the result of the tasks that finished, with
// Partial set, together with ctx.Err().
func Run(ctx context.Context, c Config, progress func(done, total int64)) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	start := time.Now()
	pl := c.plan()
	pt, paper, err := theoryValues(c)
	if err != nil {
		return Result{}, err
	}
	var is *isModel
	if c.method() == MethodImportance {
		if is, err = newISModel(c); err != nil {
			return Result{}, err
		}
	}
	k := c.shards()
	ntask := pl.shardTasks(c.Shard, k)
	total := pl.shardSamples(c.Shard, k)

	nw := c.workers()
	// Workers check stop between draws, so that a cancelled run returns
	// within about one draw of a cells, not one task.
	var stop atomic.Bool
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	var next atomic.Int64
	done := make(chan int64, nw)
	workers := make([]*worker, nw)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = newWorker(c, pl, is)
		workers[i].stop = &stop
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= ntask {
					return
				}
				t := int64(c.Shard) + i*int64(k)
				if !w.runTask(t) {
					return
				}
				done <- pl.taskSamples(t)
			}
		}(workers[i])
	}
	go func() { wg.Wait(); close(done) }()
	var got int64
	for n := range done {
		got += n
		if progress != nil {
			progress(got, total)
		}
	}

	res := newResult(c, pl)
	res.TheoryPaper = paper
	for _, w := range workers {
		if err := res.Stats.add(w.acc); err != nil {
			return Result{}, err
		}
	}
	res.Partial = res.Stats.Tasks < ntask
	res.Seconds = time.Since(start).Seconds()
	finalize(c, &res, pt, is)
	if res.Partial {
		return res, ctx.Err()
	}
	return res, nil
}
