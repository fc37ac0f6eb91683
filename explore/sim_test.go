package explore

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/sim"
)

// longJob is a simulation of several seconds on 2 cores (10^8 samples of
// a union segment of 40 patterns), long enough to be cancelled.
const longJob = "kind=union&n=100000&a=2000&s=25&theta=15&patterns=40&samples=1e8"

type sseEvent struct {
	name string
	data string
}

// readEvents reads server-sent events until the stream ends or stop
// returns true.
func readEvents(t *testing.T, resp *http.Response, stop func(sseEvent) bool) []sseEvent {
	t.Helper()
	var out []sseEvent
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		case line == "":
			out = append(out, ev)
			if stop != nil && stop(ev) {
				return out
			}
			ev = sseEvent{}
		}
	}
	return out
}

func startSim(t *testing.T, ctx context.Context, base, query string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/sim?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func waitJobs(t *testing.T, s *Server, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.RunningJobs() != want {
		if time.Now().After(deadline) {
			t.Fatalf("running jobs %d, want %d after 10 s", s.RunningJobs(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSimStream runs a small job to its end: a start event, then a result
// equal to sim.Run's for the same configuration (the seed fixes it).
func TestSimStream(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	resp := startSim(t, context.Background(), ts.URL, "kind=fp&n=500&a=64&s=24&theta=12&samples=2e5&seed=7")
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	evs := readEvents(t, resp, nil)
	if len(evs) < 2 || evs[0].name != "start" || evs[len(evs)-1].name != "result" {
		t.Fatalf("events %v", evs)
	}
	var got sim.Result
	if err := json.Unmarshal([]byte(evs[len(evs)-1].data), &got); err != nil {
		t.Fatal(err)
	}
	want, err := sim.Run(context.Background(), sim.Config{Kind: "fp", N: 500, A: 64, S: 24, Theta: 12, Samples: 2e5, Seed: 7, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hits != want.Hits || got.Samples != want.Samples || got.Estimate != want.Estimate {
		t.Errorf("stream: %d hits of %d, sim.Run: %d of %d", got.Hits, got.Samples, want.Hits, want.Samples)
	}
	waitJobs(t, s, 0)
}

// TestSimOnePerClientAndCancel starts a long job, checks that the same
// client cannot start a second, and that dropping the connection stops
// the job.
func TestSimOnePerClientAndCancel(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	resp := startSim(t, ctx, ts.URL, longJob)
	readEvents(t, resp, func(e sseEvent) bool { return e.name == "start" })
	if s.RunningJobs() != 1 {
		t.Fatalf("running %d jobs, want 1", s.RunningJobs())
	}
	resp2 := startSim(t, context.Background(), ts.URL, "kind=fp&n=100&a=10&s=10&theta=5&samples=10")
	var e apiError
	_ = json.NewDecoder(resp2.Body).Decode(&e)
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusTooManyRequests || !strings.Contains(e.Error, "one per client") {
		t.Errorf("second job: %d %q", resp2.StatusCode, e.Error)
	}
	cancel()
	resp.Body.Close()
	waitJobs(t, s, 0)
}

// TestSimServerWide checks the server-wide bound with two clients.
func TestSimServerWide(t *testing.T) {
	s := New(Options{MaxJobs: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req := httptest.NewRequest(http.MethodGet, "/api/sim?"+longJob, nil).WithContext(ctx)
		req.RemoteAddr = "192.0.2.1:1000"
		s.ServeHTTP(httptest.NewRecorder(), req)
	}()
	waitJobs(t, s, 1)
	req := httptest.NewRequest(http.MethodGet, "/api/sim?kind=fp&n=100&a=10&s=10&theta=5&samples=10", nil)
	req.RemoteAddr = "192.0.2.2:1000"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "limit") {
		t.Errorf("second client: %d %s", rec.Code, rec.Body)
	}
	cancel()
	<-done
	waitJobs(t, s, 0)
}

// TestSimWallLimit checks that a job stops at the wall limit with its
// partial result.
func TestSimWallLimit(t *testing.T) {
	s := New(Options{SimWall: 300 * time.Millisecond})
	ts := httptest.NewServer(s)
	defer ts.Close()
	start := time.Now()
	resp := startSim(t, context.Background(), ts.URL, longJob)
	evs := readEvents(t, resp, nil)
	resp.Body.Close()
	last := evs[len(evs)-1]
	var r struct {
		Partial  bool `json:"partial"`
		TimedOut bool `json:"timed_out"`
		Samples  int64
	}
	// Under a heavy load no task may finish in 0.3 s: then the job ends
	// with an error that names the limit.
	if last.name == "error" && strings.Contains(last.data, "wall limit") {
		t.Logf("no task finished within the limit: %s", last.data)
	} else if err := json.Unmarshal([]byte(last.data), &r); err != nil || last.name != "result" || !r.Partial || !r.TimedOut {
		t.Fatalf("last event %s %s (%v)", last.name, last.data, err)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("a 0.3 s job took %v", el)
	}
}
