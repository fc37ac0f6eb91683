package paper

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSessionStart: by default a session keeps what the directory holds
// and refuses a file it cannot read (before, a run without --resume
// discarded the finished points at once); Fresh renames the old file to a
// free backup name instead of overwriting it.
func TestSessionStart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, PointsFile)
	bad := []byte("not a points file\n")
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	o := Options{Samples: 100, ISSamples: 100, Seed: 1}
	if _, err := OpenSession(dir, &o, Reuse, note); err == nil || !strings.Contains(err.Error(), "--fresh") {
		t.Fatalf("unreadable points file: err = %v, want a refusal naming --fresh", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(bad) {
		t.Fatal("the refused file was changed")
	}
	for i, bak := range []string{".bak", ".bak.1"} {
		s, err := OpenSession(dir, &o, Fresh, note)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := os.Stat(path + bak); err != nil {
			t.Errorf("fresh start %d: no backup %s: %v", i, bak, err)
		}
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != string(bad) {
		t.Error("the first backup does not hold the original file")
	}
	if len(notes) != 2 || !strings.Contains(notes[1], PointsFile+".bak.1") {
		t.Errorf("notes %q", notes)
	}
	// The file of a fresh start is a valid, empty points file, reused by
	// the next default start.
	s, err := OpenSession(dir, &o, Reuse, note)
	if err != nil {
		t.Fatal(err)
	}
	if s.Reused() != "" || s.Err() != nil {
		t.Errorf("Reused %q, Err %v on an empty points file", s.Reused(), s.Err())
	}
	s.Close()
}
