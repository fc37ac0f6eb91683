package nab

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Results are one detector's scores for one data file, as read from a NAB
// results CSV.
type Results struct {
	Timestamps []time.Time
	Scores     []float64
	lines      []int // line number of each row, for error messages
}

// ReadResults reads a NAB results CSV. The columns "timestamp" and
// "anomaly_score" are found by header name; others (value, label, raw_score,
// the old S(t)_* columns in Numenta's files, ...) are ignored. Every score must
// lie in [0,1] (NAB refuses other scores too); a missing or NaN score is an
// error.
func ReadResults(r io.Reader, name string) (*Results, error) {
	res := &Results{}
	err := readTable(r, name, []string{"timestamp", "anomaly_score"}, func(line int, f []string) error {
		t, err := parseTime(f[0])
		if err != nil {
			return err
		}
		a, err := parseFinite(f[1], "anomaly_score")
		if err != nil {
			return err
		}
		if a < 0 || a > 1 {
			return fmt.Errorf("anomaly_score %s is outside [0,1]", strings.TrimSpace(f[1]))
		}
		res.Timestamps = append(res.Timestamps, t)
		res.Scores = append(res.Scores, a)
		res.lines = append(res.lines, line)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ResultsPath is where NAB keeps a detector's results for a corpus file:
// <dir>/<detector>/<category>/<detector>_<file>.csv.
func ResultsPath(dir, detector, file string) string {
	cat, base := path.Split(file)
	return filepath.Join(dir, detector, filepath.FromSlash(cat), detector+"_"+base)
}

// LoadResults reads a detector's results for every file of the corpus from
// dir (laid out as in ResultsPath). Each results file must have as many rows
// as its data file, with the same timestamps row by row. The returned map is
// keyed by corpus file name.
func LoadResults(dir, detector string, c *Corpus) (map[string][]float64, error) {
	if detector == "" || strings.ContainsAny(detector, `/\`) || detector == "." || detector == ".." {
		return nil, fmt.Errorf("nab: invalid detector name %q", detector)
	}
	if err := checkComplete(dir, detector, c); err != nil {
		return nil, err
	}
	out := make(map[string][]float64, len(c.Files))
	for _, f := range c.Files {
		p := ResultsPath(dir, detector, f.Name)
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		res, err := ReadResults(bufio.NewReaderSize(fh, 1<<16), p)
		fh.Close()
		if err != nil {
			return nil, err
		}
		if err := res.check(f, p); err != nil {
			return nil, err
		}
		out[f.Name] = res.Scores
	}
	return out, nil
}

// check verifies that results line up with their data file row by row.
func (r *Results) check(f *File, name string) error {
	if len(r.Scores) != f.Len() {
		return fmt.Errorf("%s: %d result rows, but data file %s has %d rows", name, len(r.Scores), f.Name, f.Len())
	}
	for i, t := range r.Timestamps {
		if !t.Equal(f.Timestamps[i]) {
			line := i + 2 // header is line 1
			if i < len(r.lines) {
				line = r.lines[i]
			}
			return fmt.Errorf("%s:%d: timestamp %s differs from row %d of %s (%s)",
				name, line, formatTime(t), i, f.Name, formatTime(f.Timestamps[i]))
		}
	}
	return nil
}

// WriteResults writes a detector's per-row scores for a corpus file in NAB
// format: timestamp,value,anomaly_score,label, where label is 1 inside a
// window and 0 elsewhere. Scores must lie in [0,1]. Numbers are written in
// the shortest form that reads back exactly.
func WriteResults(w io.Writer, f *File, scores []float64) error {
	if len(scores) != f.Len() {
		return fmt.Errorf("nab: %s: %d scores for %d rows", f.Name, len(scores), f.Len())
	}
	for i, a := range scores {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("nab: %s: row %d: anomaly score %v is outside [0,1]", f.Name, i, a)
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("timestamp,value,anomaly_score,label\n")
	k := 0
	var buf []byte
	for i := range scores {
		for k < len(f.Windows) && f.Windows[k].End < i {
			k++
		}
		label := byte('0')
		if k < len(f.Windows) && f.Windows[k].Start <= i {
			label = '1'
		}
		buf = buf[:0]
		buf = append(buf, formatTime(f.Timestamps[i])...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, f.Values[i], 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, scores[i], 'g', -1, 64)
		buf = append(buf, ',', label, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// WriteResultsFile writes a detector's results for a corpus file to
// ResultsPath(dir, detector, f.Name), creating directories as needed.
func WriteResultsFile(dir, detector string, f *File, scores []float64) (err error) {
	p := ResultsPath(dir, detector, f.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	fh, err := os.Create(p)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
	}()
	return WriteResults(fh, f, scores)
}

// Limits for ExtractTarGz (Numenta's fixture unpacks to 22 MB in 61 files).
const (
	maxTarFileBytes  = 1 << 30
	maxTarTotalBytes = 4 << 30
	maxTarEntries    = 100_000
)

// ExtractTarGz unpacks a .tar.gz of results (such as Numenta's
// results/numenta.tar.gz) into dst. Only directories and regular files are
// extracted; entries with absolute paths or ".." components are refused.
func ExtractTarGz(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		if n >= maxTarEntries {
			return fmt.Errorf("%s: more than %d entries", src, maxTarEntries)
		}
		name := strings.TrimSuffix(path.Clean(strings.TrimPrefix(h.Name, "./")), "/")
		if name == "." && h.Typeflag == tar.TypeDir {
			continue // the archive's root, as "tar -czf x.tgz -C dir ." writes it
		}
		if err := checkRelPath(name); err != nil {
			return fmt.Errorf("%s: entry %q: %v", src, h.Name, err)
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if h.Size > maxTarFileBytes || total+h.Size > maxTarTotalBytes {
				return fmt.Errorf("%s: entry %q is too large", src, h.Name)
			}
			total += h.Size
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := writeFile(target, io.LimitReader(tr, h.Size)); err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
		default:
			// Links, devices, etc.: skip (results are plain files).
		}
	}
}

func writeFile(path string, r io.Reader) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
