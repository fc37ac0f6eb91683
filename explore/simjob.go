package explore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/dendritic/dendritic/sim"
)

// maxSimN bounds n of a simulation: each worker holds about 12·n bytes.
const maxSimN = 1 << 22

// simWorkers is the goroutines of one job; results never depend on it.
const simWorkers = 2

// parseSim reads a simulation job's query into a validated sim.Config.
func (s *Server) parseSim(q *query) (sim.Config, error) {
	kind, err := q.enum("kind", sim.Kinds()...)
	if err != nil {
		return sim.Config{}, bad("%v", err)
	}
	method, err := q.enum("method", sim.MethodDirect, sim.MethodImportance)
	if err != nil {
		return sim.Config{}, bad("%v", err)
	}
	p, err := q.model(simParams(kind))
	if err != nil {
		return sim.Config{}, bad("%v", err)
	}
	samples, err := q.intIn("samples", 1_000_000, 1, int(s.opts.MaxSamples))
	if err != nil {
		return sim.Config{}, bad("%v", err)
	}
	seed, err := q.intIn("seed", 1, 0, 1<<53)
	if err != nil {
		return sim.Config{}, bad("%v", err)
	}
	if err := q.done(); err != nil {
		return sim.Config{}, bad("%v", err)
	}
	if p["n"] > maxSimN {
		return sim.Config{}, bad("n = %d is above the explorer's simulation limit %d (use dendritic simulate)", p["n"], maxSimN)
	}
	c := sim.Config{Kind: kind, Method: method, N: p["n"], A: p["a"], S: p["s"], Theta: p["theta"],
		Noise: p["noise"], Patterns: p["patterns"], Segments: p["segments"],
		Samples: int64(samples), Seed: uint64(seed), Workers: simWorkers}
	if err := c.Validate(); err != nil {
		return sim.Config{}, bad("%v", err)
	}
	return c, nil
}

// clientKey names the client a job belongs to: its IP address (every
// connection from one machine is one client).
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// acquireJob reserves a job slot for the client: an error (and status)
// if the client runs one already or the server runs its maximum.
func (s *Server) acquireJob(key string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs[key] {
		return http.StatusTooManyRequests, errors.New("a simulation of this client is running; cancel it first (one per client)")
	}
	if len(s.jobs) >= s.opts.MaxJobs {
		return http.StatusServiceUnavailable, fmt.Errorf("the server runs %d simulations already, its limit; try again later", len(s.jobs))
	}
	s.jobs[key] = true
	return 0, nil
}

func (s *Server) releaseJob(key string) {
	s.mu.Lock()
	delete(s.jobs, key)
	s.mu.Unlock()
}

// RunningJobs returns the number of simulations running now.
func (s *Server) RunningJobs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.jobs)
}

// handleSim runs a simulation job and streams it as server-sent events:
// "start" (the config), "progress" ({done, total} samples, at most ten a
// second), then "result" (sim.Result) or "error" ({error}). The job stops
// when the client disconnects (the request's context), after the wall
// limit (a partial result) or when it is done.
func (s *Server) handleSim(w http.ResponseWriter, r *http.Request, q *query) {
	c, err := s.parseSim(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	key := clientKey(r)
	if status, err := s.acquireJob(key); err != nil {
		writeError(w, status, "%v", err)
		return
	}
	defer s.releaseJob(key)

	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SimWall)
	defer cancel()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		// The stream outlives the server's write timeout: each event
		// gets its own deadline instead.
		_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		return rc.Flush()
	}
	if send("start", map[string]any{"kind": c.Kind, "method": c.Method, "samples": c.Samples, "seed": c.Seed,
		"wall_seconds": s.opts.SimWall.Seconds()}) != nil {
		return
	}

	progress := make(chan [2]int64, 1)
	done := make(chan struct{})
	var res sim.Result
	var runErr error
	go func() {
		defer close(done)
		res, runErr = sim.Run(ctx, c, func(d, t int64) {
			select { // keep only the latest update
			case <-progress:
			default:
			}
			select {
			case progress <- [2]int64{d, t}:
			default:
			}
		})
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last [2]int64
	for {
		select {
		case <-done:
			s.finishSim(ctx, r.Context(), send, res, runErr)
			return
		case <-tick.C:
			select {
			case p := <-progress:
				if p != last {
					last = p
					if send("progress", map[string]int64{"done": p[0], "total": p[1]}) != nil {
						cancel() // the client is gone
					}
				}
			default:
			}
		}
	}
}

// finishSim sends the last event of a job.
func (s *Server) finishSim(ctx, reqCtx context.Context, send func(string, any) error, res sim.Result, err error) {
	if reqCtx.Err() != nil {
		return // disconnected: nobody to tell
	}
	if err != nil && !res.Partial {
		msg := err.Error()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg = fmt.Sprintf("stopped at the wall limit of %v before any task finished: take fewer samples or a smaller model", s.opts.SimWall)
		}
		_ = send("error", apiError{Error: msg})
		return
	}
	out := struct {
		sim.Result
		TimedOut bool `json:"timed_out,omitempty"`
	}{res, errors.Is(ctx.Err(), context.DeadlineExceeded)}
	_ = send("result", out)
}
