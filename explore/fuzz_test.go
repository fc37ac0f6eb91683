package explore

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzParseQuery checks that the query parser never panics and that what
// it accepts respects its limits, and that the typed getters keep values
// within the bounds asked.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"", "q=fp&n=10000&a=64&s=24&theta=12", "n=1e4&a=2.5e1", "n=%zz", "n=1&n=2", "&&&", "=1", "a==b",
		"k=" + string(make([]byte, 70)), "x=%E2%80%94&y=+1", "n=-0&a=9223372036854775807", "max_fp=1e-300&noise_frac=nan",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseQuery(raw)
		if err != nil {
			return
		}
		if len(raw) > maxQueryLen || len(q.vals) > maxQueryKeys {
			t.Fatalf("accepted %d bytes with %d keys", len(raw), len(q.vals))
		}
		for k, v := range q.vals {
			if !validKey(k) || len(v) > maxValueLen {
				t.Fatalf("accepted key %q value %q", k, v)
			}
			if n, err := q.intIn(k, 0, -5, 1000); err == nil && (n < -5 || n > 1000) {
				t.Fatalf("intIn %q = %d out of bounds", v, n)
			}
			if x, err := q.floatIn(k, 0, 0, 1); err == nil && !(x >= 0 && x <= 1) {
				t.Fatalf("floatIn %q = %v out of bounds", v, x)
			}
		}
		if err := q.done(); err != nil {
			t.Fatalf("every key was read, done says %v", err)
		}
	})
}

// FuzzAPI sends fuzzed queries to every theory endpoint: the answer is
// 200 or 400 with a JSON body, never a 500 or a panic.
func FuzzAPI(f *testing.F) {
	for _, s := range []string{
		"/api/value?q=fp&n=10000&a=64&s=24&theta=12",
		"/api/value?q=union-fp-exact&n=1000&a=200&s=25&theta=15&patterns=4&exact=1",
		"/api/curve?q=fp&x=n&lo=64&hi=1e6&scale=log&a=64&s=24&theta=12",
		"/api/curve?q=fn&x=noise&a=128&s=30&theta=12",
		"/api/curve?q=neuron&x=segments&lo=1&hi=1000&n=10000&a=64&s=24&theta=12",
		"/api/design?n=10000&a=64&noise_frac=0.25&max_fp=1e-9&max_fn=1e-3",
		"/api/thresholds?grid=paper-2018",
		"/api/params",
	} {
		f.Add(s)
	}
	s := New(Options{})
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil || req.URL.Path == "/api/sim" {
			return
		}
		if _, ok := apis[req.URL.Path]; !ok {
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: not JSON: %.200s", target, rec.Body)
		}
	})
}
