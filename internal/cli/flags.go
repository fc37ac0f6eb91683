package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/cliutil"
)

// DefaultSeed is the default --seed of every command. It is the seed of
// the published paper run (docs and the report's provenance use 42).
const DefaultSeed = 42

// intValue is an int flag that accepts integral scientific notation (2e5).
type intValue struct {
	p        *int
	min, max int // max 0: no upper bound
}

func (v intValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.Itoa(*v.p)
}

func (v intValue) Set(s string) error {
	x, err := cliutil.ParseInt(s)
	var ie *cliutil.IntError
	if errors.As(err, &ie) {
		return ie.Reason // the flag package names the value
	}
	if x < v.min {
		return fmt.Errorf("must be at least %d", v.min)
	}
	if v.max > 0 && x > v.max {
		return fmt.Errorf("must be at most %d", v.max)
	}
	*v.p = x
	return nil
}

// Int defines an integer flag that accepts 2e5 and is at least min.
func Int(fs *flag.FlagSet, name string, value, min int, usage string) *int {
	p := new(int)
	*p = value
	fs.Var(intValue{p: p, min: min}, name, usage)
	return p
}

// IntIn defines an integer flag that accepts 2e5 and lies in [min, max].
func IntIn(fs *flag.FlagSet, name string, value, min, max int, usage string) *int {
	p := new(int)
	*p = value
	fs.Var(intValue{p: p, min: min, max: max}, name, usage)
	return p
}

// MaxWorkers bounds --workers: far more goroutines than any machine's
// cores, and each may hold a model's worth of memory (nab run --jobs
// 10000 grew to 1.3 GB).
const MaxWorkers = 1024

// OptInt defines an integer flag without a default (IsSet tells whether
// it was given); it accepts 2e5.
func OptInt(fs *flag.FlagSet, name, usage string) *cliutil.IntFlag {
	f := new(cliutil.IntFlag)
	fs.Var(f, name, usage)
	return f
}

// uintValue is a uint64 flag that accepts integral scientific notation.
type uintValue struct{ p *uint64 }

func (v uintValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatUint(*v.p, 10)
}

func (v uintValue) Set(s string) error {
	if x, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err == nil {
		*v.p = x
		return nil
	}
	x, err := cliutil.ParseInt(s)
	if err != nil || x < 0 {
		return errors.New("not an unsigned integer (want e.g. 42 or 1e6)")
	}
	*v.p = uint64(x)
	return nil
}

// Seed defines --seed, the master random seed (default DefaultSeed).
func Seed(fs *flag.FlagSet, usage string) *uint64 {
	return SeedFrom(fs, DefaultSeed, usage)
}

// SeedFrom defines --seed with the default def, for a command whose
// published numbers start from another seed (sequences: seeds 0–9).
func SeedFrom(fs *flag.FlagSet, def uint64, usage string) *uint64 {
	p := new(uint64)
	*p = def
	if usage == "" {
		usage = "master random seed `S`"
	}
	fs.Var(uintValue{p}, "seed", usage)
	return p
}

// Workers defines --workers: goroutines at once, 0 (the default) for one
// per CPU. Results never depend on it.
func Workers(fs *flag.FlagSet) *int {
	return IntIn(fs, "workers", 0, 0, MaxWorkers, "worker goroutines `W` (0: one per CPU; never changes the result)")
}

// enumValue is a string flag restricted to a list of values.
type enumValue struct {
	p       *string
	allowed []string
}

func (v enumValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

func (v enumValue) Set(s string) error {
	for _, a := range v.allowed {
		if s == a {
			*v.p = s
			return nil
		}
	}
	return fmt.Errorf("want %s", orList(v.allowed))
}

func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Enum defines a string flag whose value must be one of allowed; the
// first is the default.
func Enum(fs *flag.FlagSet, name, usage string, allowed ...string) *string {
	p := new(string)
	*p = allowed[0]
	fs.Var(enumValue{p, allowed}, name, usage+": "+orList(allowed))
	return p
}

// Format defines --format with the allowed output formats, the first the
// default.
func Format(fs *flag.FlagSet, allowed ...string) *string {
	return Enum(fs, "format", "output `format`", allowed...)
}

// Shard is the part i of n of a run split with --shard i/N (n = 0: the
// whole run).
type Shard struct{ I, N int }

func (s *Shard) String() string {
	if s == nil || s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// Set parses "i/N" with 0 ≤ i < N.
func (s *Shard) Set(v string) error {
	is, ks, ok := strings.Cut(v, "/")
	if !ok {
		return errors.New("want i/N, e.g. 0/4")
	}
	i, err1 := strconv.Atoi(is)
	k, err2 := strconv.Atoi(ks)
	if err1 != nil || err2 != nil {
		return errors.New("want i/N with integers, e.g. 0/4")
	}
	if k < 1 || i < 0 || i >= k {
		return errors.New("want 0 ≤ i < N")
	}
	if k > MaxShards {
		return fmt.Errorf("N = %d exceeds %d parts", k, MaxShards)
	}
	s.I, s.N = i, k
	return nil
}

// MaxShards bounds N in --shard i/N (the libraries may bound it further):
// no cluster queue runs a job array of more parts.
const MaxShards = 1 << 16

// ShardFlag defines --shard.
func ShardFlag(fs *flag.FlagSet, usage string) *Shard {
	s := new(Shard)
	fs.Var(s, "shard", usage)
	return s
}

// listValue collects comma-separated items over repeated flags.
type listValue struct{ p *[]string }

func (v listValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}

func (v listValue) Set(s string) error {
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*v.p = append(*v.p, x)
		}
	}
	return nil
}

