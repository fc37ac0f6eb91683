package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/dendritic/dendritic/cad"       // registers contextOSE
	_ "github.com/dendritic/dendritic/htmdetect" // registers htm, numenta
	"github.com/dendritic/dendritic/nab"
)

// t0 is the first timestamp of the synthetic series.
var t0 = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)

// series is a daily sine sampled every 5 minutes with a jump at row 300:
// n rows starting at t0.
func series(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		v := 50 + 20*math.Sin(2*math.Pi*float64(i)/288)
		if i >= 300 {
			v += 40
		}
		rows[i] = Row{Time: t0.Add(time.Duration(i) * 5 * time.Minute), Value: v}
	}
	return rows
}

// reference runs the registry's detector over rows without the server:
// the scores of an uninterrupted run.
func reference(t testing.TB, sp Spec, rows []Row) []Result {
	t.Helper()
	if err := sp.check(); err != nil {
		t.Fatal(err)
	}
	f, err := nab.Lookup(sp.Detector, sp.Seed)
	if err != nil {
		t.Fatal(err)
	}
	nd, err := f(sp.info())
	if err != nil {
		t.Fatal(err)
	}
	d := nd.(detector)
	out := make([]Result, len(rows))
	for i, r := range rows {
		raw, like, score, err := d.Outputs(r.Time, r.Value)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Result{Seq: int64(i + 1), Timestamp: r.Time, Value: r.Value, Raw: raw, Likelihood: like, Score: score}
	}
	return out
}

// sameResults reports the first difference of got from want, bit for bit.
func sameResults(got, want []Result) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d results, want %d", len(got), len(want))
	}
	b := math.Float64bits
	for i := range got {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || !g.Timestamp.Equal(w.Timestamp) || b(g.Value) != b(w.Value) || b(g.Raw) != b(w.Raw) ||
			b(g.Likelihood) != b(w.Likelihood) || b(g.Score) != b(w.Score) {
			return fmt.Errorf("result %d: %+v, want %+v", i, g, w)
		}
	}
	return nil
}

func rowsJSON(rows []Row) string {
	var b strings.Builder
	b.WriteString(`{"rows":[`)
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"timestamp":%q,"value":%s}`, r.Time.Format(time.RFC3339Nano), fmtFloat(r.Value))
	}
	b.WriteString("]}")
	return b.String()
}

// testServer opens a server on a fresh database in a temporary directory
// and serves it with httptest.
type testServer struct {
	t   testing.TB
	s   *Server
	hs  *httptest.Server
	db  string
	opt Options
}

func newTestServer(t testing.TB, opt Options) *testServer {
	t.Helper()
	if opt.DB == "" {
		opt.DB = filepath.Join(t.TempDir(), "serve.db")
	}
	ts := &testServer{t: t, db: opt.DB, opt: opt}
	ts.start()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	s, err := Open(context.Background(), ts.opt)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.s, ts.hs = s, httptest.NewServer(s.Handler())
}

func (ts *testServer) stop() {
	if ts.s == nil {
		return
	}
	ts.hs.Close()
	if err := ts.s.Close(); err != nil {
		ts.t.Error(err)
	}
	ts.s = nil
}

// do sends a request and returns the status and body.
func (ts *testServer) do(method, path, ctype, body string, hdr ...string) (int, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.hs.URL+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := ts.hs.Client().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (ts *testServer) create(sp string) {
	ts.t.Helper()
	if code, b := ts.do("POST", "/v1/models", "application/json", sp); code != 201 {
		ts.t.Fatalf("create %s: %d %s", sp, code, b)
	}
}

func (ts *testServer) appendRows(id string, rows []Row) []Result {
	ts.t.Helper()
	code, b := ts.do("POST", "/v1/models/"+id+"/rows", "application/json", rowsJSON(rows))
	if code != 200 {
		ts.t.Fatalf("append: %d %s", code, b)
	}
	var out struct{ Results []Result }
	if err := json.Unmarshal(b, &out); err != nil {
		ts.t.Fatal(err)
	}
	return out.Results
}

func (ts *testServer) info(id string) Info {
	ts.t.Helper()
	code, b := ts.do("GET", "/v1/models/"+id, "", "")
	if code != 200 {
		ts.t.Fatalf("inspect: %d %s", code, b)
	}
	var in Info
	if err := json.Unmarshal(b, &in); err != nil {
		ts.t.Fatal(err)
	}
	return in
}

func (ts *testServer) scores(id string) []Result {
	ts.t.Helper()
	var all []Result
	after := int64(0)
	for {
		code, b := ts.do("GET", fmt.Sprintf("/v1/models/%s/scores?after=%d&limit=%d", id, after, maxScores), "", "")
		if code != 200 {
			ts.t.Fatalf("scores: %d %s", code, b)
		}
		var out struct {
			Results []Result
			Next    *int64 `json:"next_after"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			ts.t.Fatal(err)
		}
		all = append(all, out.Results...)
		if out.Next == nil {
			return all
		}
		after = *out.Next
	}
}
