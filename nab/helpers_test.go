package nab

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dendritic/dendritic/internal/shareddata"
)

// nabRoot returns the NAB root or skips the test when the shared data is
// absent.
func nabRoot(t testing.TB) string {
	t.Helper()
	return shareddata.NAB(t)
}

var (
	extractOnce sync.Once
	extractDir  string
	extractErr  error
	corpusOnce  sync.Once
	corpus      *Corpus
	corpusErr   error
)

// TestMain removes the extracted results fixture after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if extractDir != "" {
		os.RemoveAll(extractDir)
	}
	os.Exit(code)
}

// numentaResults extracts results/numenta.tar.gz once into a temporary
// directory (never into the repository) and returns that directory, which
// holds numenta/<category>/numenta_<file>.csv and the score tables.
func numentaResults(t testing.TB) string {
	t.Helper()
	root := nabRoot(t)
	tarball := filepath.Join(root, "results", "numenta.tar.gz")
	if _, err := os.Stat(tarball); err != nil {
		t.Skipf("../shared/data/nab/results/numenta.tar.gz not found (expected %s): %v", tarball, err)
	}
	extractOnce.Do(func() {
		extractDir, extractErr = os.MkdirTemp("", "nab-numenta-")
		if extractErr == nil {
			extractErr = ExtractTarGz(tarball, extractDir)
		}
	})
	if extractErr != nil {
		t.Fatal(extractErr)
	}
	return extractDir
}

// loadCorpus loads the shared corpus once.
func loadCorpus(t testing.TB) *Corpus {
	t.Helper()
	root := nabRoot(t)
	corpusOnce.Do(func() { corpus, corpusErr = LoadCorpus(root) })
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpus
}
