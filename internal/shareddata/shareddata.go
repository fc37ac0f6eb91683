// Package shareddata finds, for tests, the read-only data folder "shared"
// that sits beside the repository (../shared from the module root: NAB, the
// NYC taxi series, hot gym), and skips a test whose data is absent with a
// message naming the path it looked for, so that a checkout without the
// data still passes its tests. As for the command line, the environment
// variable DENDRITIC_DATA, when set, names the data root instead of
// shared/data (a root holding nab/, nyc_taxi/, hotgym/), so that the data
// tests can run against a NAB clone kept elsewhere.
package shareddata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the folder "shared" beside the module root, relative to the
// working directory (a test runs in its package's directory): the module
// root is the nearest directory upwards holding go.mod. It does not check
// that the folder exists.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Rel(wd, filepath.Join(filepath.Dir(d), "shared"))
		}
		up := filepath.Dir(d)
		if up == d {
			return "", errors.New("shareddata: no go.mod above the working directory")
		}
		d = up
	}
}

// DataEnv is the environment variable that names the data root in place
// of shared/data (the command line's too).
const DataEnv = "DENDRITIC_DATA"

// dataPath returns elems under $DENDRITIC_DATA when it is set and elems
// start with "data", and ok false otherwise.
func dataPath(elems []string) (string, bool) {
	root := os.Getenv(DataEnv)
	if root == "" || len(elems) == 0 || elems[0] != "data" {
		return "", false
	}
	return filepath.Join(append([]string{root}, elems[1:]...)...), true
}

// Path returns the path of elems under the shared folder (under
// $DENDRITIC_DATA for elems starting with "data", when it is set), or
// skips tb if it does not exist (the message names the path).
func Path(tb testing.TB, elems ...string) string {
	tb.Helper()
	p, ok := dataPath(elems)
	if !ok {
		dir, err := Dir()
		if err != nil {
			tb.Fatal(err)
		}
		p = filepath.Join(append([]string{dir}, elems...)...)
	}
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data not found (expected %s; %s can name a data root): %v", p, DataEnv, err)
	}
	return p
}

// NAB returns the NAB root (shared/data/nab, or $DENDRITIC_DATA/nab), or
// skips tb if it has no labels/combined_windows.json.
func NAB(tb testing.TB) string {
	tb.Helper()
	labels := Path(tb, "data", "nab", "labels", "combined_windows.json")
	return filepath.Dir(filepath.Dir(labels))
}

// String returns the path of elems that Path would check (under the
// shared folder, or $DENDRITIC_DATA), for messages and for callers that
// check existence themselves.
func String(elems ...string) string {
	if p, ok := dataPath(elems); ok {
		return p
	}
	dir, err := Dir()
	if err != nil {
		return fmt.Sprintf("../shared/%s", filepath.Join(elems...))
	}
	return filepath.Join(append([]string{dir}, elems...)...)
}
