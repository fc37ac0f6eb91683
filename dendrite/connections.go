package dendrite

import (
	"errors"
	"fmt"
	"slices"
)

// Segment identifies a dendritic segment of a Connections. Identifiers are
// dense slot numbers: a destroyed segment's slot is reused by a later
// CreateSegment (the most recently freed slot first).
type Segment uint32

// Synapse is one synapse of a segment, as returned by Synapses: the input
// (presynaptic cell) it samples and its permanence.
type Synapse struct {
	Input      uint32
	Permanence float32
}

// Limits and constants of the model.
const (
	// MaxInputs bounds Config.NumInputs and Config.NumCells: a cell index
	// must fit in 31 bits (the top bit of a stored synapse is its
	// connected flag).
	MaxInputs = 1<<31 - 1
	// MaxAllocated bounds NumCells and NumInputs as New allocates them:
	// New reserves about 28 bytes per cell and 14 per input up front, so
	// the bound (2^24) keeps an empty store under 0.75 GB (2^27 cells
	// took 5.6 GB before it, and 2^31 − 1 was accepted).
	MaxAllocated = 1 << 24
	// MaxSegmentSlots bounds the number of segment slots (live and free):
	// a segment identifier fits in 31 bits.
	MaxSegmentSlots = 1<<31 - 1
	// MaxSynapsesPerSegment bounds the synapses of one segment (the
	// counters of an Activity have 24 bits).
	MaxSynapsesPerSegment = 1<<24 - 1
	// MaxArena bounds the synapse arena and each reverse-index slab, in
	// synapses (live plus spare capacity).
	MaxArena = 1<<32 - 1
	// Epsilon absorbs float32 rounding in permanence comparisons: a
	// synapse is connected when its permanence is at least
	// ConnectedPermanence − Epsilon, and it is pruned when its permanence
	// falls below Epsilon (that is, to zero or below in exact arithmetic).
	Epsilon float32 = 1e-5
)

// Errors returned by the package; they are wrapped with details.
var (
	ErrConfig  = errors.New("dendrite: invalid configuration")
	ErrCell    = errors.New("dendrite: cell out of range")
	ErrInput   = errors.New("dendrite: invalid input")
	ErrSegment = errors.New("dendrite: no such segment")
	ErrSynapse = errors.New("dendrite: no such synapse")
	ErrFull    = errors.New("dendrite: capacity exhausted")
	ErrCorrupt = errors.New("dendrite: corrupt encoded data")
	// ErrNotInitialized is returned by the methods of a nil *Connections,
	// *Neuron or *Activity, and of a Neuron not made by NewNeuron: these
	// types need their constructor (New, NewNeuron); their accessors
	// return zero values instead.
	ErrNotInitialized = errors.New("dendrite: not made by its constructor (nil or zero value)")
)

// Config fixes the size and the limits of a Connections.
type Config struct {
	// NumCells is the number of cells that own segments (postsynaptic).
	NumCells int `json:"numCells"`
	// NumInputs is the size of the presynaptic population that synapses
	// sample. 0 means NumCells (a recurrent layer such as a temporal
	// memory, where the cells are their own input).
	NumInputs int `json:"numInputs"`
	// ConnectedPermanence is the permanence at which a synapse becomes
	// connected (it then counts towards the activation threshold).
	ConnectedPermanence float32 `json:"connectedPermanence"`
	// MaxSegmentsPerCell bounds the segments of one cell; 0 means no
	// bound. When a cell is full, CreateSegment destroys the cell's least
	// recently used segment.
	MaxSegmentsPerCell int `json:"maxSegmentsPerCell"`
	// MaxSynapsesPerSegment bounds the synapses of one segment; 0 means
	// the package limit MaxSynapsesPerSegment. When a segment is full, a
	// new synapse replaces the segment's weakest one (see CreateSynapse
	// and GrowSynapses).
	MaxSynapsesPerSegment int `json:"maxSynapsesPerSegment"`
	// MaxSegments bounds the live segments of all cells together; 0 means
	// no bound beyond NumCells·MaxSegmentsPerCell. When it is reached,
	// CreateSegment destroys the least recently used segment of any cell.
	MaxSegments int `json:"maxSegments"`
}

