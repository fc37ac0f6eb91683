package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/dirlock"
)

// TestLocksOut: a command with Locks holds its --out directory while it
// runs: a second run on the same directory fails at once (exit 1, the
// error naming the holder) without running, and the lock is gone
// afterwards. Before, two paper runs on one --out both ran and exited 0
// with one run's report and the other's points.
func TestLocksOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var inner struct {
		code   int
		stderr string
		ran    bool
	}
	var p *Program
	cmd := &Command{
		Name: "write", Summary: "write into a directory", Locks: "out",
		Flags: func(fs *flag.FlagSet) Run {
			out := fs.String("out", "", "output `DIR`")
			nested := fs.Bool("nested", false, "start a second run on the same directory")
			return func(ctx context.Context, env *Env) error {
				if !*nested {
					inner.ran = true
					return nil
				}
				if _, err := os.Stat(filepath.Join(*out, dirlock.Name)); err != nil {
					t.Errorf("no lock file while running: %v", err)
				}
				_, inner.stderr, inner.code = runProg(p, "write", "--out", *out)
				return nil
			}
		},
	}
	p = &Program{Name: "prog", Commands: []*Command{cmd}}
	if _, stderr, code := runProg(p, "write", "--out", dir, "--nested"); code != ExitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	if inner.code != ExitFailure || inner.ran || !strings.Contains(inner.stderr, "in use by another run") ||
		!strings.HasPrefix(inner.stderr, "prog write: ") {
		t.Errorf("second run: exit %d, ran %v, stderr %q", inner.code, inner.ran, inner.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, dirlock.Name)); !os.IsNotExist(err) {
		t.Errorf("lock file left after the run: %v", err)
	}
	if _, stderr, code := runProg(p, "write", "--out", dir); code != ExitOK || !inner.ran {
		t.Errorf("run after the first ended: exit %d: %s", code, stderr)
	}
}
