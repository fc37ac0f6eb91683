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

// TestDataEnv: with DENDRITIC_DATA set, paths under "data" are under it,
// and the others stay under the shared folder.
func TestDataEnv(t *testing.T) {
	root := t.TempDir()
	t.Setenv(DataEnv, root)
	if got, want := String("data", "nab", "labels"), filepath.Join(root, "nab", "labels"); got != want {
		t.Errorf("String(data, nab, labels) = %q, want %q", got, want)
	}
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := String("docs"), filepath.Join(d, "docs"); got != want {
		t.Errorf("String(docs) = %q, want %q", got, want)
	}
	if err := os.MkdirAll(filepath.Join(root, "nab", "labels"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "nab", "labels", "combined_windows.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := NAB(t), filepath.Join(root, "nab"); got != want {
		t.Errorf("NAB = %q, want %q", got, want)
	}
	ok := t.Run("missing", func(t *testing.T) {
		Path(t, "data", "hotgym")
		t.Error("Path returned for a folder missing from the data root")
	})
	if !ok {
		t.Error("the subtest failed instead of skipping")
	}
}
