package htm

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/internal/radix"
	"github.com/dendritic/dendritic/sdr"
)

// ErrInput is wrapped by the errors of Compute for invalid input.
var ErrInput = errors.New("htm: invalid input")

// ErrNotInitialized is returned by the methods of a nil or zero
// TemporalMemory, which needs New (or UnmarshalBinary); its accessors
// return zero values instead.
var ErrNotInitialized = errors.New("htm: TemporalMemory not made by New (nil or zero value)")

// segRef is a segment found active or matching by the last computation,
// with its cell and its number of active potential synapses.
type segRef struct {
	cell uint32
	col  uint32 // the column of cell
	seg  dendrite.Segment
	pot  uint32
}

// TemporalMemory is a layer of minicolumns of cells with active dendrites
// that learns sequences (see the package documentation for the
// algorithm). It is deterministic for a given Params.Seed and input
// sequence. It is not safe for concurrent use.
type TemporalMemory struct {
	p       Params
	k       uint32 // cells per column
	kShift  uint32 // log2(k) if k is a power of 2, else 32 (see colOf)
	cells   uint32
	conns   *dendrite.Connections
	pcg     *rand.PCG
	rng     *rand.Rand
	iter    uint64
	anomaly float64

	active, winner         []uint32 // sorted
	prevActive, prevWinner []uint32
	activeSegs             []segRef // sorted by (cell, segment)
	matchingSegs           []segRef
	predictive             []uint32
	bitmap                 []uint64 // bits of active between calls, of prevActive during one
	counts                 []uint32 // scratch of leastUsedCell
	keys, keysT            []uint64 // scratch of computeSegments
	sink                   int      // see activateCells
	dead                   []uint64 // bitmap of the dead cells; nil if none (see KillCells)
	numDead                int

	act dendrite.Activity
}

// New returns a TemporalMemory with no segments.
func New(p Params) (*TemporalMemory, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	conns, err := dendrite.New(p.connConfig())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrParams, err)
	}
	pcg := rand.NewPCG(p.Seed, 0)
	return newTM(p, conns, pcg), nil
}

func newTM(p Params, conns *dendrite.Connections, pcg *rand.PCG) *TemporalMemory {
	cells := uint32(p.NumColumns * p.CellsPerColumn)
	k := uint32(p.CellsPerColumn)
	kShift := uint32(32)
	if k&(k-1) == 0 {
		kShift = uint32(bits.TrailingZeros32(k))
	}
	return &TemporalMemory{
		p:      p,
		k:      k,
		kShift: kShift,
		cells:  cells,
		conns:  conns,
		pcg:    pcg,
		rng:    rand.New(pcg),
		bitmap: make([]uint64, (cells+63)/64),
	}
}

// SetWorkers sets the number of goroutines that Compute may use to count
// the segments' response to a large set of active cells (see
// dendrite.Activity.SetWorkers): n ≤ 0 restores the default,
// dendrite.DefaultWorkers (1), and 1 keeps Compute on the
// calling goroutine. Every result, the saved state included, is the same
// for every n; the setting itself is not saved.
func (tm *TemporalMemory) SetWorkers(n int) {
	if tm == nil || tm.conns == nil {
		return
	}
	tm.act.SetWorkers(n)
}

// Workers returns the number of goroutines Compute may use (see
// SetWorkers); 0 for a TemporalMemory not made by New.
func (tm *TemporalMemory) Workers() int {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return tm.act.Workers()
}

// Params returns the parameters.
func (tm *TemporalMemory) Params() Params {
	if tm == nil || tm.conns == nil {
		return Params{}
	}
	return tm.p
}

// NumCells returns NumColumns × CellsPerColumn.
func (tm *TemporalMemory) NumCells() int {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return int(tm.cells)
}

// ColumnOf returns the column of cell.
func (tm *TemporalMemory) ColumnOf(cell uint32) uint32 {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return cell / tm.k
}

// ActiveCells returns the cells active after the last Compute, sorted. The
// slice is the TemporalMemory's own: read-only, valid until the next
// Compute, Reset or UnmarshalBinary.
func (tm *TemporalMemory) ActiveCells() []uint32 {
	if tm == nil || tm.conns == nil {
		return nil
	}
	return tm.active
}