// Validate checks c.
func (c Config) Validate() error {
	switch {
	case c.NumCells < 1 || c.NumCells > MaxAllocated:
		return fmt.Errorf("%w: numCells %d outside [1, %d]", ErrConfig, c.NumCells, MaxAllocated)
	case c.NumInputs < 0 || c.NumInputs > MaxAllocated:
		return fmt.Errorf("%w: numInputs %d outside [0, %d] (0: numCells)", ErrConfig, c.NumInputs, MaxAllocated)
	case !(c.ConnectedPermanence > 0 && c.ConnectedPermanence <= 1):
		return fmt.Errorf("%w: connectedPermanence %v outside (0, 1]", ErrConfig, c.ConnectedPermanence)
	case c.MaxSegmentsPerCell < 0 || c.MaxSegmentsPerCell > MaxSegmentSlots:
		return fmt.Errorf("%w: maxSegmentsPerCell %d outside [0, %d]", ErrConfig, c.MaxSegmentsPerCell, MaxSegmentSlots)
	case c.MaxSynapsesPerSegment < 0 || c.MaxSynapsesPerSegment > MaxSynapsesPerSegment:
		return fmt.Errorf("%w: maxSynapsesPerSegment %d outside [0, %d]", ErrConfig, c.MaxSynapsesPerSegment, MaxSynapsesPerSegment)
	case c.MaxSegments < 0 || c.MaxSegments > MaxSegmentSlots:
		return fmt.Errorf("%w: maxSegments %d outside [0, %d]", ErrConfig, c.MaxSegments, MaxSegmentSlots)
	}
	return nil
}

const (
	noCell  = ^uint32(0) // segCell of a free slot
	noSeg   = ^uint32(0) // end of the LRU list
	flagBit = 1 << 31    // connected flag in synKey and revSeg
	keyMask = flagBit - 1
	maxSlot = MaxSynapsesPerSegment
)

// Connections stores the dendritic segments of a population of cells and
// their synapses onto a population of inputs.
//
// # Layout
//
// Segments are slots of parallel arrays (owner cell, block of synapses,
// last use). The synapses of a segment occupy a contiguous block of a
// shared arena (parallel arrays of input-with-connected-flag, permanence,
// and position in the reverse index). Blocks come in four sizes per octave
// (4, 5, 6, 7, 8, 10, 12, …, so a block wastes at most a fifth of itself
// and a 20-synapse segment fits exactly) and are recycled through per-size
// free lists; the arena holds no pointers, so the garbage collector never
// scans it. A segment keeps its synapses in creation order.
//
// The reverse index lists, for every input, the synapses onto it, so that
// ComputeActivity touches only the synapses of the active inputs. An entry
// is the synapse's segment with its connected flag in the top bit (4
// bytes, the only thing the activity kernel reads), beside the synapse's
// slot in its segment. The lists of 32 consecutive inputs (in a temporal
// memory with 32 cells per column: one column) share one contiguous slab,
// so that the inputs of a bursting column are read as one stream rather
// than as 32 scattered blocks. Every synapse knows its position in its
// list, so creating and destroying a synapse cost O(1) index updates.
//
// # Eviction
//
// Memory is bounded by MaxSegmentsPerCell, MaxSegments and
// MaxSynapsesPerSegment. Every segment carries a last-use stamp from a
// counter that advances on every CreateSegment and Touch, so stamps are
// unique and "least recently used" is well defined. A full cell loses its
// least recently used segment; a full population (MaxSegments) loses the
// least recently used segment of any cell; a full segment loses its
// weakest synapse (lowest permanence, ties to the lowest input index).
//
// Connections is not safe for concurrent use, except that several
// goroutines may read it (the getters, ComputeActivity into distinct
// Activity values) while none modifies it.
type Connections struct {
	cfg       Config
	numInputs uint32
	connThr   float32 // ConnectedPermanence − Epsilon

	// Segment slots.
	segCell  []uint32
	segOff   []uint32
	segLen   []uint32
	segClass []uint8
	segUsed  []uint64
	segPrev  []uint32 // LRU list, oldest first
	segNext  []uint32
	lruHead  uint32
	lruTail  uint32
	clock    uint64
	freeSegs []uint32
	live     int
	cellSegs [][]Segment // per cell, sorted
	cellNum  []uint32    // per cell, len(cellSegs[cell]), packed for NumSegmentsOf

	// Synapse arena.
	synKey    []uint32 // input | connected flag
	synPerm   []float32
	synRev    []uint32 // position in the input's reverse list
	freeBlock [numClasses][]uint32
	numSyn    int

	// Reverse index (see revindex.go).
	revGroups []revGroup
	rev       []revList // per input: its block in its group's slab

	// Scratch.
	sink    uint32 // see touchRemove
	scratch []uint32
	// The candidates of GrowSynapses (see prepareCandidates): the last
	// list accepted, for candLimit inputs; its bitmap over the inputs; per
	// word of the bitmap, the number of candidates below it; and a clear
	// bitmap over positions.
	candList              []uint32
	candLimit             uint32
	candBits              []uint64
	candBelow             []uint32
	candSeen              []uint64
	repackSeg, repackSlot []uint32
}

