package theory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/cliutil"
)

// Param identifies a parameter of the theory. Its name ("n", "theta", …)
// is the calc and simulate flag, the batch CSV column and the JSON key.
type Param uint8

// The parameters, in the canonical order of the batch CSV schema.
const (
	ParamN        Param = iota // n: population size
	ParamA                     // a: active cells in a pattern
	ParamS                     // s: synapses on a segment
	ParamTheta                 // θ: NMDA threshold
	ParamB                     // b: exact overlap (E1)
	ParamPatterns              // M: patterns in a union (E4)
	ParamNoise                 // v: active cells replaced by noise (E3)
	ParamSegments              // m: segments on a neuron (E5)
	numParams
)

// ParamInfo describes one parameter: what it means and the values Eval
// accepts. Relations between parameters (a ≤ n, s ≤ n, and for fn
// s ≤ a and noise ≤ a) are checked by the quantities themselves.
type ParamInfo struct {
	Param   Param
	Name    string // flag, CSV column and JSON key, e.g. "theta"
	Var     string // placeholder in usage text, e.g. "T"
	Meaning string // one phrase, e.g. "NMDA threshold (synapses needed to fire)"
	Unit    string // what is counted, e.g. "synapses"
	// Min and Max bound the value (inclusive). Eval rejects a value
	// outside them with ErrRange.
	Min, Max int
	// Integer is true for a count. Every parameter of E1–E6 is one; a
	// fraction (false) would be a float in [Min, Max].
	Integer bool
}

// paramTable is the one definition of the parameter vocabulary. The
// bounds are the model's domain: n ≥ 1 (checkNAS), counts ≥ 0, and at
// most MaxN, the largest population, since no count can exceed it in a
// meaningful question (θ > s or b > s give 0, M or m beyond 2^40 saturate).
var paramTable = [numParams]ParamInfo{
	{ParamN, "n", "N", "population size (cells)", "cells", 1, MaxN, true},
	{ParamA, "a", "A", "active cells in a pattern", "cells", 0, MaxN, true},
	{ParamS, "s", "S", "synapses on the segment (per stored pattern for a union)", "synapses", 0, MaxN, true},
	{ParamTheta, "theta", "T", "NMDA threshold (synapses needed to fire)", "synapses", 0, MaxN, true},
	{ParamB, "b", "B", "exact overlap of pattern and segment (overlap-count)", "synapses", 0, MaxN, true},
	{ParamPatterns, "patterns", "M", "patterns stored in a union", "patterns", 0, MaxN, true},
	{ParamNoise, "noise", "V", "active cells replaced by noise (a count, not a fraction)", "cells", 0, MaxN, true},
	{ParamSegments, "segments", "K", "segments on the neuron", "segments", 0, MaxN, true},
}

// Params returns the table of every parameter, in canonical order.
func Params() []ParamInfo { return append([]ParamInfo(nil), paramTable[:]...) }

// ParamByName returns the parameter with the given name (exact match).
func ParamByName(name string) (Param, bool) {
	for _, info := range paramTable {
		if info.Name == name {
			return info.Param, true
		}
	}
	return 0, false
}

// Info returns the table entry of p (the zero ParamInfo for an invalid p).
func (p Param) Info() ParamInfo {
	if p >= numParams {
		return ParamInfo{}
	}
	return paramTable[p]
}

// String returns the name of p.
func (p Param) String() string {
	if p >= numParams {
		return "Param(" + strconv.Itoa(int(p)) + ")"
	}
	return paramTable[p].Name
}

// Args holds the values of some parameters. The zero Args gives none; a
// parameter that is not given is absent, never 0. Args is comparable.
type Args struct {
	set uint16
	v   [numParams]int
}

// With returns a copy of a with p set to v. An invalid p is ignored.
func (a Args) With(p Param, v int) Args {
	if p < numParams {
		a.set |= 1 << p
		a.v[p] = v
	}
	return a
}

// Without returns a copy of a with p not given.
func (a Args) Without(p Param) Args {
	if p < numParams {
		a.set &^= 1 << p
		a.v[p] = 0
	}
	return a
}

// Get returns the value of p and whether it is given.
func (a Args) Get(p Param) (int, bool) {
	if p >= numParams || a.set&(1<<p) == 0 {
		return 0, false
	}
	return a.v[p], true
}

// Has reports whether p is given.
func (a Args) Has(p Param) bool { _, ok := a.Get(p); return ok }

// Len returns the number of parameters given.
func (a Args) Len() int {
	n := 0
	for p := range numParams {
		if a.Has(p) {
			n++
		}
	}
	return n
}

// Given returns the parameters given, in canonical order.
func (a Args) Given() []Param {
	var ps []Param
	for p := range numParams {
		if a.Has(p) {
			ps = append(ps, p)
		}
	}
	return ps
}

// String formats a in canonical order, e.g. "n=1000 a=64 s=24 theta=12".
func (a Args) String() string {
	var b strings.Builder
	for _, p := range a.Given() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", p, a.v[p])
	}
	return b.String()
}

