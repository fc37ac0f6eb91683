package serve

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const cpuSpec = `{"id":"cpu","detector":"htm","min":0,"max":100,"probation":60}`

// TestModelEndpoints: create, duplicate, invalid specs, list, inspect,
// delete, and the 4xx of each with its message.
func TestModelEndpoints(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.create(cpuSpec)
	for _, c := range []struct {
		body string
		code int
		msg  string
	}{
		{cpuSpec, 409, "exists"},
		{`{"id":"../etc","detector":"htm","min":0,"max":1}`, 400, "invalid model id"},
		{`{"id":"a'; DROP TABLE models;--","detector":"htm","min":0,"max":1}`, 400, "invalid model id"},
		{`{"id":"x","detector":"nope","min":0,"max":1}`, 400, "unknown detector"},
		{`{"id":"x","detector":"null","min":0,"max":1}`, 400, "cannot be checkpointed"},
		{`{"id":"x","detector":"htm","min":2,"max":1}`, 400, "exceeds max"},
		{`{"id":"x","detector":"htm","min":0,"max":1,"probation":-1}`, 400, "probation"},
		// The probation-ranged detectors replay their period on the row
		// that ends it, so they take at most htmdetect.MaxReplayProbation.
		{`{"id":"x","detector":"numenta-gmean-cad-peaks-cal","min":0,"max":1,"probation":8641}`, 400, "probation 8641 exceeds 8640"},
		{`{"id":"x","detector":"numenta-gmean-cad","learn_rows":10,"probation":100000}`, 400, "probation 100000 exceeds 8640"},
		{`{"id":"x","detector":"htm","min":0,"max":1,"colour":1}`, 400, "malformed JSON"},
		{`{"id":"x",`, 400, "malformed JSON"},
	} {
		code, b := ts.do("POST", "/v1/models", "application/json", c.body)
		if code != c.code || !strings.Contains(string(b), c.msg) {
			t.Errorf("create %s: %d %s; want %d containing %q", c.body, code, b, c.code, c.msg)
		}
	}
	ts.create(`{"id":"disk.io-1","detector":"numenta","min":-5,"max":5}`)
	code, b := ts.do("GET", "/v1/models", "", "")
	var list struct{ Models []Info }
	if json.Unmarshal(b, &list); code != 200 || len(list.Models) != 2 || list.Models[0].ID != "cpu" || list.Models[1].Probation != DefaultProbation {
		t.Errorf("list: %d %s", code, b)
	}
	if in := ts.info("cpu"); in.Rows != 0 || in.LastScore != nil || in.Detector != "htm" || in.Probation != 60 {
		t.Errorf("inspect: %+v", in)
	}
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/v1/models/nope", 404},
		{"GET", "/v1/models/bad%20id", 400},
		{"DELETE", "/v1/models/nope", 404},
		{"DELETE", "/v1/models/disk.io-1", 204},
		{"GET", "/v1/models/disk.io-1", 404},
		{"PUT", "/v1/models", 405},
		{"GET", "/healthz", 200},
	} {
		if code, b := ts.do(c.method, c.path, "", ""); code != c.code {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, code, b, c.code)
		}
	}
}

