package nab

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// A ResultsDir is a set of detectors' results as NAB lays them out:
// Root/<detector>/<category>/<detector>_<file>.csv.
type ResultsDir struct {
	// Root is the directory holding one folder per detector.
	Root string
	// Detectors are the detector folders found under Root, sorted.
	Detectors []string
}

// OpenResults finds the results under dir, which may be either a results
// root (one folder per detector, as "dendritic nab run" writes and NAB's
// results/ holds) or one detector's folder (NAB's results/numenta/, whose
// sub-folders are the corpus categories). Which one it is follows from the
// names of the sub-folders: a folder named after a category of c is a
// category, anything else a detector. A detector folder whose name is not
// the prefix of its files is an error naming the prefix.
func OpenResults(dir string, c *Corpus) (*ResultsDir, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	cats := map[string]bool{}
	for _, f := range c.Files {
		if cat, _ := path.Split(f.Name); cat != "" {
			cats[strings.TrimSuffix(cat, "/")] = true
		}
	}
	var subdirs []string
	nCats := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err != nil || !st.IsDir() {
			continue // files, and links to files or to nothing
		}
		subdirs = append(subdirs, e.Name())
		if cats[e.Name()] {
			nCats++
		}
	}
	slices.Sort(subdirs)
	switch {
	case len(subdirs) == 0:
		return nil, fmt.Errorf("nab: %s holds no results: expected %s/<detector>/<category>/<detector>_<file>.csv, or one detector's folder %s/<category>/<detector>_<file>.csv", dir, dir, dir)
	case nCats == 0:
		return &ResultsDir{Root: dir, Detectors: subdirs}, nil
	case nCats < len(subdirs):
		return nil, fmt.Errorf("nab: %s mixes category folders and other folders (%s): give a results root or one detector's folder", dir, strings.Join(subdirs, ", "))
	}
	// One detector's folder: its name must be the prefix of its files.
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	det := filepath.Base(abs)
	if prefix, ok := filePrefix(abs, c); ok && prefix != det {
		return nil, fmt.Errorf("nab: %s is the results folder of detector %q (its files are named %s_<file>.csv): rename the folder to %s", dir, prefix, prefix, prefix)
	}
	return &ResultsDir{Root: filepath.Dir(abs), Detectors: []string{det}}, nil
}

// filePrefix returns the detector prefix of the first results file found
// in a detector folder: the part of "<detector>_<file>.csv" before the
// corpus file's base name.
func filePrefix(detDir string, c *Corpus) (string, bool) {
	for _, f := range c.Files {
		cat, base := path.Split(f.Name)
		ents, err := os.ReadDir(filepath.Join(detDir, filepath.FromSlash(cat)))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if n := e.Name(); strings.HasSuffix(n, "_"+base) && len(n) > len(base)+1 {
				return strings.TrimSuffix(n, "_"+base), true
			}
		}
	}
	return "", false
}

// MissingResultsError is returned when a detector's results lack files of
// the corpus: a partial result set is refused with the list of what is
// missing, never scored as if it were whole.
type MissingResultsError struct {
	Detector string
	Dir      string
	Missing  []string // corpus file names, sorted
	Total    int      // files in the corpus
}

func (e *MissingResultsError) Error() string {
	list := e.Missing
	more := ""
	if len(list) > 10 {
		list, more = list[:10], fmt.Sprintf(" and %d more", len(e.Missing)-10)
	}
	return fmt.Sprintf("nab: detector %s in %s has results for %d of %d corpus files; missing: %s%s (run 'dendritic nab run' to finish, or --only to score a subset)",
		e.Detector, e.Dir, e.Total-len(e.Missing), e.Total, strings.Join(list, ", "), more)
}

// checkComplete returns a *MissingResultsError if any corpus file has no
// results file.
func checkComplete(dir, detector string, c *Corpus) error {
	var missing []string
	for _, f := range c.Files {
		if _, err := os.Stat(ResultsPath(dir, detector, f.Name)); err != nil {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return &MissingResultsError{Detector: detector, Dir: filepath.Join(dir, detector), Missing: missing, Total: len(c.Files)}
}

// UnpackResults returns a directory holding the results at p: p itself, or,
// for a .tar.gz or .tgz archive (Numenta's results/numenta.tar.gz, or one
// made with "tar -czf x.tgz -C dir ."), a temporary directory it was
// extracted into. cleanup removes that directory; call it when done.
func UnpackResults(p string) (dir string, cleanup func(), err error) {
	if !strings.HasSuffix(p, ".tar.gz") && !strings.HasSuffix(p, ".tgz") {
		return p, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "dendritic-nab-")
	if err != nil {
		return "", nil, err
	}
	if err := ExtractTarGz(p, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}
