// Package golden keeps the expected results of tests in golden files under
// a package's testdata directory, so that a deliberate change of behaviour
// is one command (go test -update) and an accidental one is reported field
// by field rather than as a single mismatching digest.
//
// A golden file is UTF-8 text, one "key value" pair a line (the key has no
// spaces; the value runs to the end of the line); lines starting with '#'
// are comments. A test opens the file, checks each result under its own
// key (for instance "case/field/steps-1-500"), and closes it. With update
// set, Close rewrites the file with the values seen, keeping the keys that
// the run did not check (a run restricted by -run updates only its part).
package golden

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// File is an open golden file.
type File struct {
	t      testing.TB
	path   string
	update bool
	keys   []string          // keys in file order, then new keys in check order
	want   map[string]string // the file's values
	got    map[string]string // values checked by this run
	diffs  int
}

// Open reads the golden file at path. A missing file is an error unless
// update is set (it is then created by Close).
func Open(t testing.TB, path string, update bool) *File {
	t.Helper()
	f := &File{t: t, path: path, update: update, want: map[string]string{}, got: map[string]string{}}
	data, err := os.ReadFile(path)
	if err != nil {
		if update && os.IsNotExist(err) {
			return f
		}
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		key, value, _ := strings.Cut(line, " ")
		if _, dup := f.want[key]; dup || key == "" {
			t.Fatalf("%s:%d: empty or repeated key %q", path, n, key)
		}
		f.want[key] = value
		f.keys = append(f.keys, key)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// Check compares got with the value recorded under key and reports a
// difference as "key: was OLD, now NEW". It returns whether they agree (with
// update set, a difference is recorded and not reported).
func (f *File) Check(key, got string) bool {
	f.t.Helper()
	if strings.ContainsAny(key, " \n") || key == "" || strings.Contains(got, "\n") {
		f.t.Fatalf("golden key %q or value %q not representable", key, got)
	}
	if _, seen := f.got[key]; seen {
		f.t.Fatalf("golden key %q checked twice", key)
	}
	f.got[key] = got
	want, ok := f.want[key]
	if !ok {
		f.keys = append(f.keys, key)
	}
	if ok && want == got || f.update {
		return ok && want == got
	}
	f.diffs++
	if !ok {
		f.t.Errorf("%s: %s: not recorded, now %s", f.path, key, got)
	} else {
		f.t.Errorf("%s: %s: was %s, now %s", f.path, key, want, got)
	}
	return false
}

// Checkf is Check with a formatted value.
func (f *File) Checkf(key, format string, args ...any) bool {
	f.t.Helper()
	return f.Check(key, fmt.Sprintf(format, args...))
}

// Close rewrites the file if update is set, and otherwise, if any check
// failed, says how to accept the change.
func (f *File) Close() {
	f.t.Helper()
	if !f.update {
		if f.diffs > 0 {
			f.t.Logf("%d golden values differ; if the change is intended, rerun with -update and commit %s", f.diffs, f.path)
		}
		return
	}
	var b strings.Builder
	b.WriteString("# Golden values: rewrite with go test -update (see internal/golden).\n")
	for _, k := range f.keys {
		v, ok := f.got[k]
		if !ok {
			v = f.want[k]
		}
		fmt.Fprintf(&b, "%s %s\n", k, v)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(f.path, []byte(b.String()), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// Fixture returns the contents of the fixture file at path (a saved model
// kept so that an old format stays readable) and checks its SHA-256 under
// the key "NAME/sha256", NAME being the file's base name, so that a fixture
// cannot change unnoticed. With update set and current true (enc is what
// the code writes now, in the version the fixture stands for) it first
// rewrites the file with enc; fixtures of older versions are never
// rewritten, since the code can no longer produce them.
func (f *File) Fixture(path string, enc []byte, current bool) []byte {
	f.t.Helper()
	if f.update && current {
		if err := os.WriteFile(path, enc, 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.Checkf(filepath.Base(path)+"/sha256", "%x", sha256.Sum256(data))
	return data
}

// A SavedFixture names a fixture file under testdata/ and the format
// version it holds (the uint16 at offset 4 of every encoding of this
// module's models).
type SavedFixture struct {
	File    string
	Version uint16
}

// CheckFixtures runs the compatibility check of saved fixtures against the
// golden file testdata/compat.golden: for fixture i, encode(i) returns the
// encoding, by the code of now, of the model the fixture was saved from;
// the fixture is read (after being rewritten if update is set and it is
// of the version written now, see Fixture) and check(g, i, data, enc)
// compares the model it decodes to with the rebuilt one.
func CheckFixtures(t testing.TB, update bool, fixtures []SavedFixture, encode func(i int) []byte,
	check func(g *File, i int, data, enc []byte)) {
	t.Helper()
	g := Open(t, filepath.Join("testdata", "compat.golden"), update)
	defer g.Close()
	for i, fx := range fixtures {
		enc := encode(i)
		current := len(enc) >= 6 && binary.LittleEndian.Uint16(enc[4:]) == fx.Version
		data := g.Fixture(filepath.Join("testdata", fx.File), enc, current)
		check(g, i, data, enc)
	}
}

// Want returns the value recorded under key ("" if none).
func (f *File) Want(key string) string { return f.want[key] }

// BytesAllocated returns the number of bytes the heap allocated while f
// ran (runtime.MemStats.TotalAlloc), for tests that bound the memory a
// decoder spends on hostile input. TotalAlloc counts every goroutine of the
// process (parallel tests, the runtime's own work), so f runs five times and
// the least count is returned: f's own allocations are the same each time,
// the others only add. f must start from fresh state each time (a new
// receiver), or later runs may reuse what the first allocated. A bound
// should still leave some slack.
func BytesAllocated(f func()) uint64 {
	least := ^uint64(0)
	for range 5 {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		f()
		runtime.ReadMemStats(&m1)
		least = min(least, m1.TotalAlloc-m0.TotalAlloc)
	}
	return least
}

// BytesAllocatedOnce is BytesAllocated measured once: cheap enough for a
// probe over thousands of inputs, and an upper bound (other goroutines
// only add), so a probe re-measures a suspect with BytesAllocated.
func BytesAllocatedOnce(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}