// New returns an empty Connections for cfg.
func New(cfg Config) (*Connections, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newConnections(cfg), nil
}

func newConnections(cfg Config) *Connections {
	n := cfg.NumInputs
	if n == 0 {
		n = cfg.NumCells
	}
	return &Connections{
		cfg:       cfg,
		numInputs: uint32(n),
		connThr:   cfg.ConnectedPermanence - Epsilon,
		lruHead:   noSeg,
		lruTail:   noSeg,
		cellSegs:  make([][]Segment, cfg.NumCells),
		cellNum:   make([]uint32, cfg.NumCells),
		revGroups: make([]revGroup, (n+groupSize-1)/groupSize),
		rev:       make([]revList, n),
	}
}

// Config returns the configuration (NumInputs filled in).
func (c *Connections) Config() Config {
	if c == nil {
		return Config{}
	}
	cfg := c.cfg
	cfg.NumInputs = int(c.numInputs)
	return cfg
}

// NumCells returns the number of cells.
func (c *Connections) NumCells() int {
	if c == nil {
		return 0
	}
	return c.cfg.NumCells
}

// NumInputs returns the size of the input population.
func (c *Connections) NumInputs() int {
	if c == nil {
		return 0
	}
	return int(c.numInputs)
}

// NumSegments returns the number of live segments.
func (c *Connections) NumSegments() int {
	if c == nil {
		return 0
	}
	return c.live
}

// NumSynapses returns the number of synapses of all live segments.
func (c *Connections) NumSynapses() int {
	if c == nil {
		return 0
	}
	return c.numSyn
}

// SegmentSlots returns the number of segment slots, live or free: every
// Segment is below it, and an Activity holds one counter per slot.
func (c *Connections) SegmentSlots() int {
	if c == nil {
		return 0
	}
	return len(c.segCell)
}

// IsConnected reports whether permanence p counts as connected.
func (c *Connections) IsConnected(p float32) bool {
	if c == nil {
		return false
	}
	return p >= c.connThr
}

// isLive reports whether s is a live segment.
func (c *Connections) isLive(s Segment) bool {
	return int(s) < len(c.segCell) && c.segCell[s] != noCell
}

