package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Helper()             {}

func TestCheckAndUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("# comment\na 1\nb two words\nc 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	g := Open(r, path, false)
	if !g.Check("a", "1") || !g.Check("b", "two words") || g.Check("c", "4") || g.Check("d", "5") {
		t.Fatal("Check results wrong")
	}
	g.Close()
	want := []string{path + ": c: was 3, now 4", path + ": d: not recorded, now 5"}
	if strings.Join(r.errs, "|") != strings.Join(want, "|") {
		t.Fatalf("errors %q, want %q", r.errs, want)
	}
	// An update of part of the keys keeps the others, in file order.
	r = &recorder{TB: t}
	g = Open(r, path, true)
	g.Check("c", "4")
	g.Check("d", "5")
	g.Close()
	if len(r.errs) != 0 {
		t.Fatal(r.errs)
	}
	data, _ := os.ReadFile(path)
	if got := string(data[strings.IndexByte(string(data), '\n')+1:]); got != "a 1\nb two words\nc 4\nd 5\n" {
		t.Fatalf("rewritten file %q", got)
	}
}

func TestFixture(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m-v1.bin")
	gpath := filepath.Join(dir, "compat.golden")
	g := Open(t, gpath, true)
	g.Fixture(path, []byte("old"), true)
	g.Close()
	// A fixture of an older version is not rewritten by -update.
	g = Open(t, gpath, true)
	if data := g.Fixture(path, []byte("new"), false); string(data) != "old" {
		t.Fatalf("fixture rewritten: %q", data)
	}
	g.Close()
	r := &recorder{TB: t}
	os.WriteFile(path, []byte("changed"), 0o644)
	g = Open(r, gpath, false)
	g.Fixture(path, nil, false)
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "m-v1.bin/sha256: was ") {
		t.Fatalf("changed fixture: %q", r.errs)
	}
}
