package btm

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// ErrInput is wrapped by the errors of Compute for invalid input.
var ErrInput = errors.New("btm: invalid input")

// ErrUninit is returned by the methods of a nil or zero-value TM.
var ErrUninit = errors.New("btm: TM not created by New or Load")

// update is a queued segment update (backtracking-tm.md §5): a
// reinforcement of segment seg of cell towards the presynaptic cells
// qcells[off:off+n], queued at learning iteration stamp.
type update struct {
	cell, seg uint32
	stamp     uint64
	off, n    uint32
}

// Diagnostics are counters of the learning and inference machinery, for
// tests and inspection; they do not influence the outputs.
type Diagnostics struct {
	// PamCounter and LearnedSeqLength are the learning state's counters
	// (backtracking-tm.md §4 B, D).
	PamCounter, LearnedSeqLength int
	// AvgLearnedSeqLength is the diagnostic average of §4 D.1.
	AvgLearnedSeqLength float64
	// Restarts counts learning restarts (§4 D) by cause: after Reset, on
	// PAM expiry, on reaching MaxSeqLength (a step with several causes
	// counts under the first).
	RestartsReset, RestartsPam, RestartsMaxSeq uint64
	// LrnBacktracks counts restarts that learning backtracking re-attached
	// to an earlier start (back-steps > 0).
	LrnBacktracks uint64
	// InfBacktracks counts inference backtracking runs (§3), and
	// InfBacktrackPast those that chose a start before the current input.
	InfBacktracks, InfBacktrackPast uint64
	// LastRestartStep is the learning iteration of the last restart.
	LastRestartStep uint64
}

// TM is a backtracking temporal memory (see the package documentation).
// It is deterministic for a given Params.Seed and input sequence and not
// safe for concurrent use.
type TM struct {
	p      Params
	k      uint32 // cells per column
	ncols  uint32
	ncells uint32

	segs     []segment
	free     []uint32   // free slots, reused last-in first-out
	cellSegs [][]uint32 // per cell: its segments' slots, increasing
	out      [][]uint32 // per presynaptic cell: segments with a synapse from it
	nseg     int
	nsyn     int
	synPool  pool[synapse] // the blocks of segs[·].syn
	lists    pool[uint32]  // the blocks of cellSegs and out

	pcg *rand.PCG
	rng *rand.Rand

	iter, lrnIter    uint64
	avgDensity       float64
	pamCounter       int
	learnedSeqLength int
	resetCalled      bool
	anomaly          float64
	diag             Diagnostics

	// Inference state (sorted cell lists) and confidences at t (sparse:
	// the entries with a confidence > 0, by index).
	infActive, infPred, infPredPrev []uint32
	colIdx, cellIdx                 []uint32
	colVal, cellVal                 []float64
	// Learning state (sorted; at most one cell per column).
	lrnActive, lrnActivePrev, lrnPred, lrnPredPrev []uint32
	infHist, lrnHist                               history
	queue                                          []update
	qcells                                         []uint32

	// Scratch, zero between calls.
	counts  []uint32 // per slot, see countActivity
	touched []uint32
	cellBit bitmap // cells
	markBit bitmap // cells (update sets)
	segBit  bitmap // cells (presynaptic cells of one segment)
	colBit  bitmap // columns
	hits    []hit
	keys    []uint64 // overThreshold's sort keys
	upd     []uint32
	cand    []uint32
	fresh   []uint32
	saveAct []uint32
	savePP  []uint32
	bad     []bool
}

// hit is a segment over a threshold, with its owner and activity.
type hit struct {
	cell, seg, count uint32
}

// New returns a TM with no segments.
func New(p Params) (*TM, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	tm := newTM(p, rand.NewPCG(p.Seed, 0))
	tm.allocCells()
	return tm, nil
}