// CellOf returns the cell that owns segment s, and false if s is not a
// live segment.
func (c *Connections) CellOf(s Segment) (uint32, bool) {
	if c == nil {
		return 0, false
	}
	if !c.isLive(s) {
		return 0, false
	}
	return c.segCell[s], true
}

// SegmentsOf returns the live segments of cell in increasing order. The
// slice is the Connections' own: read-only, valid until the next change.
// It is nil for a cell out of range.
func (c *Connections) SegmentsOf(cell uint32) []Segment {
	if c == nil {
		return nil
	}
	if int(cell) >= len(c.cellSegs) {
		return nil
	}
	return c.cellSegs[cell]
}

// NumSegmentsOf returns the number of segments of cell (0 if out of range).
func (c *Connections) NumSegmentsOf(cell uint32) int {
	if c == nil {
		return 0
	}
	if int(cell) >= len(c.cellNum) {
		return 0
	}
	return int(c.cellNum[cell])
}

// SegmentCounts returns the numbers of segments of the n cells from
// first on (NumSegmentsOf of each), or nil if they are not all in range.
// The slice is the Connections' own: read-only, valid until the next
// change. It spares a caller that reads a run of cells (a column) a call
// and a range check per cell.
func (c *Connections) SegmentCounts(first, n uint32) []uint32 {
	if c == nil || uint64(first)+uint64(n) > uint64(len(c.cellNum)) {
		return nil
	}
	return c.cellNum[first : first+n : first+n]
}

// NumSynapsesOf returns the number of synapses of segment s (0 if s is not
// live).
func (c *Connections) NumSynapsesOf(s Segment) int {
	if c == nil {
		return 0
	}
	if !c.isLive(s) {
		return 0
	}
	return int(c.segLen[s])
}

// LastUsed returns the last-use stamp of segment s (0 if s is not live).
// Larger stamps are more recent; no two live segments share a stamp.
func (c *Connections) LastUsed(s Segment) uint64 {
	if c == nil {
		return 0
	}
	if !c.isLive(s) {
		return 0
	}
	return c.segUsed[s]
}

// Synapses appends the synapses of segment s to dst, in creation order.
func (c *Connections) Synapses(dst []Synapse, s Segment) ([]Synapse, error) {
	if c == nil {
		return dst, ErrNotInitialized
	}
	if !c.isLive(s) {
		return dst, fmt.Errorf("%w: %d", ErrSegment, s)
	}
	off, n := c.segOff[s], c.segLen[s]
	for i := off; i < off+n; i++ {
		dst = append(dst, Synapse{c.synKey[i] & keyMask, c.synPerm[i]})
	}
	return dst, nil
}

// Touch marks segment s as used now (for least-recently-used eviction).
func (c *Connections) Touch(s Segment) error {
	if c == nil {
		return ErrNotInitialized
	}
	if !c.isLive(s) {
		return fmt.Errorf("%w: %d", ErrSegment, s)
	}
	c.touch(uint32(s))
	return nil
}

func (c *Connections) touch(s uint32) {
	c.clock++
	c.segUsed[s] = c.clock
	if c.lruTail == s {
		return
	}
	c.lruUnlink(s)
	c.lruAppend(s)
}

func (c *Connections) lruUnlink(s uint32) {
	p, n := c.segPrev[s], c.segNext[s]
	if p == noSeg {
		c.lruHead = n
	} else {
		c.segNext[p] = n
	}
	if n == noSeg {
		c.lruTail = p
	} else {
		c.segPrev[n] = p
	}
	c.segPrev[s], c.segNext[s] = noSeg, noSeg
}

func (c *Connections) lruAppend(s uint32) {
	c.segPrev[s] = c.lruTail
	c.segNext[s] = noSeg
	if c.lruTail == noSeg {
		c.lruHead = s
	} else {
		c.segNext[c.lruTail] = s
	}
	c.lruTail = s
}