// WinnerCells returns the winner cells of the last Compute, sorted (one per
// active column: the predicted cells, or the cell chosen to learn in a
// bursting column). Same ownership rules as ActiveCells.
func (tm *TemporalMemory) WinnerCells() []uint32 {
	if tm == nil || tm.conns == nil {
		return nil
	}
	return tm.winner
}

// PredictiveCells returns the cells depolarised by an active segment after
// the last Compute, sorted: the prediction for the next input. Same
// ownership rules as ActiveCells.
func (tm *TemporalMemory) PredictiveCells() []uint32 {
	if tm == nil || tm.conns == nil {
		return nil
	}
	return tm.predictive
}

// PredictedColumns appends to dst the columns that hold a predictive cell,
// in increasing order.
func (tm *TemporalMemory) PredictedColumns(dst []uint32) []uint32 {
	if tm == nil || tm.conns == nil {
		return dst
	}
	for _, c := range tm.predictive {
		col := c / tm.k
		if n := len(dst); n == 0 || dst[n-1] != col {
			dst = append(dst, col)
		}
	}
	return dst
}

// ActiveSegments appends to dst the active segments of the last Compute,
// ordered by cell.
func (tm *TemporalMemory) ActiveSegments(dst []dendrite.Segment) []dendrite.Segment {
	if tm == nil || tm.conns == nil {
		return dst
	}
	for _, r := range tm.activeSegs {
		dst = append(dst, r.seg)
	}
	return dst
}

// MatchingSegments appends to dst the matching segments of the last
// Compute, ordered by cell.
func (tm *TemporalMemory) MatchingSegments(dst []dendrite.Segment) []dendrite.Segment {
	if tm == nil || tm.conns == nil {
		return dst
	}
	for _, r := range tm.matchingSegs {
		dst = append(dst, r.seg)
	}
	return dst
}

// Anomaly returns the raw anomaly score of the last Compute: the fraction
// of the active columns that held no predictive cell before it (0 when no
// column was active). A fully predicted input scores 0, a fully
// unexpected one 1.
func (tm *TemporalMemory) Anomaly() float64 {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return tm.anomaly
}

// Iteration returns the number of Compute calls so far.
func (tm *TemporalMemory) Iteration() uint64 {
	if tm == nil || tm.conns == nil {
		return 0
	}
	return tm.iter
}

// Connections returns the store of segments and synapses, for inspection
// (NumSegments, Synapses, CheckInvariants, …). It must not be modified.
func (tm *TemporalMemory) Connections() *dendrite.Connections {
	if tm == nil || tm.conns == nil {
		return nil
	}
	return tm.conns
}

// Reset marks a sequence boundary: the next input is not predicted from,
// and does not learn a transition from, the current one. Learned
// connections are kept.
func (tm *TemporalMemory) Reset() {
	if tm == nil || tm.conns == nil {
		return
	}
	for _, c := range tm.active {
		tm.bitmap[c>>6] &^= 1 << (c & 63)
	}
	tm.active = tm.active[:0]
	tm.winner = tm.winner[:0]
	tm.activeSegs = tm.activeSegs[:0]
	tm.matchingSegs = tm.matchingSegs[:0]
	tm.predictive = tm.predictive[:0]
	tm.anomaly = 0
}

// ComputeSDR is Compute with the active columns given as an SDR of
// NumColumns cells.
func (tm *TemporalMemory) ComputeSDR(columns *sdr.SDR, learn bool) error {
	if columns == nil {
		return fmt.Errorf("%w: nil SDR", ErrInput)
	}
	if columns.Size() != tm.p.NumColumns {
		return fmt.Errorf("%w: SDR of size %d for %d columns", ErrInput, columns.Size(), tm.p.NumColumns)
	}
	return tm.Compute(columns.Sparse(), learn)
}

