package nabreport

import (
	"fmt"
	"math"
	"strings"
)

// category returns the NAB category of a corpus file name, its first path
// element ("realKnownCause/nyc_taxi.csv" → "realKnownCause").
func category(file string) string {
	c, _, ok := strings.Cut(file, "/")
	if !ok {
		return "(top level)"
	}
	return c
}

// categoryRow is one category of the per-category table: its files and
// windows, and each detector's normalised score over the category.
type categoryRow struct {
	Category       string
	Files, Windows int
	Scores         []string // in detector order
}

// categoryRows scores each category of the corpus, for every detector,
// under profile index pi at the corpus-wide threshold of that detector
// (the category's raw score Σ file scores, normalised with the category's
// own anchors as NAB normalises the corpus: null = −fnWeight·windows,
// perfect = tpWeight·windows). A category without windows has no
// normalised score ("—").
func (r *Report) categoryRows(pi int) []categoryRow {
	var rows []categoryRow
	index := map[string]int{}
	for _, f := range r.Options.Corpus.Files {
		c := category(f.Name)
		i, ok := index[c]
		if !ok {
			i = len(rows)
			index[c] = i
			rows = append(rows, categoryRow{Category: c})
		}
		rows[i].Files++
		rows[i].Windows += len(f.Windows)
	}
	for _, d := range r.Scores {
		if pi >= len(d.Results) {
			continue
		}
		res := d.Results[pi]
		raw := make([]float64, len(rows))
		for i, f := range r.Options.Corpus.Files {
			raw[index[category(f.Name)]] += res.Files[i].Score
		}
		for i := range rows {
			w := float64(rows[i].Windows)
			null, perfect := -res.Profile.FNWeight*w, res.Profile.TPWeight*w
			s := math.NaN()
			if perfect > null {
				s = 100 * (raw[i] - null) / (perfect - null)
			}
			rows[i].Scores = append(rows[i].Scores, fmtScore(s))
		}
	}
	return rows
}

// publishedFor returns the published scores of a detector of this
// project's registry that reproduces a published NAB detector, as
// "standard / low FP / low FN (source)", or "".
func publishedFor(detector string) string {
	want := map[string]string{"numenta": `("numenta")`}[detector]
	if want == "" {
		return ""
	}
	for _, p := range Scoreboard {
		if strings.Contains(p.Detector, want) {
			return fmt.Sprintf("%s / %s / %s (%s)", p.Standard, p.LowFP, p.LowFN, p.Detector)
		}
	}
	return ""
}
