package nab

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxOf returns a detector factory whose detector runs every member's
// detector on the same rows and scores each row with the largest of their
// scores. Each member stays a streaming detector, so the combination is one
// too. It needs at least one member, none nil. The detector reports its
// outputs (the raw score and likelihood of the member that gave the score)
// and can be saved when every member can (MarshalBinary; LoadMaxOf).
func MaxOf(members ...DetectorFactory) (DetectorFactory, error) {
	if len(members) == 0 {
		return nil, errors.New("nab: MaxOf needs at least one detector")
	}
	for i, m := range members {
		if m == nil {
			return nil, fmt.Errorf("nab: MaxOf: detector %d is nil", i)
		}
	}
	members = append([]DetectorFactory(nil), members...)
	return func(info FileInfo) (Detector, error) {
		ds := make([]Detector, len(members))
		for i, m := range members {
			d, err := m(info)
			if err != nil {
				return nil, err
			}
			ds[i] = d
		}
		return &maxOf{members: ds}, nil
	}, nil
}

// maxOf is a MaxOf detector.
type maxOf struct{ members []Detector }

func (m *maxOf) Score(t time.Time, v float64) (float64, error) {
	_, _, s, err := m.Outputs(t, v)
	return s, err
}

// Outputs steps every member and returns the largest score with the raw
// score and likelihood of the member that gave it (the first on a tie; a
// member without Outputs reports its score as its raw score and a
// likelihood of 0). A NaN score is returned at once (DetectSeries names
// the row); the later members are then not stepped.
func (m *maxOf) Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error) {
	for i, d := range m.members {
		r, l, s, err := outputs(d, t, v)
		if err != nil {
			return 0, 0, 0, err
		}
		if s != s {
			return r, l, s, nil
		}
		if i == 0 || s > score {
			raw, likelihood, score = r, l, s
		}
	}
	return raw, likelihood, score, nil
}

// outputter is a detector that reports its raw score and likelihood beside
// its score (htmdetect's and cad's detectors; the service needs it).
type outputter interface {
	Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error)
}

// outputs steps d and returns its outputs, or for a detector without
// Outputs its score as the raw score and a likelihood of 0.
func outputs(d Detector, t time.Time, v float64) (raw, likelihood, score float64, err error) {
	if o, ok := d.(outputter); ok {
		return o.Outputs(t, v)
	}
	s, err := d.Score(t, v)
	return s, 0, s, err
}

// Peaks returns a detector factory whose detector scores a row with its
// member's score s_t where that score is a new high, and 0 elsewhere:
//
//	f_t = s_t  if s_t > max(s_{t−R}, …, s_{t−1}),  else 0,
//
// over the member's scores of the previous R rows (fewer at the start of a
// file; the first row keeps its score), with R = ⌊P/5⌋ for the file's
// probationary period P: the rest period NAB's contextOSE detector keeps
// after a report (context_ose_detector.py, restPeriod = probationary
// period / 5). For every threshold, a run of rows at or above it now counts
// only the rows that rise above the run so far, which removes most repeated
// reports of one event (each costs a false positive outside a window, and
// inside one only the first counts); unlike a rest period it needs no
// threshold, so NAB's threshold sweep still sees one score per row. It stays
// a streaming detector: a row's score uses only earlier rows. NaN scores
// are passed through (DetectSeries names the row) and do not enter the
// window. The member must not be nil; a negative probationary period is an
// error from the returned factory. A row costs O(1) amortised time and no
// allocation, whatever R. The detector reports its member's raw
// score and likelihood beside its own score, and can be saved when its
// member can (MarshalBinary; LoadPeaks).
func Peaks(member DetectorFactory) (DetectorFactory, error) {
	if member == nil {
		return nil, errors.New("nab: Peaks: detector is nil")
	}
	return func(info FileInfo) (Detector, error) {
		if info.Probation < 0 {
			return nil, fmt.Errorf("nab: Peaks: probationary period %d < 0", info.Probation)
		}
		d, err := member(info)
		if err != nil {
			return nil, err
		}
		return newPeaks(d, info.Probation/5), nil
	}, nil
}

// peaks is the state of a Peaks detector: a ring of the member's last R =
// len(window) scores (row j's in slot j mod R) after rows rows, and the
// rows of a decreasing run of those scores (a monotonic queue), whose first
// holds their maximum: each row is pushed and popped once, so a row costs
// O(1) amortised whatever R.
type peaks struct {
	member Detector
	window []float64
	rows   uint64
	queue  []uint64 // a ring of row numbers: head, size
	head   int
	size   int
}

