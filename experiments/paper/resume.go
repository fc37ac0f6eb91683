package paper

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PointsFile is the name of the file, in a run's output directory, to
// which the run appends every finished simulation.
const PointsFile = "points.jsonl"

// ReadPointsFile reads the points file at path; nil and no error if there
// is none (or it is empty).
func ReadPointsFile(path string) (*Points, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		return nil, nil
	}
	p, err := ReadPoints(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p.Source = path
	return p, nil
}

// Session is a run's points file, open for appending: the policy that
// lets an interrupted run be resumed.
//
// Opening a session reads DIR/points.jsonl. Without resume its points are
// discarded (with a note, if there were any). With resume every record is
// kept, also those made with other options (they stay in the file, ready
// for a run with those options), an incomplete last line (a point cut
// short by a kill) is dropped, and the run reuses the records that match
// its points. The file is then rewritten whole, atomically: the header of
// this run, the kept records, and no incomplete line for the appends to
// land after.
type Session struct {
	// Path is the points file.
	Path  string
	log   *PointsLog
	index *RecordIndex
	kept  int
	// resume records whether finished points are reused.
	resume bool
}

// OpenSession prepares dir for a run with o and sets o.Reuse and
// o.Finished. note receives the messages for the user (such as the points
// discarded by a fresh start).
func OpenSession(dir string, o *Options, resume bool, note func(string)) (*Session, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Session{Path: filepath.Join(dir, PointsFile), resume: resume}
	prev, err := ReadPointsFile(s.Path)
	var keep []Record
	switch {
	case !resume:
		if err == nil && prev != nil && len(prev.Records) > 0 {
			note(fmt.Sprintf("starting afresh: the %d finished points of %s are discarded (--resume would reuse them)",
				len(prev.Records), s.Path))
		}
	case err != nil:
		return nil, fmt.Errorf("--resume: %v", err)
	case prev == nil:
		note(fmt.Sprintf("--resume: no %s yet: starting afresh", s.Path))
	default:
		if prev.Truncated {
			note(fmt.Sprintf("--resume: dropped the incomplete last line of %s (a point cut short)", s.Path))
		}
		h := NewPointsHeader(*o)
		if ph := prev.Header; ph.Format != "" && ph.Describe() != h.Describe() {
			note(fmt.Sprintf("--resume: %s was written with %s; this run has %s: only points that match are reused",
				s.Path, ph.Describe(), h.Describe()))
		}
		keep = prev.Records
	}
	s.kept = len(keep)
	s.index = NewRecordIndex(keep)
	o.Reuse = s.index.Reuse
	if s.log, err = CreatePoints(s.Path, NewPointsHeader(*o), keep); err != nil {
		return nil, err
	}
	o.Finished = s.log.Append
	return s, nil
}

// Reused describes the reuse of a resumed run ("" if it did not resume).
func (s *Session) Reused() string {
	if !s.resume {
		return ""
	}
	msg := fmt.Sprintf("--resume: %d finished points reused", s.index.Used())
	if unused := s.kept - s.index.Used(); unused > 0 {
		msg += fmt.Sprintf("; %d other records of %s are not points of this run and were left as they are", unused, PointsFile)
	}
	return msg
}

// Close closes the points file.
func (s *Session) Close() error { return s.log.Close() }
