package serve

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad is a bounded load test on loopback (run under the race detector
// by .ci/run): a fixed number of goroutines and requests, stopping by
// itself. Four models are fed concurrently, one writer each, while readers
// list, inspect, read scores and metrics; a fifth model with a queue of one
// takes a burst of concurrent one-row appends, which get 200, 409 (a row
// older than one accepted first) or 429 (queue full) and nothing else.
// Afterwards every model's stored rows and scores must be those of an
// uninterrupted run of the detector over the rows it accepted.
func TestLoad(t *testing.T) {
	models, rowsPer, burst := 4, 60, 24
	if testing.Short() {
		models, rowsPer, burst = 2, 12, 10
	}
	ts := newTestServer(t, Options{QueueLen: 1, CheckpointRows: 15})
	rows := series(rowsPer)
	for i := range models + 1 {
		ts.create(fmt.Sprintf(`{"id":"m%d","detector":"htm","min":0,"max":100,"probation":30}`, i))
	}
	var wg sync.WaitGroup
	client := ts.hs.Client()
	for i := range models {
		wg.Go(func() {
			id := fmt.Sprintf("m%d", i)
			for pos := 0; pos < len(rows); {
				end := min(pos+1+(pos+i)%5, len(rows))
				resp, err := client.Post(ts.hs.URL+"/v1/models/"+id+"/rows", "application/json", strings.NewReader(rowsJSON(rows[pos:end])))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					pos = end
				case 429: // a reader's request cannot fill this queue, but allow for it
					time.Sleep(time.Millisecond)
				default:
					t.Errorf("%s: status %d", id, resp.StatusCode)
					return
				}
			}
		})
	}
	for i := range 4 {
		wg.Go(func() {
			for k := range 15 {
				path := []string{"/v1/models", "/metrics", fmt.Sprintf("/v1/models/m%d", k%models), fmt.Sprintf("/v1/models/m%d/scores", k%models)}[(i+k)%4]
				resp, err := client.Get(ts.hs.URL + path)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("GET %s: %d", path, resp.StatusCode)
				}
			}
		})
	}
	codes := make([]int, burst)
	for k := range burst {
		wg.Go(func() {
			resp, err := client.Post(ts.hs.URL+fmt.Sprintf("/v1/models/m%d/rows", models), "application/json", strings.NewReader(rowsJSON(rows[k:k+1])))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[k] = resp.StatusCode
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[200] == 0 || count[200]+count[409]+count[429] != burst {
		t.Errorf("burst statuses %v", count)
	}
	t.Logf("burst of %d one-row appends on a queue of 1: %v", burst, count)
	for i := range models + 1 {
		id := fmt.Sprintf("m%d", i)
		got := ts.scores(id)
		accepted := make([]Row, len(got))
		for k, r := range got {
			accepted[k] = Row{Time: r.Timestamp, Value: r.Value}
		}
		want := reference(t, Spec{ID: id, Detector: "htm", Min: 0, Max: 100, Probation: 30}, accepted)
		if err := sameResults(got, want); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		if i < models && len(got) != rowsPer {
			t.Errorf("%s: %d rows stored, want %d", id, len(got), rowsPer)
		}
	}
	if code, _ := ts.do("GET", "/healthz", "", ""); code != http.StatusOK {
		t.Error("healthz after load")
	}
}
