package nab

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeLayout is the timestamp format of NAB's CSV files. When parsing, a
// fractional-seconds suffix (as in the ".000000" of combined_windows.json) is
// accepted too.
const TimeLayout = "2006-01-02 15:04:05"

// parseTime parses a NAB timestamp (TimeLayout, optional fractional seconds).
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q is not of the form YYYY-MM-DD HH:MM:SS", s)
	}
	return t, nil
}

// formatTime is the inverse of parseTime; fractional seconds are written only
// when present.
func formatTime(t time.Time) string {
	return t.Format("2006-01-02 15:04:05.999999999")
}

// parseFinite parses a float and rejects an empty field, NaN and ±Inf.
func parseFinite(field, what string) (float64, error) {
	s := strings.TrimSpace(field)
	if s == "" {
		return 0, fmt.Errorf("missing %s", what)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%s %q is out of the float64 range", what, field)
		}
		return 0, fmt.Errorf("%s %q is not a number", what, field)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s is %s (must be finite)", what, s)
	}
	return x, nil
}

// readTable reads a CSV file with a header row. It locates the columns named
// in want (by header name; extra columns are allowed) and calls row for each
// data record with its 1-based line number and the fields at the wanted
// columns, in the order of want. Errors name the file and line. A file with
// no header or no data rows is an error.
func readTable(r io.Reader, name string, want []string, row func(line int, fields []string) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return fmt.Errorf("%s: empty file (expected a header %s)", name, strings.Join(want, ","))
	}
	if err != nil {
		return csvError(name, err)
	}
	cols := make([]int, len(want))
	for i := range cols {
		cols[i] = -1
	}
	for j, h := range header {
		h = strings.TrimSpace(h)
		if j == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // UTF-8 byte-order mark
		}
		for i, w := range want {
			if h == w {
				if cols[i] >= 0 {
					return fmt.Errorf("%s:1: header has column %q twice", name, w)
				}
				cols[i] = j
			}
		}
	}
	for i, c := range cols {
		if c < 0 {
			return fmt.Errorf("%s:1: header %q has no column %q", name, strings.Join(header, ","), want[i])
		}
	}
	fields := make([]string, len(want))
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		for i, c := range cols {
			fields[i] = rec[c]
		}
		if err := row(line, fields); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		rows++
	}
	if rows == 0 {
		return fmt.Errorf("%s: no data rows after the header", name)
	}
	return nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: malformed CSV: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
