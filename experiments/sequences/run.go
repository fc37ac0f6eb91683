package sequences

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/htm"
)

// RecoveryLevel is the moving accuracy at which a run counts as recovered
// after a change.
const RecoveryLevel = 0.9

// Score is one scored prediction: the last element of a sequence.
type Score struct {
	Step    int  `json:"step"`
	Correct bool `json:"correct"`
}

// Curve is the scored predictions of one run.
type Curve struct {
	Task  string  // the task
	Label string  // e.g. "noise 0.30"
	Value float64 // the swept value (noise level, dead fraction), 0 otherwise
	// Scores lists every scored prediction of the run, in step order,
	// those of the shared prefix included.
	Scores []Score
	// Seconds is the time of the run after the shared prefix.
	Seconds float64
	// Lesion records the cell-death runs' lesion.
	Lesion *LesionInfo
	// Segments is the number of segments at the end of the run.
	Segments int
}

// LesionInfo describes the lesion of a cell-death run.
type LesionInfo struct {
	DeadCells       int `json:"dead_cells"`
	SegmentsRemoved int `json:"segments_removed"`
	SynapsesRemoved int `json:"synapses_removed"`
}

// Change summarises a run around the step at which its input or network
// changed.
type Change struct {
	Step int `json:"step"`
	// AccuracyBefore is the accuracy of the last Window predictions
	// before Step.
	AccuracyBefore float64 `json:"accuracy_before"`
	// AccuracyFirstWindow is the accuracy of the first Window predictions
	// at or after Step.
	AccuracyFirstWindow float64 `json:"accuracy_first_window"`
	// MinWindowAccuracy is the lowest moving accuracy (over the last
	// Window predictions) at or after Step, first reached at MinStep.
	MinWindowAccuracy float64 `json:"min_window_accuracy"`
	MinStep           int     `json:"min_step"`
	// FirstBelowStep is the first step at or after Step at which the
	// moving accuracy is below RecoveryLevel (null if never).
	FirstBelowStep *int `json:"first_below_step"`
	// RecoveredStep is the first step after MinStep at which the moving
	// accuracy is at least RecoveryLevel again, and RecoverySteps its
	// distance from Step; both null if that never happens (or the
	// accuracy never fell below RecoveryLevel: then both equal Step and
	// 0).
	RecoveredStep *int `json:"recovered_step"`
	RecoverySteps *int `json:"recovery_steps"`
	// The accuracy in windows defined by the change rather than by the
	// end of the run (issue 12: the last FinalWindow predictions can
	// begin during recovery). AccuracyRecovering is that of the scored
	// predictions from Step up to RecoveredStep (to the end of the run if
	// the accuracy never recovered; null if it never fell); AccuracyRecovered that of the
	// predictions after RecoveredStep to the end (null if it never
	// recovered or nothing follows), RecoveredPredictions their number.
	AccuracyRecovering   *float64 `json:"accuracy_recovering"`
	AccuracyRecovered    *float64 `json:"accuracy_recovered"`
	RecoveredPredictions int      `json:"recovered_predictions"`
}

// Variant is one run of a swept task.
type Variant struct {
	Label         string      `json:"label"`
	Value         float64     `json:"value"`
	FinalAccuracy float64     `json:"final_accuracy"`
	Change        *Change     `json:"change,omitempty"`
	Seconds       float64     `json:"seconds"`
	Lesion        *LesionInfo `json:"lesion,omitempty"`
	// Segments is the number of segments at the end of the run.
	Segments int `json:"segments_end"`
}