// TestAppend: JSON and CSV appends give the scores of an uninterrupted
// run of the detector, and the scores endpoint reads them back by range.
func TestAppend(t *testing.T) {
	if testing.Short() {
		t.Skip("single-goroutine handler paths, run without -short; under -race -short only the concurrent tests")
	}
	ts := newTestServer(t, Options{})
	ts.create(cpuSpec)
	rows := series(40)
	want := reference(t, Spec{ID: "cpu", Detector: "htm", Min: 0, Max: 100, Probation: 60}, rows)
	got := ts.appendRows("cpu", rows[:25])
	var csv strings.Builder
	csv.WriteString("timestamp,value\n")
	for _, r := range rows[25:] {
		fmt.Fprintf(&csv, "%s,%s\n", r.Time.Format("2006-01-02 15:04:05"), fmtFloat(r.Value))
	}
	code, b := ts.do("POST", "/v1/models/cpu/rows", "text/csv; charset=utf-8", csv.String())
	var out struct{ Results []Result }
	if json.Unmarshal(b, &out); code != 200 {
		t.Fatalf("csv append: %d %s", code, b)
	}
	if err := sameResults(append(got, out.Results...), want); err != nil {
		t.Fatal(err)
	}
	if err := sameResults(ts.scores("cpu"), want); err != nil {
		t.Fatalf("read back: %v", err)
	}
	q := "/v1/models/cpu/scores?from=" + rows[10].Time.Format(time.RFC3339) + "&to=" + rows[12].Time.Format(time.RFC3339)
	if code, b := ts.do("GET", q, "", ""); code != 200 || json.Unmarshal(b, &out) != nil || sameResults(out.Results, want[10:13]) != nil {
		t.Errorf("range: %d %s", code, b)
	}
	for _, p := range []string{"limit=0", "limit=x", "after=-", "from=yesterday"} {
		if code, b := ts.do("GET", "/v1/models/cpu/scores?"+p, "", ""); code != 400 {
			t.Errorf("scores?%s: %d %s", p, code, b)
		}
	}
	if in := ts.info("cpu"); in.Rows != 40 || in.LastScore == nil || *in.LastScore != want[39].Score {
		t.Errorf("inspect after 40 rows: %+v", in)
	}
}

// TestAppendAllOrNone: each bad request is refused with its status and a
// message naming the row, and none of its rows is applied — including a
// request whose valid first rows the detector had already taken when it
// refused a later one (the model is restored from the database): the
// next rows score as in an uninterrupted run of the good rows only.
func TestAppendAllOrNone(t *testing.T) {
	if testing.Short() {
		t.Skip("single-goroutine handler paths, run without -short; under -race -short only the concurrent tests")
	}
	ts := newTestServer(t, Options{MaxRows: 50, MaxBody: 4096})
	ts.create(cpuSpec)
	rows := series(30)
	want := reference(t, Spec{ID: "cpu", Detector: "htm", Min: 0, Max: 100, Probation: 60}, rows)
	ts.appendRows("cpu", rows[:10])
	ts1, ts9 := rows[10].Time.Format(time.RFC3339), rows[9].Time.Format(time.RFC3339)
	good := fmt.Sprintf(`{"timestamp":%q,"value":5}`, ts1)
	for _, c := range []struct {
		ctype, body string
		code        int
		msg         string
	}{
		{"", `{"rows":[` + good + `,{"timestamp":"2014-04-01T00:50:00Z","value":1}]}`, 409, "row 1: timestamp"},
		{"", `{"rows":[{"timestamp":"` + ts9 + `","value":1}]}`, 409, "not after the model's last row"},
		{"", `{"rows":[` + good + `,{"timestamp":"2015-01-01T00:00:00Z","value":1e300}]}`, 422, "row 1: the detector refused"},
		{"", `{"rows":[` + good + `,{"timestamp":"2015-01-01T00:00:00Z"}]}`, 400, "row 1: needs"},
		{"", `{"rows":[` + good + `,{"timestamp":"tuesday","value":1}]}`, 400, "row 1: timestamp"},
		{"", `{"rows":[` + good + `],"extra":1}`, 400, "malformed JSON"},
		{"", `{"rows":[` + good, 400, "malformed JSON"},
		{"", `{"rows":[]}`, 400, "no rows"},
		{"", `{"rows":[` + strings.Repeat(good+",", 50) + good + `]}`, 413, ""},
		{"text/csv", ts1 + ",NaN\n", 400, "not finite"},
		{"text/csv", ts1 + ",+Inf\n", 400, "not finite"},
		{"text/csv", ts1 + ",1,2\n", 400, "want timestamp,value"},
		{"text/csv", ts1 + ",x\n", 400, "not a number"},
	} {
		code, b := ts.do("POST", "/v1/models/cpu/rows", c.ctype, c.body)
		if code != c.code || !strings.Contains(string(b), c.msg) {
			t.Errorf("%.80s: %d %s; want %d containing %q", c.body, code, b, c.code, c.msg)
		}
	}
	if code, _ := ts.do("POST", "/v1/models/nope/rows", "", `{"rows":[`+good+`]}`); code != 404 {
		t.Errorf("unknown model: %d", code)
	}
	if in := ts.info("cpu"); in.Rows != 10 {
		t.Fatalf("%d rows after the refused requests, want 10", in.Rows)
	}
	if err := sameResults(ts.appendRows("cpu", rows[10:]), want[10:]); err != nil {
		t.Fatalf("after the refused requests: %v", err)
	}
}

