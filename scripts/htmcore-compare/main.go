// Command htmcore-compare is the Go half of scripts/htmcore-compare.sh, the
// side-by-side of our temporal memory and spatial pooler with htm.core's
// (issue 14). The C++ half, cpp/compare.cpp, runs the same workloads
// against a built htm.core; the script builds both, runs them interleaved
// and prints the summary.
//
// Usage:
//
//	htmcore-compare workloads          the workload names, in the order to run them
//	htmcore-compare export DIR         write the inputs and parameters of every workload
//	htmcore-compare run WORKLOAD DIR   run one workload on our side, print one result line
//	htmcore-compare summary FILE       print the table of a file of result lines
//
// Both sides read the same inputs, written by export from
// internal/benchwork (the functions the `dendritic bench` cases use), and
// the same parameters (params.txt, from htm.DefaultParams,
// benchwork.HelloTMParams, benchwork.HelloSPParams and
// benchwork.HelloRDSEParams), so a change of ours reaches both sides; the
// C++ half refuses a parameter it cannot map onto htm.core.
//
// The files of DIR:
//
//	params.txt             "key value" lines (see writeParams)
//	sequence.txt           the 100 inputs of tm/step-2048x32
//	random.txt             the 2000 inputs of tm/step-2048x32-random
//	hello-input.txt        hello's 5000 encoded inputs (1000 bits, noise included)
//	hello-sp-ours.txt      our spatial pooler's 5000 outputs on them (2048 columns)
//	hello-sp-htmcore.txt   htm.core's spatial pooler's outputs (written by the C++ half)
//
// A stream file has one line per step: the sorted active indices, separated
// by single spaces (an empty line is a step with none).
//
// A result line, printed by both halves, is
//
//	result side=SIDE workload=NAME value=V unit=UNIT [check=VALUE ...]
//
// where the checks (segment and synapse counts, mean anomaly, mean active
// columns) show that both sides did the same work.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/internal/benchwork"
	"github.com/dendritic/dendritic/sdr"
)

// sequenceSteps is the number of timed steps of the sequence workload
// after the warm-up (benchwork.SequenceWarmup repetitions): 100
// repetitions of the sequence, long enough to time on both sides.
const sequenceSteps = 10_000

// A workload is one row of the comparison.
type workload struct {
	name  string // the name both halves know it by
	title string // the row's description in the summary
	unit  string
	run   func(dir string) (float64, []check, error) // our side
}

// A check is one count printed beside a time: the same on both sides when
// they did the same work.
type check struct{ key, value string }

// workloads are the rows, in the order the script runs them: sp before
// tm-stream-htmcore, whose input the C++ half's sp run records.
var workloads = []workload{
	{"tm-random", "TM step, random input (2048 x 32, 40 active, steps 1000-2000)", "µs/step", runRandom},
	{"tm-sequence", "TM step, repeating sequence (tm/step-2048x32)", "µs/step", runSequence},
	{"sp", "spatial pooler, global inhibition, 5000 steps (hello's input)", "s", runSP},
	{"tm-stream-ours", "TM 2048 x 8, 5000 steps on our SP's stream", "s", streamRunner("hello-sp-ours.txt")},
	{"tm-stream-htmcore", "TM 2048 x 8, 5000 steps on htm.core's SP's stream", "s", streamRunner("hello-sp-htmcore.txt")},
	{"encode", "hello encoder (RDSE 1000 bits) + 1 % noise, 5000 steps", "ms", runEncode},
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "htmcore-compare:", err)
		os.Exit(1)
	}
}

// usage is the error for a malformed command line.
var usage = errors.New("usage: htmcore-compare workloads | export DIR | run WORKLOAD DIR | summary FILE")

