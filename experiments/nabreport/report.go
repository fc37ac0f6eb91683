// Package nabreport writes an HTML report of detectors scored on the Numenta
// Anomaly Benchmark: their normalised scores (the corpus-wide sweep of NAB
// v1.1) beside the published scoreboard, a per-file table, and per-series
// plots of the value, the anomaly score, the detections and the labelled
// windows. The page is self-contained (SVG inlined, no script) in the style
// of the paper report of package experiments/paper.
package nabreport

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// Options configures Build.
type Options struct {
	// Corpus is the NAB corpus the results belong to.
	Corpus *nab.Corpus
	// Data names the corpus (shown on the page).
	Data string
	// Results is the results directory: <Results>/<detector>/<category>/...
	Results string
	// Detectors are the detectors to score (default: every detector
	// directory under Results, sorted).
	Detectors []string
	// Plot is the detector whose scores are plotted and tabulated per file
	// (default "htm" if present, else the first detector).
	Plot string
	// Series selects the plotted series: those whose name contains one of
	// these strings (default: all).
	Series []string
	// Points is the number of buckets a series is reduced to for plotting;
	// each keeps its minimum and maximum (default 400). 0 takes the default.
	Points int
	// Profiles are the cost matrices (default nab.Profiles).
	Profiles []nab.Profile
	// Notes are extra paragraphs for the top of the page (e.g. run times).
	Notes []string
}

// DetectorScores are one detector's results under every profile.
type DetectorScores struct {
	Detector string
	Results  []*nab.Result // in profile order
}

// Series is the plotted data of one file.
type Series struct {
	File      *nab.File
	Scores    []float64
	Threshold float64
	Score     nab.FileScore // standard profile
}

// Report is the built report.
type Report struct {
	Options Options
	Scores  []DetectorScores
	Plotted string
	Series  []Series
	Created time.Time
}

// Build scores every detector and gathers the plotted series.
func Build(o Options) (*Report, error) {
	if o.Corpus == nil {
		return nil, errors.New("nabreport: no corpus")
	}
	if o.Corpus.NumWindows() == 0 {
		return nil, errors.New("nabreport: the corpus has no anomaly windows, so scores cannot be normalised")
	}
	if o.Points == 0 {
		o.Points = 400
	}
	if o.Points < 10 {
		return nil, fmt.Errorf("nabreport: %d plot points is too few (at least 10)", o.Points)
	}
	if len(o.Profiles) == 0 {
		o.Profiles = nab.Profiles
	}
	dir, cleanup, err := nab.UnpackResults(o.Results)
	if err != nil {
		return nil, fmt.Errorf("nabreport: %w", err)
	}
	defer cleanup()
	rd, err := nab.OpenResults(dir, o.Corpus)
	if err != nil {
		return nil, fmt.Errorf("nabreport: %w", err)
	}
	if len(o.Detectors) == 0 {
		o.Detectors = rd.Detectors
	}
	if o.Plot == "" {
		o.Plot = o.Detectors[0]
		if slices.Contains(o.Detectors, "htm") {
			o.Plot = "htm"
		}
	}
	if !slices.Contains(o.Detectors, o.Plot) {
		return nil, fmt.Errorf("nabreport: the plotted detector %q is not among the scored ones (%s)", o.Plot, strings.Join(o.Detectors, ", "))
	}
	r := &Report{Options: o, Plotted: o.Plot, Created: time.Now().UTC()}
	for _, det := range o.Detectors {
		scores, err := nab.LoadResults(rd.Root, det, o.Corpus)
		if err != nil {
			return nil, fmt.Errorf("nabreport: detector %s: %w", det, err)
		}
		sc, err := nab.NewScorer(o.Corpus, scores)
		if err != nil {
			return nil, fmt.Errorf("nabreport: detector %s: %w", det, err)
		}
		ds := DetectorScores{Detector: det}
		for _, p := range o.Profiles {
			res, err := sc.Sweep(p)
			if err != nil {
				return nil, err
			}
			ds.Results = append(ds.Results, res)
		}
		r.Scores = append(r.Scores, ds)
		if det != o.Plot {
			continue
		}
		std := ds.Results[0]
		for i, f := range o.Corpus.Files {
			if !selected(f.Name, o.Series) {
				continue
			}
			r.Series = append(r.Series, Series{File: f, Scores: scores[f.Name], Threshold: std.Threshold, Score: std.Files[i]})
		}
	}
	if len(r.Series) == 0 && len(o.Series) > 0 {
		return nil, fmt.Errorf("nabreport: no file of the corpus matches the series %q", strings.Join(o.Series, ","))
	}
	return r, nil
}

func selected(name string, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, s := range only {
		if s != "" && strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// scoresJSON is the machine-readable summary written beside the page.
type scoresJSON struct {
	Data      string                         `json:"data"`
	Results   string                         `json:"results"`
	Method    string                         `json:"method"`
	Detectors map[string]map[string]profJSON `json:"detectors"`
}

type profJSON struct {
	Score     float64 `json:"score"`
	Threshold float64 `json:"threshold"`
	Raw       float64 `json:"raw"`
	TP        int     `json:"tp"`
	TN        int     `json:"tn"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
}

// Write builds the page and writes DIR/index.html and DIR/scores.json.
func (r *Report) Write(dir string) error {
	page, err := r.HTML()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js := scoresJSON{Data: r.Options.Data, Results: r.Options.Results, Method: "sweep", Detectors: map[string]map[string]profJSON{}}
	for _, d := range r.Scores {
		m := map[string]profJSON{}
		for _, res := range d.Results {
			m[res.Profile.Name] = profJSON{res.Normalized, res.Threshold, res.Raw, res.TP, res.TN, res.FP, res.FN}
		}
		js.Detectors[d.Detector] = m
	}
	b, err := json.MarshalIndent(js, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, "scores.json"), append(b, '\n')); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, "index.html"), page)
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
