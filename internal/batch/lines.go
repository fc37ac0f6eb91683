package batch

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// MaxRowBytes bounds the length of one input row (one line). A longer row
// gets an error and is skipped without being held in memory: a single
// 200 MB field once took 1.7 GB.
const MaxRowBytes = 1 << 20

// rowReader reads the table one line at a time and parses each line as
// one CSV record, so that a stray quote or a malformed row costs that row
// only: a quote left open cannot swallow the rows after it (it once
// swallowed 100,000, reported as one failed row). Quoted fields may hold
// commas and quotes, not line breaks.
type rowReader struct {
	br   *bufio.Reader
	buf  []byte
	src  lineSource
	cr   *csv.Reader
	line int // number of the line last read, from 1
}

// lineSource feeds one line to the CSV parser, then io.EOF.
type lineSource struct{ rest []byte }

func (s *lineSource) Read(p []byte) (int, error) {
	if len(s.rest) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	return n, nil
}

func newRowReader(r io.Reader) *rowReader {
	rr := &rowReader{br: bufio.NewReaderSize(r, 64<<10)}
	rr.cr = csv.NewReader(bufio.NewReaderSize(&rr.src, 64<<10))
	rr.cr.FieldsPerRecord = -1
	rr.cr.ReuseRecord = true
	return rr
}

// errRowTooLong marks a line longer than MaxRowBytes.
var errRowTooLong = fmt.Errorf("the row is longer than %d bytes", MaxRowBytes)

// readLine returns the next line (with its line break), reading at most
// MaxRowBytes of it into memory; tooLong reports a longer one, whose rest
// is skipped. err is io.EOF at the end, or a read error.
func (rr *rowReader) readLine() (line []byte, tooLong bool, err error) {
	rr.buf = rr.buf[:0]
	for {
		chunk, err := rr.br.ReadSlice('\n')
		if !tooLong && len(rr.buf)+len(chunk) > MaxRowBytes {
			tooLong, rr.buf = true, rr.buf[:0]
		}
		if !tooLong {
			rr.buf = append(rr.buf, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(rr.buf) == 0 && !tooLong:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		rr.line++
		return rr.buf, tooLong, nil
	}
}

// next returns the next record, skipping blank lines. A row that cannot be
// parsed gives rowErr (naming its line) and a nil record; err is io.EOF at
// the end of the input or a read error.
func (rr *rowReader) next() (rec []string, rowErr, err error) {
	for {
		line, tooLong, err := rr.readLine()
		if err != nil {
			return nil, nil, err
		}
		if tooLong {
			return nil, fmt.Errorf("line %d: %w", rr.line, errRowTooLong), nil
		}
		rr.src.rest = line
		rec, perr := rr.cr.Read()
		if perr == io.EOF {
			continue // a blank line
		}
		if perr != nil {
			var pe *csv.ParseError
			if errors.As(perr, &pe) {
				perr = fmt.Errorf("line %d, column %d: %w", rr.line, pe.Column, pe.Err)
			}
			// Drain what the parser left of this line.
			rr.src.rest = nil
			for {
				if _, e := rr.cr.Read(); e == io.EOF {
					break
				}
			}
			return nil, perr, nil
		}
		return rec, nil, nil
	}
}

// buffered reports whether input is ready without blocking.
func (rr *rowReader) buffered() bool { return rr.br.Buffered() > 0 }
