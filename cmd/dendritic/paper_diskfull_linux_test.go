package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dendritic/dendritic/experiments/paper"
	"github.com/dendritic/dendritic/theory"
)

// fullDiskSim fills the disk under the points file when the third
// simulation starts: it puts /dev/full (every write fails with ENOSPC) in
// place of the open points.jsonl descriptor.
type fullDiskSim struct {
	inner  paper.Simulator
	points string
	calls  int
	t      *testing.T
}

func (s *fullDiskSim) Simulate(ctx context.Context, kind string, p theory.Args, samples int64, seed uint64, method string) (paper.SimPoint, error) {
	if s.calls++; s.calls == 3 {
		full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
		if err != nil {
			s.t.Skipf("no /dev/full: %v", err)
		}
		defer full.Close()
		ents, _ := os.ReadDir("/proc/self/fd")
		found := false
		for _, e := range ents {
			if target, _ := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); target == s.points {
				var fd int
				if _, err := fmt.Sscan(e.Name(), &fd); err == nil && syscall.Dup3(int(full.Fd()), fd, 0) == nil {
					found = true
				}
			}
		}
		if !found {
			s.t.Skip("cannot find the open points file in /proc/self/fd")
		}
	}
	return s.inner.Simulate(ctx, kind, p, samples, seed, method)
}

// TestPaperDiskFullReportsAppend: when the disk fills, the error is the
// failed append to points.jsonl, reported at once, not a later write of
// the report (before: "write F1.svg: no space left on device").
func TestPaperDiskFullReportsAppend(t *testing.T) {
	if paperSimulator == nil {
		t.Skip("no simulator")
	}
	dir := t.TempDir()
	// The report's first figure cannot be written either.
	if err := os.Symlink("/dev/full", filepath.Join(dir, "F2.svg")); err != nil {
		t.Fatal(err)
	}
	s := &fullDiskSim{inner: paperSimulator(0), points: filepath.Join(dir, paper.PointsFile), t: t}
	sim0 := paperSimulator
	t.Cleanup(func() { paperSimulator = sim0 })
	paperSimulator = func(int) paper.Simulator { return s }
	code, _, stderr := runPaperArgs(t, append([]string{"--out", dir}, paperSmall...)...)
	if code != 1 || !strings.Contains(stderr, "appending a point") || !strings.Contains(stderr, "points.jsonl: no space left on device") {
		t.Fatalf("exit %d, stderr %q: want the failed append to points.jsonl", code, stderr)
	}
	if strings.Contains(stderr, "F2.svg") {
		t.Errorf("the error names the later write of F2.svg: %q", stderr)
	}
	if s.calls != 3 {
		t.Errorf("%d simulations: the run went on after the failed append", s.calls)
	}
}
