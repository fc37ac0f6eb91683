package nab

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// Fuzz the CSV readers: never panic; every error names the file; on success
// the invariants hold. Run with e.g.
//
//	go test ./nab -run '^$' -fuzz FuzzReadSeries -fuzztime 20s
//	go test ./nab -run '^$' -fuzz FuzzReadResults -fuzztime 20s

var csvSeeds = []string{
	"timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2.5\n",
	"\ufefftimestamp,value\r\n2014-04-01 00:00:00,-1e3\r\n",
	"timestamp,value\n2014-03-09 03:00:00,1\n2014-03-09 03:00:00,1\n2014-03-09 02:00:00,1\n",
	"timestamp,value\n2014-04-01 00:00:00.000000,1\n",
	"timestamp,value\n2014-04-01 00:00:00,\n",
	"timestamp,value\n2014-04-01 00:00:00,NaN\n",
	"timestamp,value\n2014-04-01 00:00:00,+Inf\n",
	"timestamp,value\n2014-04-01,1\n",
	"timestamp,value\n\"2014-04-01 00:00:00\",\"1\"\n",
	"timestamp,value\n\"2014-04-01\n00:00:00\",1\n",
	"timestamp,value\n2014-04-01 00:00:00,1,2\n",
	"timestamp,value\n",
	"",
	"timestamp\n2014-04-01 00:00:00\n",
	"timestamp,value,anomaly_score,label\n2014-04-01 00:00:00,3,0.5,0\n2014-04-01 00:05:00,4,1,1\n",
	"timestamp,value,anomaly_score,raw_score,label,S(t)_standard\n2014-07-01 00:00:00,10844,0.0301029996659,1.0,0,0.0\n",
	"anomaly_score,timestamp\n0,2014-04-01 00:00:00\n",
	"timestamp,anomaly_score\n2014-04-01 00:00:00,1.5\n",
	"timestamp,anomaly_score\n2014-04-01 00:00:00,-0\n",
	"timestamp,anomaly_score\n2014-04-01 00:00:00,4.9e-324\n",
	"timestamp,anomaly_score\n2014-04-01 00:00:00,0x1p-2\n",
}

const fuzzName = "fuzz.csv"

func checkErrName(t *testing.T, err error) {
	if !strings.HasPrefix(err.Error(), fuzzName+":") {
		t.Fatalf("error does not name the file: %v", err)
	}
}

func FuzzReadSeries(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSeries(bytes.NewReader(data), fuzzName)
		if err != nil {
			checkErrName(t, err)
			return
		}
		if s.Len() == 0 || len(s.Values) != s.Len() {
			t.Fatalf("%d timestamps, %d values", s.Len(), len(s.Values))
		}
		for _, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value %v", v)
			}
		}
		// Windows over the series' own timestamps map to valid row ranges.
		raw := []RawWindow{{s.Timestamps[0], s.Timestamps[s.Len()-1]}}
		if ws, err := MapWindows(s, raw); err == nil {
			if err := checkWindows(ws, s.Len()); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzReadResults(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadResults(bytes.NewReader(data), fuzzName)
		if err != nil {
			checkErrName(t, err)
			return
		}
		if len(r.Scores) == 0 || len(r.Scores) != len(r.Timestamps) {
			t.Fatalf("%d timestamps, %d scores", len(r.Timestamps), len(r.Scores))
		}
		for _, a := range r.Scores {
			if !(a >= 0 && a <= 1) {
				t.Fatalf("score %v outside [0,1]", a)
			}
		}
		// Round trip through WriteResults: same timestamps, bit-identical
		// scores, and the file lines up with its own data.
		file := &File{Name: "f.csv", Series: &Series{Timestamps: r.Timestamps, Values: make([]float64, len(r.Scores))}}
		var buf bytes.Buffer
		if err := WriteResults(&buf, file, r.Scores); err != nil {
			t.Fatal(err)
		}
		r2, err := ReadResults(&buf, fuzzName)
		if err != nil {
			t.Fatalf("re-reading written results: %v\n%s", err, buf.String())
		}
		if err := r2.check(file, fuzzName); err != nil {
			t.Fatal(err)
		}
		for i := range r.Scores {
			if math.Float64bits(r.Scores[i]) != math.Float64bits(r2.Scores[i]) {
				t.Fatalf("row %d: %v became %v", i, r.Scores[i], r2.Scores[i])
			}
		}
		// Scoring the results never fails or yields NaN.
		fs, err := ScoreFile(r.Scores, nil, Standard, 0.5)
		if err != nil || math.IsNaN(fs.Score) {
			t.Fatalf("ScoreFile: %+v %v", fs, err)
		}
	})
}

// FuzzReadConfig feeds the JSON readers of the labels, profiles and
// thresholds files: each either fails with an error naming the file or
// returns values that pass its own validation.
func FuzzReadConfig(f *testing.F) {
	for _, s := range []string{
		`{"a/b.csv": [["2015-01-01 00:00:00.000000", "2015-01-01 01:00:00.000000"]]}`,
		`{"a/b.csv": []}`,
		`{"standard": {"CostMatrix": {"tpWeight": 1.0, "fpWeight": 0.11, "fnWeight": 1.0, "tnWeight": 1.0}}}`,
		`{"numenta": {"standard": {"score": 70.1, "threshold": 0.5421876907348634}}}`,
		`[]`, `{}`, `null`, `{"x": 1e999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if ws, err := ReadWindows(bytes.NewReader(data), fuzzName); err != nil {
			checkErrName(t, err)
		} else {
			for name, list := range ws {
				if checkRelPath(name) != nil {
					t.Fatalf("window file name %q accepted", name)
				}
				for _, w := range list {
					if w.End.Before(w.Start) {
						t.Fatalf("%s: window %v ends before it starts", name, w)
					}
				}
			}
		}
		if ps, err := ReadProfiles(bytes.NewReader(data), fuzzName); err != nil {
			checkErrName(t, err)
		} else {
			for _, p := range ps {
				if err := p.validate(); err != nil {
					t.Fatalf("profile %q accepted: %v", p.Name, err)
				}
			}
		}
		if th, err := ReadThresholds(bytes.NewReader(data), fuzzName); err != nil {
			checkErrName(t, err)
		} else {
			for det, m := range th {
				for prof, v := range m {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%s/%s: threshold %v accepted", det, prof, v)
					}
				}
			}
		}
	})
}
