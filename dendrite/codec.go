package dendrite

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
)

// Binary format of a Connections (all integers little-endian):
//
//	magic "DCON", version uint16 = 1, reserved uint16 = 0
//	config: numCells, numInputs uint32; connectedPermanence float32;
//	        maxSegmentsPerCell, maxSynapsesPerSegment, maxSegments uint32
//	clock uint64 (the last-use counter)
//	slots uint32; free uint32, then free × uint32 (the free list, in order)
//	numCells × uvarint: segments per cell (redundant, checked)
//	numInputs × uvarint: synapses per input (redundant, checked)
//	slots × record: cell uint32 (0xFFFFFFFF: free slot, nothing follows);
//	        lastUsed uint64, n uint32, n × (input uint32, permanence float32)
//	crc32 (IEEE) of everything before
//
// The encoding is canonical: equal states give equal bytes, and
// MarshalBinary(UnmarshalBinary(b)) == b. It holds the logical state only
// (segment identifiers, the free list, synapse order, permanences and
// last-use stamps); the arena layout and the reverse index are rebuilt.
// Every length is checked against the bytes that remain before anything is
// allocated, and the per-cell and per-input counts make a valid encoding
// at least as long as the populations it describes, so decoding allocates
// at most a small multiple of the input's size.
const (
	codecMagic   = "DCON"
	codecVersion = 1
	headerSize   = 4 + 2 + 2 + 6*4 + 8 + 4 + 4
)

// MarshalBinary encodes c (see AppendBinary).
func (c *Connections) MarshalBinary() ([]byte, error) {
	return c.AppendBinary(make([]byte, 0, c.encodedSizeHint()))
}

func (c *Connections) encodedSizeHint() int {
	return headerSize + 4*len(c.freeSegs) + c.cfg.NumCells + int(c.numInputs) +
		4*len(c.segCell) + 12*c.live + 8*c.numSyn + 4
}

// AppendBinary appends the encoding of c to b.
func (c *Connections) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	le := binary.LittleEndian
	b = append(b, codecMagic...)
	b = le.AppendUint16(b, codecVersion)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, uint32(c.cfg.NumCells))
	b = le.AppendUint32(b, c.numInputs)
	b = le.AppendUint32(b, math.Float32bits(c.cfg.ConnectedPermanence))
	b = le.AppendUint32(b, uint32(c.cfg.MaxSegmentsPerCell))
	b = le.AppendUint32(b, uint32(c.cfg.MaxSynapsesPerSegment))
	b = le.AppendUint32(b, uint32(c.cfg.MaxSegments))
	b = le.AppendUint64(b, c.clock)
	b = le.AppendUint32(b, uint32(len(c.segCell)))
	b = le.AppendUint32(b, uint32(len(c.freeSegs)))
	for _, s := range c.freeSegs {
		b = le.AppendUint32(b, s)
	}
	for _, l := range c.cellSegs {
		b = binary.AppendUvarint(b, uint64(len(l)))
	}
	for _, r := range c.rev {
		b = binary.AppendUvarint(b, uint64(r.n))
	}
	for s, cell := range c.segCell {
		b = le.AppendUint32(b, cell)
		if cell == noCell {
			continue
		}
		b = le.AppendUint64(b, c.segUsed[s])
		off, n := c.segOff[s], c.segLen[s]
		b = le.AppendUint32(b, n)
		for i := off; i < off+n; i++ {
			b = le.AppendUint32(b, c.synKey[i]&keyMask)
			b = le.AppendUint32(b, math.Float32bits(c.synPerm[i]))
		}
	}
	b = le.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	return b, nil
}

// reader decodes little-endian fields with bounds checks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
	}
}

func (r *reader) u32() uint32 {
	if len(r.b) < 4 {
		r.fail("truncated")
		r.b = nil
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail("truncated")
		r.b = nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a uint32 count of elements of at least size bytes each and
// checks that they can fit in what remains.
func (r *reader) count(size int, what string) int {
	n := int(r.u32())
	if r.err == nil && n > len(r.b)/size {
		r.fail("%s count %d exceeds the data", what, n)
		return 0
	}
	return n
}

// UnmarshalBinary decodes data written by MarshalBinary into c, replacing
// its state. Corrupt or truncated data gives an error wrapping ErrCorrupt
// and leaves c unchanged; it never panics.
func (c *Connections) UnmarshalBinary(data []byte) error {
	d, rest, err := Decode(data)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(rest))
	}
	*c = *d
	return nil
}

