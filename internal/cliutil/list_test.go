package cliutil

import (
	"reflect"
	"strings"
	"testing"
)

// The expected lists are written out by hand from the definitions: a comma
// list as given, a range lo, lo+step, … up to hi inclusive.
func TestParseIntList(t *testing.T) {
	for in, want := range map[string][]int{
		"1,2,3": {1, 2, 3}, "1e3, 2e3": {1000, 2000}, "10:20:5": {10, 15, 20}, "10:22:5": {10, 15, 20}, "7:7:1": {7},
	} {
		if got, err := ParseIntList(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseIntList(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"1,x": "not an integer", "5:1:1": "lo ≤ hi", "1:5:0": "step > 0", "0:1e9:1": "more than 100000 values", "": "empty",
	} {
		if _, err := ParseIntList(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseIntList(%q): error %v, want %q", in, err, msg)
		}
	}
}

func TestParseFloatList(t *testing.T) {
	for in, want := range map[string][]float64{
		"0.01,0.02": {0.01, 0.02}, "0:0.3:0.1": {0, 0.1, 0.2, 0.30000000000000004}, "1e-3": {0.001},
	} {
		if got, err := ParseFloatList(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseFloatList(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"a", "1:0:0.1", "0:1:0", "0:1:NaN", "0:1:1e-9"} {
		if _, err := ParseFloatList(in); err == nil {
			t.Errorf("ParseFloatList(%q) accepted", in)
		}
	}
}
