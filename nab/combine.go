package nab

import (
	"errors"
	"fmt"
	"time"
)

// MaxOf returns a detector factory whose detector runs every member's
// detector on the same rows and scores each row with the largest of their
// scores. Each member stays a streaming detector, so the combination is one
// too. It needs at least one member, none nil.
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
		return DetectorFunc(func(t time.Time, v float64) (float64, error) {
			best := 0.0
			for i, d := range ds {
				s, err := d.Score(t, v)
				if err != nil {
					return 0, err
				}
				if s != s { // NaN: DetectSeries names the row
					return s, nil
				}
				if i == 0 || s > best {
					best = s
				}
			}
			return best, nil
		}), nil
	}, nil
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
// error from the returned factory.
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
		p := &peaks{member: d, window: make([]float64, info.Probation/5)}
		return DetectorFunc(p.score), nil
	}, nil
}

// peaks is the state of a Peaks detector: a ring of the member's last
// len(window) scores, n of them filled, next the slot to overwrite.
type peaks struct {
	member  Detector
	window  []float64
	n, next int
}

func (p *peaks) score(t time.Time, v float64) (float64, error) {
	s, err := p.member.Score(t, v)
	if err != nil || s != s {
		return s, err
	}
	out := s
	for _, w := range p.window[:p.n] {
		if w >= s {
			out = 0
			break
		}
	}
	if len(p.window) > 0 {
		p.window[p.next] = s
		p.next = (p.next + 1) % len(p.window)
		if p.n < len(p.window) {
			p.n++
		}
	}
	return out, nil
}
