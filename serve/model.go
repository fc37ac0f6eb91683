package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sync"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// Spec is what a model is created with.
type Spec struct {
	// ID names the model: 1 to 128 letters, digits, '.', '_' or '-',
	// starting with a letter or digit.
	ID string `json:"id"`
	// Detector is a name of the NAB registry (nab.Detectors) whose
	// detector can be checkpointed (htm, htm-raw, numenta, numenta-raw,
	// contextOSE, numenta-gmean-cad, numenta-gmean2-cad-peaks,
	// numenta-gmean-cad-peaks-cal).
	Detector string `json:"detector"`
	// Min and Max are the metric's expected range (the detector's encoder
	// resolution follows from it, as NAB's from a file's range).
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Probation is the probationary period in rows (NAB's; the likelihood
	// learns for half of it and estimates for the rest); 0 means 750,
	// NAB's value for a file of 5,000 rows or more. At most 2^20, and at
	// most the detector's nab.Registration.MaxProbation where it has one
	// (8,640 for the numenta-gmean-* detectors, which replay the period on
	// the row that ends it).
	Probation int `json:"probation"`
	// Seed seeds a detector that draws random numbers.
	Seed uint64 `json:"seed"`
	// LearnRows, given instead of Min and Max, makes the model take them
	// from its first LearnRows rows (their smallest and largest values):
	// those rows are stored as they come, answered as pending (no scores),
	// and scored all at once when the last of them arrives.
	LearnRows int `json:"learn_rows,omitempty"`
	// learned is false while the model still waits for its LearnRows rows.
	learned bool
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// DefaultProbation is Spec.Probation's default: NAB's probationary period
// of a file of 5,000 rows or more (15 % of 5,000).
const DefaultProbation = 750

// maxLearnRows bounds Spec.LearnRows.
const maxLearnRows = 100000

// maxProbation bounds Spec.Probation (the likelihood's window is 8,640).
const maxProbation = 1 << 20

// check validates sp and fills in its defaults.
func (sp *Spec) check() error {
	switch {
	case !validID.MatchString(sp.ID):
		return fmt.Errorf("invalid model id %q: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit", sp.ID)
	case math.IsNaN(sp.Min) || math.IsNaN(sp.Max) || math.IsInf(sp.Min, 0) || math.IsInf(sp.Max, 0):
		return fmt.Errorf("min %v and max %v must be finite", sp.Min, sp.Max)
	case sp.Min > sp.Max:
		return fmt.Errorf("min %v exceeds max %v", sp.Min, sp.Max)
	case math.Abs(sp.Max-sp.Min) > math.MaxFloat64/4:
		return fmt.Errorf("range [%v, %v] is too wide", sp.Min, sp.Max)
	case sp.Probation < 0 || sp.Probation > maxProbation:
		return fmt.Errorf("probation %d outside [0, %d]", sp.Probation, maxProbation)
	case sp.LearnRows < 0 || sp.LearnRows > maxLearnRows:
		return fmt.Errorf("learn_rows %d outside [0, %d]", sp.LearnRows, maxLearnRows)
	case sp.LearnRows > 0 && (sp.Min != 0 || sp.Max != 0):
		return fmt.Errorf("give min and max, or learn_rows, not both")
	}
	sp.learned = sp.LearnRows == 0
	if sp.Probation == 0 {
		sp.Probation = DefaultProbation
	}
	return nil
}

// info is the NAB file description the detector factory is given.
func (sp *Spec) info() nab.FileInfo {
	return nab.FileInfo{Name: sp.ID, Probation: sp.Probation, Min: sp.Min, Max: sp.Max}
}

// detector is what a served model needs of a NAB detector: for each row
// the raw anomaly and likelihood beside the score (Outputs, which steps
// the detector like Score), and its exact state (htmdetect's and cad's
// detectors and nab's combinations of them have both).
type detector interface {
	nab.Detector
	Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error)
	MarshalBinary() ([]byte, error)
}

// newDetector builds the detector of sp, fresh, or from a checkpoint.
func newDetector(sp *Spec, state []byte) (detector, error) {
	var nd nab.Detector
	var err error
	if state != nil {
		var load func([]byte) (nab.Detector, error)
		if load, err = nab.LookupLoad(sp.Detector); err == nil {
			if load == nil {
				return nil, fmt.Errorf("detector %q cannot be restored from a checkpoint", sp.Detector)
			}
			nd, err = load(state)
		}
	} else {
		var f nab.DetectorFactory
		if f, err = nab.Lookup(sp.Detector, sp.Seed); err == nil {
			nd, err = f(sp.info())
		}
	}
	if err != nil {
		return nil, err
	}
	d, ok := nd.(detector)
	if !ok {
		return nil, fmt.Errorf("detector %q cannot be checkpointed", sp.Detector)
	}
	return d, nil
}

// servable reports whether the registry can restore sp's detector and
// build it for sp's probationary period.
func servable(sp *Spec) error {
	load, err := nab.LookupLoad(sp.Detector)
	if err != nil {
		return err
	}
	if load == nil {
		return fmt.Errorf("detector %q cannot be checkpointed, so it cannot be served", sp.Detector)
	}
	limit, err := nab.LookupMaxProbation(sp.Detector)
	if err != nil {
		return err
	}
	if limit > 0 && sp.Probation > limit {
		return fmt.Errorf("probation %d exceeds %d, the most detector %q takes (the row that ends its probationary period replays the whole period)", sp.Probation, limit, sp.Detector)
	}
	return nil
}

// Row is one input record.
type Row struct {
	Time  time.Time
	Value float64
}

// Result is the detector's answer for one row: the raw anomaly score, the
// anomaly likelihood and the final score (for htm and numenta, NAB's: 1 on
// a spatial anomaly, else the log-likelihood; contextOSE has no likelihood
// and reports 0 for it, and its score is its raw score outside its rest
// periods; a combination of detectors reports the raw score and likelihood
// of the member that gave its score).
type Result struct {
	Seq        int64     `json:"seq"`
	Timestamp  time.Time `json:"timestamp"`
	Value      float64   `json:"value"`
	Raw        float64   `json:"raw"`
	Likelihood float64   `json:"likelihood"`
	Score      float64   `json:"score"`
	// Pending marks a row of a model still learning its range (Spec.
	// LearnRows): it has no scores yet (null in JSON).
	Pending bool `json:"pending,omitempty"`
}

// MarshalJSON writes null scores for a pending row.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if !r.Pending {
		return json.Marshal(plain(r))
	}
	return json.Marshal(struct {
		Seq        int64     `json:"seq"`
		Timestamp  time.Time `json:"timestamp"`
		Value      float64   `json:"value"`
		Raw        *float64  `json:"raw"`
		Likelihood *float64  `json:"likelihood"`
		Score      *float64  `json:"score"`
		Pending    bool      `json:"pending"`
	}{r.Seq, r.Timestamp, r.Value, nil, nil, nil, true})
}

