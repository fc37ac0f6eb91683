package sim

import (
	"fmt"
	"math"
	"runtime"
	"strconv"

	"github.com/dendritic/dendritic/theory"
)

// Kinds of simulation (Config.Kind).
const (
	KindFP     = "fp"     // E2: one segment vs a random pattern
	KindFN     = "fn"     // E3: a learned pattern under noise
	KindUnion  = "union"  // E4: a segment holding M patterns
	KindNeuron = "neuron" // E5: m segments per neuron
)

// Methods (Config.Method).
const (
	MethodDirect     = "direct"     // plain Monte Carlo of the real model
	MethodImportance = "importance" // importance sampling (fp and fn)
)

// Limits on a simulation, so that a typo cannot exhaust memory.
const (
	// MaxN is the largest population: each worker holds about 12·n bytes.
	MaxN = 1 << 24
	// MaxSamples is the largest sample count of one run.
	MaxSamples = 1 << 62
	// MaxUnionSynapses bounds M·s, the synapses drawn for one union segment.
	MaxUnionSynapses = 1 << 16
	// MaxSegments bounds m, the segments of one neuron.
	MaxSegments = 1 << 16
	// MaxWorkers bounds Config.Workers.
	MaxWorkers = 4096
	// MaxShards bounds Config.Shards: a job array of more parts than this
	// is far beyond any cluster queue's limit, and the bound keeps the
	// bookkeeping of Merge small whatever a (hostile) result file claims.
	MaxShards = 1 << 16
	// MaxMemory bounds the scratch memory of a run's workers (bytes; see
	// Config.WorkerBytes). A run whose Workers would exceed it is refused
	// before any allocation; with Workers = 0 the run uses as many
	// workers, up to one per CPU, as fit. One worker of the largest
	// population (n = MaxN) takes about 0.5 GB.
	MaxMemory = 4 << 30
)

// Config describes one simulation run. The zero values of Method and
// Workers mean "direct" and runtime.NumCPU(); Shards 0 means an unsplit
// run.
type Config struct {
	Kind     string // KindFP, KindFN, KindUnion or KindNeuron
	N        int    // population size n
	A        int    // active cells per pattern a
	S        int    // synapses per segment s (per stored pattern for union)
	Theta    int    // threshold θ: a segment fires iff overlap ≥ θ
	Noise    int    // fn only: v, active cells replaced by noise
	Patterns int    // union only: M, patterns stored on the segment
	Segments int    // neuron only: m, segments per neuron
	Samples  int64  // samples requested (rounded up to a whole pattern row; see Result.Samples)
	Seed     uint64 // master seed; task t uses stream (Seed, t)
	Method   string // MethodDirect (default) or MethodImportance
	Workers  int    // goroutines; 0 means runtime.NumCPU(). Never changes the result.
	Shard    int    // run only the tasks t with t mod Shards == Shard
	Shards   int    // number of shards; 0 or 1 means the whole run
}

func (c Config) method() string {
	if c.Method == "" {
		return MethodDirect
	}
	return c.Method
}

func (c Config) shards() int {
	if c.Shards <= 1 {
		return 1
	}
	return c.Shards
}

// workers returns the goroutines of the run: c.Workers, or (0) one per
// CPU but no more than fit in MaxMemory and no more than the tasks.
func (c Config) workers() int {
	w := c.Workers
	if w <= 0 {
		w = max(1, min(runtime.NumCPU(), int(MaxMemory/c.WorkerBytes())))
	}
	return int(min(int64(w), max(c.plan().shardTasks(c.Shard, c.shards()), 1)))
}

// WorkerBytes returns the scratch memory one worker allocates for c (c
// valid), to within a few kilobytes: the permutation of the n cells and
// three undo lists, and then either the lane table with its list of set
// cells and the block's test patterns (direct), or the segment bitmap and
// the overlap histogram (importance). It does not depend on the samples
// beyond the block size, so that 64 samples of a large n cost one worker's
// tables, not gigabytes.
func (c Config) WorkerBytes() int64 {
	n, a, s := int64(c.N), int64(c.A), int64(c.S)
	b := 4*n + 3*4*max(a, s)
	if c.method() == MethodImportance {
		maxOv := min(s, a)
		if c.Kind == KindFN {
			maxOv = s
		}
		return b + (n+63)/64*8 + 4*a + 8*(maxOv+1) + 4*isPerTask
	}
	p := c.plan()
	b += 8*n + 4*int64(synCap(c)) + 4*int64(p.patterns)*a
	if c.Kind == KindNeuron {
		b += 8 * int64(p.patterns) * int64(p.groups)
	}
	return b
}

