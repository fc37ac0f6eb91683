// Package misuse is a test helper: it calls every exported method of a
// value with zero arguments (nil slices, nil pointers, zero numbers) and
// reports the methods that panic. The library promises that misuse gives
// an error, never a panic: the zero value of a type is either usable or
// its methods return an error (or a zero result) saying that the type
// needs its constructor; a nil pointer receiver likewise.
package misuse

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
)

// Panics calls every exported method of v (a pointer, possibly nil, or a
// value) with zero arguments and returns one line per method that
// panicked: "Type.Method: panic value (at file:line)". Methods named in
// skip (e.g. "Neuron.Learn") are not called.
func Panics(v any, skip ...string) []string {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	name := rt.String()
	if rt.Kind() == reflect.Pointer {
		name = rt.Elem().Name()
		if rv.IsNil() {
			name = "(nil *" + name + ")"
		}
	}
	var out []string
	for i := range rt.NumMethod() {
		m := rt.Method(i)
		if !m.IsExported() || contains(skip, typeName(rt)+"."+m.Name) {
			continue
		}
		args := []reflect.Value{rv}
		for j := 1; j < m.Type.NumIn(); j++ {
			args = append(args, reflect.Zero(m.Type.In(j)))
		}
		if msg := call(m.Func, args, m.Type.IsVariadic()); msg != "" {
			out = append(out, fmt.Sprintf("%s.%s: %s", name, m.Name, msg))
		}
	}
	return out
}

func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// call calls f and returns "" or a description of its panic.
func call(f reflect.Value, args []reflect.Value, variadic bool) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("%v (%s)", r, where(string(debug.Stack())))
		}
	}()
	if variadic {
		f.CallSlice(args)
	} else {
		f.Call(args)
	}
	return ""
}

// where returns the first frame of the module in a stack trace below the
// panic.
func where(stack string) string {
	lines := strings.Split(stack, "\n")
	for i, l := range lines {
		if strings.Contains(l, "github.com/dendritic/dendritic/") && !strings.Contains(l, "internal/misuse") && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1])
		}
	}
	return "?"
}