func newPeaks(member Detector, r int) *peaks {
	return &peaks{member: member, window: make([]float64, r), queue: make([]uint64, r)}
}

// filled returns how many slots of the window hold a score.
func (p *peaks) filled() int { return int(min(p.rows, uint64(len(p.window)))) }

// push records score s of row t = p.rows. Before it the queue holds rows of
// [t−R, t−1]; after it, rows of [t+1−R, t].
func (p *peaks) push(s float64) {
	r := len(p.window)
	t := p.rows
	p.rows++
	if r == 0 {
		return
	}
	// Row t−R leaves the window (its slot is t's), and every queued row
	// whose score s matches or beats can no longer be the maximum.
	if p.size > 0 && p.queue[p.head]+uint64(r) <= t {
		p.head = (p.head + 1) % r
		p.size--
	}
	for p.size > 0 && p.window[p.queue[(p.head+p.size-1)%r]%uint64(r)] <= s {
		p.size--
	}
	p.window[t%uint64(r)] = s
	p.queue[(p.head+p.size)%r] = t
	p.size++
}

func (p *peaks) Score(t time.Time, v float64) (float64, error) {
	_, _, s, err := p.Outputs(t, v)
	return s, err
}

// Outputs steps the member and returns its raw score and likelihood (as
// outputs does) with the Peaks score.
func (p *peaks) Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error) {
	raw, likelihood, s, err := outputs(p.member, t, v)
	if err != nil || s != s {
		return raw, likelihood, s, err
	}
	out := s
	if p.size > 0 && p.window[p.queue[p.head]%uint64(len(p.window))] >= s {
		out = 0 // the window's maximum, its first queued row's score, is not below s
	}
	p.push(s)
	return raw, likelihood, out, nil
}

// Calibrate returns a detector factory whose detector scores a row with
// its member's score s raised to a fixed power,
//
//	f = s^k,  k = ln(to) / ln(from),
//
// which maps the score from onto to, keeps 0 and 1, and keeps the order of
// scores: f ≥ to when s ≥ from (up to rounding at the boundary). It puts
// a member on another detector's scale before MaxOf, so that each member
// is thresholded at its own operating point: without it the larger scale
// sets the threshold for both (an HTM likelihood, whose operating point is
// near 0.54, under contextOSE's near 0.77). from and to must lie in (0, 1);
// scores must lie in [0, 1] (another is an error naming it), and NaN is
// passed through. The detector reports its member's raw score and
// likelihood beside its own score, and can be saved when its member can
// (MarshalBinary; LoadCalibrate).
func Calibrate(member DetectorFactory, from, to float64) (DetectorFactory, error) {
	if member == nil {
		return nil, errors.New("nab: Calibrate: detector is nil")
	}
	k, err := calibrateExp(from, to)
	if err != nil {
		return nil, err
	}
	return func(info FileInfo) (Detector, error) {
		d, err := member(info)
		if err != nil {
			return nil, err
		}
		return &calibrated{member: d, k: k}, nil
	}, nil
}

// calibrateExp returns Calibrate's exponent ln(to)/ln(from).
func calibrateExp(from, to float64) (float64, error) {
	if !(from > 0 && from < 1) || !(to > 0 && to < 1) {
		return 0, fmt.Errorf("nab: Calibrate: scores %v → %v, want both in (0, 1)", from, to)
	}
	return math.Log(to) / math.Log(from), nil
}

// calibrated is a Calibrate detector: its member and the exponent k > 0.
type calibrated struct {
	member Detector
	k      float64
}

func (c *calibrated) Score(t time.Time, v float64) (float64, error) {
	_, _, s, err := c.Outputs(t, v)
	return s, err
}

// Outputs steps the member and returns its raw score and likelihood (as
// outputs does) with the calibrated score.
func (c *calibrated) Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error) {
	raw, likelihood, s, err := outputs(c.member, t, v)
	if err != nil || s != s {
		return raw, likelihood, s, err
	}
	if s < 0 || s > 1 {
		return 0, 0, 0, fmt.Errorf("nab: Calibrate: score %v outside [0, 1]", s)
	}
	return raw, likelihood, math.Pow(s, c.k), nil
}