// List defines a flag of comma-separated items, repeatable.
func List(fs *flag.FlagSet, name, usage string) *[]string {
	p := new([]string)
	fs.Var(listValue{p}, name, usage)
	return p
}

// repeatValue collects each occurrence of a repeated flag whole.
type repeatValue struct{ p *[]string }

func (v repeatValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, " | ")
}

func (v repeatValue) Set(s string) error { *v.p = append(*v.p, s); return nil }

// Repeated defines a flag that may be given several times, each value
// kept whole (commas included).
func Repeated(fs *flag.FlagSet, name, usage string) *[]string {
	p := new([]string)
	fs.Var(repeatValue{p}, name, usage)
	return p
}

// floatValue is a float64 flag with an optional range check.
type floatValue struct {
	p      *float64
	set    *bool
	lo, hi float64
}

func (v floatValue) String() string {
	if v.p == nil || !*v.set {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

func (v floatValue) Set(s string) error {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) {
		return errors.New("not a number")
	}
	if x < v.lo || x > v.hi {
		return fmt.Errorf("want a number in [%g, %g]", v.lo, v.hi)
	}
	*v.p, *v.set = x, true
	return nil
}

// OptFloat defines a float64 flag in [lo, hi] without a default; the
// returned bool tells whether it was given.
func OptFloat(fs *flag.FlagSet, name string, lo, hi float64, usage string) (*float64, *bool) {
	p, set := new(float64), new(bool)
	fs.Var(floatValue{p, set, lo, hi}, name, usage)
	return p, set
}

// alias is a deprecated spelling of another flag.
type alias struct {
	fs       *flag.FlagSet
	old, new string
}

func (a alias) String() string { return "" }
func (a alias) Set(s string) error {
	return a.fs.Lookup(a.new).Value.Set(s)
}

// Deprecated defines old as a deprecated spelling of the flag new (which
// must be defined first): setting it sets new, and the program prints a
// note saying so.
func Deprecated(fs *flag.FlagSet, old, new string) {
	f := fs.Lookup(new)
	typ, _ := flag.UnquoteUsage(f)
	fs.Var(alias{fs, old, new}, old, fmt.Sprintf("deprecated spelling of --%s `%s`", new, typ))
}

// announceAliases prints a note for every deprecated flag given.
func announceAliases(env *Env) {
	env.fs.Visit(func(f *flag.Flag) {
		if a, ok := f.Value.(alias); ok {
			env.Notef("--%s is deprecated; use --%s", a.old, a.new)
		}
	})
}

// Count returns how many of total tasks fall to the shard when task j
// goes to shard j mod N (all of them for the whole run).
func (s Shard) Count(total int64) int64 {
	k := int64(max(s.N, 1))
	if int64(s.I) >= total {
		return 0
	}
	return (total-1-int64(s.I))/k + 1
}

// intListValue is a flag holding a list of integers (cliutil.ParseIntList).
type intListValue struct{ p *[]int }

func (v intListValue) String() string { return "" }
func (v intListValue) Set(s string) (err error) {
	*v.p, err = cliutil.ParseIntList(s)
	return err
}

// IntList defines a flag holding "1,2,3" or "lo:hi:step" (hi inclusive).
func IntList(fs *flag.FlagSet, name, usage string) *[]int {
	p := new([]int)
	fs.Var(intListValue{p}, name, usage)
	return p
}

// floatListValue is a flag holding a list of numbers (cliutil.ParseFloatList).
type floatListValue struct{ p *[]float64 }

func (v floatListValue) String() string { return "" }
func (v floatListValue) Set(s string) (err error) {
	*v.p, err = cliutil.ParseFloatList(s)
	return err
}

// FloatList defines a flag holding "0.01,0.02" or "lo:hi:step".
func FloatList(fs *flag.FlagSet, name, usage string) *[]float64 {
	p := new([]float64)
	fs.Var(floatListValue{p}, name, usage)
	return p
}
