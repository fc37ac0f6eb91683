package dirlock

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecondRunRefused: while a lock is held, a second Acquire fails with
// ErrLocked naming the holder; after Release the directory can be locked
// again and no lock file is left.
func TestSecondRunRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	l, err := Acquire(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir, nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprint("pid ", os.Getpid())) {
		t.Fatalf("second Acquire: %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatalf("second Release: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, Name)); !os.IsNotExist(err) {
		t.Fatalf("lock file left after Release: %v", err)
	}
	// dir was created by the first Acquire and holds nothing: gone.
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the empty directory made by Acquire is left: %v", err)
	}
	l2, err := Acquire(dir, nil)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "result"), nil, 0o644)
	l2.Release()
	if _, err := os.Stat(filepath.Join(dir, "result")); err != nil {
		t.Errorf("a directory with output was removed: %v", err)
	}
	var nilLock *Lock
	if err := nilLock.Release(); err != nil {
		t.Fatal(err)
	}
}

// TestStaleLock: a lock of a process that has exited on this host is taken
// over with a note; a lock of another host, and an unreadable lock file,
// are honoured.
func TestStaleLock(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid // exited and reaped: no such process now
	host, _ := os.Hostname()
	dir := t.TempDir()
	path := filepath.Join(dir, Name)
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(fmt.Sprintf("%d %s\n", dead, host))
	var notes []string
	l, err := Acquire(dir, func(s string) { notes = append(notes, s) })
	if err != nil {
		t.Fatalf("stale lock of pid %d not taken over: %v", dead, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "stale") {
		t.Errorf("notes %q, want one about the stale lock", notes)
	}
	l.Release()
	for _, body := range []string{fmt.Sprintf("%d other-host.example\n", dead), "", "garbage\n", "0 h\n"} {
		write(body)
		if _, err := Acquire(dir, nil); !errors.Is(err, ErrLocked) {
			t.Errorf("lock file %q: Acquire gave %v, want ErrLocked", body, err)
		}
	}
}

// TestTakenOver: Release leaves a lock file that is no longer ours.
func TestTakenOver(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := "1 elsewhere\n"
	os.WriteFile(filepath.Join(dir, Name), []byte(other), 0o644)
	if err := l.Release(); err == nil {
		t.Error("Release removed another run's lock")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, Name)); string(b) != other {
		t.Errorf("lock file now %q", b)
	}
}

func TestEmptyDir(t *testing.T) {
	if _, err := Acquire("", nil); err == nil {
		t.Error("empty directory name accepted")
	}
}