// Validate reports the first parameter outside the model or the limits of
// the simulator, as an error naming the parameter; nil if c can run.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return &Error{Err: fmt.Errorf(format, args...)}
	}
	switch c.Kind {
	case KindFP, KindFN, KindUnion, KindNeuron:
	default:
		return bad("unknown kind %q (want fp, fn, union or neuron)", c.Kind)
	}
	switch c.method() {
	case MethodDirect:
	case MethodImportance:
		if c.Kind != KindFP && c.Kind != KindFN {
			return bad("importance sampling is implemented for fp and fn, not %s", c.Kind)
		}
	default:
		return bad("unknown method %q (want direct or importance)", c.Method)
	}
	switch {
	case c.N < 1:
		return bad("n = %d must be at least 1", c.N)
	case c.N > MaxN:
		return bad("n = %d exceeds the simulator's limit %d", c.N, MaxN)
	case c.A < 1:
		return bad("a = %d must be at least 1", c.A)
	case c.A > c.N:
		return bad("a = %d exceeds n = %d", c.A, c.N)
	case c.S < 1:
		return bad("s = %d must be at least 1", c.S)
	case c.S > c.N:
		return bad("s = %d exceeds n = %d", c.S, c.N)
	case c.Theta < 1:
		return bad("theta = %d must be at least 1 (θ ≤ 0 fires on every pattern)", c.Theta)
	case c.Samples < 1:
		return bad("samples = %d must be at least 1", c.Samples)
	case c.Samples > MaxSamples:
		return bad("samples = %d exceeds %d", c.Samples, int64(MaxSamples))
	case c.Workers < 0 || c.Workers > MaxWorkers:
		return bad("workers = %d must be in [0, %d] (0: one per CPU)", c.Workers, MaxWorkers)
	case c.Shards < 0 || c.Shards > MaxShards:
		return bad("shards = %d must be in [0, %d]", c.Shards, MaxShards)
	case c.Shard < 0 || c.Shard >= c.shards():
		return bad("shard = %d must be in [0, %d)", c.Shard, c.shards())
	}
	if c.Noise != 0 && c.Kind != KindFN {
		return bad("noise applies to fn only")
	}
	if c.Patterns != 0 && c.Kind != KindUnion {
		return bad("patterns applies to union only")
	}
	if c.Segments != 0 && c.Kind != KindNeuron {
		return bad("segments applies to neuron only")
	}
	switch c.Kind {
	case KindFP:
		if c.Theta > c.S {
			return bad("theta = %d exceeds s = %d (the segment could never fire)", c.Theta, c.S)
		}
	case KindFN:
		switch {
		case c.S > c.A:
			return bad("fn needs s ≤ a: the segment subsamples the pattern (s = %d, a = %d)", c.S, c.A)
		case c.Theta > c.S:
			return bad("theta = %d exceeds s = %d", c.Theta, c.S)
		case c.Noise < 0:
			return bad("noise = %d must not be negative", c.Noise)
		case c.Noise > c.A:
			return bad("noise = %d exceeds a = %d (cannot remove more cells than are active)", c.Noise, c.A)
		case c.Noise > c.N-c.A:
			return bad("noise = %d exceeds n − a = %d inactive cells", c.Noise, c.N-c.A)
		}
	case KindUnion:
		switch {
		case c.Patterns < 1:
			return bad("patterns = %d must be at least 1", c.Patterns)
		case int64(c.Patterns)*int64(c.S) > MaxUnionSynapses:
			return bad("patterns·s = %d exceeds the limit %d", int64(c.Patterns)*int64(c.S), MaxUnionSynapses)
		case c.Theta > min(c.Patterns*c.S, c.N):
			return bad("theta = %d exceeds the largest possible union size %d", c.Theta, min(c.Patterns*c.S, c.N))
		}
	case KindNeuron:
		if c.Theta > c.S {
			return bad("theta = %d exceeds s = %d (the segment could never fire)", c.Theta, c.S)
		}
		if c.Segments < 1 || c.Segments > MaxSegments {
			return bad("segments = %d must be in [1, %d]", c.Segments, MaxSegments)
		}
	}
	if c.Workers > 0 {
		w := int64(c.workers())
		if need := w * c.WorkerBytes(); need > MaxMemory {
			return bad("%d workers need %.2g GB of scratch memory (%.2g GB each), above the limit %.2g GB: use fewer workers (or 0 for as many as fit)",
				w, float64(need)/1e9, float64(c.WorkerBytes())/1e9, float64(MaxMemory)/1e9)
		}
	}
	if c.method() == MethodImportance {
		is, err := newISModel(c)
		if err != nil {
			return err
		}
		if is.evLo > is.bHi {
			return bad("importance sampling needs a possible event, but %s is exactly 0 here", c.Kind)
		}
		if is.logP < math.Log(1e-290) {
			return bad("%s = 10^%.1f is below the float64 range of the importance estimator", c.Kind, is.logP/math.Ln10)
		}
	}
	return nil
}

