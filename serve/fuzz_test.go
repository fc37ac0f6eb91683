package serve

import (
	"errors"
	"math"
	"testing"
)

// FuzzDecodeRows: the row decoder never panics; it returns rows (at most
// the limit, finite, with timestamps Unix nanoseconds can hold) or an
// *InputError with a 4xx status.
func FuzzDecodeRows(f *testing.F) {
	f.Add([]byte(`{"rows":[{"timestamp":"2014-04-01T00:00:00Z","value":1.5}]}`), false)
	f.Add([]byte(`{"rows":[{"timestamp":"2014-04-01 00:00:00","value":-2},{"timestamp":"2014-04-01 00:05:00.5","value":3e9}]}`), false)
	f.Add([]byte("timestamp,value\n2014-04-01 00:00:00,1.5\n2014-04-01T00:05:00+02:00,2\n"), true)
	f.Add([]byte("\ufeff2014-04-01 00:00:00,NaN\n"), true)
	f.Fuzz(func(t *testing.T, body []byte, csv bool) {
		rows, err := DecodeRows(body, csv, 20)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Code < 400 || ie.Code > 499 || ie.Error() == "" {
				t.Fatalf("error %v is not a 4xx InputError", err)
			}
			return
		}
		if len(rows) == 0 || len(rows) > 20 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || r.Time.Before(minTS) || r.Time.After(maxTS) {
				t.Fatalf("row %+v passed", r)
			}
		}
	})
}