// TaskResult is the outcome of one task.
type TaskResult struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
	// FinalAccuracy is the accuracy of the last FinalWindow scored
	// predictions of the headline run (FinalPredictions of them).
	FinalAccuracy    float64 `json:"final_accuracy"`
	FinalPredictions int     `json:"final_predictions"`
	Predictions      int     `json:"predictions"`
	Steps            int     `json:"steps"`
	// Value is the headline noise level or dead fraction.
	Value float64 `json:"value,omitempty"`
	// Seconds is the run time of the task as if run alone: the shared
	// prefix plus the task's own runs.
	Seconds float64     `json:"seconds"`
	Change  *Change     `json:"change,omitempty"`
	Lesion  *LesionInfo `json:"lesion,omitempty"`
	// Segments is the number of segments at the end of the headline run.
	Segments int `json:"segments_end"`
	// Sweep lists every run of a swept task (the headline among them).
	Sweep []Variant `json:"sweep,omitempty"`

	// Headline is the run the task's numbers describe; Curves are all
	// runs (the headline included), in sweep order.
	Headline *Curve   `json:"-"`
	Curves   []*Curve `json:"-"`
}

// Result is the outcome of Run.
type Result struct {
	Config Config       `json:"config"`
	Tasks  []TaskResult `json:"tasks"`
	// Theory compares the false predictions of the trained network of
	// the high-order task with the theory (nil without that task).
	Theory *Theory `json:"theory,omitempty"`
	// PrefixSeconds is the time of the shared first SwitchAt steps, and
	// Seconds the wall time of the whole Run.
	PrefixSeconds float64 `json:"prefix_seconds"`
	Seconds       float64 `json:"seconds"`
	// Seeds summarises every task over the seeds of Config.Seeds (null
	// for one seed).
	Seeds []SeedStats `json:"seeds,omitempty"`
	// Partial is set when the run was cancelled: Tasks then holds only
	// the tasks whose every run finished.
	Partial bool `json:"partial,omitempty"`
}

// Task returns the result of the named task, or nil.
func (r *Result) Task(name string) *TaskResult {
	for i := range r.Tasks {
		if r.Tasks[i].Name == name {
			return &r.Tasks[i]
		}
	}
	return nil
}

// Definitions of the tasks, as reported.
var definitions = map[string]string{
	TaskHighOrder: "the 8 high-order sequences of Cui et al. (2016) with one random noise symbol after each, learned online; " +
		"accuracy of predicting the last element of each sequence",
	TaskSwitch: "as high-order, but every sequence starting at or after the switch step comes from the perturbed set " +
		"(the endings of each pair swapped): the learned last elements become wrong and must be relearned",
	TaskNoise: "temporal (sensor) noise: from the switch step on, every input (sequence element or noise symbol) has a fraction " +
		"of its active columns replaced by columns drawn uniformly from the inactive ones, afresh at every step, " +
		"so that no symbol is ever presented twice the same; learning continues; predictions are decoded against the clean codes",
	TaskCellDeath: "after the kill step, a fraction of the layer's cells, drawn uniformly, dies: their segments and every synapse " +
		"onto them are destroyed, and they never become active or winner cells again (a column whose cells are all dead " +
		"stays silent); learning continues",
}

// model is what a run needs of a temporal memory (htm.TemporalMemory).
type model interface {
	Compute(cols []uint32, learn bool) error
	PredictedColumns(dst []uint32) []uint32
	ActiveCells() []uint32
	Anomaly() float64
	Connections() *dendrite.Connections
}

// env holds what every run of a Config shares.
type env struct {
	cfg             Config
	enc             *Encoder
	clean, switched []Element
	novel           []bool // a noise symbol never presented before
}

func newEnv(cfg Config) (*env, error) {
	e := &env{cfg: cfg}
	var err error
	sc := StreamConfig{Steps: cfg.Steps, Sequences: cfg.Sequences, NoiseCategories: cfg.NoiseCategories, SwitchAt: -1, Seed: cfg.Seed}
	if e.clean, err = Stream(sc); err != nil {
		return nil, err
	}
	sc.SwitchAt = cfg.SwitchAt
	if e.switched, err = Stream(sc); err != nil {
		return nil, err
	}
	if e.enc, err = NewEncoder(cfg.TM.NumColumns, cfg.ActiveBits, NumSymbols+cfg.NoiseCategories, cfg.Seed); err != nil {
		return nil, err
	}
	seen := make([]bool, NumSymbols+cfg.NoiseCategories)
	e.novel = make([]bool, len(e.clean))
	for t, el := range e.clean {
		e.novel[t] = el.Noise() && !seen[el.Category]
		seen[el.Category] = true
	}
	return e, nil
}

