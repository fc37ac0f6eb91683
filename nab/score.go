package nab

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ProbationPercent is NAB's probationary fraction of a file.
const ProbationPercent = 0.15

// NoDetection is the threshold above every possible score (NAB's first sweep
// candidate): at it a detector detects nothing.
const NoDetection = 1.1

// ProbationaryPeriod is NAB's probationary period of a file of n rows:
// min(floor(0.15·n), 0.15·5000 = 750). Rows with index below it are not
// scored (and are a detector's learning period).
func ProbationaryPeriod(n int) int { return ProbationaryPeriodFrac(n, ProbationPercent) }

// ProbationaryPeriodFrac is ProbationaryPeriod for another fraction:
// min(floor(frac·n), frac·5000), rounded up if the cap is fractional (rows
// i < P are excluded).
func ProbationaryPeriodFrac(n int, frac float64) int {
	p := math.Min(math.Floor(frac*float64(n)), frac*5000)
	if !(p > 0) {
		return 0
	}
	return int(math.Ceil(p))
}

// ScaledSigmoid is NAB's S(x) = 2/(1+e^(5x)) − 1 (= −tanh(2.5x)) for x ≤ 3,
// and −1 for x > 3.
func ScaledSigmoid(x float64) float64 {
	if x > 3 {
		return -1
	}
	return 2/(1+math.Exp(5*x)) - 1
}

// RowWeights returns the weighted value s[i] of a detection at each row of a
// file of n rows with the given windows (sorted, disjoint, inside [0,n)):
//   - inside window k: tpWeight·S(−(R_k−i+1)/W_k)/S(−1), from tpWeight at the
//     left edge down to almost 0 at the right edge;
//   - before the end of the first window: −fpWeight;
//   - after window k' (the latest that ended before i):
//     fpWeight·S((i−R_k')/(W_k'−1)), near 0 just after the window and −fpWeight
//     three window-lengths later.
//
// The probationary period does not change the weights.
func RowWeights(n int, windows []Window, p Profile) []float64 {
	s := make([]float64, n)
	sm1 := ScaledSigmoid(-1)
	prev, k := -1, 0
	for i := range s {
		for k < len(windows) && windows[k].End < i {
			prev, k = k, k+1
		}
		switch {
		case k < len(windows) && windows[k].Start <= i:
			w := windows[k]
			pos := -float64(w.End-i+1) / float64(w.Len())
			s[i] = p.TPWeight * ScaledSigmoid(pos) / sm1
		case prev < 0:
			s[i] = -p.FPWeight
		default:
			w := windows[prev]
			// For a one-row window this divides by 0: +Inf, S = −1.
			pos := float64(i-w.End) / float64(w.Len()-1)
			s[i] = p.FPWeight * ScaledSigmoid(pos)
		}
	}
	return s
}

// windowIndex maps each row to its window index, or −1 outside windows.
func windowIndex(n int, windows []Window) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = -1
	}
	for k, w := range windows {
		for i := w.Start; i <= w.End; i++ {
			idx[i] = int32(k)
		}
	}
	return idx
}

