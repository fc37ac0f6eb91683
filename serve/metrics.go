package serve

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
)

// metrics are the service's counters, exposed at /metrics in the
// Prometheus text format (version 0.0.4). Rows per second is
// rate(dendritic_serve_rows_total[1m]) on the Prometheus side.
type metrics struct {
	rows       atomic.Int64 // rows stored
	queued     atomic.Int64 // append requests in the models' queues
	append     *histogram   // seconds per append request, queue wait included
	checkpoint *histogram   // seconds to encode a model's state

	mu       sync.Mutex
	requests map[int]int64 // by HTTP status
}

func newMetrics() *metrics {
	b := []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	return &metrics{append: newHistogram(b), checkpoint: newHistogram(b), requests: map[int]int64{}}
}

func (m *metrics) request(code int) {
	m.mu.Lock()
	m.requests[code]++
	m.mu.Unlock()
}

// histogram is a Prometheus histogram with fixed upper bounds.
type histogram struct {
	mu     sync.Mutex
	bounds []float64
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // first bound ≥ v: the bucket le=bound holds v
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.n++
	h.mu.Unlock()
}

func (h *histogram) write(w io.Writer, name, help string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name)
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(w, "%s_bucket{le=\"%s\"} %d\n", name, strconv.FormatFloat(b, 'g', -1, 64), cum)
	}
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %s\n%s_count %d\n", name, h.n, name, fmtFloat(h.sum), name, h.n)
}

func fmtFloat(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// write prints every metric; models gives the per-model gauges.
func (m *metrics) write(w io.Writer, models []*model) {
	fmt.Fprintf(w, "# HELP dendritic_serve_rows_total Rows stored since the server started.\n# TYPE dendritic_serve_rows_total counter\ndendritic_serve_rows_total %d\n", m.rows.Load())
	fmt.Fprintf(w, "# HELP dendritic_serve_models Models served.\n# TYPE dendritic_serve_models gauge\ndendritic_serve_models %d\n", len(models))
	fmt.Fprintf(w, "# HELP dendritic_serve_queued Append requests waiting in the models' queues.\n# TYPE dendritic_serve_queued gauge\ndendritic_serve_queued %d\n", m.queued.Load())
	fmt.Fprintf(w, "# HELP dendritic_serve_queue_depth Append requests waiting, per model.\n# TYPE dendritic_serve_queue_depth gauge\n")
	for _, md := range models {
		fmt.Fprintf(w, "dendritic_serve_queue_depth{model=%q} %d\n", md.spec.ID, len(md.jobs))
	}
	m.mu.Lock()
	codes := make([]int, 0, len(m.requests))
	for c := range m.requests {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Fprintf(w, "# HELP dendritic_serve_requests_total HTTP requests by status.\n# TYPE dendritic_serve_requests_total counter\n")
	for _, c := range codes {
		fmt.Fprintf(w, "dendritic_serve_requests_total{code=\"%d\"} %d\n", c, m.requests[c])
	}
	m.mu.Unlock()
	m.append.write(w, "dendritic_serve_append_seconds", "Latency of append requests, queue wait and storage included.")
	m.checkpoint.write(w, "dendritic_serve_checkpoint_seconds", "Time to encode a model's state for a checkpoint.")
}