// MarshalJSON writes a as an object with the names in sorted order, e.g.
// {"a":64,"n":1000,"s":24,"theta":12} (the bytes of the map[string]int it
// replaces).
func (a Args) MarshalJSON() ([]byte, error) {
	ps := a.Given()
	sort.Slice(ps, func(i, j int) bool { return ps[i].String() < ps[j].String() })
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", p.String(), a.v[p])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of parameter names and integers. An
// unknown name is an *ArgError with ErrUnknown, a value outside the
// table's bounds one with ErrRange.
func (a *Args) UnmarshalJSON(data []byte) error {
	var m map[string]int
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var out Args
	for name, v := range m {
		p, ok := ParamByName(name)
		if !ok {
			return &ArgError{Param: name, Value: strconv.Itoa(v), Err: ErrUnknown}
		}
		if err := p.check("", v); err != nil {
			return err
		}
		out = out.With(p, v)
	}
	*a = out
	return nil
}

// check reports v outside the bounds of p as an *ArgError for quantity q.
func (p Param) check(q string, v int) error {
	info := p.Info()
	if v < info.Min || v > info.Max {
		return &ArgError{Quantity: q, Param: info.Name, Value: strconv.Itoa(v), Err: ErrRange}
	}
	return nil
}

// Reasons of an ArgError (test with errors.Is).
var (
	ErrMissing = errors.New("missing")                                // a required parameter is not given
	ErrUnused  = errors.New("not used")                               // a parameter is given that the quantity does not use
	ErrRange   = errors.New("out of range")                           // the value lies outside the table's bounds
	ErrSyntax  = errors.New("not an integer (want e.g. 2000 or 2e3)") // the text of the value is not an integer
	ErrUnknown = errors.New("unknown")                                // no quantity or parameter has the name
)

// ArgError records a failed check of a quantity's arguments, in the way
// of strconv.NumError. Err is one of the reasons above, or (for a value
// read from text) the error that says why it could not be parsed.
type ArgError struct {
	Quantity string // the quantity, e.g. "fp"; "" if none
	Param    string // the parameter, e.g. "theta"; "" for an unknown quantity
	Value    string // the value as given; "" if missing
	Err      error
}

func (e *ArgError) Error() string { return e.Message(nil) }

// Unwrap returns e.Err, so that errors.Is(err, ErrMissing) works.
func (e *ArgError) Unwrap() error { return e.Err }

// Message formats e with every parameter name passed through decorate
// (nil: unchanged); a command passes one that turns "theta" into
// "--theta". Examples with decorate nil:
//
//	fp needs n, a, s, theta (missing: theta)
//	fp takes only n, a, s, theta (not: b)
//	fp: theta = 3000000000000 is out of range [0, 1099511627776]
//	fp: a: "2.5" is not an integer (want e.g. 2000 or 2e3)
//	unknown quantity "fq" (known: overlap-count, match, …)
//	unknown parameter "m"
func (e *ArgError) Message(decorate func(name string) string) string {
	if decorate == nil {
		decorate = func(s string) string { return s }
	}
	var list []string
	if q, ok := Lookup(e.Quantity); ok {
		for _, p := range q.Params {
			list = append(list, decorate(p.String()))
		}
	}
	prefix := ""
	if e.Quantity != "" {
		prefix = e.Quantity + ": "
	}
	switch {
	case errors.Is(e.Err, ErrUnknown) && e.Param == "":
		return fmt.Sprintf("unknown quantity %q (known: %s)", e.Quantity, strings.Join(QuantityNames(), ", "))
	case errors.Is(e.Err, ErrUnknown):
		return fmt.Sprintf("%sunknown parameter %q", prefix, decorate(e.Param))
	case errors.Is(e.Err, ErrMissing):
		return fmt.Sprintf("%s needs %s (missing: %s)", e.Quantity, strings.Join(list, ", "), decorate(e.Param))
	case errors.Is(e.Err, ErrUnused):
		return fmt.Sprintf("%s takes only %s (not: %s)", e.Quantity, strings.Join(list, ", "), decorate(e.Param))
	case errors.Is(e.Err, ErrRange):
		p, ok := ParamByName(e.Param)
		if _, err := strconv.Atoi(e.Value); ok && err == nil {
			info := p.Info()
			return fmt.Sprintf("%s%s = %s is out of range [%d, %d]", prefix, decorate(e.Param), e.Value, info.Min, info.Max)
		}
		return fmt.Sprintf("%s%s: %q is out of range", prefix, decorate(e.Param), e.Value)
	case errors.Is(e.Err, ErrSyntax):
		return fmt.Sprintf("%s%s: %q is %v", prefix, decorate(e.Param), e.Value, e.Err)
	}
	return fmt.Sprintf("%s%s: %v", prefix, decorate(e.Param), e.Err)
}

// CheckArgs reports, as an *ArgError, the first parameter (in canonical
// order) that q requires and args lacks, or else the first that args gives
// and q does not use (which would otherwise hide a mistake such as giving
// patterns to fp instead of union-fp), or else the first value outside
// its bounds.
func (q Quantity) CheckArgs(args Args) error {
	var uses Args
	for _, p := range q.Params {
		uses = uses.With(p, 0)
		if !args.Has(p) {
			return &ArgError{Quantity: q.Name, Param: p.String(), Err: ErrMissing}
		}
	}
	for p := range numParams { // not Given: Eval's check allocates nothing
		if args.Has(p) && !uses.Has(p) {
			return &ArgError{Quantity: q.Name, Param: p.String(), Value: strconv.Itoa(args.v[p]), Err: ErrUnused}
		}
	}
	for _, p := range q.Params {
		if err := p.check(q.Name, args.v[p]); err != nil {
			return err
		}
	}
	return nil
}

// ParseArg parses the text of a value of p: a plain integer or one in
// integral scientific notation ("2e5"). It fails with an *ArgError whose
// Err is ErrSyntax, or ErrRange for an integer beyond the int range; it
// does not check the table's bounds (Eval does).
func ParseArg(p Param, s string) (int, error) {
	v, err := cliutil.ParseInt(s)
	if err != nil {
		reason := ErrSyntax
		if errors.Is(err, cliutil.ErrOutOfRange) {
			reason = ErrRange
		}
		return 0, &ArgError{Param: p.String(), Value: s, Err: reason}
	}
	return v, nil
}