// run executes one command line, writing to out.
func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return usage
	}
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "workloads" && len(rest) == 0:
		for _, w := range workloads {
			fmt.Fprintln(out, w.name)
		}
		return nil
	case cmd == "export" && len(rest) == 1:
		return export(rest[0])
	case cmd == "run" && len(rest) == 2:
		w, err := find(rest[0])
		if err != nil {
			return err
		}
		v, checks, err := w.run(rest[1])
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		fmt.Fprintln(out, resultLine("ours", w, v, checks))
		return nil
	case cmd == "summary" && len(rest) == 1:
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		return summary(f, out)
	}
	return usage
}

// find returns the workload called name.
func find(name string) (workload, error) {
	for _, w := range workloads {
		if w.name == name {
			return w, nil
		}
	}
	names := make([]string, len(workloads))
	for i, w := range workloads {
		names[i] = w.name
	}
	return workload{}, fmt.Errorf("unknown workload %q (want one of %s)", name, strings.Join(names, ", "))
}

// resultLine formats one result line.
func resultLine(side string, w workload, v float64, checks []check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "result side=%s workload=%s value=%s unit=%s", side, w.name, strconv.FormatFloat(v, 'g', 6, 64), w.unit)
	for _, c := range checks {
		fmt.Fprintf(&b, " %s=%s", c.key, c.value)
	}
	return b.String()
}

// --- export --------------------------------------------------------------

// export writes the parameters and input streams into dir.
func export(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeParams(filepath.Join(dir, "params.txt")); err != nil {
		return err
	}
	streams := []struct {
		file string
		gen  func() ([][]uint32, error)
	}{
		{"sequence.txt", benchwork.SequenceInputs},
		{"random.txt", benchwork.RandomInputs},
		{"hello-input.txt", benchwork.HelloInputs},
		{"hello-sp-ours.txt", benchwork.HelloColumns},
	}
	for _, s := range streams {
		steps, err := s.gen()
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		if err := writeStream(filepath.Join(dir, s.file), steps); err != nil {
			return err
		}
	}
	return nil
}