// Decode decodes one Connections from the start of data and returns it with
// the bytes that follow it.
func Decode(data []byte) (*Connections, []byte, error) {
	if len(data) < headerSize+4 {
		return nil, nil, fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	if string(data[:4]) != codecMagic {
		return nil, nil, fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	le := binary.LittleEndian
	if v := le.Uint16(data[4:]); v != codecVersion {
		return nil, nil, fmt.Errorf("%w: version %d (want %d)", ErrCorrupt, v, codecVersion)
	}
	r := &reader{b: data[8:]}
	var cfg Config
	cfg.NumCells = int(r.u32())
	cfg.NumInputs = int(r.u32())
	cfg.ConnectedPermanence = math.Float32frombits(r.u32())
	cfg.MaxSegmentsPerCell = int(r.u32())
	cfg.MaxSynapsesPerSegment = int(r.u32())
	cfg.MaxSegments = int(r.u32())
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if cfg.NumInputs == 0 {
		return nil, nil, fmt.Errorf("%w: numInputs 0", ErrCorrupt)
	}
	// The populations must fit in the data (one varint byte each, plus the
	// checksum) before anything proportional to them is allocated.
	if cfg.NumCells+cfg.NumInputs > len(data) {
		return nil, nil, fmt.Errorf("%w: %d cells and %d inputs in %d bytes", ErrCorrupt, cfg.NumCells, cfg.NumInputs, len(data))
	}
	clock := r.u64()
	slots := int(r.u32())
	if r.err == nil && (slots > MaxSegmentSlots || slots > len(r.b)/4) {
		return nil, nil, fmt.Errorf("%w: %d segment slots", ErrCorrupt, slots)
	}
	nfree := r.count(4, "free list")
	if r.err != nil {
		return nil, nil, r.err
	}
	if nfree > slots {
		return nil, nil, fmt.Errorf("%w: %d free of %d slots", ErrCorrupt, nfree, slots)
	}
	c := newConnections(cfg)
	c.clock = clock
	c.freeSegs = make([]uint32, nfree)
	isFree := make([]bool, slots)
	for i := range c.freeSegs {
		s := r.u32()
		if r.err == nil && (int(s) >= slots || isFree[s]) {
			r.fail("free list entry %d", s)
		}
		if r.err != nil {
			return nil, nil, r.err
		}
		c.freeSegs[i] = s
		isFree[s] = true
	}
	cellCount := make([]uint32, cfg.NumCells)
	for i := range cellCount {
		v := r.uvarint()
		if v > uint64(slots) {
			r.fail("cell %d claims %d segments", i, v)
		}
		cellCount[i] = uint32(v)
	}
	inCount := make([]uint32, c.numInputs)
	var total uint64
	for i := range inCount {
		v := r.uvarint()
		total += min(v, 1<<40)
		if total > uint64(len(r.b)/8) {
			r.fail("input %d: %d synapses counted exceed the data", i, total)
		}
		inCount[i] = uint32(v)
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	c.revReserve(inCount)
	c.segCell = make([]uint32, slots)
	c.segOff = make([]uint32, slots)
	c.segLen = make([]uint32, slots)
	c.segClass = make([]uint8, slots)
	c.segUsed = make([]uint64, slots)
	c.segPrev = make([]uint32, slots)
	c.segNext = make([]uint32, slots)
	mark := make([]uint32, c.numInputs) // slot+1 of the last segment seen on each input
	for s := range slots {
		c.segPrev[s], c.segNext[s] = noSeg, noSeg
		cell := r.u32()
		if r.err != nil {
			return nil, nil, r.err
		}
		if cell == noCell {
			if !isFree[s] {
				return nil, nil, fmt.Errorf("%w: free slot %d not in the free list", ErrCorrupt, s)
			}
			c.segCell[s] = noCell
			continue
		}
		if isFree[s] || int(cell) >= cfg.NumCells {
			return nil, nil, fmt.Errorf("%w: slot %d: cell %d", ErrCorrupt, s, cell)
		}
		used := r.u64()
		n := r.count(8, "synapse")
		if r.err != nil {
			return nil, nil, r.err
		}
		if used == 0 || used > clock {
			return nil, nil, fmt.Errorf("%w: slot %d: last use %d, clock %d", ErrCorrupt, s, used, clock)
		}
		if m := cfg.MaxSynapsesPerSegment; (m > 0 && n > m) || n > maxSlot {
			return nil, nil, fmt.Errorf("%w: slot %d: %d synapses > max %d", ErrCorrupt, s, n, m)
		}
		c.segCell[s] = cell
		c.segClass[s] = noClass
		if n > 0 {
			class := classFor(uint32(n))
			off, err := c.allocBlock(class)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			c.segOff[s], c.segClass[s] = off, class
		}
		c.segUsed[s] = used
		c.cellSegs[cell] = append(c.cellSegs[cell], Segment(s))
		c.cellNum[cell]++
		c.live++
		for range n {
			in := r.u32()
			p := math.Float32frombits(r.u32())
			if r.err != nil {
				return nil, nil, r.err
			}
			if in >= c.numInputs || mark[in] == uint32(s)+1 || !(p >= 0 && p <= 1) {
				return nil, nil, fmt.Errorf("%w: slot %d: synapse onto %d with permanence %v", ErrCorrupt, s, in, p)
			}
			mark[in] = uint32(s) + 1
			if c.rev[in].n == inCount[in] {
				return nil, nil, fmt.Errorf("%w: input %d has more synapses than counted", ErrCorrupt, in)
			}
			if err := c.addSynapse(uint32(s), in, p); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	if c.live+nfree != slots {
		return nil, nil, fmt.Errorf("%w: %d live and %d free of %d slots", ErrCorrupt, c.live, nfree, slots)
	}
	if m := cfg.MaxSegments; m > 0 && c.live > m {
		return nil, nil, fmt.Errorf("%w: %d segments > max %d", ErrCorrupt, c.live, m)
	}
	for cell, l := range c.cellSegs {
		if uint32(len(l)) != cellCount[cell] {
			return nil, nil, fmt.Errorf("%w: cell %d has %d segments, %d counted", ErrCorrupt, cell, len(l), cellCount[cell])
		}
		if m := cfg.MaxSegmentsPerCell; m > 0 && len(l) > m {
			return nil, nil, fmt.Errorf("%w: cell %d has %d segments > max %d", ErrCorrupt, cell, len(l), m)
		}
	}
	for in, r := range c.rev {
		n := r.n
		if n != inCount[in] {
			return nil, nil, fmt.Errorf("%w: input %d has %d synapses, %d counted", ErrCorrupt, in, n, inCount[in])
		}
	}
	// The least-recently-used list in order of the (unique) stamps.
	order := make([]uint32, 0, c.live)
	for s, cell := range c.segCell {
		if cell != noCell {
			order = append(order, uint32(s))
		}
	}
	slices.SortFunc(order, func(x, y uint32) int {
		switch {
		case c.segUsed[x] < c.segUsed[y]:
			return -1
		case c.segUsed[x] > c.segUsed[y]:
			return 1
		}
		return 0
	})
	for i, s := range order {
		if i > 0 && c.segUsed[order[i-1]] == c.segUsed[s] {
			return nil, nil, fmt.Errorf("%w: segments %d and %d share a last-use stamp", ErrCorrupt, order[i-1], s)
		}
		c.lruAppend(s)
	}
	if len(r.b) < 4 {
		return nil, nil, fmt.Errorf("%w: truncated", ErrCorrupt)
	}
	end := len(data) - len(r.b)
	if sum := binary.LittleEndian.Uint32(r.b); sum != crc32.ChecksumIEEE(data[:end]) {
		return nil, nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	return c, r.b[4:], nil
}
