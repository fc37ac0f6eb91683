// Package dirlock guards an output directory against a second run: a run
// takes the lock by creating the lock file DIR/.dendritic.lock exclusively
// (O_EXCL), writes its process id and host name into it, and removes it
// when it ends. A second run finds the file and fails with an error that
// names the holder. A lock whose process no longer runs on this host (a
// run killed with SIGKILL, or a crashed machine's leftover after a
// reboot) is stale: it is taken over, with a note. A lock held on another
// host cannot be checked and is honoured.
package dirlock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Name is the lock file's name inside the directory.
const Name = ".dendritic.lock"

// ErrLocked is wrapped by the error of Acquire when another run holds the
// directory.
var ErrLocked = errors.New("in use by another run")

// Lock is a held directory lock.
type Lock struct {
	path    string
	body    string
	dir     string
	created bool // Acquire made dir: Release removes it if left empty
}

// maxLockBytes bounds what is read of a lock file: a pid and a host name.
const maxLockBytes = 512

// Acquire creates dir (and its parents) if needed and locks it. note, if
// not nil, receives a message when a stale lock is taken over. A directory
// that Acquire created and that is empty at Release is removed, so that a
// run that fails before writing anything leaves nothing behind.
func Acquire(dir string, note func(string)) (*Lock, error) {
	if dir == "" {
		return nil, errors.New("dirlock: empty directory name")
	}
	_, serr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	l := &Lock{path: filepath.Join(dir, Name), body: fmt.Sprintf("%d %s\n", os.Getpid(), host),
		dir: dir, created: errors.Is(serr, fs.ErrNotExist)}
	for attempt := 0; ; attempt++ {
		err := l.create()
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) || attempt > 0 {
			return nil, fmt.Errorf("lock %s: %w", l.path, err)
		}
		pid, owner, rerr := readLock(l.path)
		switch {
		case errors.Is(rerr, fs.ErrNotExist):
			continue // released in the meantime
		case rerr != nil:
			return nil, fmt.Errorf("%s: %w: its lock file %s is unreadable (%v); remove it if no run uses the directory", dir, ErrLocked, l.path, rerr)
		case owner != host || alive(pid):
			return nil, fmt.Errorf("%s: %w (pid %d on %s holds %s); wait for it, or remove the file if that run is gone", dir, ErrLocked, pid, owner, l.path)
		}
		// Stale: the holder is gone. Remove the file and try once more; if
		// another run takes it first, its create wins and ours fails.
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove the stale lock %s: %w", l.path, err)
		}
		if note != nil {
			note(fmt.Sprintf("took over the stale lock %s of pid %d, which no longer runs", l.path, pid))
		}
	}
}

func (l *Lock) create() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(l.body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(l.path)
	}
	return err
}

// readLock reads the pid and host of a lock file.
func readLock(path string) (pid int, host string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	b := make([]byte, maxLockBytes)
	n, err := f.Read(b)
	if err != nil && n == 0 {
		return 0, "", fmt.Errorf("empty: %w", err)
	}
	fields := strings.Fields(string(b[:n]))
	if len(fields) != 2 {
		return 0, "", fmt.Errorf("want \"PID HOST\", got %q", b[:n])
	}
	pid, err = strconv.Atoi(fields[0])
	if err != nil || pid < 1 {
		return 0, "", fmt.Errorf("bad pid %q", fields[0])
	}
	return pid, fields[1], nil
}

// Release removes the lock file if it is still ours. It is safe on a nil
// Lock and when called twice.
func (l *Lock) Release() error {
	if l == nil || l.path == "" {
		return nil
	}
	path := l.path
	l.path = ""
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if string(b) != l.body {
		return fmt.Errorf("lock %s was taken over by another run; left in place", path)
	}
	if err := os.Remove(path); err != nil {
		return err
	}
	if l.created {
		_ = os.Remove(l.dir) // fails, as it should, unless the run wrote nothing
	}
	return nil
}