// writeParams writes the parameters of every workload as "key value"
// lines: tm.* (htm.DefaultParams, the TM of tm-random and tm-sequence),
// hellotm.* (the TM of the stream workloads), sp.*, rdse.*, and the
// lengths of the runs (run.*). The TM keys are htm.Params's JSON names,
// which are htm.core's; the others are the Go field names. Every field is
// written, so a parameter added to ours reaches the C++ half, which
// rejects keys it does not know.
func writeParams(path string) error {
	var lines []string
	for _, g := range []struct {
		prefix string
		v      any
	}{
		{"tm", htm.DefaultParams()},
		{"hellotm", benchwork.HelloTMParams()},
		{"sp", benchwork.HelloSPParams()},
		{"rdse", benchwork.HelloRDSEParams()},
	} {
		kv, err := flatten(g.v)
		if err != nil {
			return fmt.Errorf("%s parameters: %w", g.prefix, err)
		}
		for _, e := range kv {
			lines = append(lines, g.prefix+"."+e)
		}
	}
	lines = append(lines,
		"run.noise "+strconv.FormatFloat(benchwork.HelloNoise, 'g', -1, 64),
		"run.helloSteps "+strconv.Itoa(benchwork.HelloSteps),
		"run.randomSteps "+strconv.Itoa(benchwork.RandomSteps),
		"run.randomWindow "+strconv.Itoa(benchwork.RandomWindow),
		"run.sequenceWarmup "+strconv.Itoa(benchwork.SequenceWarmup),
		"run.sequenceSteps "+strconv.Itoa(sequenceSteps),
	)
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// flatten returns the fields of the struct v as sorted "key value"
// strings through its JSON form: numbers and booleans as JSON writes them
// (a float32 in its shortest float32 form), lists of numbers joined by
// commas.
func flatten(v any) ([]string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	var out []string
	for k, raw := range m {
		s := string(raw)
		if strings.HasPrefix(s, "[") {
			var xs []json.Number
			if err := json.Unmarshal(raw, &xs); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			parts := make([]string, len(xs))
			for i, x := range xs {
				parts[i] = x.String()
			}
			s = strings.Join(parts, ",")
		} else if strings.ContainsAny(s, "\"{ ") {
			return nil, fmt.Errorf("%s: %s is neither a number, a boolean nor a list of numbers", k, s)
		}
		out = append(out, k+" "+s)
	}
	sort.Strings(out)
	return out, nil
}

// writeStream writes steps in the stream format.
func writeStream(path string, steps [][]uint32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	var buf []byte
	for _, s := range steps {
		buf = buf[:0]
		for i, x := range s {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendUint(buf, uint64(x), 10)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readStream reads a stream file of indices below size.
func readStream(path string, size int) ([][]uint32, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return nil, fmt.Errorf("%s: no steps", path)
	}
	lines := strings.Split(text, "\n")
	out := make([][]uint32, len(lines))
	for i, line := range lines {
		for _, f := range strings.Fields(line) {
			x, err := strconv.ParseUint(f, 10, 32)
			if err != nil || x >= uint64(size) {
				return nil, fmt.Errorf("%s:%d: %q is not an index below %d", path, i+1, f, size)
			}
			if n := len(out[i]); n > 0 && uint32(x) <= out[i][n-1] {
				return nil, fmt.Errorf("%s:%d: indices not strictly increasing", path, i+1)
			}
			out[i] = append(out[i], uint32(x))
		}
	}
	return out, nil
}

// readSteps reads a stream file and checks its length.
func readSteps(path string, size, want int) ([][]uint32, error) {
	s, err := readStream(path, size)
	if err == nil && len(s) != want {
		err = fmt.Errorf("%s: %d steps, want %d", path, len(s), want)
	}
	return s, err
}

// --- our side ------------------------------------------------------------

// tmCounts returns the segment and synapse counts of tm as checks, the
// keys suffixed with at.
func tmCounts(tm *htm.TemporalMemory, at string) []check {
	c := tm.Connections()
	return []check{
		{"segments" + at, strconv.Itoa(c.NumSegments())},
		{"synapses" + at, strconv.Itoa(c.NumSynapses())},
	}
}

// meanCheck formats sum/n as a check with four decimals.
func meanCheck(key string, sum float64, n int) check {
	return check{key, strconv.FormatFloat(sum/float64(n), 'f', 4, 64)}
}

// runRandom: the default TM on the random inputs; µs per step over steps
// RandomWindow … RandomSteps−1, the counts at both ends of the window and
// the mean anomaly in it.
func runRandom(dir string) (float64, []check, error) {
	inputs, err := readSteps(filepath.Join(dir, "random.txt"), 2048, benchwork.RandomSteps)
	if err != nil {
		return 0, nil, err
	}
	tm, err := htm.New(htm.DefaultParams())
	if err != nil {
		return 0, nil, err
	}
	var checks []check
	var t0 time.Time
	anomaly := 0.0
	for i, x := range inputs {
		if i == benchwork.RandomWindow {
			checks = tmCounts(tm, "@"+strconv.Itoa(i))
			t0 = time.Now()
		}
		if err := tm.Compute(x, true); err != nil {
			return 0, nil, err
		}
		if i >= benchwork.RandomWindow {
			anomaly += tm.Anomaly()
		}
	}
	d := time.Since(t0)
	window := benchwork.RandomSteps - benchwork.RandomWindow
	checks = append(checks, tmCounts(tm, "@"+strconv.Itoa(benchwork.RandomSteps))...)
	checks = append(checks, meanCheck("anomaly", anomaly, window))
	return d.Seconds() * 1e6 / float64(window), checks, nil
}

// runSequence: the default TM on the repeating sequence, after the
// warm-up; µs per step over sequenceSteps steps, the counts at the end and
// the mean anomaly of the timed steps.
func runSequence(dir string) (float64, []check, error) {
	seq, err := readSteps(filepath.Join(dir, "sequence.txt"), 2048, 100)
	if err != nil {
		return 0, nil, err
	}
	tm, err := htm.New(htm.DefaultParams())
	if err != nil {
		return 0, nil, err
	}
	warm := benchwork.SequenceWarmup * len(seq)
	for i := range warm {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			return 0, nil, err
		}
	}
	anomaly := 0.0
	t0 := time.Now()
	for i := warm; i < warm+sequenceSteps; i++ {
		if err := tm.Compute(seq[i%len(seq)], true); err != nil {
			return 0, nil, err
		}
		anomaly += tm.Anomaly()
	}
	d := time.Since(t0)
	checks := append(tmCounts(tm, ""), meanCheck("anomaly", anomaly, sequenceSteps))
	return d.Seconds() * 1e6 / sequenceSteps, checks, nil
}

// streamRunner returns the stream workload on file: hello's TM (2048 × 8)
// learns on the 5000 recorded SP outputs; seconds, the counts at the end,
// the mean anomaly and the mean number of active columns.
func streamRunner(file string) func(string) (float64, []check, error) {
	return func(dir string) (float64, []check, error) {
		cols, err := readSteps(filepath.Join(dir, file), 2048, benchwork.HelloSteps)
		if err != nil {
			return 0, nil, err
		}
		tm, err := htm.New(benchwork.HelloTMParams())
		if err != nil {
			return 0, nil, err
		}
		anomaly, active := 0.0, 0
		t0 := time.Now()
		for _, c := range cols {
			if err := tm.Compute(c, true); err != nil {
				return 0, nil, err
			}
			anomaly += tm.Anomaly()
		}
		d := time.Since(t0)
		for _, c := range cols {
			active += len(c)
		}
		checks := append(tmCounts(tm, ""),
			meanCheck("anomaly", anomaly, len(cols)),
			meanCheck("columns", float64(active), len(cols)))
		return d.Seconds(), checks, nil
	}
}

// runSP: hello's spatial pooler learns on the 5000 encoded inputs;
// seconds and the mean number of active columns.
func runSP(dir string) (float64, []check, error) {
	inputs, err := readSteps(filepath.Join(dir, "hello-input.txt"), 1000, benchwork.HelloSteps)
	if err != nil {
		return 0, nil, err
	}
	in := make([]*sdr.SDR, len(inputs))
	for i, x := range inputs {
		if in[i], err = sdr.New(1000); err != nil {
			return 0, nil, err
		}
		if err := in[i].SetSparse(x); err != nil {
			return 0, nil, err
		}
	}
	sp, err := spatial.New(benchwork.HelloSPParams())
	if err != nil {
		return 0, nil, err
	}
	out, err := sdr.New(2048)
	if err != nil {
		return 0, nil, err
	}
	active := 0
	t0 := time.Now()
	for _, x := range in {
		if err := sp.Compute(x, true, out); err != nil {
			return 0, nil, err
		}
		active += out.Sum()
	}
	d := time.Since(t0)
	return d.Seconds(), []check{meanCheck("columns", float64(active), len(in))}, nil
}

// runEncode: hello's encoding stage (benchwork.HelloEncode); milliseconds
// and the mean number of active bits of the encodings (those of
// hello-input.txt, which the same code wrote).
func runEncode(dir string) (float64, []check, error) {
	inputs, err := readSteps(filepath.Join(dir, "hello-input.txt"), 1000, benchwork.HelloSteps)
	if err != nil {
		return 0, nil, err
	}
	ep, err := benchwork.HelloEncode()
	if err != nil {
		return 0, nil, err
	}
	if err := ep.Prepare(); err != nil {
		return 0, nil, err
	}
	t0 := time.Now()
	if err := ep.Run(); err != nil {
		return 0, nil, err
	}
	d := time.Since(t0)
	bits := 0
	for _, x := range inputs {
		bits += len(x)
	}
	return d.Seconds() * 1e3, []check{meanCheck("bits", float64(bits), len(inputs))}, nil
}

// --- summary -------------------------------------------------------------

// sides are the two sides of a result file, in the summary's order.
var sides = []string{"ours", "htmcore"}

// A result is one parsed result line.
type result struct {
	side, workload, unit string
	value                float64
	checks               string // the check fields, as printed
}

// parseResult parses a result line.
func parseResult(line string) (result, error) {
	var r result
	fields := strings.Fields(line)
	var checks []string
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || seen[k] {
			return r, fmt.Errorf("malformed field %q", f)
		}
		seen[k] = true
		switch k {
		case "side":
			r.side = v
		case "workload":
			r.workload = v
		case "unit":
			r.unit = v
		case "value":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x >= 0) {
				return r, fmt.Errorf("value %q is not a non-negative number", v)
			}
			r.value = x
		default:
			checks = append(checks, f)
		}
	}
	if !slices.Contains(sides, r.side) || r.workload == "" || !seen["value"] {
		return r, fmt.Errorf("want side=ours|htmcore, workload= and value=")
	}
	r.checks = strings.Join(checks, " ")
	return r, nil
}

