package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/sim"
)

func init() {
	registerLegacy(command{
		name:    "simulate",
		summary: "Monte Carlo of the real model (fp, fn, union, neuron) against the theory",
		run:     runSimulate,
	})
}

// exitInterrupted is the exit status after Ctrl-C (128 + SIGINT).
const exitInterrupted = 130

const simulateSynopsis = `usage: dendritic simulate fp|fn|union|neuron --n N --a A --s S --theta T
                      [--noise V] [--patterns M] [--segments K] --samples N [--seed S]
                      [--method direct|importance] [--workers W] [--shard i/N]
                      [--format text|json]
`

// simulateContext returns the context of a run: cancelled by Ctrl-C or
// SIGTERM. Tests replace it.
var simulateContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func simulateUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, simulateSynopsis+`
Simulates real patterns and real segments and compares the frequency of the
event with the theory: fp (E2, overlap ≥ θ with a random pattern), fn (E3,
overlap < θ after noise replaced v active cells), union (E4, a segment holding
M patterns; theory = exact union-size mixture, paper's plug-in shown too),
neuron (E5, any of m segments fires). Integers may be written as 1e8.
--method importance (fp, fn) verifies probabilities far below 1/samples.
The same seed gives the same result for any --workers; --shard i/N runs one
part of the run, and 'dendritic merge' joins the parts' JSON into the result
of the whole run. Ctrl-C stops and prints the partial result (exit 130).
Exit status: 2 for usage errors, 1 for invalid model parameters.

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var n, a, s, theta, noise, patterns, segments, samples, workers cliutil.IntFlag
	fs.Var(&n, "n", "population size `N` (cells)")
	fs.Var(&a, "a", "`A` active cells in a pattern")
	fs.Var(&s, "s", "`S` synapses on a segment (per stored pattern for union)")
	fs.Var(&theta, "theta", "threshold `T`: a segment fires iff overlap ≥ T")
	fs.Var(&noise, "noise", "fn: `V` active cells replaced by noise")
	fs.Var(&patterns, "patterns", "union: `M` patterns stored on the segment")
	fs.Var(&segments, "segments", "neuron: `K` segments per neuron")
	fs.Var(&samples, "samples", "number of samples `N` (e.g. 1e8)")
	fs.Var(&workers, "workers", "worker goroutines `W` (default: one per CPU; never changes the result)")
	seed := fs.Uint64("seed", 1, "master random `seed`")
	method := fs.String("method", sim.MethodDirect, "`method`: direct or importance (fp, fn)")
	shard := fs.String("shard", "", "run only part `i/N` of the tasks (0 ≤ i < N)")
	format := fs.String("format", "text", "output `format`: text or json")

	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "dendritic simulate: "+format+"\n\n%s\nRun 'dendritic simulate -h' for the flags.\n",
			append(args, simulateSynopsis)...)
		return exitUsage
	}
	// The kind may stand anywhere among the flags.
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			simulateUsage(stdout, fs)
			return 0
		}
		return usageErr("%v", err)
	}
	if len(positional) != 1 {
		if len(positional) == 0 {
			return usageErr("no kind given (fp, fn, union or neuron)")
		}
		return usageErr("one kind at a time, got %s", strings.Join(positional, " "))
	}
	kind := positional[0]
	switch kind {
	case sim.KindFP, sim.KindFN, sim.KindUnion, sim.KindNeuron:
	default:
		return usageErr("unknown kind %q (want fp, fn, union or neuron)", kind)
	}
	switch *method {
	case sim.MethodDirect, sim.MethodImportance:
	default:
		return usageErr("unknown --method %q (want direct or importance)", *method)
	}
	switch *format {
	case "text", "json":
	default:
		return usageErr("unknown --format %q (want text or json)", *format)
	}
	flags := map[string]*cliutil.IntFlag{"n": &n, "a": &a, "s": &s, "theta": &theta, "samples": &samples,
		"noise": &noise, "patterns": &patterns, "segments": &segments}
	required := []string{"n", "a", "s", "theta", "samples"}
	switch kind {
	case sim.KindFN:
		required = append(required, "noise")
	case sim.KindUnion:
		required = append(required, "patterns")
	case sim.KindNeuron:
		required = append(required, "segments")
	}
	var missing []string
	for _, name := range required {
		if !flags[name].IsSet {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return usageErr("%s needs %s", kind, strings.Join(missing, ", "))
	}
	for name, only := range map[string]string{"noise": sim.KindFN, "patterns": sim.KindUnion, "segments": sim.KindNeuron} {
		if flags[name].IsSet && kind != only {
			return usageErr("--%s applies to %s only", name, only)
		}
	}
	c := sim.Config{
		Kind: kind, N: n.V, A: a.V, S: s.V, Theta: theta.V, Noise: noise.V,
		Patterns: patterns.V, Segments: segments.V, Samples: int64(samples.V),
		Seed: *seed, Method: *method, Workers: workers.V,
	}
	if *shard != "" {
		i, k, err := parseShard(*shard)
		if err != nil {
			return usageErr("--shard: %v", err)
		}
		c.Shard, c.Shards = i, k
	}
	if err := c.Validate(); err != nil {
		fmt.Fprintf(stderr, "dendritic simulate: %s\n", strings.TrimPrefix(err.Error(), "sim: "))
		return 1
	}

	ctx, stop := simulateContext()
	defer stop()
	var bar *progressBar
	var progress func(done, total int64)
	if isTerminal(stderr) {
		bar = newProgressBar(stderr)
		progress = bar.update
	}
	r, err := sim.Run(ctx, c, progress)
	if bar != nil {
		bar.finish()
	}
	status := 0
	if err != nil {
		if !r.Partial {
			fmt.Fprintf(stderr, "dendritic simulate: %s\n", strings.TrimPrefix(err.Error(), "sim: "))
			return 1
		}
		fmt.Fprintf(stderr, "dendritic simulate: interrupted: partial result of %d of %d tasks\n",
			r.Stats.Tasks, shardTaskCount(r))
		status = exitInterrupted
	}
	if err := writeSimResult(stdout, r, *format); err != nil {
		fmt.Fprintf(stderr, "dendritic simulate: %v\n", err)
		return 1
	}
	return status
}

// shardTaskCount returns the number of tasks of r's shard.
func shardTaskCount(r sim.Result) int64 {
	k := int64(max(r.Shards, 1))
	if int64(r.Shard) >= r.Tasks {
		return 0
	}
	return (r.Tasks-1-int64(r.Shard))/k + 1
}

// parseShard parses "i/N" with 0 ≤ i < N.
func parseShard(s string) (i, k int, err error) {
	is, ks, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want i/N, e.g. 0/4", s)
	}
	i, err1 := strconv.Atoi(is)
	k, err2 := strconv.Atoi(ks)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q: want i/N with integers, e.g. 0/4", s)
	}
	if k < 1 || i < 0 || i >= k {
		return 0, 0, fmt.Errorf("%q: want 0 ≤ i < N", s)
	}
	return i, k, nil
}

// writeSimResult prints r as indented JSON or as a text table.
func writeSimResult(w io.Writer, r sim.Result, format string) error {
	if format == "json" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	var params []string
	for _, name := range []string{"n", "a", "s", "theta", "noise", "patterns", "segments"} {
		if v, ok := r.Params[name]; ok {
			params = append(params, fmt.Sprintf("%s=%d", name, v))
		}
	}
	fmt.Fprintf(w, "%s %s  (%s, seed %d", r.Quantity, strings.Join(params, " "), r.Method, r.Seed)
	if r.Shards > 1 {
		fmt.Fprintf(w, ", shard %d/%d", r.Shard, r.Shards)
	}
	fmt.Fprintln(w, ")")
	if r.Partial {
		fmt.Fprintf(w, "PARTIAL      interrupted after %d of %d tasks\n", r.Stats.Tasks, shardTaskCount(r))
	}
	fmt.Fprintf(w, "samples      %d\n", r.Samples)
	fmt.Fprintf(w, "hits         %d\n", r.Hits)
	fmt.Fprintf(w, "estimate     %.6g   (± %.2g standard error)\n", r.Estimate, r.StdError)
	fmt.Fprintf(w, "ci95         [%.6g, %.6g]\n", r.CI95[0], r.CI95[1])
	fmt.Fprintf(w, "theory       %.10g\n", r.Theory)
	if r.TheoryPaper != nil {
		fmt.Fprintf(w, "theory_paper %.10g   (paper's plug-in of the expected union size)\n", *r.TheoryPaper)
	}
	if r.Z != nil {
		fmt.Fprintf(w, "z            %+.2f\n", *r.Z)
	} else {
		fmt.Fprintln(w, "z            undefined (theory is 0 or 1 and the estimate differs)")
	}
	if r.DesignEffect > 1 {
		fmt.Fprintf(w, "design eff.  %.3f\n", r.DesignEffect)
	}
	fmt.Fprintf(w, "seconds      %.3f   (%.3g evaluations/s)\n", r.Seconds, r.EvaluationsPerSecond)
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar is a small stderr progress reporter, redrawn at most five
// times a second.
type progressBar struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, start: time.Now()}
}

func (p *progressBar) update(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond && done < total {
		return
	}
	p.last = now
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	const width = 30
	k := int(math.Round(frac * width))
	el := now.Sub(p.start).Seconds()
	eta := "?"
	if done > 0 {
		eta = time.Duration(el * (1/frac - 1) * 1e9).Round(time.Second).String()
	}
	rate := float64(done) / max(el, 1e-9)
	fmt.Fprintf(p.w, "\r[%s%s] %5.1f%%  %.3g/%.3g samples  %.3g/s  ETA %s  ",
		strings.Repeat("#", k), strings.Repeat(" ", width-k), 100*frac, float64(done), float64(total), rate, eta)
	p.drawn = true
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