// CreateSegment adds an empty segment to cell and returns it. If the cell
// already has MaxSegmentsPerCell segments, its least recently used segment
// is destroyed first; if MaxSegments live segments exist, the least
// recently used segment of all is destroyed first. The new segment counts
// as just used.
func (c *Connections) CreateSegment(cell uint32) (Segment, error) {
	if c == nil {
		return 0, ErrNotInitialized
	}
	if int(cell) >= c.cfg.NumCells {
		return 0, fmt.Errorf("%w: %d ≥ %d", ErrCell, cell, c.cfg.NumCells)
	}
	if m := c.cfg.MaxSegmentsPerCell; m > 0 {
		for len(c.cellSegs[cell]) >= m {
			c.destroySegment(c.lruOfCell(cell))
		}
	}
	if m := c.cfg.MaxSegments; m > 0 {
		for c.live >= m {
			c.destroySegment(c.lruHead)
		}
	}
	var s uint32
	if k := len(c.freeSegs); k > 0 {
		s = c.freeSegs[k-1]
		c.freeSegs = c.freeSegs[:k-1]
	} else {
		if len(c.segCell) >= MaxSegmentSlots {
			return 0, fmt.Errorf("%w: %d segment slots", ErrFull, len(c.segCell))
		}
		s = uint32(len(c.segCell))
		c.segCell = append(c.segCell, noCell)
		c.segOff = append(c.segOff, 0)
		c.segLen = append(c.segLen, 0)
		c.segClass = append(c.segClass, 0)
		c.segUsed = append(c.segUsed, 0)
		c.segPrev = append(c.segPrev, noSeg)
		c.segNext = append(c.segNext, noSeg)
	}
	c.segCell[s] = cell
	c.segOff[s] = 0
	c.segLen[s] = 0
	c.segClass[s] = noClass // the block comes with the first synapse
	c.cellSegs[cell] = insertSorted(c.cellSegs[cell], Segment(s))
	c.cellNum[cell]++
	c.live++
	c.clock++
	c.segUsed[s] = c.clock
	c.lruAppend(s)
	return Segment(s), nil
}

// CreateSegmentWith creates a segment on cell (evicting as CreateSegment
// does) with the given synapses, in order; permanences are clipped to
// [0, 1]. It is the fast way to build a store from data. The synapses must
// be onto distinct inputs and fit in MaxSynapsesPerSegment; invalid
// synapses are reported before anything changes.
func (c *Connections) CreateSegmentWith(cell uint32, syn []Synapse) (Segment, error) {
	if c == nil {
		return 0, ErrNotInitialized
	}
	if int(cell) >= c.cfg.NumCells {
		return 0, fmt.Errorf("%w: %d ≥ %d", ErrCell, cell, c.cfg.NumCells)
	}
	if m := c.cfg.MaxSynapsesPerSegment; (m > 0 && len(syn) > m) || len(syn) > maxSlot {
		return 0, fmt.Errorf("%w: %d synapses > max %d", ErrInput, len(syn), m)
	}
	inputs := c.scratch[:0]
	for _, y := range syn {
		if y.Input >= c.numInputs || y.Permanence != y.Permanence {
			return 0, fmt.Errorf("%w: synapse %v", ErrInput, y)
		}
		inputs = append(inputs, y.Input)
	}
	slices.Sort(inputs)
	c.scratch = inputs
	for i := 1; i < len(inputs); i++ {
		if inputs[i] == inputs[i-1] {
			return 0, fmt.Errorf("%w: two synapses onto input %d", ErrInput, inputs[i])
		}
	}
	s, err := c.CreateSegment(cell)
	if err != nil {
		return 0, err
	}
	seg := uint32(s)
	if len(syn) == 0 {
		return s, nil
	}
	if err := c.reserve(seg, uint32(len(syn))); err != nil {
		c.destroySegment(seg)
		return 0, err
	}
	for _, y := range syn {
		if err := c.addSynapse(seg, y.Input, clip01(y.Permanence)); err != nil {
			c.destroySegment(seg)
			return 0, err
		}
	}
	return s, nil
}