// summary reads result lines (other lines are ignored) and prints, per
// workload, min / median / max of each side, the ratio of the medians
// (htm.core / ours) and the checks of both sides.
func summary(in io.Reader, out io.Writer) error {
	type key struct{ workload, side string }
	values := map[key][]float64{}
	checks := map[key][]string{}
	units := map[string]string{}
	var order []string
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !strings.HasPrefix(line, "result ") {
			continue
		}
		r, err := parseResult(line)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		if u, ok := units[r.workload]; ok && u != r.unit {
			return fmt.Errorf("line %d: workload %s in %s and %s", n, r.workload, u, r.unit)
		}
		if _, ok := units[r.workload]; !ok {
			order = append(order, r.workload)
		}
		units[r.workload] = r.unit
		k := key{r.workload, r.side}
		values[k] = append(values[k], r.value)
		checks[k] = append(checks[k], r.checks)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(order) == 0 {
		return fmt.Errorf("no result lines")
	}
	slices.SortStableFunc(order, func(a, b string) int { return rank(a) - rank(b) })
	fmt.Fprintf(out, "%-66s %-8s %-28s %-28s %s\n", "workload", "unit", "ours min / median / max", "htm.core min / median / max", "ratio")
	for _, w := range order {
		var cells [2]string
		var med [2]float64
		for i, s := range sides {
			cells[i], med[i] = spread(values[key{w, s}])
		}
		ratio := "-"
		if med[0] > 0 && med[1] > 0 {
			ratio = strconv.FormatFloat(med[1]/med[0], 'f', 2, 64)
		}
		fmt.Fprintf(out, "%-66s %-8s %-28s %-28s %s\n", title(w), units[w], cells[0], cells[1], ratio)
	}
	fmt.Fprintln(out, "\nlike for like (counts of each side's last run):")
	for _, w := range order {
		for _, s := range sides {
			cs := checks[key{w, s}]
			if len(cs) == 0 {
				continue
			}
			line := cs[len(cs)-1]
			for _, c := range cs {
				if c != line {
					line += " (differs between runs)"
					break
				}
			}
			fmt.Fprintf(out, "  %-18s %-8s %s\n", w, s, line)
		}
	}
	fmt.Fprintln(out, "\nratio = median htm.core / median ours (above 1: ours is faster)")
	return nil
}

// rank is the position of a workload in workloads (unknown ones last).
func rank(name string) int {
	for i, w := range workloads {
		if w.name == name {
			return i
		}
	}
	return len(workloads)
}

// title is the summary's description of a workload.
func title(name string) string {
	if i := rank(name); i < len(workloads) {
		return workloads[i].title
	}
	return name
}

// spread formats min / median / max of xs (the median of an even count is
// the mean of the middle two) and returns the median; "-" and 0 for none.
func spread(xs []float64) (string, float64) {
	if len(xs) == 0 {
		return "-", 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	f := func(x float64) string { return benchwork.Format(x) }
	return fmt.Sprintf("%s / %s / %s (%d)", f(s[0]), f(med), f(s[n-1]), n), med
}
