package explore

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLoad sends a fixed number of requests from a fixed number of
// goroutines to a loopback server (the page's curve request of E2 against
// θ, at varying θ, with value and design requests between) and stops by
// itself. Every answer must be 200. It logs the p50 and p99 latency of the
// curve requests; docs/BENCHMARKS.md records them. Run it under -race.
func TestLoad(t *testing.T) {
	workers, perWorker := 8, 60
	if testing.Short() {
		workers, perWorker = 4, 25
	}
	// A worker's next request can arrive before the handler of its last
	// one has released its compute slot: two slots per worker.
	s := New(Options{MaxCompute: 2 * workers})
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var mu sync.Mutex
	var curve []time.Duration
	var errs []error
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				path := fmt.Sprintf("/api/curve?q=fp&x=theta&lo=1&hi=24&n=10000&a=64&s=24&mark=%d", 1+(w+i)%24)
				switch i % 4 {
				case 1:
					path = fmt.Sprintf("/api/value?q=union-fp-exact&n=10000&a=200&s=25&theta=15&patterns=%d", 1+i%19)
				case 3:
					path = "/api/design?n=10000&a=64&noise_frac=0.25&max_fp=1e-9&max_fn=1e-3"
				}
				start := time.Now()
				resp, err := client.Get(ts.URL + path)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", path, resp.StatusCode)
					}
				}
				el := time.Since(start)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else if i%4 == 0 || i%4 == 2 {
					curve = append(curve, el)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs[:min(len(errs), 5)] {
		t.Error(err)
	}
	if len(errs) > 0 {
		t.Fatalf("%d of %d requests failed", len(errs), workers*perWorker)
	}
	slices.Sort(curve)
	q := func(p float64) time.Duration { return curve[int(p*float64(len(curve)-1))] }
	t.Logf("%d goroutines × %d requests; curve requests (n=%d): p50 %v, p99 %v, max %v",
		workers, perWorker, len(curve), q(0.50), q(0.99), curve[len(curve)-1])
}

// BenchmarkCurveRequest measures the handler of the page's E2-against-θ
// curve request without the network.
func BenchmarkCurveRequest(b *testing.B) {
	s := New(Options{})
	req := httptest.NewRequest(http.MethodGet, "/api/curve?q=fp&x=theta&lo=1&hi=24&n=10000&a=64&s=24&mark=12", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Body)
		}
	}
}