// job is one append request in a model's queue.
type job struct {
	rows  []Row
	reply chan jobReply
}

type jobReply struct {
	results []Result
	err     error
}

// model is one served metric: its detector and the goroutine that owns it.
type model struct {
	spec Spec
	jobs chan *job
	quit chan struct{} // closed by stop
	// sendMu orders the sends to jobs before close(quit), so that the
	// worker, which drains jobs after quit, answers every queued job.
	sendMu  sync.Mutex
	stopped bool
	done    chan struct{} // closed when the worker has stopped
	det     detector      // owned by the worker (and by load before it starts)

	mu        sync.Mutex // guards what follows, read by inspect
	seq       int64      // rows applied
	lastTS    int64      // Unix nanoseconds of row seq (if seq > 0)
	lastScore float64
	ckSeq     int64     // rows covered by the last checkpoint
	ckAt      time.Time // when it was written (or the model loaded)
	ckBytes   int
	ckTime    time.Duration
	failed    error // set when the model could not be restored; it refuses rows
}

// Errors of an append, mapped to HTTP statuses by the handlers.
var (
	errBusy    = errors.New("the model's queue is full")
	errStopped = errors.New("the model is being deleted or the server is stopping")
)

// InputError is a row refused before anything was applied: the request's
// rows are all refused.
type InputError struct {
	Row    int // 0-based index in the request, -1 for the request as a whole
	Reason string
	Code   int // the HTTP status: 400, 409 (timestamp order), 413, 422 (the detector refused)
}

func (e *InputError) Error() string {
	if e.Row < 0 {
		return e.Reason
	}
	return fmt.Sprintf("row %d: %s; no row of the request was applied", e.Row, e.Reason)
}

// enqueue queues j, or returns errBusy if the queue is full and
// errStopped if the model is stopping.
func (m *model) enqueue(j *job) error {
	m.sendMu.Lock()
	defer m.sendMu.Unlock()
	if m.stopped {
		return errStopped
	}
	select {
	case m.jobs <- j:
		return nil
	default:
		return errBusy
	}
}

// stop tells the worker to finish its queue, checkpoint and return.
func (m *model) stop() {
	m.sendMu.Lock()
	defer m.sendMu.Unlock()
	if !m.stopped {
		m.stopped = true
		close(m.quit)
	}
}
