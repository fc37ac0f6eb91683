package serve

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"time"
)

// Options configures a Server. The zero value of a field takes the
// default given.
type Options struct {
	// DB is the SQLite database file (created if missing).
	DB string
	// Token, if not empty, is required of every request as
	// "Authorization: Bearer TOKEN".
	Token string
	// QueueLen is each model's queue of append requests (default 64);
	// a request beyond it gets 429.
	QueueLen int
	// CheckpointRows and CheckpointEvery: a model's state is saved after
	// this many rows (default 5,000) or this long (default 60 s) since its
	// last checkpoint, whichever comes first.
	CheckpointRows  int
	CheckpointEvery time.Duration
	// MaxBody is the largest request body in bytes (default 8 MiB) and
	// MaxRows the most rows of one append (default 10,000).
	MaxBody int64
	MaxRows int
	// MaxModels bounds the number of models (default 10,000).
	MaxModels int
	// RetainRows, if positive, bounds the history a model keeps: each
	// checkpoint deletes, in its transaction, the model's rows more than
	// RetainRows before it. The rows after the last checkpoint, which a
	// restart replays, are always kept, so a model holds at most
	// RetainRows + CheckpointRows rows (plus one checkpoint interval's
	// rows when the timer, not the count, triggers). 0 (the default)
	// keeps every row.
	RetainRows int
	// Logf, if not nil, receives the server's log lines.
	Logf func(format string, args ...any)
}

func (o *Options) defaults() error {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.QueueLen, 64)
	def(&o.CheckpointRows, 5000)
	def(&o.MaxRows, 10000)
	def(&o.MaxModels, 10000)
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = time.Minute
	}
	if o.MaxBody == 0 {
		o.MaxBody = 8 << 20
	}
	if o.QueueLen < 1 || o.CheckpointRows < 1 || o.MaxRows < 1 || o.MaxModels < 1 || o.CheckpointEvery < 0 || o.MaxBody < 1 || o.RetainRows < 0 {
		return fmt.Errorf("serve: options must be positive: %+v", *o)
	}
	return nil
}

// Server is the service: the models, their workers and the database.
type Server struct {
	opt     Options
	db      *store
	metrics *metrics

	mu      sync.RWMutex
	models  map[string]*model
	closing bool
}

// Open opens the database, loads every model from its last checkpoint,
// replays the rows after it and starts the models' workers.
func Open(ctx context.Context, opt Options) (*Server, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	db, err := openStore(ctx, opt.DB)
	if err != nil {
		return nil, err
	}
	db.retain = int64(opt.RetainRows)
	s := &Server{opt: opt, db: db, metrics: newMetrics(), models: map[string]*model{}}
	specs, err := db.models(ctx)
	if err != nil {
		db.close()
		return nil, fmt.Errorf("serve: read models: %w", err)
	}
	// Models are independent: load them on every core.
	errs := make([]error, len(specs))
	ms := make([]*model, len(specs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, sp := range specs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ms[i] = s.newModel(sp)
			errs[i] = s.load(ctx, ms[i])
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		db.close()
		return nil, fmt.Errorf("serve: %w", err)
	}
	// A model that cannot be loaded (say, a detector that no longer
	// accepts its spec, or a replay that no longer agrees with its stored
	// rows) does not keep the others from serving: it is kept, with its
	// rows untouched in the database, and refuses rows with the reason.
	for i, err := range errs {
		if err != nil {
			m := ms[i]
			s.logf("model %s: load: %v", m.spec.ID, err)
			// load sets the detector and the counts only when it succeeds.
			// The cause is not wrapped, so that the refusal is a 500
			// whatever it was, as after a failed restore.
			m.failed = fmt.Errorf("model %s could not be loaded when the server opened (%v); its stored rows are kept: remove the cause and restart the server, or delete the model", m.spec.ID, err)
		}
	}
	for _, m := range ms {
		s.models[m.spec.ID] = m
		go s.run(m)
	}
	return s, nil
}

func (s *Server) newModel(sp Spec) *model {
	return &model{spec: sp, jobs: make(chan *job, s.opt.QueueLen), quit: make(chan struct{}),
		done: make(chan struct{}), ckAt: time.Now(), lastScore: math.NaN()}
}

func (s *Server) logf(format string, args ...any) {
	if s.opt.Logf != nil {
		s.opt.Logf(format, args...)
	}
}

// Close stops accepting rows, lets every worker finish its queue,
// checkpoints every model and closes the database. Call it after the HTTP
// server has stopped (http.Server.Shutdown).
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	ms := make([]*model, 0, len(s.models))
	for _, m := range s.models {
		ms = append(ms, m)
	}
	s.mu.Unlock()
	for _, m := range ms {
		m.stop()
	}
	for _, m := range ms {
		<-m.done
	}
	return s.db.close()
}

// errors of the model operations, mapped to statuses by the handlers.
var (
	errNotFound = errors.New("no such model")
	errExists   = errors.New("a model with this id exists")
	errClosing  = errors.New("the server is stopping")
)