// Compute runs one time step on the active columns (a strictly increasing
// list of column indices below NumColumns): it activates cells from the
// predictions of the previous step (bursting unpredicted columns), learns
// if learn is true, and computes the predictions for the next step.
// Invalid input returns an error wrapping ErrInput and changes nothing.
func (tm *TemporalMemory) Compute(activeColumns []uint32, learn bool) error {
	if tm == nil || tm.conns == nil {
		return ErrNotInitialized
	}
	prev := int64(-1)
	for _, c := range activeColumns {
		if int64(c) <= prev || int(c) >= tm.p.NumColumns {
			return fmt.Errorf("%w: active column %d (previous %d, %d columns): columns must be strictly increasing and in range",
				ErrInput, c, prev, tm.p.NumColumns)
		}
		prev = int64(c)
	}
	if err := tm.activateCells(activeColumns, learn); err != nil {
		return err
	}
	if err := tm.activateDendrites(learn); err != nil {
		return err
	}
	for _, c := range tm.prevActive {
		tm.bitmap[c>>6] &^= 1 << (c & 63)
	}
	for _, c := range tm.active {
		tm.bitmap[c>>6] |= 1 << (c & 63)
	}
	tm.iter++
	return nil
}

// activateCells walks the columns that are active or hold an active or
// matching segment of the previous step, in increasing order.
func (tm *TemporalMemory) activateCells(cols []uint32, learn bool) error {
	tm.prevActive, tm.active = tm.active, tm.prevActive[:0]
	tm.prevWinner, tm.winner = tm.winner, tm.prevWinner[:0]
	A, M := tm.activeSegs, tm.matchingSegs
	k := tm.k
	// Read the segment counts of the cells of the active columns (which a
	// bursting column needs) all at once: the reads then overlap instead of
	// waiting for each other column by column.
	var sum int
	for _, c := range cols {
		sum += tm.conns.NumSegmentsOf(c*k) + tm.conns.NumSegmentsOf(c*k+k-1)
	}
	// Likewise the synapses of the segments that will learn: the active
	// segments (of predicted columns), the matching ones of the active
	// columns without an active segment (bursting columns, of which one
	// learns), and, if inactive columns are punished, the matching ones of
	// those. The matching segments of a predicted column learn only if they
	// are active, and those of an inactive column only when punished:
	// most matching segments are of neither kind (on hello's stream, 388
	// match a step and about 140 learn, 2026-12-07), and requesting their
	// memory only crowds the cache.
	punish := learn && tm.p.PredictedSegmentDecrement > 0
	if learn {
		var p uint32
		for _, r := range A {
			p += tm.conns.Prefetch(r.seg)
		}
		// A, M and cols are in increasing order of column.
		i, a := 0, 0
		for _, r := range M {
			for i < len(cols) && cols[i] < r.col {
				i++
			}
			for a < len(A) && A[a].col < r.col {
				a++
			}
			activeCol := i < len(cols) && cols[i] == r.col
			predicted := a < len(A) && A[a].col == r.col
			if activeCol && !predicted || !activeCol && punish {
				p += tm.conns.Prefetch(r.seg)
			}
		}
		sum += int(p)
	}
	tm.sink += sum
	predicted := 0
	i, j, m := 0, 0, 0
	for {
		col := ^uint32(0)
		if i < len(cols) {
			col = cols[i]
		}
		if j < len(A) {
			col = min(col, A[j].col)
		}
		if m < len(M) {
			col = min(col, M[m].col)
		}
		if col == ^uint32(0) {
			break
		}
		j2 := j
		for j2 < len(A) && A[j2].col == col {
			j2++
		}
		m2 := m
		for m2 < len(M) && M[m2].col == col {
			m2++
		}
		var err error
		switch {
		case i < len(cols) && cols[i] == col:
			i++
			if j2 > j {
				predicted++
				err = tm.activatePredicted(A[j:j2], learn)
			} else {
				err = tm.burst(col, M[m:m2], learn)
			}
		case punish:
			err = tm.punish(M[m:m2])
		}
		if err != nil {
			return err
		}
		j, m = j2, m2
	}
	tm.anomaly = 0
	if len(cols) > 0 {
		tm.anomaly = float64(len(cols)-predicted) / float64(len(cols))
	}
	return nil
}