// lruOfCell returns the least recently used segment of cell (which has at
// least one).
func (c *Connections) lruOfCell(cell uint32) uint32 {
	best := uint32(c.cellSegs[cell][0])
	for _, s := range c.cellSegs[cell][1:] {
		if c.segUsed[s] < c.segUsed[best] {
			best = uint32(s)
		}
	}
	return best
}

// DestroySegment removes segment s and all its synapses. Its slot becomes
// free for reuse.
func (c *Connections) DestroySegment(s Segment) error {
	if c == nil {
		return ErrNotInitialized
	}
	if !c.isLive(s) {
		return fmt.Errorf("%w: %d", ErrSegment, s)
	}
	c.destroySegment(uint32(s))
	return nil
}

func (c *Connections) destroySegment(s uint32) {
	off, n := c.segOff[s], c.segLen[s]
	for i := off; i < off+n; i += touchRemoveBatch {
		k := min(off+n-i, touchRemoveBatch)
		c.touchRemove(i, k)
		for j := i; j < i+k; j++ {
			c.revRemove(c.synKey[j]&keyMask, c.synRev[j])
		}
	}
	c.numSyn -= int(n)
	if class := c.segClass[s]; class != noClass {
		c.freeBlock[class] = append(c.freeBlock[class], off)
	}
	cell := c.segCell[s]
	c.cellSegs[cell] = removeSorted(c.cellSegs[cell], Segment(s))
	c.cellNum[cell]--
	c.lruUnlink(s)
	c.segCell[s] = noCell
	c.segLen[s] = 0
	c.segUsed[s] = 0
	c.live--
	c.freeSegs = append(c.freeSegs, s)
}

// allocBlock returns the offset of a free block of classSize(class)
// synapses.
func (c *Connections) allocBlock(class uint8) (uint32, error) {
	if class >= numClasses {
		return 0, fmt.Errorf("%w: block of class %d", ErrFull, class)
	}
	if k := len(c.freeBlock[class]); k > 0 {
		off := c.freeBlock[class][k-1]
		c.freeBlock[class] = c.freeBlock[class][:k-1]
		return off, nil
	}
	size := int(classSize(class))
	old := len(c.synKey)
	if old+size > MaxArena {
		return 0, fmt.Errorf("%w: synapse arena", ErrFull)
	}
	c.synKey = grow(c.synKey, size)
	c.synPerm = grow(c.synPerm, size)
	c.synRev = grow(c.synRev, size)
	return uint32(old), nil
}

// grow extends x by n zero elements, doubling its capacity when needed.
func grow[T any](x []T, n int) []T {
	if len(x)+n > cap(x) {
		y := make([]T, len(x), max(2*cap(x), len(x)+n, 1024))
		copy(y, x)
		x = y
	}
	x = x[:len(x)+n]
	clear(x[len(x)-n:])
	return x
}

// reserve makes room for extra more synapses in segment s, moving it to a
// larger block if needed.
func (c *Connections) reserve(s, extra uint32) error {
	n := c.segLen[s]
	if c.segClass[s] != noClass && n+extra <= classSize(c.segClass[s]) {
		return nil
	}
	if uint64(n)+uint64(extra) > maxSlot {
		return fmt.Errorf("%w: segment %d would have %d synapses", ErrFull, s, uint64(n)+uint64(extra))
	}
	class := classFor(n + extra)
	off, err := c.allocBlock(class)
	if err != nil {
		return err
	}
	if old := c.segOff[s]; c.segClass[s] != noClass {
		copy(c.synKey[off:off+n], c.synKey[old:old+n])
		copy(c.synPerm[off:off+n], c.synPerm[old:old+n])
		copy(c.synRev[off:off+n], c.synRev[old:old+n])
		c.freeBlock[c.segClass[s]] = append(c.freeBlock[c.segClass[s]], old)
	}
	c.segOff[s] = off
	c.segClass[s] = class
	return nil
}

