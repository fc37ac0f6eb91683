package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/cli"
)

// TestServeUsage: a non-loopback address without --token, a bad address
// and a non-positive checkpoint interval are usage errors (exit 2) that
// create no database; an unwritable database is an I/O error (exit 1).
func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, cli.ExitUsage, "without --token"},
		{[]string{"--addr", ":8080"}, cli.ExitUsage, "without --token"},
		{[]string{"--addr", "nowhere"}, cli.ExitUsage, "address"},
		{[]string{"--addr", "127.0.0.1:0", "--checkpoint-every", "0s"}, cli.ExitUsage, "must be positive"},
		{[]string{"--addr", "127.0.0.1:0", "--queue", "0"}, cli.ExitUsage, "queue"},
	} {
		_, errOut, code := runCLI(append([]string{"serve", "--db", db}, c.args...)...)
		if code != c.code || !strings.HasPrefix(errOut, "dendritic serve: ") || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d containing %q", c.args, code, errOut, c.code, c.msg)
		}
	}
	if m, _ := filepath.Glob(db + "*"); len(m) != 0 {
		t.Errorf("usage errors created %v", m)
	}
	_, errOut, code := runCLI("serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "no", "such", "dir", "x.db"))
	if code != cli.ExitFailure || !strings.Contains(errOut, "dendritic serve: ") {
		t.Errorf("unwritable database: exit %d, stderr %q", code, errOut)
	}
}