// newTM returns a TM without its per-cell state (see allocCells): what it
// allocates does not depend on the number of cells or columns, so that
// the decoder can validate its input before allocating what the input's
// parameters declare.
func newTM(p Params, pcg *rand.PCG) *TM {
	return &TM{
		p:          p,
		k:          uint32(p.CellsPerColumn),
		ncols:      uint32(p.NumberOfCols),
		ncells:     uint32(p.NumberOfCols * p.CellsPerColumn),
		pcg:        pcg,
		rng:        rand.New(pcg),
		pamCounter: p.PamLength,
		infHist:    newHistory(p.MaxInfBacktrack),
		lrnHist:    newHistory(p.MaxLrnBacktrack),
		bad:        make([]bool, max(p.MaxInfBacktrack, p.MaxLrnBacktrack)+1),
	}
}

// allocCells allocates the per-cell and per-column state: the lists of
// segments by cell and by presynaptic cell (48 bytes per cell) and the
// scratch bitmaps.
func (tm *TM) allocCells() {
	words := (tm.ncells + 63) / 64
	tm.cellSegs = make([][]uint32, tm.ncells)
	tm.out = make([][]uint32, tm.ncells)
	tm.cellBit = make(bitmap, words)
	tm.markBit = make(bitmap, words)
	tm.segBit = make(bitmap, words)
	tm.colBit = make(bitmap, (tm.ncols+63)/64)
}

func (tm *TM) ok() bool { return tm != nil && tm.k != 0 }

// Params returns the parameters (the zero Params for a nil TM).
func (tm *TM) Params() Params {
	if !tm.ok() {
		return Params{}
	}
	return tm.p
}

// Compute runs one time step on the active columns, a strictly increasing
// list of column indices below NumberOfCols (backtracking-tm.md §2): it
// scores the input against the previous step's predictions (Anomaly),
// updates the inference state (with backtracking, §3) and, if learn, the
// learning state (with its own backtracking, §4) and the segments.
// Invalid input returns an error wrapping ErrInput and changes nothing.
func (tm *TM) Compute(activeColumns []uint32, learn bool) error {
	if !tm.ok() {
		return ErrUninit
	}
	prev := int64(-1)
	for _, c := range activeColumns {
		if int64(c) <= prev || c >= tm.ncols {
			return fmt.Errorf("%w: active column %d (previous %d, %d columns): columns must be strictly increasing and in range",
				ErrInput, c, prev, tm.ncols)
		}
		prev = int64(c)
	}
	tm.anomaly = tm.rawAnomaly(activeColumns)
	tm.iter++
	if learn {
		tm.lrnIter++
		if atTier(tm.lrnIter) {
			for s := range tm.segs {
				if tm.segs[s].cell != freeCell {
					tm.dutyCycle(uint32(s), tm.lrnIter, false, false)
				}
			}
		}
	}
	// §2 step 3, before inference (§12).
	n := float64(len(activeColumns))
	if tm.avgDensity == 0 {
		tm.avgDensity = n
	} else {
		tm.avgDensity = 0.99*tm.avgDensity + 0.01*n
	}
	tm.updateInference(activeColumns)
	if learn {
		tm.updateLearning(activeColumns)
		tm.globalDecay()
	}
	tm.resetCalled = false
	return nil
}

// rawAnomaly is NAB's raw anomaly score of A = activeColumns
// (backtracking-tm.md §9, eq. RAW): 1 − |A ∩ P| / |A| with P the columns
// of non-zero confidence left by the previous step, or 0 if A is empty.
func (tm *TM) rawAnomaly(active []uint32) float64 {
	if len(active) == 0 {
		return 0
	}
	hits, j := 0, 0
	for _, c := range active {
		for j < len(tm.colIdx) && tm.colIdx[j] < c {
			j++
		}
		if j < len(tm.colIdx) && tm.colIdx[j] == c {
			hits++
		}
	}
	return 1 - float64(hits)/float64(len(active))
}

// Reset marks a sequence boundary (NuPIC's reset): all inference and
// learning states, confidences, histories and queued updates are cleared,
// and the next step starts on start cells. Segments are kept.
func (tm *TM) Reset() error {
	if !tm.ok() {
		return ErrUninit
	}
	tm.infActive, tm.infPred, tm.infPredPrev = tm.infActive[:0], tm.infPred[:0], tm.infPredPrev[:0]
	tm.colIdx, tm.colVal, tm.cellIdx, tm.cellVal = tm.colIdx[:0], tm.colVal[:0], tm.cellIdx[:0], tm.cellVal[:0]
	tm.lrnActive, tm.lrnActivePrev = tm.lrnActive[:0], tm.lrnActivePrev[:0]
	tm.lrnPred, tm.lrnPredPrev = tm.lrnPred[:0], tm.lrnPredPrev[:0]
	tm.infHist.clear()
	tm.lrnHist.clear()
	tm.queue, tm.qcells = tm.queue[:0], tm.qcells[:0]
	tm.resetCalled = true
	tm.anomaly = 0
	return nil
}

