package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dendritic/dendritic/internal/rng"
)

// updatePeriod is the number of learning steps between updates of the
// inhibition radius and of the local minimum duty cycles (local
// inhibition only).
const updatePeriod = 50

// initRange is the half-width of the initial permanence window around
// SynPermConnected (InitNearThreshold).
const initRange = 0.1

// SpatialPooler is a spatial pooler; see the package documentation for the
// model. Create one with New. A SpatialPooler must not be used by several
// goroutines at once.
type SpatialPooler struct {
	p                     Params
	numInputs, numColumns int
	numActive             int     // winners under global inhibition
	density               float64 // target density
	minOverlap            int32   // max(1, StimulusThreshold)
	connected             float32 // SynPermConnected as float32
	inc, dec, bump        float32 // SynPermActiveInc, SynPermInactiveDec, SynPermConnected/10

	// Synapses, grouped by column: column c owns synapses
	// potStart[c] ≤ s < potStart[c+1], with input potIdx[s] (increasing)
	// and permanence perm[s].
	potStart  []uint32
	potIdx    []uint32
	perm      []float32
	connCount []int32 // connected synapses per column
	maxPool   int

	// Connected synapses, grouped by part (a range of columns, see parts)
	// and input: the list of part p and input i is rev[p·numInputs+i], at
	// most capacity entries from its start, each a column (revCol) and its
	// synapse (revSyn); synRev[s] is the slot of connected synapse s. The
	// capacity of a list is the number of potential pools of the part's
	// columns that contain the input. Each part owns its lists, so that
	// the parts may learn concurrently.
	rev    []revList
	revCol []uint32
	revSyn []uint32
	synRev []uint32

	// Learned state.
	boost          []float64
	activeDuty     []float64
	overlapDuty    []float64
	minOverlapDuty []float64 // local inhibition only
	tieRank        []uint32  // a permutation of the columns: lower wins ties
	iteration      uint64    // Compute calls
	learnIteration uint64    // Compute calls with learn
	inhRadius      int       // local inhibition radius, in columns

	// Scratch.
	overlaps []int32
	boosted  []float64
	hist     []int32   // maxPool+1: the parts' histograms summed
	inDelta  []float32 // per input: SynPermActiveInc when active (while learning), else −SynPermInactiveDec
	winners  []uint32
	winBuf   []uint32 // numColumns: part p writes its winners from parts[p].lo
	cand     []uint32
	order    []uint32 // the columns by tie rank (the inverse of tieRank)
	lastCut  int32    // the least overlap of a winner at the last global threshold
	colGrid  *grid
	nbuf     []int

	// Parallelism (derived, not saved): the columns are split into parts
	// of consecutive columns, which the workers of team process.
	workers int    // requested by SetWorkers; 0 means the default
	parts   []part // at least one
	team    *team  // nil with one part
	step    step   // the current step, shared with the workers
}

// revList is the list of connected synapses of one part and one input.
type revList struct{ start, n uint32 }