// plan is the fixed division of a run into tasks. It depends only on the
// Config (never on the worker count), so that every task — and with it
// the result — is reproducible.
type plan struct {
	tasks   int64 // tasks of the whole (unsplit) run
	samples int64 // samples of the whole run (≥ requested)

	// direct: a block of lanes segments (groups of 64) × patterns
	// patterns; width samples per pattern (lanes, or neurons).
	lanes, groups, width, patterns, lastPatterns int
	hi                                           int // high counter planes

	// importance: perTask samples per task, lastSamples in the last.
	perTask, lastSamples int64
}

// Block sizes. A direct block has its own fresh segments and patterns, so
// blocks are independent; the design effect is estimated from their
// spread. Runs are cut into about blockTarget blocks of at most
// maxBlockSamples samples.
const (
	blockTarget     = 128
	minBlockSamples = 1 << 12
	maxBlockSamples = 1 << 20
	maxGroups       = 32
	maxPatternCells = 1 << 21 // per-worker pattern buffer (uint32)
	maxHitWords     = 1 << 20 // per-worker neuron hit masks (uint64)
	isPerTask       = 1 << 14
)

func (c Config) plan() plan {
	var p plan
	if c.method() == MethodImportance {
		p.perTask = isPerTask
		p.tasks = (c.Samples + isPerTask - 1) / isPerTask
		p.lastSamples = c.Samples - (p.tasks-1)*isPerTask
		p.samples = c.Samples
		return p
	}
	target := min(max(c.Samples/blockTarget, minBlockSamples), maxBlockSamples)
	groups := int(min(max(target/(64*256), 1), maxGroups))
	lanes := 64 * groups
	p.width = lanes
	if c.Kind == KindNeuron {
		p.width = max(1, lanes/c.Segments)
		lanes = p.width * c.Segments
	}
	p.lanes = lanes
	p.groups = (lanes + 63) / 64
	p.patterns = int(max(1, target/int64(p.width)))
	p.patterns = min(p.patterns, max(1, maxPatternCells/c.A))
	if c.Kind == KindNeuron { // hit masks: patterns × groups words
		p.patterns = min(p.patterns, max(1, maxHitWords/p.groups))
	}
	block := int64(p.width) * int64(p.patterns)
	p.tasks = (c.Samples + block - 1) / block
	rest := c.Samples - (p.tasks-1)*block
	p.lastPatterns = int((rest + int64(p.width) - 1) / int64(p.width))
	p.samples = (p.tasks-1)*block + int64(p.lastPatterns)*int64(p.width)
	maxOverlap := min(c.S, c.A)
	if c.Kind == KindUnion {
		maxOverlap = min(c.Patterns*c.S, c.A, c.N)
	}
	p.hi = highPlanes(maxOverlap)
	return p
}

// taskSamples returns the samples of task t.
func (p plan) taskSamples(t int64) int64 {
	if p.perTask > 0 {
		if t == p.tasks-1 {
			return p.lastSamples
		}
		return p.perTask
	}
	return int64(p.width) * int64(p.taskPatterns(t))
}

