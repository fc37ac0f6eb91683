package serve

import (
	"context"
	"fmt"
	"math"
	"time"
)

// load builds m's detector from its last checkpoint (or fresh) and
// replays the stored rows after it, checking that each recomputed score
// equals the stored one bit for bit.
func (s *Server) load(ctx context.Context, m *model) error {
	if !m.spec.learned {
		return s.loadLearning(ctx, m)
	}
	ck, err := s.db.lastCheckpoint(ctx, m.spec.ID)
	if err != nil {
		return err
	}
	var state []byte
	var after int64
	if ck != nil {
		state, after = ck.State, ck.Seq
	}
	d, err := newDetector(&m.spec, state)
	if err != nil {
		return err
	}
	seq, last, lastScore := after, int64(0), math.NaN()
	if ck != nil {
		// The timestamp of the checkpoint's last row.
		err = s.db.scan(ctx, m.spec.ID, after-1, math.MinInt64, math.MaxInt64, 1, func(r record) error {
			last, lastScore = r.TS, r.Score
			return nil
		})
		if err != nil {
			return err
		}
	}
	err = s.db.scanAll(ctx, m.spec.ID, after, func(r record) error {
		if r.Seq != seq+1 {
			return fmt.Errorf("row %d follows row %d", r.Seq, seq)
		}
		raw, like, score, err := d.Outputs(time.Unix(0, r.TS).UTC(), r.Value)
		if err != nil {
			return fmt.Errorf("replay of row %d: %w", r.Seq, err)
		}
		b := math.Float64bits
		if b(raw) != b(r.Raw) || b(like) != b(r.Likelihood) || b(score) != b(r.Score) {
			return fmt.Errorf("replay of row %d gave (%v, %v, %v), stored (%v, %v, %v)", r.Seq, raw, like, score, r.Raw, r.Likelihood, r.Score)
		}
		seq, last, lastScore = r.Seq, r.TS, r.Score
		return nil
	})
	if err != nil {
		return fmt.Errorf("model %s: %w", m.spec.ID, err)
	}
	m.det = d
	m.mu.Lock()
	m.seq, m.lastTS, m.lastScore = seq, last, lastScore
	m.ckSeq, m.ckAt = after, time.Now()
	if ck != nil {
		m.ckBytes, m.ckAt = len(ck.State), ck.Saved
	}
	m.mu.Unlock()
	return nil
}

// run is m's worker: it applies the queued requests in order and
// checkpoints every CheckpointRows rows or CheckpointEvery. When quit is
// closed it applies what is queued, checkpoints and returns.
func (s *Server) run(m *model) {
	defer close(m.done)
	tick := time.NewTicker(s.opt.CheckpointEvery)
	defer tick.Stop()
	for {
		select {
		case j := <-m.jobs:
			s.apply(m, j)
		case <-tick.C:
			s.checkpointIfDue(m, false)
		case <-m.quit:
			for {
				select {
				case j := <-m.jobs:
					s.apply(m, j)
				default:
					s.checkpointIfDue(m, true)
					return
				}
			}
		}
	}
}

// apply validates a request's rows against the model, runs them through
// the detector, stores them (with a checkpoint if one is due) and replies.
func (s *Server) apply(m *model, j *job) {
	s.metrics.queued.Add(-1)
	res, err := s.applyRows(m, j.rows)
	j.reply <- jobReply{results: res, err: err}
}

func (s *Server) applyRows(m *model, rows []Row) ([]Result, error) {
	m.mu.Lock()
	seq, last, failed := m.seq, m.lastTS, m.failed
	m.mu.Unlock()
	if failed != nil {
		return nil, failed
	}
	if err := checkOrder(rows, seq, last); err != nil {
		return nil, err
	}
	if m.det == nil {
		return s.applyLearning(m, rows, seq)
	}
	return s.scoreRows(m, rows, seq)
}

// checkOrder refuses the first row whose timestamp is not after the
// previous row's (or, for the first, the model's last, if it has rows).
func checkOrder(rows []Row, seq, last int64) error {
	for i, r := range rows {
		ts := r.Time.UnixNano()
		if seq+int64(i) > 0 && ts <= last {
			prev := "the model's last row"
			if i > 0 {
				prev = fmt.Sprintf("row %d", i-1)
			}
			return &InputError{Row: i, Code: 409, Reason: fmt.Sprintf("timestamp %s is not after %s (%s): refused",
				r.Time.UTC().Format(time.RFC3339Nano), prev, time.Unix(0, last).UTC().Format(time.RFC3339Nano))}
		}
		last = ts
	}
	return nil
}