// TestQueueFull: a model whose queue is full refuses at once (errBusy),
// which the API answers with 429 and Retry-After.
func TestQueueFull(t *testing.T) {
	s := &Server{opt: Options{QueueLen: 2}}
	m := s.newModel(Spec{ID: "q"}) // no worker: the queue only fills
	for i := range 3 {
		err := m.enqueue(&job{})
		if (i < 2) != (err == nil) || i == 2 && !errors.Is(err, errBusy) {
			t.Fatalf("enqueue %d: %v", i, err)
		}
	}
	m.stop()
	if err := m.enqueue(&job{}); !errors.Is(err, errStopped) {
		t.Errorf("after stop: %v", err)
	}
	w := httptest.NewRecorder()
	fail(w, errBusy)
	if w.Code != 429 || w.Header().Get("Retry-After") != "1" {
		t.Errorf("busy: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}

// TestToken: with a token every request needs the bearer header.
func TestToken(t *testing.T) {
	ts := newTestServer(t, Options{Token: "s3cret"})
	for _, c := range []struct {
		hdr  []string
		code int
	}{{nil, 401}, {[]string{"Authorization", "Bearer wrong"}, 401}, {[]string{"Authorization", "s3cret"}, 401},
		{[]string{"Authorization", "Bearer s3cret"}, 200}} {
		if code, b := ts.do("GET", "/v1/models", "", "", c.hdr...); code != c.code {
			t.Errorf("%v: %d %s", c.hdr, code, b)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{{"127.0.0.1:8080", "", true}, {"[::1]:80", "", true}, {"localhost:1", "", true},
		{":8080", "", false}, {"0.0.0.0:8080", "", false}, {"10.1.2.3:80", "", false}, {"10.1.2.3:80", "t", true},
		{"nonsense", "t", false}} {
		if err := CheckAddr(c.addr, c.token); (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %q) = %v", c.addr, c.token, err)
		}
	}
}

// TestMetrics: the Prometheus text names every family and counts rows.
func TestMetrics(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.create(cpuSpec)
	ts.appendRows("cpu", series(3))
	_, b := ts.do("GET", "/metrics", "", "")
	for _, want := range []string{"dendritic_serve_rows_total 3\n", "dendritic_serve_models 1\n",
		`dendritic_serve_queue_depth{model="cpu"} 0`, `dendritic_serve_requests_total{code="201"} 1`,
		"dendritic_serve_append_seconds_count 1\n", `dendritic_serve_checkpoint_seconds_bucket{le="+Inf"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q:\n%s", want, b)
		}
	}
}

// TestRestart: rows survive a close and reopen, with and without a
// checkpoint since, and the scores continue as in an uninterrupted run;
// Close applies queued rows and checkpoints.
func TestRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts twice (slow under the race detector); TestKillRestart covers it without -short")
	}
	for _, ckRows := range []int{7, 1000} {
		ts := newTestServer(t, Options{CheckpointRows: ckRows})
		ts.create(cpuSpec)
		rows := series(60)
		want := reference(t, Spec{ID: "cpu", Detector: "htm", Min: 0, Max: 100, Probation: 60}, rows)
		ts.appendRows("cpu", rows[:20])
		ts.appendRows("cpu", rows[20:30])
		ts.stop()
		ts.start()
		in := ts.info("cpu")
		if in.Rows != 30 || in.CheckpointRows != 30 || in.CheckpointBytes == 0 {
			t.Errorf("checkpoint every %d: after restart %+v (Close checkpoints)", ckRows, in)
		}
		got := ts.appendRows("cpu", rows[30:])
		if err := sameResults(append(ts.scores("cpu")[:30], got...), want); err != nil {
			t.Fatalf("checkpoint every %d: %v", ckRows, err)
		}
	}
}

// TestLearnRange: a model created with learn_rows answers its first rows
// as pending (null scores), keeps them across a restart, and when the
// window is complete scores every row as an uninterrupted run of a model
// created with the window's smallest and largest values as its range.
func TestLearnRange(t *testing.T) {
	if testing.Short() {
		t.Skip("single-goroutine handler paths, run without -short; under -race -short only the concurrent tests")
	}
	ts := newTestServer(t, Options{})
	if code, b := ts.do("POST", "/v1/models", "", `{"id":"l","detector":"htm","min":1,"max":5,"learn_rows":20}`); code != 400 {
		t.Errorf("min, max and learn_rows: %d %s", code, b)
	}
	ts.create(`{"id":"l","detector":"htm","learn_rows":20,"probation":30}`)
	rows := series(50)
	code, b := ts.do("POST", "/v1/models/l/rows", "", rowsJSON(rows[:12]))
	if code != 200 || !strings.Contains(string(b), `"raw":null,"likelihood":null,"score":null,"pending":true`) {
		t.Fatalf("pending rows: %d %s", code, b)
	}
	ts.stop()
	ts.start()
	if in := ts.info("l"); !in.Learning || in.Rows != 12 || in.LastScore != nil {
		t.Fatalf("after restart: %+v", in)
	}
	got := ts.appendRows("l", rows[12:30])
	lo, hi := rows[0].Value, rows[0].Value
	for _, r := range rows[:20] {
		lo, hi = min(lo, r.Value), max(hi, r.Value)
	}
	want := reference(t, Spec{ID: "l", Detector: "htm", Min: lo, Max: hi, Probation: 30}, rows)
	if err := sameResults(got, want[12:30]); err != nil {
		t.Fatal(err)
	}
	ts.appendRows("l", rows[30:])
	if err := sameResults(ts.scores("l"), want); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if in := ts.info("l"); in.Learning || in.Min != lo || in.Max != hi {
		t.Errorf("after learning: %+v", in)
	}
	ts.stop()
	ts.start()
	if err := sameResults(ts.scores("l"), want); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
}

// TestReplayAfterCheckpoint: a second server opened on the database of a
// running one (as after a crash: no final checkpoint) loads the model from
// its last checkpoint (row 30, checkpoints every 10 rows), replays rows
// 31–33 checking their stored scores, and continues as an uninterrupted
// run. A quiet model is checkpointed by the timer.
func TestReplayAfterCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("single-goroutine paths, run without -short")
	}
	ts := newTestServer(t, Options{CheckpointRows: 10})
	ts.create(cpuSpec)
	rows := series(50)
	want := reference(t, Spec{ID: "cpu", Detector: "htm", Min: 0, Max: 100, Probation: 60}, rows)
	for pos := 0; pos < 33; pos += 5 {
		ts.appendRows("cpu", rows[pos:min(pos+5, 33)])
	}
	if in := ts.info("cpu"); in.Rows != 33 || in.CheckpointRows != 30 || in.RowsSinceCheckpoint != 3 {
		t.Fatalf("before the second server: %+v", in)
	}
	crashed := newTestServer(t, Options{DB: ts.db, CheckpointRows: 10})
	if in := crashed.info("cpu"); in.Rows != 33 || in.CheckpointRows != 30 {
		t.Fatalf("second server: %+v", in)
	}
	if err := sameResults(crashed.appendRows("cpu", rows[33:]), want[33:]); err != nil {
		t.Fatal(err)
	}

	quiet := newTestServer(t, Options{CheckpointEvery: 50 * time.Millisecond})
	quiet.create(cpuSpec)
	quiet.appendRows("cpu", rows[:3])
	deadline := time.Now().Add(10 * time.Second)
	for quiet.info("cpu").CheckpointRows != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("no timed checkpoint: %+v", quiet.info("cpu"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRetainRows: with RetainRows 5 and a checkpoint every 10 rows, the
// checkpoint at row 30 deletes rows 1–25, the one Close writes at row 33
// deletes rows up to 28; the scores read back are the kept rows of an
// uninterrupted run, a restart replays from the checkpoint as before, and
// the rows after it continue that run bit for bit.
func TestRetainRows(t *testing.T) {
	if testing.Short() {
		t.Skip("single-goroutine paths, run without -short")
	}
	if _, err := Open(context.Background(), Options{DB: filepath.Join(t.TempDir(), "x.db"), RetainRows: -1}); err == nil {
		t.Error("RetainRows -1 accepted")
	}
	ts := newTestServer(t, Options{CheckpointRows: 10, RetainRows: 5})
	ts.create(cpuSpec)
	rows := series(50)
	want := reference(t, Spec{ID: "cpu", Detector: "htm", Min: 0, Max: 100, Probation: 60}, rows)
	for pos := 0; pos < 33; pos += 5 {
		ts.appendRows("cpu", rows[pos:min(pos+5, 33)])
	}
	if err := sameResults(ts.scores("cpu"), want[25:33]); err != nil {
		t.Fatalf("after the checkpoint at row 30: %v", err)
	}
	ts.stop()
	ts.start()
	if in := ts.info("cpu"); in.Rows != 33 || in.CheckpointRows != 33 {
		t.Fatalf("after restart: %+v", in)
	}
	if err := sameResults(ts.scores("cpu"), want[28:33]); err != nil {
		t.Fatalf("after the checkpoint at row 33: %v", err)
	}
	if err := sameResults(ts.appendRows("cpu", rows[33:]), want[33:]); err != nil {
		t.Fatal(err)
	}
}

// TestLoadFailure: a model that cannot be loaded when the server opens
// (here its detector was renamed in the database behind the server's
// back) does not keep the server or the other models from serving; it
// reports why in its info, refuses rows, keeps its stored rows readable,
// and can be deleted.
func TestLoadFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts twice (slow under the race detector)")
	}
	ts := newTestServer(t, Options{})
	ts.create(cpuSpec)
	ts.create(`{"id":"b","detector":"htm","min":0,"max":100,"probation":60}`)
	rows := series(20)
	ts.appendRows("cpu", rows[:10])
	ts.appendRows("b", rows[:10])
	ts.stop()
	db, err := sql.Open("sqlite", ts.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE models SET detector = 'gone' WHERE id = 'b'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ts.start()
	in := ts.info("b")
	if !strings.Contains(in.Error, "could not be loaded") || !strings.Contains(in.Error, "gone") {
		t.Errorf("info of the broken model: %+v", in)
	}
	if got := ts.scores("b"); len(got) != 10 {
		t.Errorf("the broken model's stored rows: %d, want 10", len(got))
	}
	if code, b := ts.do("POST", "/v1/models/b/rows", "", rowsJSON(rows[10:])); code < 500 || !strings.Contains(string(b), "could not be loaded") {
		t.Errorf("rows for the broken model: %d %s", code, b)
	}
	if in := ts.info("cpu"); in.Error != "" || in.Rows != 10 {
		t.Errorf("the healthy model: %+v", in)
	}
	if got := ts.appendRows("cpu", rows[10:]); len(got) != 10 {
		t.Errorf("the healthy model took %d rows, want 10", len(got))
	}
	if code, b := ts.do("DELETE", "/v1/models/b", "", ""); code != 204 {
		t.Errorf("delete the broken model: %d %s", code, b)
	}
	ts.stop()
	ts.start()
	if code, _ := ts.do("GET", "/v1/models/b", "", ""); code != 404 {
		t.Errorf("deleted model after a restart: %d", code)
	}
	if in := ts.info("cpu"); in.Rows != 20 {
		t.Errorf("the healthy model after a restart: %+v", in)
	}
}
