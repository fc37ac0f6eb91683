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

// Start says what a run does with the finished points of its directory.
type Start int

const (
	// Reuse, the default of every long run, keeps the finished points and
	// simulates only the others.
	Reuse Start = iota
	// Fresh simulates every point again; the old points file is first
	// renamed to a backup (points.jsonl.bak, or .bak.1, .bak.2, …), never
	// overwritten.
	Fresh
)

// maxBackups bounds the backup names tried by a fresh start.
const maxBackups = 100

// Session is a run's points file, open for appending: the policy that
// lets an interrupted run be resumed and keeps finished work.
//
// Opening a session reads DIR/points.jsonl. With Reuse (the default) every
// record is kept, also those made with other options (they stay in the
// file, ready for a run with those options), an incomplete last line (a
// point cut short by a kill) is dropped, and the run reuses the records
// that match its points; a file that cannot be read as a points file is
// an error, and is left as it is. With Fresh the file is renamed to a
// backup first. The file is then rewritten whole, atomically: the header
// of this run, the kept records, and no incomplete line for the appends
// to land after.
//
// The first error of an append (a full disk) is kept: Err returns it, so
// that the run can report it rather than a later failure it caused.
type Session struct {
	// Path is the points file.
	Path  string
	log   *PointsLog
	index *RecordIndex
	kept  int
	err   error
}

// OpenSession prepares dir for a run with o and sets o.Reuse and
// o.Finished. note receives the messages for the user (such as the backup
// made by a fresh start).
func OpenSession(dir string, o *Options, start Start, note func(string)) (*Session, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Session{Path: filepath.Join(dir, PointsFile)}
	var keep []Record
	if start == Fresh {
		if err := s.backup(note); err != nil {
			return nil, err
		}
	} else {
		prev, err := ReadPointsFile(s.Path)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%v; the file is left as it is: move it away, or start afresh with --fresh (which keeps it as a backup)", err)
		case prev == nil:
		default:
			if prev.Truncated {
				note(fmt.Sprintf("dropped the incomplete last line of %s (a point cut short)", s.Path))
			}
			h := NewPointsHeader(*o)
			if ph := prev.Header; ph.Format != "" && ph.Describe() != h.Describe() {
				note(fmt.Sprintf("%s was written with %s; this run has %s: only points that match are reused",
					s.Path, ph.Describe(), h.Describe()))
			}
			keep = prev.Records
		}
	}
	s.kept = len(keep)
	s.index = NewRecordIndex(keep)
	o.Reuse = s.index.Reuse
	var err error
	if s.log, err = CreatePoints(s.Path, NewPointsHeader(*o), keep); err != nil {
		return nil, err
	}
	o.Finished = s.append
	return s, nil
}

// backup renames the points file, if there is one, to the first free
// backup name.
func (s *Session) backup(note func(string)) error {
	st, err := os.Stat(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return nil
	}
	for i := range maxBackups {
		name := s.Path + ".bak"
		if i > 0 {
			name += fmt.Sprint(".", i)
		}
		if _, err := os.Lstat(name); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.Rename(s.Path, name); err != nil {
			return err
		}
		note(fmt.Sprintf("starting afresh: the previous %s is kept as %s", s.Path, name))
		return nil
	}
	return fmt.Errorf("%s: %d backups exist already; remove some before starting afresh", s.Path, maxBackups)
}

// append records r, keeping the first error.
func (s *Session) append(r Record) error {
	if s.err != nil {
		return s.err
	}
	if err := s.log.Append(r); err != nil {
		s.err = fmt.Errorf("appending a point: %w", err)
	}
	return s.err
}

// Err returns the first error of an append (nil if none).
func (s *Session) Err() error { return s.err }

// Reused describes what the session reused ("" if the directory held no
// finished points).
func (s *Session) Reused() string {
	if s.kept == 0 {
		return ""
	}
	msg := fmt.Sprintf("%d finished points reused", s.index.Used())
	if unused := s.kept - s.index.Used(); unused > 0 {
		msg += fmt.Sprintf("; %d other records of %s are not points of this run and were left as they are", unused, PointsFile)
	}
	return msg
}

// Close closes the points file.
func (s *Session) Close() error { return s.log.Close() }
