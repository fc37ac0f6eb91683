package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Timestamps are accepted in RFC 3339 (with a zone; "2014-04-01T00:05:00Z")
// or in NAB's layout, read as UTC ("2014-04-01 00:05:00", optional
// fractional seconds). The detector sees them in UTC.
const nabLayout = "2006-01-02 15:04:05.999999999"

func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(nabLayout, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("timestamp %q is neither RFC 3339 (2014-04-01T00:05:00Z) nor YYYY-MM-DD HH:MM:SS", s)
}

// minTS and maxTS bound the timestamps to what Unix nanoseconds hold.
var minTS, maxTS = time.Unix(0, math.MinInt64+1).UTC(), time.Unix(0, math.MaxInt64).UTC()

func checkRow(i int, t time.Time, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return &InputError{Row: i, Reason: fmt.Sprintf("value %v is not finite: refused", v), Code: 400}
	}
	if t.Before(minTS) || t.After(maxTS) {
		return &InputError{Row: i, Reason: fmt.Sprintf("timestamp %s is outside 1678–2262", t.Format(time.RFC3339)), Code: 400}
	}
	return nil
}

// DecodeRows reads an append request's rows: JSON ({"rows": [{"timestamp":
// "…", "value": 1.5}, …]}) unless csv, then CSV lines "timestamp,value"
// (an optional first line "timestamp,value" is a header). At most
// maxRows rows; no row may be malformed, NaN or infinite (the error is an
// *InputError naming the first bad row, and no row is applied).
func DecodeRows(body []byte, csv bool, maxRows int) ([]Row, error) {
	var rows []Row
	var err error
	if csv {
		rows, err = decodeCSV(body, maxRows)
	} else {
		rows, err = decodeJSON(body, maxRows)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, &InputError{Row: -1, Reason: "no rows", Code: 400}
	}
	return rows, nil
}

func decodeJSON(body []byte, maxRows int) ([]Row, error) {
	var req struct {
		Rows []struct {
			Timestamp *string  `json:"timestamp"`
			Value     *float64 `json:"value"`
		} `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, &InputError{Row: -1, Reason: "malformed JSON: " + err.Error(), Code: 400}
	}
	if dec.More() {
		return nil, &InputError{Row: -1, Reason: "malformed JSON: data after the object", Code: 400}
	}
	if len(req.Rows) > maxRows {
		return nil, &InputError{Row: -1, Reason: fmt.Sprintf("%d rows, more than the %d allowed per request", len(req.Rows), maxRows), Code: 413}
	}
	rows := make([]Row, len(req.Rows))
	for i, r := range req.Rows {
		if r.Timestamp == nil || r.Value == nil {
			return nil, &InputError{Row: i, Reason: `needs "timestamp" and "value"`, Code: 400}
		}
		t, err := parseTimestamp(*r.Timestamp)
		if err != nil {
			return nil, &InputError{Row: i, Reason: err.Error(), Code: 400}
		}
		if err := checkRow(i, t, *r.Value); err != nil {
			return nil, err
		}
		rows[i] = Row{Time: t, Value: *r.Value}
	}
	return rows, nil
}

func decodeCSV(body []byte, maxRows int) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 4096)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" {
			continue
		}
		if line == 1 && strings.EqualFold(strings.ReplaceAll(text, " ", ""), "timestamp,value") {
			continue
		}
		i := len(rows)
		if i >= maxRows {
			return nil, &InputError{Row: -1, Reason: fmt.Sprintf("more than the %d rows allowed per request", maxRows), Code: 413}
		}
		ts, vs, ok := strings.Cut(text, ",")
		if !ok || strings.Contains(vs, ",") {
			return nil, &InputError{Row: i, Reason: fmt.Sprintf("line %d: want timestamp,value", line), Code: 400}
		}
		t, err := parseTimestamp(ts)
		if err != nil {
			return nil, &InputError{Row: i, Reason: fmt.Sprintf("line %d: %v", line, err), Code: 400}
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(vs), 64)
		if err != nil {
			return nil, &InputError{Row: i, Reason: fmt.Sprintf("line %d: value %q is not a number", line, vs), Code: 400}
		}
		if err := checkRow(i, t, v); err != nil {
			return nil, err
		}
		rows = append(rows, Row{Time: t, Value: v})
	}
	if err := sc.Err(); err != nil {
		return nil, &InputError{Row: len(rows), Reason: fmt.Sprintf("line %d: %v", line+1, err), Code: 400}
	}
	return rows, nil
}