// runState steps a model through part of a stream.
type runState struct {
	e      *env
	m      model
	stream []Element
	scores []Score
	pred   []uint32
	counts []int32
	// input, if set, returns the columns presented at step t (the clean
	// code is passed in).
	input func(t int, code []uint32) []uint32
	// after, if set, is called after each Compute.
	after func(t int) error
}

// finish records the end of a run in c.
func (r *runState) finish(c *Curve) {
	c.Scores = r.scores
	c.Segments = r.m.Connections().NumSegments()
}

func (r *runState) run(ctx context.Context, from, to int) error {
	if r.counts == nil {
		r.counts = make([]int32, r.e.enc.Categories())
	}
	for t := from; t < to; t++ {
		if t%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		el := r.stream[t]
		if el.Last {
			r.pred = r.m.PredictedColumns(r.pred[:0])
			c, _ := r.e.enc.Decode(r.pred, r.counts)
			r.scores = append(r.scores, Score{Step: t, Correct: c == el.Category})
		}
		x := r.e.enc.Code(el.Category)
		if r.input != nil {
			x = r.input(t, x)
		}
		if err := r.m.Compute(x, true); err != nil {
			return fmt.Errorf("step %d: %w", t, err)
		}
		if r.after != nil {
			if err := r.after(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// derive returns a generator for one purpose and one value of a sweep.
func derive(seed uint64, purpose uint64, value float64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^math.Float64bits(value)*0x9e3779b97f4a7c15, purpose))
}

// job is one run forked from the shared prefix.
type job struct {
	task  string
	label string
	value float64
	run   func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error
	curve *Curve
	done  bool // the run finished without error
}

// Run runs the named tasks (see ParseTasks) under cfg. All tasks share
// their first SwitchAt steps, which are run once; each task then
// continues from a copy of that state, so a task's result does not depend
// on which other tasks run. With Seeds > 1 every seed is such a run, and
// the seeds run side by side on the workers (see runSeeds).
func Run(ctx context.Context, cfg Config, tasks []string) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tasks, err := ParseTasks(tasks)
	if err != nil {
		return nil, err
	}
	if cfg.Seeds > 1 {
		return runSeeds(ctx, cfg, tasks)
	}
	return runSeed(ctx, cfg, tasks)
}

// runSeed is Run for one seed, cfg.Seed, with valid cfg and tasks.
func runSeed(ctx context.Context, cfg Config, tasks []string) (*Result, error) {
	start := time.Now()
	e, err := newEnv(cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{Config: cfg}

	// The shared prefix.
	t0 := time.Now()
	tm, err := htm.New(cfg.TM)
	if err != nil {
		return nil, err
	}
	pre := &runState{e: e, m: tm, stream: e.clean}
	if err := pre.run(ctx, 0, cfg.SwitchAt); err != nil {
		return nil, err
	}
	snapshot, err := tm.MarshalBinary()
	if err != nil {
		return nil, err
	}
	tm = nil
	res.PrefixSeconds = time.Since(t0).Seconds()

	var jobs []*job
	add := func(task, label string, value float64, f func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error) {
		jobs = append(jobs, &job{task: task, label: label, value: value, run: f})
	}
	var theoryOut *Theory
	for _, task := range tasks {
		switch task {
		case TaskHighOrder:
			add(task, "high-order", 0, func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error {
				th, err := e.runHighOrder(ctx, tm, c, pre.scores)
				theoryOut = th
				return err
			})
		case TaskSwitch:
			add(task, "switch", 0, func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error {
				r := &runState{e: e, m: tm, stream: e.switched, scores: slices.Clone(pre.scores)}
				err := r.run(ctx, cfg.SwitchAt, cfg.Steps)
				r.finish(c)
				return err
			})
		case TaskNoise:
			for _, f := range sweep(cfg.NoiseLevel, cfg.NoiseLevels) {
				add(task, fmt.Sprintf("noise %.2f", f), f, func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error {
					rng := derive(cfg.Seed, streamNoise, f)
					v := int(math.Round(f * float64(cfg.ActiveBits)))
					var buf []uint32
					r := &runState{e: e, m: tm, stream: e.clean, scores: slices.Clone(pre.scores)}
					r.input = func(t int, code []uint32) []uint32 {
						var err error
						buf, err = dendrite.NoisyPattern(buf, code, cfg.TM.NumColumns, min(v, len(code)), rng)
						if err != nil {
							panic(err) // v ≤ len(code) ≤ columns: cannot fail
						}
						return buf
					}
					err := r.run(ctx, cfg.SwitchAt, cfg.Steps)
					r.finish(c)
					return err
				})
			}
		case TaskCellDeath:
			for _, f := range sweep(cfg.DeadFraction, cfg.DeadFractions) {
				add(task, fmt.Sprintf("dead %.2f", f), f, func(ctx context.Context, tm *htm.TemporalMemory, c *Curve) error {
					r := &runState{e: e, m: tm, stream: e.clean, scores: slices.Clone(pre.scores)}
					if err := r.run(ctx, cfg.SwitchAt, cfg.KillAt); err != nil {
						return err
					}
					dead, err := DeadCells(tm.NumCells(), f, derive(cfg.Seed, streamDeath, f))
					if err != nil {
						return err
					}
					segs, syns, err := tm.KillCells(dead)
					if err != nil {
						return err
					}
					c.Lesion = &LesionInfo{DeadCells: tm.NumDead(), SegmentsRemoved: segs, SynapsesRemoved: syns}
					err = r.run(ctx, cfg.KillAt, cfg.Steps)
					r.finish(c)
					return err
				})
			}
		}
	}
	jobErr := runJobs(ctx, jobs, snapshot, cfg.Workers)
	if jobErr != nil && ctx.Err() == nil {
		return nil, jobErr
	}
	if tasksDone(jobs, TaskHighOrder) {
		res.Theory = theoryOut
	}
	res.Partial = jobErr != nil

	for _, task := range tasks {
		if !tasksDone(jobs, task) {
			continue // cancelled: only finished tasks are reported
		}
		tr := TaskResult{Name: task, Definition: definitions[task], Steps: cfg.Steps, Seconds: res.PrefixSeconds}
		for _, j := range jobs {
			if j.task == task {
				tr.Curves = append(tr.Curves, j.curve)
				tr.Seconds += j.curve.Seconds
			}
		}
		head := tr.Curves[0]
		switch task {
		case TaskNoise:
			head = pick(tr.Curves, cfg.NoiseLevel)
		case TaskCellDeath:
			head = pick(tr.Curves, cfg.DeadFraction)
		}
		tr.Headline = head
		tr.Value = head.Value
		tr.FinalAccuracy, tr.FinalPredictions = finalAccuracy(head.Scores, cfg.FinalWindow)
		tr.Predictions = len(head.Scores)
		tr.Lesion = head.Lesion
		tr.Segments = head.Segments
		change := changeStep(cfg, task)
		if change >= 0 {
			tr.Change = changeOf(head.Scores, change, cfg.Window)
		}
		if task == TaskNoise || task == TaskCellDeath {
			for _, c := range tr.Curves {
				acc, _ := finalAccuracy(c.Scores, cfg.FinalWindow)
				tr.Sweep = append(tr.Sweep, Variant{
					Label: c.Label, Value: c.Value, FinalAccuracy: acc, Seconds: c.Seconds, Lesion: c.Lesion, Segments: c.Segments,
					Change: changeOf(c.Scores, change, cfg.Window),
				})
			}
		}
		res.Tasks = append(res.Tasks, tr)
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Partial && len(res.Tasks) == 0 {
		return nil, jobErr
	}
	return res, jobErr
}

// tasksDone reports whether every run of task finished.
func tasksDone(jobs []*job, task string) bool {
	for _, j := range jobs {
		if j.task == task && !j.done {
			return false
		}
	}
	return true
}

// changeStep returns the step of a task's change (−1 for none).
func changeStep(cfg Config, task string) int {
	switch task {
	case TaskSwitch, TaskNoise:
		return cfg.SwitchAt
	case TaskCellDeath:
		return cfg.KillAt
	}
	return -1
}

// sweep returns the sorted, distinct values of a sweep with the headline.
func sweep(head float64, values []float64) []float64 {
	out := slices.Clone(values)
	if !slices.Contains(out, head) {
		out = append(out, head)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func pick(curves []*Curve, v float64) *Curve {
	for _, c := range curves {
		if c.Value == v {
			return c
		}
	}
	return curves[0]
}

// runJobs runs the jobs on workers goroutines, each on its own copy of the
// snapshot. The first error cancels the others.
func runJobs(ctx context.Context, jobs []*job, snapshot []byte, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers = max(1, min(workers, len(jobs)))
	next := make(chan *job)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				err := func() error {
					t0 := time.Now()
					tm := new(htm.TemporalMemory)
					if err := tm.UnmarshalBinary(snapshot); err != nil {
						return err
					}
					j.curve = &Curve{Task: j.task, Label: j.label, Value: j.value}
					err := j.run(ctx, tm, j.curve)
					j.curve.Seconds = time.Since(t0).Seconds()
					j.done = err == nil && ctx.Err() == nil
					return err
				}()
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("%s: %w", j.label, err)
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// finalAccuracy returns the accuracy of the last w scores and their number.
func finalAccuracy(s []Score, w int) (float64, int) {
	s = s[max(0, len(s)-w):]
	return accuracy(s), len(s)
}

func accuracy(s []Score) float64 {
	if len(s) == 0 {
		return 0
	}
	n := 0
	for _, x := range s {
		if x.Correct {
			n++
		}
	}
	return float64(n) / float64(len(s))
}

// WindowAccuracy returns, for each score, the accuracy of the last w
// scores up to it (fewer at the start), and the cumulative accuracy.
func WindowAccuracy(s []Score, w int) (window, cumulative []float64) {
	window = make([]float64, len(s))
	cumulative = make([]float64, len(s))
	inWin, total := 0, 0
	for i, x := range s {
		if x.Correct {
			inWin++
			total++
		}
		if i >= w && s[i-w].Correct {
			inWin--
		}
		window[i] = float64(inWin) / float64(min(i+1, w))
		cumulative[i] = float64(total) / float64(i+1)
	}
	return window, cumulative
}

// changeOf computes the Change of a run at step.
func changeOf(s []Score, step, w int) *Change {
	i := 0
	for i < len(s) && s[i].Step < step {
		i++
	}
	if i == len(s) {
		return nil
	}
	c := &Change{Step: step}
	c.AccuracyBefore = accuracy(s[max(0, i-w):i])
	c.AccuracyFirstWindow = accuracy(s[i:min(len(s), i+w)])
	win, _ := WindowAccuracy(s, w)
	lo := i
	for j := i; j < len(s); j++ {
		if win[j] < win[lo] {
			lo = j
		}
	}
	c.MinWindowAccuracy, c.MinStep = win[lo], s[lo].Step
	for j := i; j < len(s); j++ {
		if win[j] < RecoveryLevel {
			at := s[j].Step
			c.FirstBelowStep = &at
			break
		}
	}
	end := len(s) // index of the first score after recovery
	if win[lo] >= RecoveryLevel {
		zero := 0
		c.RecoveredStep, c.RecoverySteps = &step, &zero
		end = i
	} else {
		for j := lo + 1; j < len(s); j++ {
			if win[j] >= RecoveryLevel {
				at, d := s[j].Step, s[j].Step-step
				c.RecoveredStep, c.RecoverySteps = &at, &d
				end = j + 1
				break
			}
		}
	}
	if end > i {
		a := accuracy(s[i:end])
		c.AccuracyRecovering = &a
	}
	if c.RecoveredStep != nil && end < len(s) {
		a := accuracy(s[end:])
		c.AccuracyRecovered, c.RecoveredPredictions = &a, len(s)-end
	}
	return c
}