// valid reports whether r still refers to the segment found by the last
// computation (it may have been evicted since by another column's
// learning).
func (tm *TemporalMemory) valid(r segRef) bool {
	cell, ok := tm.conns.CellOf(r.seg)
	return ok && cell == r.cell
}

// activatePredicted activates the cells of a column's active segments and
// reinforces those segments.
func (tm *TemporalMemory) activatePredicted(refs []segRef, learn bool) error {
	for _, r := range refs {
		if n := len(tm.active); n == 0 || tm.active[n-1] != r.cell {
			tm.active = append(tm.active, r.cell)
			tm.winner = append(tm.winner, r.cell)
		}
		if learn && tm.valid(r) {
			if err := tm.learnOn(r.seg, int(r.pot)); err != nil {
				return err
			}
		}
	}
	return nil
}

// learnOn reinforces segment s towards the previous active cells, grows it
// to MaxNewSynapseCount active synapses towards the previous winner cells,
// and destroys it if it ends up empty.
func (tm *TemporalMemory) learnOn(s dendrite.Segment, pot int) error {
	c := tm.conns
	var err error
	if inc := tm.p.PermanenceIncrement; pot == c.NumSynapsesOf(s) && inc >= dendrite.Epsilon {
		// Every synapse is onto a previous active cell: pot counted them
		// against the cells of tm.bitmap, and nothing has changed s since
		// (a segment learns once per step, and an evicted one fails valid).
		_, err = c.ReinforceAll(s, inc)
	} else {
		_, err = c.AdaptSegment(s, tm.bitmap, tm.p.PermanenceIncrement, tm.p.PermanenceDecrement)
	}
	if err != nil {
		return internal(err)
	}
	if n := tm.p.MaxNewSynapseCount - pot; n > 0 {
		if _, err := c.GrowSynapses(s, tm.prevWinner, n, tm.p.InitialPermanence, tm.rng); err != nil {
			return internal(err)
		}
	}
	if c.NumSynapsesOf(s) == 0 {
		return internal(c.DestroySegment(s))
	}
	return nil
}

// burst activates every cell of an unpredicted active column and picks
// its winner cell: the cell of the best matching segment (most active
// potential synapses, ties to the lowest cell and segment), which learns;
// or else a least-used cell (fewest segments, ties broken at random),
// which grows a new segment towards the previous winner cells. Only live
// cells take part (KillCells); a column without any stays silent.
func (tm *TemporalMemory) burst(col uint32, matching []segRef, learn bool) error {
	base := col * tm.k
	if tm.dead == nil {
		for c := base; c < base+tm.k; c++ {
			tm.active = append(tm.active, c)
		}
	} else if !tm.activateLive(base) {
		return nil
	}
	best := -1
	for i, r := range matching {
		if (best < 0 || r.pot > matching[best].pot) && tm.valid(r) {
			best = i
		}
	}
	var winner uint32
	if best >= 0 {
		r := matching[best]
		winner = r.cell
		if learn {
			if err := tm.conns.Touch(r.seg); err != nil {
				return internal(err)
			}
			if err := tm.learnOn(r.seg, int(r.pot)); err != nil {
				return err
			}
		}
	} else {
		winner = tm.leastUsedCell(base)
		if n := min(tm.p.MaxNewSynapseCount, len(tm.prevWinner)); learn && n > 0 {
			s, err := tm.conns.CreateSegment(winner)
			if err != nil {
				return internal(err)
			}
			if _, err := tm.conns.GrowSynapses(s, tm.prevWinner, n, tm.p.InitialPermanence, tm.rng); err != nil {
				return internal(err)
			}
		}
	}
	tm.winner = append(tm.winner, winner)
	return nil
}

