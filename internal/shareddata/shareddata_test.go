package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDir: from this package (internal/shareddata) the shared folder is
// three levels up, beside the module root.
func TestDir(t *testing.T) {
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("..", "..", "..", "shared")
	if d != want {
		t.Errorf("Dir() = %q, want %q", d, want)
	}
	if got, want := String("data", "nab"), filepath.Join(want, "data", "nab"); got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// TestPathSkips: a missing path skips the test, naming the path.
func TestPathSkips(t *testing.T) {
	ok := t.Run("missing", func(t *testing.T) {
		Path(t, "no such file here")
		t.Error("Path returned for a missing file")
	})
	if !ok {
		t.Error("the subtest failed instead of skipping")
	}
	if _, err := os.Stat(String()); err == nil {
		if p := Path(t); p != String() {
			t.Errorf("Path() = %q, want %q", p, String())
		}
	}
}