// create adds a model.
func (s *Server) create(ctx context.Context, sp Spec) (*model, error) {
	if err := sp.check(); err != nil {
		return nil, &InputError{Row: -1, Reason: err.Error(), Code: 400}
	}
	if err := servable(&sp); err != nil {
		return nil, &InputError{Row: -1, Reason: err.Error(), Code: 400}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return nil, errClosing
	case s.models[sp.ID] != nil:
		return nil, errExists
	case len(s.models) >= s.opt.MaxModels:
		return nil, fmt.Errorf("%w: %d models, the limit", errBusy, s.opt.MaxModels)
	}
	m := s.newModel(sp)
	if sp.learned { // else the detector is built once the range is learned
		d, err := newDetector(&m.spec, nil)
		if err != nil {
			return nil, &InputError{Row: -1, Reason: err.Error(), Code: 400}
		}
		m.det = d
	}
	if err := s.db.insertModel(ctx, sp); err != nil {
		return nil, fmt.Errorf("storing the model: %w", err)
	}
	s.models[sp.ID] = m
	go s.run(m)
	return m, nil
}

// get returns a model.
func (s *Server) get(id string) (*model, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := s.models[id]; m != nil {
		return m, nil
	}
	return nil, errNotFound
}

// remove deletes a model: its worker answers what is queued, then its
// rows and checkpoint are deleted.
func (s *Server) remove(ctx context.Context, id string) error {
	s.mu.Lock()
	m := s.models[id]
	if m == nil {
		s.mu.Unlock()
		return errNotFound
	}
	delete(s.models, id)
	s.mu.Unlock()
	m.stop()
	<-m.done
	return s.db.deleteModel(ctx, id)
}

// list returns the models sorted by id.
func (s *Server) list() []*model {
	s.mu.RLock()
	out := make([]*model, 0, len(s.models))
	for _, m := range s.models {
		out = append(out, m)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].spec.ID < out[j].spec.ID })
	return out
}

// appendRows queues rows for the model and waits for the result. A full
// queue is errBusy at once.
func (s *Server) appendRows(ctx context.Context, id string, rows []Row) ([]Result, error) {
	s.mu.RLock()
	m := s.models[id]
	closing := s.closing
	s.mu.RUnlock()
	switch {
	case closing:
		return nil, errClosing
	case m == nil:
		return nil, errNotFound
	}
	j := &job{rows: rows, reply: make(chan jobReply, 1)}
	if err := m.enqueue(j); err != nil {
		return nil, err
	}
	s.metrics.queued.Add(1)
	// The worker always answers a queued job (it drains its queue before it
	// stops), so waiting here cannot hang; a client that goes away still
	// gets its rows applied, as it may retry them after reading the model.
	r := <-j.reply
	return r.results, r.err
}

// Info is what inspecting a model returns.
type Info struct {
	Spec
	// Learning is true while the model waits for its LearnRows rows.
	Learning            bool      `json:"learning"`
	Rows                int64     `json:"rows"`
	LastTimestamp       time.Time `json:"last_timestamp,omitzero"`
	LastScore           *float64  `json:"last_score"`
	QueueDepth          int       `json:"queue_depth"`
	CheckpointRows      int64     `json:"checkpoint_rows"`
	CheckpointAge       float64   `json:"checkpoint_age_seconds"`
	CheckpointBytes     int       `json:"checkpoint_bytes"`
	CheckpointSeconds   float64   `json:"checkpoint_seconds"`
	RowsSinceCheckpoint int64     `json:"rows_since_checkpoint"`
	// Error, when set, says why the model refuses rows: it could not be
	// loaded when the server opened, or restored after a failed request.
	// Its stored rows are kept; Rows then counts only those loaded.
	Error string `json:"error,omitempty"`
}

func (m *model) info() Info {
	m.mu.Lock()
	defer m.mu.Unlock()
	in := Info{Spec: m.spec, Learning: !m.spec.learned, Rows: m.seq, QueueDepth: len(m.jobs), CheckpointRows: m.ckSeq,
		CheckpointAge: time.Since(m.ckAt).Seconds(), CheckpointBytes: m.ckBytes,
		CheckpointSeconds: m.ckTime.Seconds(), RowsSinceCheckpoint: m.seq - m.ckSeq}
	if m.seq > 0 {
		in.LastTimestamp = time.Unix(0, m.lastTS).UTC()
	}
	if v := m.lastScore; !math.IsNaN(v) {
		in.LastScore = &v
	}
	if m.failed != nil {
		in.Error = m.failed.Error()
	}
	return in
}

// CheckAddr refuses to listen on a non-loopback address without a token.
// A host that is empty, a wildcard or a name other than "localhost" counts
// as non-loopback.
func CheckAddr(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %v", addr, err)
	}
	ip := net.ParseIP(host)
	if host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	if token == "" {
		return fmt.Errorf("address %q is not loopback: refusing to serve it without --token (every request then needs \"Authorization: Bearer TOKEN\")", addr)
	}
	return nil
}

// NewHTTPServer returns an http.Server for h on addr with the service's
// timeouts: 5 s to read a request's headers, 60 s for its body, 120 s to
// write the response (an append waits for its model's queue), 120 s idle.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
}