func (s *Server) scoreRows(m *model, rows []Row, seq int64) ([]Result, error) {
	recs := make([]record, len(rows))
	res := make([]Result, len(rows))
	for i, r := range rows {
		raw, like, score, err := m.det.Outputs(r.Time.UTC(), r.Value)
		if err != nil {
			// Earlier rows of the request (and possibly this one) have
			// changed the detector: put it back as the database has it, so
			// that none of them counts.
			s.restore(m)
			return nil, &InputError{Row: i, Code: 422, Reason: fmt.Sprintf("the detector refused value %v: %v", r.Value, err)}
		}
		recs[i] = record{Seq: seq + int64(i) + 1, TS: r.Time.UnixNano(), Value: r.Value, Raw: raw, Likelihood: like, Score: score}
		res[i] = Result{Seq: recs[i].Seq, Timestamp: time.Unix(0, recs[i].TS).UTC(), Value: r.Value, Raw: raw, Likelihood: like, Score: score}
	}
	ck, err := s.dueCheckpoint(m, seq+int64(len(rows)), false)
	if err == nil {
		err = s.db.appendRows(context.Background(), m.spec.ID, recs, ck)
	}
	if err != nil {
		s.restore(m)
		return nil, fmt.Errorf("storing rows: %w", err)
	}
	s.metrics.rows.Add(int64(len(rows)))
	m.mu.Lock()
	m.seq, m.lastTS, m.lastScore = recs[len(recs)-1].Seq, recs[len(recs)-1].TS, recs[len(recs)-1].Score
	if ck != nil {
		m.ckSeq, m.ckAt, m.ckBytes = ck.Seq, ck.Saved, len(ck.State)
	}
	m.mu.Unlock()
	return res, nil
}

// dueCheckpoint returns the checkpoint to store with the rows up to seq
// if CheckpointRows rows have accumulated since the last one, or
// CheckpointEvery has passed, or force; nil otherwise.
func (s *Server) dueCheckpoint(m *model, seq int64, force bool) (*checkpoint, error) {
	m.mu.Lock()
	since, age := seq-m.ckSeq, time.Since(m.ckAt)
	m.mu.Unlock()
	if m.det == nil || since <= 0 || !force && since < int64(s.opt.CheckpointRows) && age < s.opt.CheckpointEvery {
		return nil, nil
	}
	t0 := time.Now()
	state, err := m.det.MarshalBinary()
	if err != nil {
		return nil, err
	}
	d := time.Since(t0)
	s.metrics.checkpoint.observe(d.Seconds())
	m.mu.Lock()
	m.ckTime = d
	m.mu.Unlock()
	return &checkpoint{Seq: seq, State: state, Saved: time.Now()}, nil
}

// checkpointIfDue writes a checkpoint of the rows applied so far, alone in
// its transaction, if one is due.
func (s *Server) checkpointIfDue(m *model, force bool) {
	m.mu.Lock()
	seq, failed := m.seq, m.failed
	m.mu.Unlock()
	if failed != nil {
		return
	}
	ck, err := s.dueCheckpoint(m, seq, force)
	if err == nil && ck != nil {
		err = s.db.appendRows(context.Background(), m.spec.ID, nil, ck)
	}
	if err != nil {
		s.logf("model %s: checkpoint: %v", m.spec.ID, err)
		return
	}
	if ck != nil {
		m.mu.Lock()
		m.ckSeq, m.ckAt, m.ckBytes = ck.Seq, ck.Saved, len(ck.State)
		m.mu.Unlock()
	}
}

// restore reloads m from the database after a request that changed the
// detector was not stored. If that fails the model refuses further rows
// until the server restarts.
func (s *Server) restore(m *model) {
	if err := s.load(context.Background(), m); err != nil {
		s.logf("model %s: restore: %v", m.spec.ID, err)
		m.mu.Lock()
		m.failed = fmt.Errorf("model %s could not be restored after a failed request (%v); restart the server", m.spec.ID, err)
		m.mu.Unlock()
	}
}

