package theory

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestParamTable: names are unique and found by ParamByName, every
// quantity declares table parameters in canonical order, and every
// parameter is used by some quantity.
func TestParamTable(t *testing.T) {
	used := map[Param]bool{}
	for i, info := range Params() {
		if info.Param != Param(i) || info.Param.String() != info.Name || info.Name == "" ||
			info.Var == "" || info.Meaning == "" || info.Unit == "" || info.Min > info.Max {
			t.Errorf("entry %d: %+v", i, info)
		}
		if p, ok := ParamByName(info.Name); !ok || p != info.Param {
			t.Errorf("ParamByName(%q) = %v, %v", info.Name, p, ok)
		}
	}
	if _, ok := ParamByName("m"); ok {
		t.Error(`ParamByName("m") found a parameter`)
	}
	for _, q := range Quantities() {
		if !slices.IsSorted(q.Params) || len(slices.Compact(slices.Clone(q.Params))) != len(q.Params) {
			t.Errorf("%s: parameters %v not in canonical order", q.Name, q.Params)
		}
		for _, p := range q.Params {
			if p >= numParams {
				t.Errorf("%s: parameter %v not in the table", q.Name, p)
			}
			used[p] = true
		}
	}
	if len(used) != int(numParams) {
		t.Errorf("only %d of %d parameters are used by a quantity", len(used), numParams)
	}
}

func TestArgs(t *testing.T) {
	var a Args
	if a.Len() != 0 || a.Has(ParamN) || a.String() != "" {
		t.Fatalf("zero Args: %v", a)
	}
	a = a.With(ParamTheta, 12).With(ParamN, 1000).With(ParamA, 0).With(ParamS, 24)
	if v, ok := a.Get(ParamA); !ok || v != 0 {
		t.Errorf("a = %d, %v: a given 0 must read as given", v, ok)
	}
	if _, ok := a.Get(ParamB); ok {
		t.Error("b reads as given")
	}
	if got := a.String(); got != "n=1000 a=0 s=24 theta=12" {
		t.Errorf("String = %q", got)
	}
	if b := a.Without(ParamA); b.Has(ParamA) || b.Len() != 3 || a.Len() != 4 {
		t.Errorf("Without: %v (from %v)", b, a)
	}
	if a.With(numParams, 5) != a {
		t.Error("With of an invalid Param changed the Args")
	}
}

// TestArgsJSON: the bytes are those of the map[string]int that Args
// replaced (sorted keys; report.json and points files keep their form),
// and reading rejects unknown names and values out of bounds.
func TestArgsJSON(t *testing.T) {
	a := argsOf(t, map[string]int{"n": 10000, "a": 64, "s": 24, "theta": 12, "noise": 3})
	got, err := json.Marshal(a)
	want, _ := json.Marshal(map[string]int{"n": 10000, "a": 64, "s": 24, "theta": 12, "noise": 3})
	if err != nil || string(got) != string(want) {
		t.Fatalf("Marshal = %s, %v; want %s", got, err, want)
	}
	var b Args
	if err := json.Unmarshal(got, &b); err != nil || b != a {
		t.Errorf("round trip: %v, %v", b, err)
	}
	for in, reason := range map[string]error{
		`{"n":10,"tehta":3}`: ErrUnknown,
		`{"n":0}`:            ErrRange,
		`{"s":-1}`:           ErrRange,
	} {
		err := json.Unmarshal([]byte(in), &b)
		var ae *ArgError
		if !errors.Is(err, reason) || !errors.As(err, &ae) {
			t.Errorf("%s: err %v, want %v", in, err, reason)
		}
	}
	if err := json.Unmarshal([]byte(`{"n":"x"}`), &b); err == nil {
		t.Error("a string value was accepted")
	}
}

// TestArgErrors: Eval's typed errors, their reasons and their messages
// (the batch error column and calc's flag-named form).
func TestArgErrors(t *testing.T) {
	fp := argsOf(t, map[string]int{"n": 10000, "a": 64, "s": 24, "theta": 12})
	cases := []struct {
		q      string
		args   Args
		reason error
		param  string
		msg    string
	}{
		{"fp", fp.Without(ParamTheta), ErrMissing, "theta", "fp needs n, a, s, theta (missing: theta)"},
		{"fp", fp.Without(ParamN).Without(ParamS), ErrMissing, "n", "fp needs n, a, s, theta (missing: n)"},
		{"fp", fp.With(ParamB, 3), ErrUnused, "b", "fp takes only n, a, s, theta (not: b)"},
		{"fp", fp.With(ParamTheta, 3_000_000_000_000), ErrRange, "theta", "fp: theta = 3000000000000 is out of range [0, 1099511627776]"},
		{"fp", fp.With(ParamN, -5), ErrRange, "n", "fp: n = -5 is out of range [1, 1099511627776]"},
		{"fq", fp, ErrUnknown, "", `unknown quantity "fq" (known: overlap-count, match, fp,`},
	}
	for _, c := range cases {
		_, err := Eval(c.q, c.args, false)
		var ae *ArgError
		if !errors.Is(err, c.reason) || !errors.As(err, &ae) || ae.Param != c.param || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("%s(%v): err %v, want %v on %q: %q", c.q, c.args, err, c.reason, c.param, c.msg)
		}
	}
	_, err := Eval("fp", fp.Without(ParamTheta), false)
	var ae *ArgError
	errors.As(err, &ae)
	flag := func(s string) string { return "--" + s }
	if got := ae.Message(flag); got != "fp needs --n, --a, --s, --theta (missing: --theta)" {
		t.Errorf("Message(flag) = %q", got)
	}
	// A model error (a > n) is the quantity's own, not an ArgError.
	if _, err := Eval("fp", fp.With(ParamA, 20000), false); err == nil || errors.As(err, &ae) {
		t.Errorf("a > n: %v", err)
	}
}

func TestParseArg(t *testing.T) {
	if v, err := ParseArg(ParamN, "2e5"); err != nil || v != 200000 {
		t.Errorf("2e5: %d, %v", v, err)
	}
	for in, want := range map[string]struct {
		reason error
		msg    string
	}{
		"2.5":  {ErrSyntax, `a: "2.5" is not an integer (want e.g. 2000 or 2e3)`},
		"x":    {ErrSyntax, `a: "x" is not an integer`},
		"1e30": {ErrRange, `a: "1e30" is out of range`},
	} {
		_, err := ParseArg(ParamA, in)
		if !errors.Is(err, want.reason) || !strings.HasPrefix(err.Error(), want.msg) {
			t.Errorf("%q: %v, want %v %q", in, err, want.reason, want.msg)
		}
	}
}

// FuzzArgsJSON: Args reads any bytes without panicking; what it accepts
// lies inside the table's bounds and round-trips through its own JSON.
func FuzzArgsJSON(f *testing.F) {
	for _, s := range []string{`{"a":64,"n":10000,"s":24,"theta":12}`, `{}`, `{"n":0}`, `{"x":1}`,
		`{"n":1,"n":2}`, `{"segments":1099511627776}`, `null`, `[1]`, `{"a":-1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Args
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		for _, p := range a.Given() {
			v, _ := a.Get(p)
			if info := p.Info(); v < info.Min || v > info.Max {
				t.Fatalf("%s: %s = %d outside the bounds", data, p, v)
			}
		}
		out, err := json.Marshal(a)
		var b Args
		if err != nil || json.Unmarshal(out, &b) != nil || b != a {
			t.Fatalf("%s → %s → %v (%v)", data, out, b, err)
		}
	})
}
