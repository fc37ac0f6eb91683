// Package btm implements NuPIC's backtracking temporal memory
// (BacktrackingTM, whose C++ core is nupic.core's Cells4), the sequence
// memory of NAB's "numenta" detector, written from the behavioural
// specification docs/backtracking-tm.md (section numbers below
// refer to it).
//
// # Model
//
// A layer of NumberOfCols columns of CellsPerColumn cells learns sequences
// of sparse inputs (sets of active columns). Cell 0 of each column is its
// start cell: it never grows segments and (re)starts a sequence without
// context. Every other cell grows distal segments whose synapses, with
// float permanences, sample the learn cells of the previous step. Two
// state machines share the synapses (§1): the inference state activates,
// in each active column, the cells predicted at the previous step, or
// all cells (a burst), and predicts from connected synapses; its column
// and cell confidences sum the duty cycles (§7) of the segments with at
// least ActivationThreshold active synapses of any permanence. The
// learning state keeps at most one learn cell and one learn-predicted
// cell per column and grows or reinforces one segment per column per step
// (§4). When at least half of the input is unexpected, inference replays
// the last MaxInfBacktrack inputs from start cells at each earlier point
// and keeps the oldest replay that stays in sequence (§3); learning
// restarts on start cells after PamLength consecutive poorly predicted
// steps ("pay attention mode") or MaxSeqLength learned steps, after
// trying to re-attach the new path up to MaxLrnBacktrack inputs back
// (§4 D). Segments predicted at t are reinforced at t+1 only if their
// column became active (the update queue, §5); there is no punishment of
// wrong predictions. In fixed-size mode a full column evicts its segment
// of lowest duty cycle and a full segment frees its weakest synapses
// (§4 C.3, §6); otherwise GlobalDecay weakens idle segments every MaxAge
// steps (§8). Synapses reaching permanence ≤ 0 are deleted, and so are
// segments left empty.
//
// Anomaly is the raw score NAB used (§9): the fraction of the active
// columns that had no confidence after the previous step, i.e. no segment
// with ActivationThreshold active potential synapses; it is looser than
// a standard temporal memory's predictive cells.
//
// # Data layout and what is shared with dendrite
//
// Package dendrite's Connections does not fit: a backtracking segment
// counts all its synapses for potential activity and confidence, needs
// duty cycles and activation counters, is evicted by lowest duty cycle
// (dendrite evicts the least recently used) and frees synapses by a
// two-tier rule. btm therefore keeps its own store: a flat slice of
// segments (slots reused last in, first out; each keeps its synapse block
// for the next segment of the slot), per-cell lists of slots kept in
// increasing order (the canonical "first segment" of a cell), and a
// reverse index from each presynaptic cell to its segments, so that
// activity costs the synapses from the active cells only. Nothing but the
// idea of the reverse index is shared.
//
// The synapse lists and the per-cell lists live in blocks of 2^c elements
// carved from large chunks (pool.go): a list that outgrows its block moves
// to one of the next class from a free list, so a growing store allocates
// per chunk (a few times per thousand steps), not per list, and a store at
// its working size allocates nothing; scratch lists double their capacity
// when they grow. Once warm, a step allocates nothing: on a learned
// sequence not at all, on random input, once every cell has its cap of
// segments, only when a scratch or free list reaches a new maximum, ever
// more rarely (alloc_test.go has the measurements).
//
// # Deviations from nupic.core
//
// Random choices use math/rand/v2's PCG, not NuPIC's generator (parity is
// not required, §12); duty cycles are float64 and permanences float32;
// eviction searches from +∞ rather than 1.0 (a duty cycle can exceed 1).
// Pooling, statistics, the burn-in and the t−1 confidences (never read by
// the algorithm) are not kept.
//
// # Determinism and persistence
//
// The only randomness is the PCG seeded from Params.Seed; every choice and
// every floating-point sum is in a canonical order. Save writes the
// complete state, and Load restores a TM that produces exactly the same
// outputs, and the same encoding, as the original.
//
// # Tutorial
//
//	tm, err := btm.New(btm.NABParams())   // 2048 columns × 32 cells
//	if err != nil { … }
//	for _, cols := range inputs {         // each: sorted active columns
//		if err := tm.Compute(cols, true); err != nil { … }
//		tm.Anomaly()                      // NAB's raw anomaly score
//	}
package btm
