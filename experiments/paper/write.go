package paper

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dendritic/dendritic/theory"
)

// Write writes the report into dir (created if needed) and returns the
// names of the files written, relative to dir, in the order written:
// for each figure ID.svg, ID.png and ID.csv; for each table ID.csv;
// report.json and index.html.
func (r *Report) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	put := func(name string, data []byte) error {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	svgs := map[string][]byte{}
	for _, f := range r.Figures {
		f.Files = []string{f.ID + ".svg", f.ID + ".png", f.ID + ".csv"}
		svg, err := f.renderSVG()
		if err != nil {
			return files, fmt.Errorf("report: %s: %w", f.ID, err)
		}
		svgs[f.ID] = svg
		png, err := f.renderPNG()
		if err != nil {
			return files, fmt.Errorf("report: %s: %w", f.ID, err)
		}
		if err := put(f.Files[0], svg); err != nil {
			return files, err
		}
		if err := put(f.Files[1], png); err != nil {
			return files, err
		}
		if err := put(f.Files[2], f.csv()); err != nil {
			return files, err
		}
	}
	for _, t := range r.Tables {
		t.File = t.ID + ".csv"
		if err := put(t.File, t.csv()); err != nil {
			return files, err
		}
	}
	js, err := r.JSON()
	if err != nil {
		return files, err
	}
	if err := put("report.json", js); err != nil {
		return files, err
	}
	page, err := r.html(svgs)
	if err != nil {
		return files, err
	}
	if err := put("index.html", page); err != nil {
		return files, err
	}
	return files, nil
}

// JSON returns report.json.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func fmtPtr(v *float64) string {
	if v == nil {
		return ""
	}
	return fmtFloat(*v)
}

// csv returns every point of the figure, one row each.
func (f *Figure) csv() []byte {
	var used theory.Args // the parameters of any point, as a set
	for _, p := range f.Points {
		for _, k := range p.Params.Given() {
			used = used.With(k, 0)
		}
	}
	names := used.Given()
	header := []string{"figure", "series", "x"}
	for _, k := range names {
		header = append(header, k.String())
	}
	header = append(header, "theory", "theory_log10", "published", "sim_kind", "sim_method", "samples", "hits",
		"simulated", "se", "ci95_lo", "ci95_hi", "z", "agree")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for _, p := range f.Points {
		row := []string{f.ID, p.Series, fmtFloat(p.X)}
		for _, k := range names {
			if v, ok := p.Params.Get(k); ok {
				row = append(row, strconv.Itoa(v))
			} else {
				row = append(row, "")
			}
		}
		row = append(row, p.TheoryText, fmtPtr(p.TheoryLog10), fmtPtr(p.Published), p.SimKind, p.SimMethod)
		var samples, hits, lo, hi, agree string
		if p.Samples != nil {
			samples = strconv.FormatInt(*p.Samples, 10)
		}
		if p.Hits != nil {
			hits = strconv.FormatInt(*p.Hits, 10)
		}
		if p.CI95 != nil {
			lo, hi = fmtFloat(p.CI95[0]), fmtFloat(p.CI95[1])
		}
		if p.Agree != nil {
			agree = strconv.FormatBool(*p.Agree)
		}
		row = append(row, samples, hits, fmtPtr(p.Simulated), fmtPtr(p.SE), lo, hi, fmtPtr(p.Z), agree)
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// csv returns the table.
func (t *Table) csv() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(t.Columns)
	for _, r := range t.Rows {
		_ = w.Write(r)
	}
	w.Flush()
	return buf.Bytes()
}

// finite reports whether every value is a finite float.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
