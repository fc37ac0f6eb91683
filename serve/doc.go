// Package serve is the anomaly-detection service behind "dendritic serve":
// many metrics, one process, each metric a model — one streaming detector
// of the NAB registry (htm, numenta, …) — fed rows over HTTP and kept in
// SQLite.
//
// The model of the service is a log and a snapshot per metric. Every
// accepted row is appended, with the scores the detector gave it, to the
// rows table in the same SQLite transaction (WAL mode, synchronous FULL)
// that is committed before the response is sent, so an acknowledged row
// is durable. Every K rows or T seconds the detector's whole state (its
// exact MarshalBinary) is written to the checkpoints table in the same
// transaction as the rows it covers, with the sequence number of the last
// of them. On start each model is loaded from its last checkpoint (or
// built from its creation parameters when it has none) and the rows after
// it are replayed through the detector; the detectors are deterministic,
// so the replay recomputes the stored scores bit for bit, and Open checks
// that it does. A model that fails to load (its detector gone from the
// registry or refusing its parameters, a replay that disagrees) is kept
// as it is stored and refuses rows, with the reason in its Info.Error,
// while the others serve; delete it, or remove the cause and restart. A
// kill at any moment therefore loses only unacknowledged
// rows, and the scores after a restart are those of a run that was never
// interrupted. With Options.RetainRows a checkpoint also deletes the rows
// more than RetainRows before it, which a restart no longer needs.
//
// Each model has one goroutine and a bounded queue of requests: its rows
// are processed strictly in order, different models run in parallel, and
// a full queue is answered with 429 and a Retry-After instead of growing
// memory. A request's rows are all applied or none: they are validated
// (finite values, timestamps strictly increasing and after the model's
// last) before the detector sees any, and if the detector still refuses
// one, the model is restored from the database to its state before the
// request.
package serve