// addSynapse appends a synapse to segment s (which has room) without
// checks other than the arenas' capacity.
func (c *Connections) addSynapse(s, in uint32, p float32) error {
	_, err := c.addSynapses(s, []uint32{in}, p)
	return err
}

// addSynapses appends a synapse onto each of inputs, in order, to segment
// s (which has room for them), reading the segment's bounds and the
// connected flag once rather than per synapse. It returns the number
// added: all of them, or on error those before the failing one.
func (c *Connections) addSynapses(s uint32, inputs []uint32, p float32) (int, error) {
	var flag uint32
	if p >= c.connThr {
		flag = flagBit
	}
	off, slot := c.segOff[s], c.segLen[s]
	for k, in := range inputs {
		pos, err := c.revAppend(in, s|flag, slot)
		if err != nil {
			c.segLen[s] = slot
			c.numSyn += k
			return k, err
		}
		i := off + slot
		c.synKey[i] = in | flag
		c.synPerm[i] = p
		c.synRev[i] = pos
		slot++
	}
	c.segLen[s] = slot
	c.numSyn += len(inputs)
	return len(inputs), nil
}

// removeSynapse deletes the synapse in slot k of segment s, keeping the
// order of the others.
func (c *Connections) removeSynapse(s, k uint32) {
	off, n := c.segOff[s], c.segLen[s]
	i := off + k
	c.revRemove(c.synKey[i]&keyMask, c.synRev[i])
	for j := i + 1; j < off+n; j++ {
		c.moveSynapse(s, j, j-1)
	}
	c.segLen[s] = n - 1
	c.numSyn--
}

// moveSynapse moves the synapse at arena index from to arena index to (of
// the same segment s) and updates its reverse entry's slot.
func (c *Connections) moveSynapse(s, from, to uint32) {
	key := c.synKey[from]
	c.synKey[to] = key
	c.synPerm[to] = c.synPerm[from]
	r := c.synRev[from]
	c.synRev[to] = r
	in := key & keyMask
	c.revGroups[in>>groupShift].slot[c.rev[in].off+r] = to - c.segOff[s]
}

// setPerm sets the permanence of the synapse at arena index i, updating
// its connected flag in both places.
func (c *Connections) setPerm(i uint32, p float32) {
	c.synPerm[i] = p
	key := c.synKey[i]
	var flag uint32
	if p >= c.connThr {
		flag = flagBit
	}
	if key&flagBit != flag {
		c.flipFlag(i)
	}
}

// flipFlag flips the connected flag of the synapse at arena index i in
// its key and in its reverse entry (which has the same flag).
func (c *Connections) flipFlag(i uint32) {
	key := c.synKey[i] ^ flagBit
	c.synKey[i] = key
	in := key & keyMask
	c.revGroups[in>>groupShift].seg[c.rev[in].off+c.synRev[i]] ^= flagBit
}