// FileScore is the score of one file at one threshold. Counts are over the
// rows after the probationary period: TP = detected rows inside windows, FN =
// undetected rows inside windows, FP = detected rows outside windows, TN = the
// rest. (Numenta's stored score tables have a Total_Count column that is the
// whole file length, from NAB's pre-2019 scorer; TP+TN+FP+FN here is N − P.)
type FileScore struct {
	File      string  `json:"file"`
	Threshold float64 `json:"threshold"`
	Score     float64 `json:"score"`
	TP        int     `json:"tp"`
	TN        int     `json:"tn"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
}

// scoreRows is the per-file score at threshold θ from per-row weights:
// for each window the best (earliest) detected weight, or −fnWeight if none
// is detected; plus the weight of every detection outside windows.
func scoreRows(scores, weights []float64, win []int32, nWin, probation int, fnWeight, θ float64) FileScore {
	best := make([]float64, nWin)
	det := make([]bool, nWin)
	var fs FileScore
	fs.Threshold = θ
	fp := 0.0
	for i := probation; i < len(scores); i++ {
		k := win[i]
		if scores[i] >= θ {
			if k >= 0 {
				fs.TP++
				if !det[k] || weights[i] > best[k] {
					det[k], best[k] = true, weights[i]
				}
			} else {
				fs.FP++
				fp += weights[i]
			}
		} else if k >= 0 {
			fs.FN++
		} else {
			fs.TN++
		}
	}
	for k := range best {
		if det[k] {
			fs.Score += best[k]
		} else {
			fs.Score -= fnWeight
		}
	}
	fs.Score += fp
	return fs
}

// checkScores validates a score slice for a file of n rows.
func checkScores(scores []float64, n int) error {
	if len(scores) != n {
		return fmt.Errorf("%d scores for %d rows", len(scores), n)
	}
	for i, a := range scores {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("row %d: anomaly score %v is outside [0,1]", i, a)
		}
	}
	return nil
}

// ScoreFile scores one file (its per-row anomaly scores and windows) under a
// profile at threshold θ: rows i ≥ ProbationaryPeriod(len(scores)) with
// scores[i] ≥ θ are detections. A window reaching into the probationary
// period still counts (NAB's labels have none); only its rows ≥ P can detect
// it.
func ScoreFile(scores []float64, windows []Window, p Profile, θ float64) (FileScore, error) {
	if err := p.validate(); err != nil {
		return FileScore{}, fmt.Errorf("nab: profile %q: %v", p.Name, err)
	}
	if err := checkScores(scores, len(scores)); err != nil {
		return FileScore{}, fmt.Errorf("nab: %v", err)
	}
	n := len(scores)
	if err := checkWindows(windows, n); err != nil {
		return FileScore{}, fmt.Errorf("nab: %v", err)
	}
	return scoreRows(scores, RowWeights(n, windows, p), windowIndex(n, windows), len(windows),
		ProbationaryPeriod(n), p.FNWeight, θ), nil
}

// Scorer scores one detector's results on a corpus. It sorts the scorable
// rows once, so that any number of profiles can be swept cheaply. It is
// immutable and safe for concurrent use.
type Scorer struct {
	files    []scoredFile
	order    []entry // scorable rows (i ≥ P), by score, highest first
	nWindows int
	winRows  int // scorable rows inside windows
}

type scoredFile struct {
	*File
	scores    []float64
	win       []int32
	probation int
	winBase   int // index of the file's first window among all windows
}

type entry struct {
	score float64
	file  int32
	row   int32
}

// NewScorer prepares the scoring of a detector's results: scores maps every
// corpus file name to its per-row anomaly scores in [0,1].
func NewScorer(c *Corpus, scores map[string][]float64) (*Scorer, error) {
	for name := range scores {
		if c.File(name) == nil {
			return nil, fmt.Errorf("nab: scores for %q, which is not in the corpus", name)
		}
	}
	if len(c.Files) > math.MaxInt32 {
		return nil, fmt.Errorf("nab: too many files")
	}
	files := make([]scoredFile, 0, len(c.Files))
	for _, f := range c.Files {
		a, ok := scores[f.Name]
		if !ok {
			return nil, fmt.Errorf("nab: no scores for %s", f.Name)
		}
		if err := checkScores(a, f.Len()); err != nil {
			return nil, fmt.Errorf("nab: %s: %v", f.Name, err)
		}
		if f.Len() > math.MaxInt32 {
			return nil, fmt.Errorf("nab: %s: too many rows", f.Name)
		}
		files = append(files, scoredFile{File: f, scores: a, win: windowIndex(f.Len(), f.Windows),
			probation: f.Probation()})
	}
	return newScorer(files), nil
}

// newScorer indexes the windows of files and sorts their scorable rows by
// score, highest first.
func newScorer(files []scoredFile) *Scorer {
	s := &Scorer{files: files}
	total := 0
	for i := range s.files {
		f := &s.files[i]
		f.winBase = s.nWindows
		s.nWindows += len(f.Windows)
		total += f.Len() - f.probation
		for i := f.probation; i < f.Len(); i++ {
			if f.win[i] >= 0 {
				s.winRows++
			}
		}
	}
	s.order = make([]entry, 0, total)
	for fi, f := range s.files {
		for i := f.probation; i < f.Len(); i++ {
			s.order = append(s.order, entry{f.scores[i], int32(fi), int32(i)})
		}
	}
	slices.SortFunc(s.order, func(x, y entry) int { return cmp.Compare(y.score, x.score) })
	return s
}

// NumWindows is the number of windows in the scored corpus.
func (s *Scorer) NumWindows() int { return s.nWindows }

// Result is a detector's corpus score under one profile.
type Result struct {
	Profile   Profile
	Threshold float64
	// Raw is Σ_files Score at Threshold; Null (= −fnWeight·windows, no
	// detections) and Perfect (= tpWeight·windows) are the normalisation
	// anchors. Normalized = 100·(Raw−Null)/(Perfect−Null), NaN if the corpus
	// has no windows.
	Raw, Null, Perfect, Normalized float64
	TP, TN, FP, FN                 int
	Files                          []FileScore // in corpus order
}

// weights computes RowWeights for every file under p.
func (s *Scorer) weights(p Profile) [][]float64 {
	w := make([][]float64, len(s.files))
	for i, f := range s.files {
		w[i] = RowWeights(f.Len(), f.Windows, p)
	}
	return w
}

// Score scores the corpus under profile p with one threshold θ for every file.
func (s *Scorer) Score(p Profile, θ float64) (*Result, error) {
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("nab: profile %q: %v", p.Name, err)
	}
	r := &Result{Profile: p, Threshold: θ}
	for _, f := range s.files {
		fs := scoreRows(f.scores, RowWeights(f.Len(), f.Windows, p), f.win, len(f.Windows),
			f.probation, p.FNWeight, θ)
		fs.File = f.Name
		r.Files = append(r.Files, fs)
		r.Raw += fs.Score
		r.TP += fs.TP
		r.TN += fs.TN
		r.FP += fs.FP
		r.FN += fs.FN
	}
	r.Null = -p.FNWeight * float64(s.nWindows)
	r.Perfect = p.TPWeight * float64(s.nWindows)
	r.Normalized = math.NaN()
	if s.nWindows > 0 {
		r.Normalized = 100 * (r.Raw - r.Null) / (r.Perfect - r.Null)
	}
	return r, nil
}

// CurvePoint is the corpus score at one candidate threshold of the sweep.
type CurvePoint struct {
	Threshold      float64
	Raw            float64
	TP, TN, FP, FN int
}

// Curve returns the corpus score at every candidate threshold of NAB's sweep:
// NoDetection (1.1), then every distinct score of the scorable rows, in
// decreasing order. The scores are updated incrementally, so the whole curve
// costs one pass over the sorted rows.
func (s *Scorer) Curve(p Profile) ([]CurvePoint, error) {
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("nab: profile %q: %v", p.Name, err)
	}
	var c []CurvePoint
	s.sweep(s.weights(p), p.FNWeight, func(pt CurvePoint) { c = append(c, pt) })
	return c, nil
}

// Sweep finds NAB's optimal threshold for profile p — the candidate with the
// highest corpus score, the highest θ among ties — and scores the corpus at it.
func (s *Scorer) Sweep(p Profile) (*Result, error) {
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("nab: profile %q: %v", p.Name, err)
	}
	best := CurvePoint{Raw: math.Inf(-1)}
	s.sweep(s.weights(p), p.FNWeight, func(pt CurvePoint) {
		if pt.Raw > best.Raw { // strict: ties keep the earlier, higher θ
			best = pt
		}
	})
	return s.Score(p, best.Threshold)
}

// sweep visits every candidate threshold in decreasing order with the corpus
// score at it, given per-row weights w[file][row]. The score starts at
// −fnWeight per window (nothing detected). Lowering θ past a row's score
// detects the row: outside a window its weight is added; inside, the window's
// value becomes the best weight detected so far (replacing −fnWeight the
// first time).
func (s *Scorer) sweep(w [][]float64, fnWeight float64, visit func(CurvePoint)) {
	det := make([]bool, s.nWindows)
	cur := make([]float64, s.nWindows)
	pt := CurvePoint{
		Threshold: NoDetection,
		Raw:       -fnWeight * float64(s.nWindows),
		TN:        len(s.order) - s.winRows,
		FN:        s.winRows,
	}
	visit(pt)
	for i := 0; i < len(s.order); {
		v := s.order[i].score
		for ; i < len(s.order) && s.order[i].score == v; i++ {
			e := s.order[i]
			f := &s.files[e.file]
			x := w[e.file][e.row]
			k := f.win[e.row]
			if k < 0 {
				pt.Raw += x
				pt.FP++
				pt.TN--
				continue
			}
			pt.TP++
			pt.FN--
			g := f.winBase + int(k)
			switch {
			case !det[g]:
				det[g], cur[g] = true, x
				pt.Raw += x + fnWeight
			case x > cur[g]:
				pt.Raw += x - cur[g]
				cur[g] = x
			}
		}
		pt.Threshold = v
		visit(pt)
	}
}
