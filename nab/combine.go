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