// loadLearning loads a model still learning its range: its rows, all
// pending.
func (s *Server) loadLearning(ctx context.Context, m *model) error {
	var seq, last int64
	err := s.db.scanAll(ctx, m.spec.ID, 0, func(r record) error {
		if r.Seq != seq+1 || !r.Pending {
			return fmt.Errorf("row %d (pending %v) follows row %d of a model learning its range", r.Seq, r.Pending, seq)
		}
		seq, last = r.Seq, r.TS
		return nil
	})
	if err != nil {
		return fmt.Errorf("model %s: %w", m.spec.ID, err)
	}
	m.det = nil
	m.mu.Lock()
	m.seq, m.lastTS, m.lastScore = seq, last, math.NaN()
	m.mu.Unlock()
	return nil
}

// applyLearning stores the rows of a model still learning its range. The
// request that brings the LearnRows-th row fixes the range (the smallest
// and largest of the first LearnRows values), builds the detector, scores
// every stored row and the request's, and stores it all in one
// transaction; a failure leaves the model as it was.
func (s *Server) applyLearning(m *model, rows []Row, seq int64) ([]Result, error) {
	need := int64(m.spec.LearnRows) - seq
	recs := make([]record, len(rows))
	for i, r := range rows {
		recs[i] = record{Seq: seq + int64(i) + 1, TS: r.Time.UnixNano(), Value: r.Value, Pending: true}
	}
	if int64(len(rows)) < need {
		if err := s.db.appendRows(context.Background(), m.spec.ID, recs, nil); err != nil {
			return nil, fmt.Errorf("storing rows: %w", err)
		}
		s.metrics.rows.Add(int64(len(rows)))
		m.mu.Lock()
		m.seq, m.lastTS = recs[len(recs)-1].Seq, recs[len(recs)-1].TS
		m.mu.Unlock()
		res := make([]Result, len(recs))
		for i, r := range recs {
			res[i] = Result{Seq: r.Seq, Timestamp: time.Unix(0, r.TS).UTC(), Value: r.Value, Pending: true}
		}
		return res, nil
	}
	var stored []record
	if err := s.db.scanAll(context.Background(), m.spec.ID, 0, func(r record) error {
		stored = append(stored, r)
		return nil
	}); err != nil {
		return nil, err
	}
	window := append(stored, recs[:need]...)
	sp := m.spec
	sp.Min, sp.Max = window[0].Value, window[0].Value
	for _, r := range window {
		sp.Min, sp.Max = min(sp.Min, r.Value), max(sp.Max, r.Value)
	}
	sp.learned = true
	if math.Abs(sp.Max-sp.Min) > math.MaxFloat64/4 { // as Spec.check
		return nil, &InputError{Row: int(need - 1), Code: 422, Reason: fmt.Sprintf("learned range [%v, %v] is too wide", sp.Min, sp.Max)}
	}
	d, err := newDetector(&sp, nil)
	if err != nil {
		return nil, err
	}
	all := append(stored, recs...)
	for i := range all {
		r := &all[i]
		r.Raw, r.Likelihood, r.Score, err = d.Outputs(time.Unix(0, r.TS).UTC(), r.Value)
		if err != nil {
			return nil, &InputError{Row: max(0, i-len(stored)), Code: 422, Reason: fmt.Sprintf("the detector refused value %v: %v", r.Value, err)}
		}
		r.Pending = false
	}
	if err := s.db.learnRange(context.Background(), m.spec.ID, sp.Min, sp.Max, all[:len(stored)], all[len(stored):]); err != nil {
		return nil, fmt.Errorf("storing rows: %w", err)
	}
	s.metrics.rows.Add(int64(len(rows)))
	last := all[len(all)-1]
	m.det = d
	m.mu.Lock() // only the range changes: other readers of spec read the id
	m.spec.Min, m.spec.Max, m.spec.learned = sp.Min, sp.Max, true
	m.seq, m.lastTS, m.lastScore = last.Seq, last.TS, last.Score
	m.ckAt = time.Now()
	m.mu.Unlock()
	res := make([]Result, len(rows))
	for i, r := range all[len(stored):] {
		res[i] = Result{Seq: r.Seq, Timestamp: time.Unix(0, r.TS).UTC(), Value: r.Value, Raw: r.Raw, Likelihood: r.Likelihood, Score: r.Score}
	}
	return res, nil
}