// New returns a spatial pooler with parameters p, initialised from p.Seed.
func New(p Params) (*SpatialPooler, error) {
	numInputs, numColumns, err := p.validate()
	if err != nil {
		return nil, err
	}
	s := &SpatialPooler{p: p.clone(), numInputs: numInputs, numColumns: numColumns}
	src := rng.New(p.Seed, 0x5350) // "SP"
	// Potential pools.
	inGrid := newGrid(s.p.InputDims, p.WrapAround)
	var hood []int
	s.potStart = make([]uint32, numColumns+1)
	col := make([]int, len(p.ColumnDims))
	for c := range numColumns {
		// Coordinates of column c, and its centre in input space.
		for k, x := len(col)-1, c; k >= 0; k-- {
			col[k] = x % p.ColumnDims[k]
			x /= p.ColumnDims[k]
		}
		for k := range col {
			inGrid.center[k] = int((2*int64(col[k]) + 1) * int64(p.InputDims[k]) / (2 * int64(p.ColumnDims[k])))
		}
		hood = inGrid.appendBox(hood[:0], p.PotentialRadius)
		k := max(1, int(math.Floor(p.PotentialPct*float64(len(hood))+0.5)))
		k = min(k, len(hood))
		if len(s.potIdx)+k > MaxSynapses {
			return nil, fmt.Errorf("%w: more than %d potential synapses", ErrParams, MaxSynapses)
		}
		// Partial Fisher–Yates: a uniform k-subset of the neighbourhood.
		for j := range k {
			r := j + int(rng.Bounded(src, uint64(len(hood)-j)))
			hood[j], hood[r] = hood[r], hood[j]
		}
		pool := hood[:k]
		slices.Sort(pool)
		for _, i := range pool {
			s.potIdx = append(s.potIdx, uint32(i))
		}
		s.potStart[c+1] = uint32(len(s.potIdx))
		s.maxPool = max(s.maxPool, k)
	}
	// Initial permanences (see InitMode).
	s.perm = make([]float32, len(s.potIdx))
	th := p.SynPermConnected
	for j := range s.perm {
		var v float64
		switch p.InitPermanence {
		case InitUniform:
			v = rng.Float64(src)
		default: // InitNearThreshold
			u := rng.Float64(src)
			if rng.Float64(src) < 0.5 {
				v = math.Min(1, th+float64(initRange*u)) // no fused multiply-add
			} else {
				v = math.Max(0, th-float64(initRange*u))
				if v >= th && th > 0 { // u = 0 lands on the threshold
					v = math.Nextafter(th, 0)
				}
			}
		}
		s.perm[j] = float32(v)
	}
	// Tie ranking: a uniform random permutation.
	s.tieRank = make([]uint32, numColumns)
	order := make([]uint32, numColumns)
	for i := range order {
		order[i] = uint32(i)
	}
	shuffle(src, order)
	for r, c := range order {
		s.tieRank[c] = uint32(r)
	}
	s.boost = make([]float64, numColumns)
	for i := range s.boost {
		s.boost[i] = 1
	}
	s.activeDuty = make([]float64, numColumns)
	s.overlapDuty = make([]float64, numColumns)
	s.minOverlapDuty = make([]float64, numColumns)
	s.derive()
	s.buildReverse()
	for c := range numColumns {
		s.raiseToThreshold(s.columnRev(c), c)
	}
	if !s.p.GlobalInhibition {
		s.updateInhibitionRadius()
	}
	return s, nil
}

// shuffle permutes x uniformly (Fisher–Yates).
func shuffle(src *rand.PCG, x []uint32) {
	for i := len(x) - 1; i > 0; i-- {
		j := int(rng.Bounded(src, uint64(i+1)))
		x[i], x[j] = x[j], x[i]
	}
}

// derive sets the fields that follow from the parameters, and allocates
// the scratch buffers.
func (s *SpatialPooler) derive() {
	p := &s.p
	if p.NumActiveColumnsPerInhArea > 0 {
		s.numActive = min(p.NumActiveColumnsPerInhArea, s.numColumns)
		s.density = float64(s.numActive) / float64(s.numColumns)
	} else {
		s.numActive = max(1, int(math.Floor(p.LocalAreaDensity*float64(s.numColumns)+0.5)))
		s.density = p.LocalAreaDensity
	}
	s.minOverlap = int32(max(1, p.StimulusThreshold))
	s.connected = float32(p.SynPermConnected)
	s.inc = float32(p.SynPermActiveInc)
	s.dec = float32(p.SynPermInactiveDec)
	s.bump = float32(p.SynPermConnected / 10)
	s.overlaps = make([]int32, s.numColumns)
	s.winners = make([]uint32, 0, s.numColumns)
	s.winBuf = make([]uint32, s.numColumns)
	s.hist = make([]int32, s.maxPool+1)
	s.inDelta = make([]float32, s.numInputs)
	for i := range s.inDelta {
		s.inDelta[i] = -s.dec
	}
	s.cand = make([]uint32, 0, s.numColumns)
	s.order = make([]uint32, s.numColumns)
	for c, r := range s.tieRank {
		s.order[r] = uint32(c)
	}
	if p.BoostStrength > 0 || !p.GlobalInhibition {
		s.boosted = make([]float64, s.numColumns)
	}
	if !p.GlobalInhibition {
		s.colGrid = newGrid(p.ColumnDims, p.WrapAround)
	}
}

