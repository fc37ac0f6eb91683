package benchwork

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A Case is one entry of the suite. Each file of the package registers its
// cases from init.
type Case struct {
	Name  string // e.g. "theory/fp-fast"
	Suite string // suite name for --suite, e.g. "theory", "sim", "sdr"
	Unit  string // e.g. "ns/value", "evaluations/s"
	// Run measures and returns the value in Unit. It should take about a
	// second or less (testing.Benchmark, or a timed loop).
	Run func() (float64, error)
	// Optional cases take long (minutes) and run only when their suite is
	// named: "all" leaves them out.
	Optional bool
}

// Cases is a list of cases, sorted by name.
type Cases []Case

var registered Cases

// register adds a case to the suite; a name registered twice is a bug of
// this package.
func register(c Case) {
	for _, o := range registered {
		if o.Name == c.Name {
			panic("benchwork: case registered twice: " + c.Name)
		}
	}
	registered = append(registered, c)
	sort.SliceStable(registered, func(i, j int) bool { return registered[i].Name < registered[j].Name })
}

// All returns a copy of the registered cases, sorted by name.
func All() Cases { return slices.Clone(registered) }

// Suites returns the suite names of cs, sorted, each once.
func (cs Cases) Suites() []string {
	var s []string
	for _, c := range cs {
		if !slices.Contains(s, c.Suite) {
			s = append(s, c.Suite)
		}
	}
	slices.Sort(s)
	return s
}

// Select returns the cases of suite, or for "all" every case that is not
// Optional. An unknown suite gives an empty list.
func (cs Cases) Select(suite string) Cases {
	var out Cases
	for _, c := range cs {
		if (suite == "all" && !c.Optional) || c.Suite == suite {
			out = append(out, c)
		}
	}
	return out
}

// Result is the outcome of one case, as `dendritic bench --format json`
// writes it.
type Result struct {
	Name    string        `json:"name"`
	Value   *float64      `json:"value"` // null when the case failed
	Unit    string        `json:"unit"`
	Error   string        `json:"error,omitempty"`
	Elapsed time.Duration `json:"-"` // wall time of the measurement
}

// TextRow formats r as a row of `dendritic bench`'s table, the name padded
// to width: the value with its unit and the wall time, or FAILED and why.
func (r Result) TextRow(width int) string {
	if r.Value == nil {
		return fmt.Sprintf("%-*s  %14s  %-12s (%s)", width, r.Name, "FAILED", r.Unit, r.Error)
	}
	return fmt.Sprintf("%-*s  %14s  %-12s (%.1fs)", width, r.Name, Format(*r.Value), r.Unit, r.Elapsed.Seconds())
}

// Measure runs the case and returns its result, turning an error, a panic
// or a non-finite value into Result.Error.
func (c Case) Measure() Result {
	start := time.Now()
	v, err := c.measure()
	r := Result{Name: c.Name, Unit: c.Unit, Elapsed: time.Since(start)}
	if err != nil {
		r.Error = err.Error()
	} else {
		r.Value = &v
	}
	return r
}

func (c Case) measure() (v float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	v, err = c.Run()
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("non-finite result %v", v)
	}
	return v, err
}

// Report is the JSON document of a run of the suite.
type Report struct {
	Machine Machine  `json:"machine"`
	Results []Result `json:"results"`
}

// Machine describes the machine a suite ran on.
type Machine struct {
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	CPUModel   string `json:"cpu_model,omitempty"`
	Hostname   string `json:"hostname,omitempty"`
}

// String describes m in one line: Go version, platform, CPUs and model.
func (m Machine) String() string {
	s := fmt.Sprintf("%s %s/%s, %d CPUs (GOMAXPROCS %d)", m.GoVersion, m.GOOS, m.GOARCH, m.CPUs, m.GOMAXPROCS)
	if m.CPUModel != "" {
		s += ", " + m.CPUModel
	}
	return s
}

// MachineInfo describes this machine.
func MachineInfo() Machine {
	m := Machine{
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		CPUs:       runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		CPUModel:   cpuModel(),
	}
	m.Hostname, _ = os.Hostname()
	return m
}

// cpuModel reads the CPU model from /proc/cpuinfo ("" if unknown).
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name", "Model", "cpu model", "uarch":
			if v := strings.TrimSpace(val); v != "" {
				return v
			}
		}
	}
	return ""
}

// Format prints a measurement with about four significant digits.
func Format(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1e-3:
		return strconv.FormatFloat(v, 'f', max(0, 3-int(math.Floor(math.Log10(a)))), 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

// A Loop is a workload timed per operation: it does its untimed set-up,
// then runs the operation under b.Loop, and returns the first error.
type Loop func(b *testing.B) error

// Bench runs l as a `go test -bench` benchmark, failing b on an error.
func Bench(b *testing.B, l Loop) {
	b.Helper()
	if l == nil {
		b.Fatal("benchwork: nil Loop")
	}
	if err := l(b); err != nil {
		b.Fatal(err)
	}
}

// perOp returns a Case.Run that runs l under testing.Benchmark (about a
// second) and returns the time per operation in units of unit nanoseconds
// (1 for ns, 1e3 for µs, 1e6 for ms).
func perOp(l Loop, unit float64) func() (float64, error) {
	return func() (float64, error) {
		if l == nil {
			return 0, fmt.Errorf("benchwork: nil Loop")
		}
		var err error
		r := testing.Benchmark(func(b *testing.B) { err = l(b) })
		if err != nil {
			return 0, err
		}
		if r.N == 0 {
			return 0, fmt.Errorf("the benchmark did not run")
		}
		return float64(r.T.Nanoseconds()) / float64(r.N) / unit, nil
	}
}

// An Episode is a workload timed as a whole: Prepare builds fresh state
// (untimed), Run runs the episode on it (timed).
type Episode struct {
	Prepare func() error
	Run     func() error
	Unit    string // what one episode is, e.g. "s/5000steps"
}

// BenchEpisode builds an episode with e and runs it as a `go test -bench`
// benchmark, one op per episode, reporting the seconds per episode under
// the episode's Unit.
func BenchEpisode(b *testing.B, e func() (Episode, error)) {
	b.Helper()
	if e == nil {
		b.Fatal("benchwork: nil episode constructor")
	}
	ep, err := e()
	if err == nil {
		err = ep.check()
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if err := ep.Prepare(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ep.Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), ep.Unit)
}

func (e Episode) check() error {
	if e.Prepare == nil || e.Run == nil {
		return fmt.Errorf("benchwork: episode without Prepare or Run")
	}
	return nil
}

// Median runs e for at least 3 episodes and until about a second has been
// spent or 25 episodes have run, and returns the median time of Run in
// seconds.
func (e Episode) Median() (float64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	var times []float64
	var total time.Duration
	for len(times) < 3 || (total < time.Second && len(times) < 25) {
		if err := e.Prepare(); err != nil {
			return 0, err
		}
		t0 := time.Now()
		if err := e.Run(); err != nil {
			return 0, err
		}
		d := time.Since(t0)
		total += d
		times = append(times, d.Seconds())
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}
