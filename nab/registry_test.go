package nab

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestRegistry(t *testing.T) {
	if got := DetectorNames(); !slices.Contains(got, "null") || !slices.Contains(got, "random") {
		t.Fatalf("DetectorNames() = %v, want null and random registered by nab itself", got)
	}
	noop := func(uint64) (DetectorFactory, error) { return NullDetector, nil }
	for _, bad := range []Registration{
		{Name: "", New: noop},
		{Name: "Upper", New: noop},
		{Name: "9lives", New: noop},
		{Name: "has space", New: noop},
		{Name: "no-constructor"},
		{Name: "negative-bound", New: noop, MaxProbation: -1},
		{Name: "null", New: noop}, // duplicate
	} {
		if err := Register(bad); err == nil {
			t.Errorf("Register(%q) accepted", bad.Name)
		}
	}
	// NAB's camel-case names (contextOSE) are valid after a lower-case first letter.
	if err := Register(Registration{Name: "testCamel-1", New: noop, MaxProbation: 99}); err != nil {
		t.Errorf("Register(testCamel-1): %v", err)
	}
	if n, err := LookupMaxProbation("testCamel-1"); err != nil || n != 99 {
		t.Errorf("LookupMaxProbation(testCamel-1) = %d, %v; want 99", n, err)
	}
	if n, err := LookupMaxProbation("null"); err != nil || n != 0 {
		t.Errorf("LookupMaxProbation(null) = %d, %v; want 0 (no bound)", n, err)
	}
	if _, err := LookupMaxProbation("no-such-detector"); err == nil {
		t.Error("LookupMaxProbation of an unknown name succeeded")
	}
	var unknown *UnknownDetectorError
	if _, err := Lookup("no-such-detector", 1); !errors.As(err, &unknown) || !slices.Contains(unknown.Known, "null") {
		t.Errorf("Lookup of an unknown name: %v", err)
	}
	f, err := Lookup("null", 1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f(FileInfo{Name: "x/y.csv", Rows: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := d.Score(time.Time{}, 5); err != nil || s != 0 {
		t.Errorf("null detector scored %v, %v", s, err)
	}
}