// buildReverse splits the columns into parts and builds the input →
// connected columns index and the connected counts from the permanences.
func (s *SpatialPooler) buildReverse() {
	s.splitParts()
	n := uint32(s.numInputs)
	s.rev = make([]revList, len(s.parts)*s.numInputs+1)
	for p, pt := range s.parts {
		for _, i := range s.potIdx[s.potStart[pt.lo]:s.potStart[pt.hi]] {
			s.rev[uint32(p)*n+i+1].start++
		}
	}
	for k := 1; k < len(s.rev); k++ {
		s.rev[k].start += s.rev[k-1].start
	}
	s.rev = s.rev[:len(s.rev)-1]
	s.revCol = make([]uint32, len(s.potIdx))
	s.revSyn = make([]uint32, len(s.potIdx))
	s.synRev = make([]uint32, len(s.potIdx))
	s.connCount = make([]int32, s.numColumns)
	for p, pt := range s.parts {
		rev := s.partRev(p)
		for c := pt.lo; c < pt.hi; c++ {
			for syn := s.potStart[c]; syn < s.potStart[c+1]; syn++ {
				if s.perm[syn] >= s.connected {
					s.connect(rev, uint32(c), syn)
				}
			}
		}
	}
}

// partRev returns the lists of part p, indexed by input.
func (s *SpatialPooler) partRev(p int) []revList {
	return s.rev[p*s.numInputs : (p+1)*s.numInputs]
}

// columnRev returns the lists of the part of column c.
func (s *SpatialPooler) columnRev(c int) []revList {
	p := len(s.parts) - 1
	for c < s.parts[p].lo {
		p--
	}
	return s.partRev(p)
}

// connect records synapse syn of column c as connected in rev, the lists
// of c's part.
func (s *SpatialPooler) connect(rev []revList, c, syn uint32) {
	l := &rev[s.potIdx[syn]]
	slot := l.start + l.n
	s.revCol[slot] = c
	s.revSyn[slot] = syn
	s.synRev[syn] = slot
	l.n++
	s.connCount[c]++
}

// disconnect records synapse syn of column c as no longer connected in
// rev, the lists of c's part.
func (s *SpatialPooler) disconnect(rev []revList, c, syn uint32) {
	l := &rev[s.potIdx[syn]]
	slot := s.synRev[syn]
	last := l.start + l.n - 1
	s.revCol[slot] = s.revCol[last]
	moved := s.revSyn[last]
	s.revSyn[slot] = moved
	s.synRev[moved] = slot
	l.n--
	s.connCount[c]--
}

// setPerm sets the permanence of synapse syn of column c, keeping the
// connection index (rev, the lists of c's part) up to date.
func (s *SpatialPooler) setPerm(rev []revList, c, syn uint32, v float32) {
	was := s.perm[syn] >= s.connected
	s.perm[syn] = v
	if now := v >= s.connected; now != was {
		if now {
			s.connect(rev, c, syn)
		} else {
			s.disconnect(rev, c, syn)
		}
	}
}

// raiseAll adds delta to every permanence of column c (at most 1) and
// reports whether any changed; rev holds the lists of c's part.
func (s *SpatialPooler) raiseAll(rev []revList, c int, delta float32) bool {
	changed := false
	for syn := s.potStart[c]; syn < s.potStart[c+1]; syn++ {
		v := min(s.perm[syn]+delta, 1)
		if v != s.perm[syn] {
			s.setPerm(rev, uint32(c), syn, v)
			changed = true
		}
	}
	return changed
}