// leastUsedCell returns a live cell of the column starting at base (which
// has one) with the fewest segments, chosen uniformly among ties.
func (tm *TemporalMemory) leastUsedCell(base uint32) uint32 {
	// One pass reads the counts (independent loads); the choice then works
	// on them. A dead cell counts as ^0 segments, more than any live cell
	// has (at most MaxSegmentsPerCell), so it is never chosen.
	counts := tm.conns.SegmentCounts(base, tm.k)
	if tm.dead != nil {
		counts = append(tm.counts[:0], counts...)
		for i := range counts {
			if tm.IsDead(base + uint32(i)) {
				counts[i] = ^uint32(0)
			}
		}
		tm.counts = counts
	}
	fewest := ^uint32(0)
	for _, n := range counts {
		fewest = min(fewest, n)
	}
	ties := 0
	for _, n := range counts {
		if n == fewest {
			ties++
		}
	}
	pick := 0
	if ties > 1 {
		pick = tm.rng.IntN(ties)
	}
	for i, n := range counts {
		if n == fewest {
			if pick == 0 {
				return base + uint32(i)
			}
			pick--
		}
	}
	panic("unreachable")
}

// punish weakens the active synapses of the matching segments of a column
// that did not become active.
func (tm *TemporalMemory) punish(matching []segRef) error {
	for _, r := range matching {
		if !tm.valid(r) {
			continue
		}
		if _, err := tm.conns.AdaptSegment(r.seg, tm.bitmap, -tm.p.PredictedSegmentDecrement, 0); err != nil {
			return internal(err)
		}
		if tm.conns.NumSynapsesOf(r.seg) == 0 {
			if err := tm.conns.DestroySegment(r.seg); err != nil {
				return internal(err)
			}
		}
	}
	return nil
}

// activateDendrites computes the segments' response to the new active
// cells: the active segments (predictions) and the matching ones.
func (tm *TemporalMemory) activateDendrites(learn bool) error {
	if err := tm.computeSegments(); err != nil {
		return err
	}
	if learn {
		for _, r := range tm.activeSegs {
			if err := tm.conns.Touch(r.seg); err != nil {
				return internal(err)
			}
		}
	}
	return nil
}

// computeSegments sets activeSegs, matchingSegs and predictive from the
// active cells, without changing the connections.
func (tm *TemporalMemory) computeSegments() error {
	actThr, minThr := tm.p.ActivationThreshold, tm.p.MinThreshold
	if err := tm.conns.ComputeActivityOver(&tm.act, tm.active, actThr, minThr); err != nil {
		return internal(err)
	}
	// Sort by (cell, segment) as packed integers: much cheaper than
	// sorting the refs with a comparison function. The touched segments
	// are those that reach either threshold, so one sort orders both
	// lists: each is a subsequence of the sorted keys.
	keys := tm.keys[:0]
	for _, s := range tm.act.Touched() {
		cell, _ := tm.conns.CellOf(s)
		keys = append(keys, uint64(cell)<<32|uint64(s))
	}
	// Touched is in increasing order of segment, so a stable sort by cell
	// yields the order by (cell, segment).
	tm.keysT = radix.Sort(keys, tm.keysT, 32)
	tm.keys = keys
	A, M, pred := tm.activeSegs[:0], tm.matchingSegs[:0], tm.predictive[:0]
	for _, k := range keys {
		s := dendrite.Segment(uint32(k))
		pot, con := tm.act.Counts(s)
		// The column is computed here once per segment (a division is
		// slow) rather than each time activateCells compares columns.
		cell := uint32(k >> 32)
		r := segRef{cell, tm.colOf(cell), s, uint32(pot)}
		if con >= actThr {
			A = append(A, r)
			if n := len(pred); n == 0 || pred[n-1] != cell {
				pred = append(pred, cell)
			}
		}
		if pot >= minThr {
			M = append(M, r)
		}
	}
	tm.activeSegs, tm.matchingSegs, tm.predictive = A, M, pred
	return nil
}

// colOf returns the column of cell: a shift when CellsPerColumn is a
// power of 2 (a division costs tens of cycles).
func (tm *TemporalMemory) colOf(cell uint32) uint32 {
	if tm.kShift < 32 {
		return cell >> tm.kShift
	}
	return cell / tm.k
}

// internal wraps an error of the connections, which indicates a bug.
func internal(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("htm: internal error: %w", err)
}