func (p plan) taskPatterns(t int64) int {
	if t == p.tasks-1 {
		return p.lastPatterns
	}
	return p.patterns
}

// shardTasks returns the number of tasks of shard i of k: those with
// t mod k == i.
func (p plan) shardTasks(i, k int) int64 {
	if int64(i) >= p.tasks {
		return 0
	}
	return (p.tasks-1-int64(i))/int64(k) + 1
}

// shardSamples returns the samples of shard i of k.
func (p plan) shardSamples(i, k int) int64 {
	nt := p.shardTasks(i, k)
	if nt == 0 {
		return 0
	}
	full := p.taskSamples(0)
	total := nt * full
	if (p.tasks-1)%int64(k) == int64(i) {
		total += p.taskSamples(p.tasks-1) - full
	}
	return total
}

// kindParams are the parameters of each kind, in canonical order.
var kindParams = map[string][]theory.Param{
	KindFP:     {theory.ParamN, theory.ParamA, theory.ParamS, theory.ParamTheta},
	KindFN:     {theory.ParamN, theory.ParamA, theory.ParamS, theory.ParamTheta, theory.ParamNoise},
	KindUnion:  {theory.ParamN, theory.ParamA, theory.ParamS, theory.ParamTheta, theory.ParamPatterns},
	KindNeuron: {theory.ParamN, theory.ParamA, theory.ParamS, theory.ParamTheta, theory.ParamSegments},
}

// Kinds returns the kinds of simulation, in the order fp, fn, union,
// neuron.
func Kinds() []string { return []string{KindFP, KindFN, KindUnion, KindNeuron} }

// KindParams returns the parameters a kind of simulation takes, in
// canonical order (nil for an unknown kind).
func KindParams(kind string) []theory.Param {
	return append([]theory.Param(nil), kindParams[kind]...)
}

// field returns the Config field holding parameter p (nil for one that
// no kind takes, such as b).
func (c *Config) field(p theory.Param) *int {
	fields := [...]*int{
		theory.ParamN: &c.N, theory.ParamA: &c.A, theory.ParamS: &c.S, theory.ParamTheta: &c.Theta,
		theory.ParamNoise: &c.Noise, theory.ParamPatterns: &c.Patterns, theory.ParamSegments: &c.Segments,
	}
	if int(p) >= len(fields) {
		return nil
	}
	return fields[p]
}

// SetArgs sets the model parameters of c (of kind c.Kind) from args. A
// parameter the kind needs and args lacks, or one it does not take, is a
// *theory.ArgError (Quantity c.Kind, Err theory.ErrMissing or
// theory.ErrUnused); values are checked by Validate.
func (c *Config) SetArgs(args theory.Args) error {
	ps, ok := kindParams[c.Kind]
	if !ok {
		return &Error{Err: fmt.Errorf("unknown kind %q (want fp, fn, union or neuron)", c.Kind)}
	}
	var takes theory.Args
	for _, p := range ps {
		takes = takes.With(p, 0)
		if !args.Has(p) {
			return &theory.ArgError{Quantity: c.Kind, Param: p.String(), Err: theory.ErrMissing}
		}
	}
	for _, p := range args.Given() {
		v, _ := args.Get(p)
		if !takes.Has(p) {
			return &theory.ArgError{Quantity: c.Kind, Param: p.String(), Value: strconv.Itoa(v), Err: theory.ErrUnused}
		}
		*c.field(p) = v
	}
	return nil
}

// args returns the parameters of c's kind.
func (c Config) args() theory.Args {
	var a theory.Args
	for _, p := range kindParams[c.Kind] {
		a = a.With(p, *c.field(p))
	}
	return a
}

// Error is an error of the simulator: a configuration that cannot run,
// or (Op "merge") parts that do not form one run. Err says why, without
// the package prefix that Error adds, so that a command can print it as
// is.
type Error struct {
	Op  string // "" or "merge"
	Err error
}

func (e *Error) Error() string {
	if e.Op == "" {
		return "sim: " + e.Err.Error()
	}
	return "sim: " + e.Op + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }
