package nab

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultProfiles returns the profiles of the NAB root: those of
// root/config/profiles.json if the file exists, else the built-in
// Profiles. source names where they came from ("built-in" or the file).
func DefaultProfiles(root string) (profiles []Profile, source string, err error) {
	pf := filepath.Join(root, "config", "profiles.json")
	if _, err := os.Stat(pf); err != nil {
		return Profiles, "built-in", nil
	}
	profiles, err = LoadProfiles(pf)
	return profiles, pf, err
}

// Select returns the corpus of the files whose name contains one of the
// strings of only (empty strings match nothing); it is an error if none
// matches.
func (c *Corpus) Select(only []string) (*Corpus, error) {
	var keep []*File
	for _, f := range c.Files {
		for _, s := range only {
			if s != "" && strings.Contains(f.Name, s) {
				keep = append(keep, f)
				break
			}
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("%q matches no file of the corpus", strings.Join(only, ","))
	}
	return NewCorpus(keep)
}

// EvaluateOptions say what Evaluate scores.
type EvaluateOptions struct {
	// Data is the NAB root (data/, labels/, config/).
	Data string
	// Results is a results directory holding
	// <detector>/<category>/<detector>_<file>.csv, or a .tar.gz of one.
	Results string
	// Detector is the detector scored; empty: the only detector directory
	// under Results.
	Detector string
	// Thresholds, if set, is a file in NAB's config/thresholds.json format
	// holding the thresholds to score at; empty: each profile's threshold
	// is found by the corpus-wide sweep (Scorer.Sweep).
	Thresholds string
}

// DetectorChoiceError is Evaluate's error when the detector is not named
// and the results do not hold exactly one.
type DetectorChoiceError struct{ Err error }

func (e *DetectorChoiceError) Error() string { return e.Err.Error() }
func (e *DetectorChoiceError) Unwrap() error { return e.Err }

// Evaluation is a detector's score under each profile: what 'dendritic
// nab score' prints. Its JSON form holds the corpus-wide scores per
// profile and the per-file rows.
type Evaluation struct {
	Detector       string
	Data           string
	Method         string // "sweep" or "thresholds"
	Thresholds     string // the thresholds file, if Method is "thresholds"
	ProfilesSource string // "built-in" or the profiles file
	Corpus         *Corpus
	Results        []*Result // one per profile
}

// Evaluate scores a detector's results over the corpus of o.Data under
// every profile of the corpus (DefaultProfiles).
func Evaluate(o EvaluateOptions) (*Evaluation, error) {
	dir, cleanup, err := UnpackResults(o.Results)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	e := &Evaluation{Detector: o.Detector, Data: o.Data, Method: "sweep", Thresholds: o.Thresholds}
	profiles, source, err := DefaultProfiles(o.Data)
	if err != nil {
		return nil, err
	}
	e.ProfilesSource = source
	if e.Corpus, err = LoadCorpus(o.Data); err != nil {
		return nil, err
	}
	if e.Corpus.NumWindows() == 0 {
		return nil, fmt.Errorf("the corpus in %s has no anomaly windows, so scores cannot be normalised", o.Data)
	}
	rd, err := OpenResults(dir, e.Corpus)
	if err != nil {
		return nil, err // a missing or malformed directory is not a choice to make
	}
	if e.Detector == "" {
		if len(rd.Detectors) != 1 {
			return nil, &DetectorChoiceError{fmt.Errorf("%s holds %d detectors (%s); name one", o.Results, len(rd.Detectors), strings.Join(rd.Detectors, ", "))}
		}
		e.Detector = rd.Detectors[0]
	}
	th, err := e.thresholds(profiles)
	if err != nil {
		return nil, err
	}
	scores, err := LoadResults(rd.Root, e.Detector, e.Corpus)
	if err != nil {
		return nil, err
	}
	sc, err := NewScorer(e.Corpus, scores)
	if err != nil {
		return nil, err
	}
	for _, p := range profiles {
		var r *Result
		if th != nil {
			r, err = sc.Score(p, th[p.Name])
		} else {
			r, err = sc.Sweep(p)
		}
		if err != nil {
			return nil, err
		}
		e.Results = append(e.Results, r)
	}
	return e, nil
}

// thresholds reads the detector's threshold per profile from the
// thresholds file (nil if there is none: sweep).
func (e *Evaluation) thresholds(profiles []Profile) (map[string]float64, error) {
	if e.Thresholds == "" {
		return nil, nil
	}
	e.Method = "thresholds"
	all, err := LoadThresholds(e.Thresholds)
	if err != nil {
		return nil, err
	}
	th := all[e.Detector]
	if th == nil {
		return nil, fmt.Errorf("%s has no thresholds for detector %q", e.Thresholds, e.Detector)
	}
	for _, p := range profiles {
		if _, ok := th[p.Name]; !ok {
			return nil, fmt.Errorf("%s has no %s threshold for detector %q", e.Thresholds, p.Name, e.Detector)
		}
	}
	return th, nil
}

type profileJSON struct {
	Score     float64 `json:"score"`
	Threshold float64 `json:"threshold"`
	Raw       float64 `json:"raw"`
	Null      float64 `json:"null"`
	Perfect   float64 `json:"perfect"`
	TP        int     `json:"tp"`
	TN        int     `json:"tn"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
}

type fileProfileJSON struct {
	Score float64 `json:"score"`
	TP    int     `json:"tp"`
	TN    int     `json:"tn"`
	FP    int     `json:"fp"`
	FN    int     `json:"fn"`
}

type fileJSON struct {
	File      string                     `json:"file"`
	Rows      int                        `json:"rows"`
	Probation int                        `json:"probation"`
	Windows   int                        `json:"windows"`
	Profiles  map[string]fileProfileJSON `json:"profiles"`
}

// MarshalJSON writes the detector, the data, the method, the scores per
// profile and the per-file rows.
func (e *Evaluation) MarshalJSON() ([]byte, error) {
	out := struct {
		Detector   string                 `json:"detector"`
		Data       string                 `json:"data"`
		Method     string                 `json:"method"`
		Thresholds string                 `json:"thresholds_file,omitempty"`
		Profiles   map[string]profileJSON `json:"profiles"`
		Files      []fileJSON             `json:"files"`
	}{Detector: e.Detector, Data: e.Data, Method: e.Method, Thresholds: e.Thresholds, Profiles: map[string]profileJSON{}}
	for _, r := range e.Results {
		out.Profiles[r.Profile.Name] = profileJSON{r.Normalized, r.Threshold, r.Raw, r.Null, r.Perfect, r.TP, r.TN, r.FP, r.FN}
	}
	for i, f := range e.Corpus.Files {
		fj := fileJSON{File: f.Name, Rows: f.Len(), Probation: f.Probation(), Windows: len(f.Windows),
			Profiles: map[string]fileProfileJSON{}}
		for _, r := range e.Results {
			s := r.Files[i]
			fj.Profiles[r.Profile.Name] = fileProfileJSON{s.Score, s.TP, s.TN, s.FP, s.FN}
		}
		out.Files = append(out.Files, fj)
	}
	return json.Marshal(out)
}

// WriteText writes the evaluation as the tables of 'dendritic nab score':
// the scores per profile, then each profile's per-file rows.
func (e *Evaluation) WriteText(w io.Writer) error {
	var b strings.Builder
	ew := &textBuilder{&b}
	c := e.Corpus
	ew.printf("NAB v1.1 score of detector %q\n", e.Detector)
	ew.printf("corpus:     %s (%d files, %d rows, %d windows)\n", e.Data, len(c.Files), c.NumRows(), c.NumWindows())
	ew.printf("profiles:   %s\n", e.ProfilesSource)
	if e.Method == "thresholds" {
		ew.printf("thresholds: from %s\n", e.Thresholds)
	} else {
		ew.printf("thresholds: swept (every distinct score and 1.1; best corpus score, ties → highest θ)\n")
	}
	ew.printf("\n%-20s %9s %-20s %12s %7s %8s %6s %7s\n", "profile", "score", "threshold", "raw", "TP", "TN", "FP", "FN")
	for _, r := range e.Results {
		ew.printf("%-20s %9.4f %-20.16g %12.6f %7d %8d %6d %7d\n",
			r.Profile.Name, r.Normalized, r.Threshold, r.Raw, r.TP, r.TN, r.FP, r.FN)
	}
	ew.printf("\nscore = 100·(raw − null)/(perfect − null); null = −fnWeight·windows, perfect = tpWeight·windows.\n")
	ew.printf("TP/TN/FP/FN count rows after each file's probationary period.\n")
	for _, r := range e.Results {
		ew.printf("\n%s (θ = %.16g)\n", r.Profile.Name, r.Threshold)
		ew.printf("%-56s %12s %5s %6s %5s %6s\n", "file", "score", "TP", "TN", "FP", "FN")
		for _, s := range r.Files {
			ew.printf("%-56s %12.6f %5d %6d %5d %6d\n", s.File, s.Score, s.TP, s.TN, s.FP, s.FN)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textBuilder builds a text to be written at once.
type textBuilder struct{ b *strings.Builder }

func (t *textBuilder) printf(format string, a ...any) { fmt.Fprintf(t.b, format, a...) }