// Anomaly returns NAB's raw anomaly score of the last Compute
// (backtracking-tm.md §9): the fraction of its active columns that had no
// segment with ActivationThreshold active synapses (of any permanence)
// after the step before, i.e. no confidence; 0 if no column was active.
func (tm *TM) Anomaly() float64 {
	if !tm.ok() {
		return 0
	}
	return tm.anomaly
}

// ActiveCells returns the inference state's active cells after the last
// Compute, sorted. The slice is the TM's own: read-only, valid until the
// next Compute, Reset or Load.
func (tm *TM) ActiveCells() []uint32 {
	if !tm.ok() {
		return nil
	}
	return tm.infActive
}

// PredictiveCells returns the cells predicted through connected synapses
// (infPredicted[t], §3 phase 2), sorted; same ownership as ActiveCells.
func (tm *TM) PredictiveCells() []uint32 {
	if !tm.ok() {
		return nil
	}
	return tm.infPred
}

// PredictedColumns returns the columns of non-zero confidence, sorted:
// those the next Anomaly counts as predicted (§9). Same ownership as
// ActiveCells.
func (tm *TM) PredictedColumns() []uint32 {
	if !tm.ok() {
		return nil
	}
	return tm.colIdx
}

// ColumnConfidences returns the columns of non-zero confidence and their
// confidences (§3 phase 2; they sum to 1 when any is non-zero). Same
// ownership as ActiveCells.
func (tm *TM) ColumnConfidences() (cols []uint32, conf []float64) {
	if !tm.ok() {
		return nil, nil
	}
	return tm.colIdx, tm.colVal
}

// CellConfidences returns the cells of non-zero confidence and their
// confidences (normalised by the same sum as the columns').
func (tm *TM) CellConfidences() (cells []uint32, conf []float64) {
	if !tm.ok() {
		return nil, nil
	}
	return tm.cellIdx, tm.cellVal
}

// LearnActiveCells returns the learning state's active cells (at most
// one per column, §4), sorted.
func (tm *TM) LearnActiveCells() []uint32 {
	if !tm.ok() {
		return nil
	}
	return tm.lrnActive
}

// LearnPredictedCells returns the learning state's predicted cells (at
// most one per column, §4 E), sorted.
func (tm *TM) LearnPredictedCells() []uint32 {
	if !tm.ok() {
		return nil
	}
	return tm.lrnPred
}

// Iteration returns the number of Compute calls, and LearnIteration the
// number of those with learning (nLrnIterations, §1).
func (tm *TM) Iteration() uint64 {
	if !tm.ok() {
		return 0
	}
	return tm.iter
}

// LearnIteration: see Iteration.
func (tm *TM) LearnIteration() uint64 {
	if !tm.ok() {
		return 0
	}
	return tm.lrnIter
}

// NumSegments returns the number of segments, NumSynapses that of
// synapses.
func (tm *TM) NumSegments() int {
	if !tm.ok() {
		return 0
	}
	return tm.nseg
}

// NumSynapses: see NumSegments.
func (tm *TM) NumSynapses() int {
	if !tm.ok() {
		return 0
	}
	return tm.nsyn
}

// NumSegmentsOf returns the number of segments of cell (0 out of range).
func (tm *TM) NumSegmentsOf(cell uint32) int {
	if !tm.ok() || cell >= tm.ncells {
		return 0
	}
	return len(tm.cellSegs[cell])
}

// Diagnostics returns the counters of the machinery.
func (tm *TM) Diagnostics() Diagnostics {
	if !tm.ok() {
		return Diagnostics{}
	}
	d := tm.diag
	d.PamCounter, d.LearnedSeqLength = tm.pamCounter, tm.learnedSeqLength
	return d
}