// CreateSynapse adds a synapse from input to segment s with permanence p
// (clipped to [0, 1]). If s already has a synapse onto input, its
// permanence is set to p instead. If s is full (MaxSynapsesPerSegment),
// its weakest synapse is destroyed first.
func (c *Connections) CreateSynapse(s Segment, input uint32, p float32) error {
	if c == nil {
		return ErrNotInitialized
	}
	if !c.isLive(s) {
		return fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if input >= c.numInputs {
		return fmt.Errorf("%w: input %d ≥ %d", ErrInput, input, c.numInputs)
	}
	if p != p {
		return fmt.Errorf("%w: permanence NaN", ErrInput)
	}
	p = clip01(p)
	seg := uint32(s)
	off, n := c.segOff[seg], c.segLen[seg]
	// Look for an existing synapse in the shorter of the segment's list
	// and the input's reverse list.
	if l := c.revList(input); len(l) < int(n) {
		for pos, e := range l {
			if e&keyMask == seg {
				g := &c.revGroups[input>>groupShift]
				c.setPerm(off+g.slot[c.rev[input].off+uint32(pos)], p)
				return nil
			}
		}
	} else {
		for i := off; i < off+n; i++ {
			if c.synKey[i]&keyMask == input {
				c.setPerm(i, p)
				return nil
			}
		}
	}
	if m := c.cfg.MaxSynapsesPerSegment; m > 0 && int(n) >= m {
		c.removeSynapse(seg, c.weakest(seg, nil))
	}
	if err := c.reserve(seg, 1); err != nil {
		return err
	}
	return c.addSynapse(seg, input, p)
}

// weakest returns the slot of the synapse of s with the lowest permanence
// (ties: lowest input), skipping synapses onto the inputs listed in the
// sorted slice keep; it returns noSeg if every synapse is kept.
func (c *Connections) weakest(s uint32, keep []uint32) uint32 {
	off, n := c.segOff[s], c.segLen[s]
	best := noSeg
	var bp float32
	var bin uint32
	for k := range n {
		in := c.synKey[off+k] & keyMask
		if len(keep) > 0 && contains(keep, in) {
			continue
		}
		p := c.synPerm[off+k]
		if best == noSeg || p < bp || (p == bp && in < bin) {
			best, bp, bin = k, p, in
		}
	}
	return best
}

// DestroySynapse removes the synapse in position k (0-based, creation
// order) of segment s. It does not destroy s if s becomes empty.
func (c *Connections) DestroySynapse(s Segment, k int) error {
	if c == nil {
		return ErrNotInitialized
	}
	if !c.isLive(s) {
		return fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if k < 0 || k >= int(c.segLen[s]) {
		return fmt.Errorf("%w: position %d of segment %d", ErrSynapse, k, s)
	}
	c.removeSynapse(uint32(s), uint32(k))
	return nil
}

// SetPermanence sets the permanence of the synapse in position k of
// segment s, clipped to [0, 1]. A permanence below Epsilon is kept (use
// AdaptSegment to prune).
func (c *Connections) SetPermanence(s Segment, k int, p float32) error {
	if c == nil {
		return ErrNotInitialized
	}
	if !c.isLive(s) {
		return fmt.Errorf("%w: %d", ErrSegment, s)
	}
	if k < 0 || k >= int(c.segLen[s]) {
		return fmt.Errorf("%w: position %d of segment %d", ErrSynapse, k, s)
	}
	if p != p {
		return fmt.Errorf("%w: permanence NaN", ErrInput)
	}
	c.setPerm(c.segOff[s]+uint32(k), clip01(p))
	return nil
}

func clip01(p float32) float32 {
	if p < 0 {
		return 0
	}
	if p > 1 {
		return 1
	}
	return p
}

// contains reports whether the sorted slice x holds v.
func contains(x []uint32, v uint32) bool {
	_, ok := slices.BinarySearch(x, v)
	return ok
}

func insertSorted[T ~uint32](x []T, v T) []T {
	i := len(x)
	x = append(x, v)
	for i > 0 && x[i-1] > v {
		x[i] = x[i-1]
		i--
	}
	x[i] = v
	return x
}

func removeSorted[T ~uint32](x []T, v T) []T {
	for i, y := range x {
		if y == v {
			copy(x[i:], x[i+1:])
			return x[:len(x)-1]
		}
	}
	return x
}

// checkSorted verifies that x is strictly increasing and below limit.
func checkSorted(x []uint32, limit uint32, what string) error {
	prev := int64(-1)
	for _, v := range x {
		if int64(v) <= prev {
			return fmt.Errorf("%w: %s not strictly increasing at %d", ErrInput, what, v)
		}
		if v >= limit {
			return fmt.Errorf("%w: %s index %d ≥ %d", ErrInput, what, v, limit)
		}
		prev = int64(v)
	}
	return nil
}
