package serve

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// Handler returns the HTTP API (see the README, "Run it as a service"):
//
//	POST   /v1/models               create: {"id", "detector", "min", "max", "probation", "seed"}
//	GET    /v1/models               list
//	GET    /v1/models/{id}          inspect
//	DELETE /v1/models/{id}          delete, with its rows and checkpoint
//	POST   /v1/models/{id}/rows     append rows (JSON, or text/csv), get their scores
//	GET    /v1/models/{id}/scores   stored scores: ?from=&to= (timestamps), &after=SEQ, &limit=N
//	GET    /healthz                 200 "ok"
//	GET    /metrics                 Prometheus text format
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/models", s.handleCreate)
	mux.HandleFunc("GET /v1/models", s.handleList)
	mux.HandleFunc("GET /v1/models/{id}", s.handleInspect)
	mux.HandleFunc("DELETE /v1/models/{id}", s.handleDelete)
	mux.HandleFunc("POST /v1/models/{id}/rows", s.handleAppend)
	mux.HandleFunc("GET /v1/models/{id}/scores", s.handleScores)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		s.metrics.write(w, s.list())
	})
	return s.guard(mux)
}

// guard checks the token, bounds the body and counts the responses.
func (s *Server) guard(next http.Handler) http.Handler {
	want := []byte("Bearer " + s.opt.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: 200}
		defer func() { s.metrics.request(sw.code) }()
		if s.opt.Token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			sw.Header().Set("WWW-Authenticate", `Bearer realm="dendritic"`)
			writeError(sw, http.StatusUnauthorized, errors.New("missing or wrong bearer token"))
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, s.opt.MaxBody)
		next.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

// status maps an error of the model operations to its HTTP status.
func status(err error) int {
	var ie *InputError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ie):
		return ie.Code
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, errExists):
		return http.StatusConflict
	case errors.Is(err, errBusy):
		return http.StatusTooManyRequests
	case errors.Is(err, errClosing), errors.Is(err, errStopped):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func fail(w http.ResponseWriter, err error) { writeError(w, status(err), err) }

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return nil, &InputError{Row: -1, Reason: fmt.Sprintf("request body over %d bytes", mb.Limit), Code: http.StatusRequestEntityTooLarge}
	}
	return b, err
}

// modelID returns the path's model id, or writes a 400 for an invalid one.
func modelID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if !validID.MatchString(id) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("invalid model id %q", id))
		return "", false
	}
	return id, true
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	var sp Spec
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sp); err != nil || dec.More() {
		writeError(w, http.StatusBadRequest, fmt.Errorf("malformed JSON model: %v", err))
		return
	}
	m, err := s.create(r.Context(), sp)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, m.info())
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	ms := s.list()
	out := struct {
		Models []Info `json:"models"`
	}{Models: make([]Info, len(ms))}
	for i, m := range ms {
		out.Models[i] = m.info()
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleInspect(w http.ResponseWriter, r *http.Request) {
	id, ok := modelID(w, r)
	if !ok {
		return
	}
	m, err := s.get(id)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, m.info())
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := modelID(w, r)
	if !ok {
		return
	}
	if err := s.remove(r.Context(), id); err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAppend(w http.ResponseWriter, r *http.Request) {
	t0 := time.Now()
	id, ok := modelID(w, r)
	if !ok {
		return
	}
	body, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	rows, err := DecodeRows(body, mt == "text/csv", s.opt.MaxRows)
	if err != nil {
		fail(w, err)
		return
	}
	res, err := s.appendRows(r.Context(), id, rows)
	if err != nil {
		fail(w, err)
		return
	}
	s.metrics.append.observe(time.Since(t0).Seconds())
	writeJSON(w, http.StatusOK, struct {
		Model   string   `json:"model"`
		Results []Result `json:"results"`
	}{id, res})
}

// maxScores bounds the rows of one scores response.
const maxScores = 10000

func (s *Server) handleScores(w http.ResponseWriter, r *http.Request) {
	id, ok := modelID(w, r)
	if !ok {
		return
	}
	if _, err := s.get(id); err != nil {
		fail(w, err)
		return
	}
	q := r.URL.Query()
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	var after int64
	limit := 1000
	var err error
	for _, p := range []struct {
		name string
		set  func(string) error
	}{
		{"from", func(v string) error { t, err := parseTimestamp(v); from = t.UnixNano(); return err }},
		{"to", func(v string) error { t, err := parseTimestamp(v); to = t.UnixNano(); return err }},
		{"after", func(v string) error { after, err = strconv.ParseInt(v, 10, 64); return err }},
		{"limit", func(v string) error {
			if limit, err = strconv.Atoi(v); err == nil && (limit < 1 || limit > maxScores) {
				err = fmt.Errorf("outside [1, %d]", maxScores)
			}
			return err
		}},
	} {
		if v := q.Get(p.name); v != "" {
			if err := p.set(v); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("parameter %s=%q: %v", p.name, v, err))
				return
			}
		}
	}
	out := struct {
		Model   string   `json:"model"`
		Results []Result `json:"results"`
		Next    *int64   `json:"next_after,omitempty"`
	}{Model: id, Results: []Result{}}
	err = s.db.scan(r.Context(), id, after, from, to, limit+1, func(rec record) error {
		if len(out.Results) == limit {
			next := out.Results[limit-1].Seq
			out.Next = &next
			return nil
		}
		out.Results = append(out.Results, Result{Seq: rec.Seq, Timestamp: time.Unix(0, rec.TS).UTC(), Value: rec.Value,
			Raw: rec.Raw, Likelihood: rec.Likelihood, Score: rec.Score, Pending: rec.Pending})
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
