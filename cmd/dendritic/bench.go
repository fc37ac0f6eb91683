package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dendritic/dendritic/internal/cli"
)

func init() {
	register(&cli.Command{
		Name:    "bench",
		Summary: "run the canonical benchmark suite (text table or JSON)",
		Flags:   benchFlags,
		Help:    func(w io.Writer) { fmt.Fprintf(w, "Suites: all, %s\n", strings.Join(benchSuites(), ", ")) },
	})
}

// benchSuites returns the suite names of the registered cases, sorted.
func benchSuites() []string {
	var s []string
	for _, c := range benchCases {
		if !slices.Contains(s, c.Suite) {
			s = append(s, c.Suite)
		}
	}
	slices.Sort(s)
	return s
}

// benchMachine describes the machine a suite ran on.
type benchMachine struct {
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	CPUModel   string `json:"cpu_model,omitempty"`
	Hostname   string `json:"hostname,omitempty"`
}

type benchResult struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"` // null when the case failed
	Unit  string   `json:"unit"`
	Error string   `json:"error,omitempty"`
}

func benchMachineInfo() benchMachine {
	m := benchMachine{
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		CPUs:       runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		CPUModel:   benchCPUModel(),
	}
	m.Hostname, _ = os.Hostname()
	return m
}

// benchCPUModel reads the CPU model from /proc/cpuinfo ("" if unknown).
func benchCPUModel() string {
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

func benchFlags(fs *flag.FlagSet) cli.Run {
	suite := fs.String("suite", "all", "run only the cases of `suite` (all: every case except the long optional ones, such as suite nab)")
	format := cli.Format(fs, "text", "json")
	list := fs.Bool("list", false, "list the cases without running them")
	return func(ctx context.Context, env *cli.Env) error {
		if code := runBench(*suite, *format, *list, env.Stdout, env.Stderr); code != 0 {
			return cli.Exit(code)
		}
		return nil
	}
}

func runBench(suite, format string, list bool, stdout, stderr io.Writer) int {
	var cases []benchCase
	for _, c := range benchCases {
		if (suite == "all" && !c.Optional) || c.Suite == suite {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		fmt.Fprintf(stderr, "dendritic bench: unknown suite %q (suites: all, %s)\n", suite, strings.Join(benchSuites(), ", "))
		return exitUsage
	}
	if list {
		for _, c := range cases {
			fmt.Fprintf(stdout, "%-36s %s\n", c.Name, c.Unit)
		}
		return 0
	}

	width := 0
	for _, c := range cases {
		width = max(width, len(c.Name))
	}
	status := 0
	results := make([]benchResult, 0, len(cases))
	for _, c := range cases {
		if format == "json" {
			// Progress on stderr, so that stdout stays valid JSON.
			fmt.Fprintf(stderr, "running %s…\n", c.Name)
		}
		start := time.Now()
		v, err := benchRunCase(c)
		r := benchResult{Name: c.Name, Unit: c.Unit}
		if err != nil {
			r.Error = err.Error()
			status = 1
			fmt.Fprintf(stderr, "dendritic bench: %s: %v\n", c.Name, err)
		} else {
			r.Value = &v
		}
		results = append(results, r)
		if format == "text" {
			if err != nil {
				fmt.Fprintf(stdout, "%-*s  %14s  %-12s (%s)\n", width, c.Name, "FAILED", c.Unit, err)
			} else {
				fmt.Fprintf(stdout, "%-*s  %14s  %-12s (%.1fs)\n", width, c.Name, benchFormat(v), c.Unit, time.Since(start).Seconds())
			}
		}
	}
	if format == "json" {
		out := struct {
			Machine benchMachine  `json:"machine"`
			Results []benchResult `json:"results"`
		}{benchMachineInfo(), results}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "dendritic bench: %v\n", err)
			return 1
		}
	} else {
		m := benchMachineInfo()
		fmt.Fprintf(stdout, "\n%s %s/%s, %d CPUs (GOMAXPROCS %d)", m.GoVersion, m.GOOS, m.GOARCH, m.CPUs, m.GOMAXPROCS)
		if m.CPUModel != "" {
			fmt.Fprintf(stdout, ", %s", m.CPUModel)
		}
		fmt.Fprintln(stdout)
	}
	return status
}

// benchRunCase runs one case, turning a panic or a non-finite value into
// an error.
func benchRunCase(c benchCase) (v float64, err error) {
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

// benchFormat prints a measurement with about four significant digits.
func benchFormat(v float64) string {
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
