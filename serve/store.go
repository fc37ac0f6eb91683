package serve

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver ("sqlite")
)

// schema is the database layout. Timestamps are Unix nanoseconds (UTC);
// seq numbers a model's rows from 1.
const schema = `
CREATE TABLE IF NOT EXISTS models (
	id        TEXT PRIMARY KEY,
	detector  TEXT NOT NULL,
	min       REAL NOT NULL,
	max       REAL NOT NULL,
	probation INTEGER NOT NULL,
	seed      INTEGER NOT NULL,
	learn     INTEGER NOT NULL,
	learned   INTEGER NOT NULL,
	created   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rows (
	model      TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	ts         INTEGER NOT NULL,
	value      REAL NOT NULL,
	raw        REAL NOT NULL,
	likelihood REAL NOT NULL,
	score      REAL NOT NULL,
	pending    INTEGER NOT NULL,
	PRIMARY KEY (model, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
	model TEXT PRIMARY KEY,
	seq   INTEGER NOT NULL,
	state BLOB NOT NULL,
	saved INTEGER NOT NULL
) WITHOUT ROWID;
`

// store is the SQLite database: one writing connection (SQLite has one
// writer at a time; a single connection makes the writers queue in Go
// rather than spin on SQLITE_BUSY) and a pool of readers.
type store struct {
	w, r *sql.DB
	// retain is Options.RetainRows: with a checkpoint at row k, the rows
	// up to k − retain are deleted (0: none).
	retain int64
}

// openStore opens (creating if needed) the database at path in WAL mode
// with synchronous FULL: a committed transaction survives a kill of the
// process and a power loss.
func openStore(ctx context.Context, path string) (*store, error) {
	if path == "" {
		return nil, errors.New("serve: no database path")
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("serve: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("serve: database %s: %w", path, err)
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		w.Close()
		return nil, fmt.Errorf("serve: database %s: journal mode %q (%v), want wal", path, mode, err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(ON)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	return &store{w: w, r: r}, nil
}

func (s *store) close() error { return errors.Join(s.r.Close(), s.w.Close()) }

// record is one stored row.
type record struct {
	Seq                    int64
	TS                     int64 // Unix nanoseconds
	Value                  float64
	Raw, Likelihood, Score float64
	Pending                bool // stored while the model learns its range; no scores yet
}

// insertModel adds a model; it fails if the id exists (the caller checks
// first, under its lock, so this is a safety net).
func (s *store) insertModel(ctx context.Context, sp Spec) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO models (id, detector, min, max, probation, seed, learn, learned, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sp.ID, sp.Detector, sp.Min, sp.Max, sp.Probation, int64(sp.Seed), sp.LearnRows, sp.learned, time.Now().UnixNano())
	return err
}

// deleteModel removes a model, its rows and its checkpoint in one
// transaction.
func (s *store) deleteModel(ctx context.Context, id string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM rows WHERE model = ?`, `DELETE FROM checkpoints WHERE model = ?`, `DELETE FROM models WHERE id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// checkpoint is a saved detector state covering the rows up to Seq.
type checkpoint struct {
	Seq   int64
	State []byte
	Saved time.Time
}

// appendRows stores recs (and ck, if not nil) in one transaction.
func (s *store) appendRows(ctx context.Context, id string, recs []record, ck *checkpoint) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertRecords(ctx, tx, id, recs); err != nil {
		return err
	}
	if ck != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoints (model, seq, state, saved) VALUES (?, ?, ?, ?)
			ON CONFLICT (model) DO UPDATE SET seq = excluded.seq, state = excluded.state, saved = excluded.saved`,
			id, ck.Seq, ck.State, ck.Saved.UnixNano()); err != nil {
			return err
		}
		// The checkpoint covers every row up to ck.Seq; a restart reads
		// row ck.Seq itself (its timestamp and score) and replays the
		// later ones, so retain ≥ 1 keeps all a restart needs.
		if s.retain > 0 && ck.Seq > s.retain {
			if _, err := tx.ExecContext(ctx, `DELETE FROM rows WHERE model = ? AND seq <= ?`, id, ck.Seq-s.retain); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

func insertRecords(ctx context.Context, tx *sql.Tx, id string, recs []record) error {
	if len(recs) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO rows (model, seq, ts, value, raw, likelihood, score, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range recs {
		if _, err := st.ExecContext(ctx, id, r.Seq, r.TS, r.Value, r.Raw, r.Likelihood, r.Score, r.Pending); err != nil {
			return err
		}
	}
	return nil
}

// learnRange stores, in one transaction, the learned range of a model,
// the scores of its pending rows (updates) and the new rows recs.
func (s *store) learnRange(ctx context.Context, id string, lo, hi float64, updates, recs []record) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE models SET min = ?, max = ?, learned = 1 WHERE id = ?`, lo, hi, id); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `UPDATE rows SET raw = ?, likelihood = ?, score = ?, pending = 0 WHERE model = ? AND seq = ? AND pending = 1`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range updates {
		res, err := st.ExecContext(ctx, r.Raw, r.Likelihood, r.Score, id, r.Seq)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("pending row %d: %d updated (%v)", r.Seq, n, err)
		}
	}
	if err := insertRecords(ctx, tx, id, recs); err != nil {
		return err
	}
	return tx.Commit()
}

// models returns every stored model's spec.
func (s *store) models(ctx context.Context) ([]Spec, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, detector, min, max, probation, seed, learn, learned FROM models ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Spec
	for rows.Next() {
		var sp Spec
		var seed int64
		if err := rows.Scan(&sp.ID, &sp.Detector, &sp.Min, &sp.Max, &sp.Probation, &seed, &sp.LearnRows, &sp.learned); err != nil {
			return nil, err
		}
		sp.Seed = uint64(seed)
		out = append(out, sp)
	}
	return out, rows.Err()
}

// lastCheckpoint returns the model's checkpoint, or nil if it has none.
func (s *store) lastCheckpoint(ctx context.Context, id string) (*checkpoint, error) {
	var ck checkpoint
	var saved int64
	err := s.r.QueryRowContext(ctx, `SELECT seq, state, saved FROM checkpoints WHERE model = ?`, id).Scan(&ck.Seq, &ck.State, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ck.Saved = time.Unix(0, saved)
	return &ck, nil
}

// scan calls f for each row of the model with seq > after and from ≤ ts
// ≤ to, in order, at most limit rows (limit < 0: all).
func (s *store) scan(ctx context.Context, id string, after, from, to int64, limit int, f func(record) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, ts, value, raw, likelihood, score, pending FROM rows
		WHERE model = ? AND seq > ? AND ts >= ? AND ts <= ? ORDER BY seq LIMIT ?`, id, after, from, to, limit)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r record
		if err := rows.Scan(&r.Seq, &r.TS, &r.Value, &r.Raw, &r.Likelihood, &r.Score, &r.Pending); err != nil {
			return err
		}
		if err := f(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanAll is scan over every row after seq.
func (s *store) scanAll(ctx context.Context, id string, after int64, f func(record) error) error {
	return s.scan(ctx, id, after, math.MinInt64, math.MaxInt64, -1, f)
}
