package explore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dendritic/dendritic/theory"
)

//go:embed assets/index.html assets/app.js assets/plot.js assets/style.css
var assets embed.FS

// assetTypes lists every file the server serves, with its content type;
// any other path is 404 (there is no directory listing).
var assetTypes = map[string]string{
	"/":          "text/html; charset=utf-8",
	"/app.js":    "text/javascript; charset=utf-8",
	"/plot.js":   "text/javascript; charset=utf-8",
	"/style.css": "text/css; charset=utf-8",
}

// csp allows the page's own scripts, styles and API and nothing else.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Options configure a Server; zero fields take the defaults below.
type Options struct {
	// MaxJobs bounds the simulations running at once, server-wide
	// (default 2: one per core of a small machine).
	MaxJobs int
	// MaxSamples bounds the samples of one simulation (default 10^8).
	MaxSamples int64
	// SimWall bounds the wall time of one simulation (default 60 s); a
	// job that reaches it ends with its partial result.
	SimWall time.Duration
	// MaxCompute bounds the theory requests computed at once (default
	// 16); more get 503.
	MaxCompute int
	// Hosts, if not empty, lists the Host header values accepted (such as
	// "127.0.0.1:8080"); others get 421, which defeats DNS rebinding.
	Hosts []string
}

// Server is the explorer's HTTP handler with its job bookkeeping.
type Server struct {
	opts    Options
	mu      sync.Mutex
	jobs    map[string]bool
	compute chan struct{}

	thrMu    sync.Mutex
	thrCache map[string]any
}

// New returns a Server.
func New(opts Options) *Server {
	if opts.MaxJobs <= 0 {
		opts.MaxJobs = 2
	}
	if opts.MaxSamples <= 0 {
		opts.MaxSamples = 100_000_000
	}
	if opts.SimWall <= 0 {
		opts.SimWall = 60 * time.Second
	}
	if opts.MaxCompute <= 0 {
		opts.MaxCompute = 16
	}
	return &Server{opts: opts, jobs: map[string]bool{}, compute: make(chan struct{}, opts.MaxCompute),
		thrCache: map[string]any{}}
}

// api is the handler of one theory endpoint.
type api func(s *Server, q *query) (any, error)

var apis = map[string]api{
	"/api/params":     (*Server).handleParams,
	"/api/value":      (*Server).handleValue,
	"/api/curve":      (*Server).handleCurve,
	"/api/design":     (*Server).handleDesign,
	"/api/thresholds": (*Server).handleThresholds,
}

// ServeHTTP routes a request: the page's assets, the theory endpoints and
// the simulation stream. Only GET and HEAD exist.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if len(s.opts.Hosts) > 0 && !containsFold(s.opts.Hosts, r.Host) {
		writeError(w, http.StatusMisdirectedRequest, "host %.60q is not this server's address", r.Host)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method %s is not allowed (GET only)", r.Method)
		return
	}
	path := r.URL.Path
	if ct, ok := assetTypes[path]; ok {
		s.serveAsset(w, path, ct)
		return
	}
	if path == "/api/sim" {
		if r.Method != http.MethodGet {
			h.Set("Allow", "GET")
			writeError(w, http.StatusMethodNotAllowed, "a simulation is started with GET only")
			return
		}
		q, err := parseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
		s.handleSim(w, r, q)
		return
	}
	f, ok := apis[path]
	if !ok {
		writeError(w, http.StatusNotFound, "no such page or endpoint %.80q", path)
		return
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	select {
	case s.compute <- struct{}{}:
		defer func() { <-s.compute }()
	default:
		writeError(w, http.StatusServiceUnavailable, "the server is busy (%d requests computing); try again", s.opts.MaxCompute)
		return
	}
	v, err := f(s, q)
	if err != nil {
		var br badRequest
		if errors.As(err, &br) {
			writeError(w, http.StatusBadRequest, "%v", err)
		} else {
			writeError(w, http.StatusInternalServerError, "%v", err)
		}
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func (s *Server) serveAsset(w http.ResponseWriter, path, ct string) {
	name := "assets" + path
	if path == "/" {
		name = "assets/index.html"
	}
	b, err := assets.ReadFile(name)
	if err != nil { // cannot happen: every name is embedded
		writeError(w, http.StatusInternalServerError, "asset %s: %v", path, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// thresholds returns the E7 statistics of a named grid, computed once.
func (s *Server) thresholds(name string) (any, error) {
	s.thrMu.Lock()
	defer s.thrMu.Unlock()
	if v, ok := s.thrCache[name]; ok {
		return v, nil
	}
	g, err := theory.GridByName(name)
	if err != nil {
		return nil, bad("%v", err)
	}
	stats, err := theory.Thresholds(g)
	if err != nil {
		return nil, err
	}
	type row struct {
		Theta  int    `json:"theta"`
		Count  int    `json:"count"`
		Mean   number `json:"mean"`
		Stdev  number `json:"stdev"`
		Min    number `json:"min"`
		Max    number `json:"max"`
		Median number `json:"median"`
	}
	rows := make([]row, len(stats))
	for i, t := range stats {
		rows[i] = row{t.Theta, t.Count, numberOfFloat(t.Mean), numberOfFloat(t.Stdev),
			numberOfFloat(t.Min), numberOfFloat(t.Max), numberOfFloat(t.Median)}
	}
	v := struct {
		Grid  theory.Grid `json:"grid"`
		Stats []row       `json:"stats"`
	}{g, rows}
	s.thrCache[name] = v
	return v, nil
}

// ErrAddress marks an address that is not of the form HOST:PORT.
var ErrAddress = errors.New("bad address")

// Listen opens addr ("127.0.0.1:0" when empty). It returns a warning when
// the address is not a loopback one: anything on the network can then
// reach the server.
func Listen(addr string) (ln net.Listener, warning string, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", fmt.Errorf("%w %q: %v (want HOST:PORT, e.g. 127.0.0.1:8080)", ErrAddress, addr, err)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	if !isLoopback(host) {
		warning = fmt.Sprintf("listening on %s, which is not a loopback address: anything that can reach it can use this server", ln.Addr())
	}
	return ln, warning, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackHosts returns the Host header values under which a browser on
// this machine reaches a loopback listener: the address itself and
// localhost with its port. Nil for a non-loopback listener.
func LoopbackHosts(ln net.Listener) []string {
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return nil
	}
	port := fmt.Sprint(tcp.Port)
	return []string{tcp.String(), "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
}

// Serve serves h on ln until ctx is cancelled, then shuts down, giving
// running requests a few seconds. The server's timeouts bound slow
// clients: headers in 5 s, a whole request in 10 s, a response in 30 s
// (a simulation stream extends its own deadline).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	return ctx.Err()
}