// raiseToThreshold raises the permanences of column c until at least
// StimulusThreshold of its synapses (or all of them) are connected; rev
// holds the lists of c's part.
func (s *SpatialPooler) raiseToThreshold(rev []revList, c int) {
	target := int32(min(s.p.StimulusThreshold, int(s.potStart[c+1]-s.potStart[c])))
	for s.connCount[c] < target {
		if !s.raiseAll(rev, c, s.bump) {
			return // the permanences no longer move (a tiny threshold)
		}
	}
}

// Params returns a copy of the parameters.
func (s *SpatialPooler) Params() Params {
	if s == nil {
		return Params{}
	}
	return s.p.clone()
}

// NumInputs returns the number of input bits.
func (s *SpatialPooler) NumInputs() int {
	if s == nil {
		return 0
	}
	return s.numInputs
}

// NumColumns returns the number of columns.
func (s *SpatialPooler) NumColumns() int {
	if s == nil {
		return 0
	}
	return s.numColumns
}

// Iterations returns the number of Compute calls, and of those with learn.
func (s *SpatialPooler) Iterations() (all, learning uint64) {
	if s == nil {
		return 0, 0
	}
	return s.iteration, s.learnIteration
}

// InhibitionRadius returns the current inhibition radius in columns (used
// by local inhibition only).
func (s *SpatialPooler) InhibitionRadius() int {
	if s == nil {
		return 0
	}
	return s.inhRadius
}

// checkColumn validates a column index.
func (s *SpatialPooler) checkColumn(c int) error {
	if c < 0 || c >= s.numColumns {
		return fmt.Errorf("%w: column %d outside [0, %d)", ErrInput, c, s.numColumns)
	}
	return nil
}

// Synapses returns copies of the potential pool of column c (input indices,
// increasing) and of the permanences of those synapses.
func (s *SpatialPooler) Synapses(c int) (inputs []uint32, perms []float32, err error) {
	if s == nil {
		return nil, nil, ErrNotInitialized
	}
	if err := s.checkColumn(c); err != nil {
		return nil, nil, err
	}
	lo, hi := s.potStart[c], s.potStart[c+1]
	return append([]uint32(nil), s.potIdx[lo:hi]...), append([]float32(nil), s.perm[lo:hi]...), nil
}

// Connected returns the inputs of the connected synapses of column c,
// increasing.
func (s *SpatialPooler) Connected(c int) ([]uint32, error) {
	if s == nil {
		return nil, ErrNotInitialized
	}
	if err := s.checkColumn(c); err != nil {
		return nil, err
	}
	var out []uint32
	for syn := s.potStart[c]; syn < s.potStart[c+1]; syn++ {
		if s.perm[syn] >= s.connected {
			out = append(out, s.potIdx[syn])
		}
	}
	return out, nil
}

// Overlaps returns a copy of the overlaps of the last Compute (before
// boosting, after StimulusThreshold: overlaps below it read 0).
func (s *SpatialPooler) Overlaps() []int32 {
	if s == nil {
		return nil
	}
	out := append([]int32(nil), s.overlaps...)
	for i, o := range out {
		if o < s.minOverlap {
			out[i] = 0
		}
	}
	return out
}

// BoostFactors returns a copy of the boost factors.
func (s *SpatialPooler) BoostFactors() []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s.boost...)
}

// ActiveDutyCycles returns a copy of the active duty cycles.
func (s *SpatialPooler) ActiveDutyCycles() []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s.activeDuty...)
}

// OverlapDutyCycles returns a copy of the overlap duty cycles.
func (s *SpatialPooler) OverlapDutyCycles() []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s.overlapDuty...)
}
