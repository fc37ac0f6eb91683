package dendrite

import (
	"fmt"
	"hash/crc32"
	"math"
	"slices"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// Binary format of a Connections, version 2 (written now): the module's
// framing (internal/binfmt: little-endian; magic "DCON", version, flags 0,
// section count, length-prefixed sections, CRC-32C) with four sections:
//
//	"CONF"  numCells, numInputs uint32; connectedPermanence float32;
//	        maxSegmentsPerCell, maxSynapsesPerSegment, maxSegments uint32;
//	        clock uint64 (the last-use counter)
//	"FREE"  slots uint32; free uint32, then free × uint32 (the free list,
//	        in order)
//	"CNTS"  numCells × uvarint: segments per cell (redundant, checked);
//	        numInputs × uvarint: synapses per input (redundant, checked)
//	"SEGS"  slots × record: cell uint32 (0xFFFFFFFF: free slot, nothing
//	        follows); lastUsed uint64, n uint32, n × (input uint32,
//	        permanence float32)
//
// Version 1, still read, has the same fields in the same order without
// the section headers: magic "DCON", version uint16 = 1, reserved
// uint16 = 0, the fields, then the CRC-32 (IEEE) of everything before.
//
// The encoding is canonical: equal states give equal bytes, and
// MarshalBinary(UnmarshalBinary(b)) == b for the current version. It holds
// the logical state only (segment identifiers, the free list, synapse
// order, permanences and last-use stamps); the arena layout and the
// reverse index are rebuilt. Every length is checked against the bytes
// that remain before anything is allocated, and the per-cell and
// per-input counts make a valid encoding at least as long as the
// populations it describes, so decoding allocates at most a small multiple
// of the input's size.
const (
	codecMagic    = "DCON"
	codecVersion1 = 1
	codecVersion  = 2
	confSize      = 6*4 + 8
)

// MarshalBinary encodes c (see AppendBinary).
func (c *Connections) MarshalBinary() ([]byte, error) {
	if c == nil {
		return nil, ErrNotInitialized
	}
	return c.AppendBinary(nil)
}

func (c *Connections) encodedSizeHint() int {
	return binfmt.HeaderSize + 4*12 + confSize + 8 + 4*len(c.freeSegs) + c.cfg.NumCells + int(c.numInputs) +
		4*len(c.segCell) + 12*c.live + 8*c.numSyn + binfmt.TrailerSize
}

// AppendBinary appends the encoding of c to b.
func (c *Connections) AppendBinary(b []byte) ([]byte, error) {
	if c == nil {
		return nil, ErrNotInitialized
	}
	w := binfmt.NewWriter(b, codecMagic, codecVersion, c.encodedSizeHint())
	w.Section("CONF")
	w.U32(uint32(c.cfg.NumCells))
	w.U32(c.numInputs)
	w.F32(c.cfg.ConnectedPermanence)
	w.U32(uint32(c.cfg.MaxSegmentsPerCell))
	w.U32(uint32(c.cfg.MaxSynapsesPerSegment))
	w.U32(uint32(c.cfg.MaxSegments))
	w.U64(c.clock)
	w.Section("FREE")
	w.U32(uint32(len(c.segCell)))
	w.U32s(c.freeSegs)
	w.Section("CNTS")
	for _, l := range c.cellSegs {
		w.Uvarint(uint64(len(l)))
	}
	for _, r := range c.rev {
		w.Uvarint(uint64(r.n))
	}
	w.Section("SEGS")
	for s, cell := range c.segCell {
		w.U32(cell)
		if cell == noCell {
			continue
		}
		w.U64(c.segUsed[s])
		off, n := c.segOff[s], c.segLen[s]
		w.U32(n)
		for i := off; i < off+n; i++ {
			w.U32(c.synKey[i] & keyMask)
			w.F32(c.synPerm[i])
		}
	}
	return w.Finish(), nil
}

// corrupt wraps err (typically a *binfmt.FormatError) in ErrCorrupt.
func corrupt(err error) error { return fmt.Errorf("%w: %w", ErrCorrupt, err) }

// UnmarshalBinary decodes data written by MarshalBinary (the current
// version or version 1) into c, replacing its state. Corrupt or truncated
// data gives an error wrapping ErrCorrupt and leaves c unchanged; it never
// panics.
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

// Decode decodes one Connections (in the current version or version 1)
// from the start of data and returns it with the bytes that follow it.
func Decode(data []byte) (*Connections, []byte, error) {
	version, err := binfmt.Peek(data, codecMagic)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	switch version {
	case codecVersion:
		f, rest, err := binfmt.Parse(data, codecMagic)
		if err != nil {
			return nil, nil, corrupt(err)
		}
		var parts [4]binfmt.Reader
		for i, tag := range []string{"CONF", "FREE", "CNTS", "SEGS"} {
			if parts[i], err = f.Section(tag); err != nil {
				return nil, nil, corrupt(err)
			}
		}
		c, err := decodeParts([4]*binfmt.Reader{&parts[0], &parts[1], &parts[2], &parts[3]})
		if err != nil {
			return nil, nil, err
		}
		for i := range parts {
			if err := parts[i].Close(); err != nil {
				return nil, nil, corrupt(err)
			}
		}
		if err := f.Close(); err != nil {
			return nil, nil, corrupt(err)
		}
		return c, rest, nil
	case codecVersion1:
		// The fields of version 1 follow the header directly, and its
		// checksum follows them.
		if len(data) < 8+confSize+8+4 {
			return nil, nil, fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
		}
		v1 := binfmt.NewReader(data[8:], "v1")
		r := &v1
		c, err := decodeParts([4]*binfmt.Reader{r, r, r, r})
		if err != nil {
			return nil, nil, err
		}
		end := 8 + r.Offset()
		if sum := r.U32("checksum"); r.Err() != nil {
			return nil, nil, corrupt(r.Err())
		} else if sum != crc32.ChecksumIEEE(data[:end]) {
			return nil, nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
		}
		return c, r.Rest(), nil
	}
	return nil, nil, fmt.Errorf("%w: version %d (want %d or %d)", ErrCorrupt, version, codecVersion1, codecVersion)
}

// decodeParts decodes and validates the fields of a Connections from the
// readers of its four parts (the sections of the current version, or four
// times the one reader of version 1): configuration and clock, free list,
// counts, segments.
func decodeParts(parts [4]*binfmt.Reader) (*Connections, error) {
	conf, free, cnts, segs := parts[0], parts[1], parts[2], parts[3]
	cfg, clock, err := readConfig(conf)
	if err != nil {
		return nil, err
	}
	slots := free.Int("segment slots", MaxSegmentSlots)
	nfree := free.Count("free list", 4, slots)
	if err := free.Err(); err != nil {
		return nil, corrupt(err)
	}
	// Every slot takes at least 4 bytes of the segment records, and every
	// cell and input one varint byte of the counts: check both before
	// anything proportional to them is allocated.
	if !binfmt.Fits(uint64(slots), 4, segs.Len()) {
		return nil, fmt.Errorf("%w: %d segment slots in %d bytes", ErrCorrupt, slots, segs.Len())
	}
	if cfg.NumCells+cfg.NumInputs > cnts.Len() {
		return nil, fmt.Errorf("%w: %d cells and %d inputs in %d bytes", ErrCorrupt, cfg.NumCells, cfg.NumInputs, cnts.Len())
	}
	c := newConnections(cfg)
	c.clock = clock
	isFree, err := c.readFree(free, nfree, slots)
	if err != nil {
		return nil, err
	}
	cellCount, inCount, err := readCounts(cnts, cfg, slots, segs.Len())
	if err != nil {
		return nil, err
	}
	if err := c.readSegments(segs, slots, isFree, inCount); err != nil {
		return nil, err
	}
	if err := c.checkCounts(nfree, cellCount, inCount); err != nil {
		return nil, err
	}
	if err := c.rebuildLRU(); err != nil {
		return nil, err
	}
	return c, nil
}

// readConfig reads and validates the configuration and the clock.
func readConfig(r *binfmt.Reader) (Config, uint64, error) {
	var cfg Config
	cfg.NumCells = int(r.U32("numCells"))
	cfg.NumInputs = int(r.U32("numInputs"))
	cfg.ConnectedPermanence = r.F32("connectedPermanence")
	cfg.MaxSegmentsPerCell = int(r.U32("maxSegmentsPerCell"))
	cfg.MaxSynapsesPerSegment = int(r.U32("maxSynapsesPerSegment"))
	cfg.MaxSegments = int(r.U32("maxSegments"))
	clock := r.U64("clock")
	if err := r.Err(); err != nil {
		return cfg, 0, corrupt(err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, 0, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if cfg.NumInputs == 0 {
		return cfg, 0, fmt.Errorf("%w: numInputs 0", ErrCorrupt)
	}
	return cfg, clock, nil
}

// readFree reads the free list (nfree distinct slots below slots) into c
// and returns the set of free slots.
func (c *Connections) readFree(r *binfmt.Reader, nfree, slots int) ([]bool, error) {
	c.freeSegs = make([]uint32, nfree)
	isFree := make([]bool, slots)
	for i := range c.freeSegs {
		s := r.U32("free list entry")
		if r.Err() == nil && (int(s) >= slots || isFree[s]) {
			r.Fail("free list entry", "slot %d out of range or repeated", s)
		}
		if err := r.Err(); err != nil {
			return nil, corrupt(err)
		}
		c.freeSegs[i] = s
		isFree[s] = true
	}
	return isFree, nil
}

// readCounts reads the segments per cell (each at most slots) and the
// synapses per input (in total at most what segBytes bytes of segment
// records can hold).
func readCounts(r *binfmt.Reader, cfg Config, slots, segBytes int) (cellCount, inCount []uint32, err error) {
	cellCount = make([]uint32, cfg.NumCells)
	for i := range cellCount {
		v := r.Uvarint("segments per cell")
		if v > uint64(slots) {
			r.Fail("segments per cell", "cell %d claims %d segments", i, v)
		}
		cellCount[i] = uint32(v)
	}
	inCount = make([]uint32, cfg.NumInputs)
	var total uint64
	for i := range inCount {
		v := r.Uvarint("synapses per input")
		total += min(v, 1<<40)
		if total > uint64(segBytes/8) {
			r.Fail("synapses per input", "input %d: %d synapses counted exceed the data", i, total)
		}
		inCount[i] = uint32(v)
	}
	if err := r.Err(); err != nil {
		return nil, nil, corrupt(err)
	}
	return cellCount, inCount, nil
}

// readSegments reads the slots' records into c: free slots must be those
// of the free list; a live segment's cell, last use, synapse count,
// inputs (distinct, counted in inCount) and permanences are checked.
func (c *Connections) readSegments(r *binfmt.Reader, slots int, isFree []bool, inCount []uint32) error {
	cfg := c.cfg
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
		cell := r.U32("cell")
		if err := r.Err(); err != nil {
			return corrupt(err)
		}
		if cell == noCell {
			if !isFree[s] {
				return fmt.Errorf("%w: free slot %d not in the free list", ErrCorrupt, s)
			}
			c.segCell[s] = noCell
			continue
		}
		if isFree[s] || int(cell) >= cfg.NumCells {
			return fmt.Errorf("%w: slot %d: cell %d", ErrCorrupt, s, cell)
		}
		used := r.U64("last use")
		n := r.Count("synapse count", 8, math.MaxUint32)
		if err := r.Err(); err != nil {
			return corrupt(err)
		}
		if used == 0 || used > c.clock {
			return fmt.Errorf("%w: slot %d: last use %d, clock %d", ErrCorrupt, s, used, c.clock)
		}
		if m := cfg.MaxSynapsesPerSegment; (m > 0 && n > m) || n > maxSlot {
			return fmt.Errorf("%w: slot %d: %d synapses > max %d", ErrCorrupt, s, n, m)
		}
		c.segCell[s] = cell
		c.segClass[s] = noClass
		if n > 0 {
			class := classFor(uint32(n))
			off, err := c.allocBlock(class)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			c.segOff[s], c.segClass[s] = off, class
		}
		c.segUsed[s] = used
		c.cellSegs[cell] = append(c.cellSegs[cell], Segment(s))
		c.cellNum[cell]++
		c.live++
		for range n {
			in := r.U32("input")
			p := r.F32("permanence")
			if err := r.Err(); err != nil {
				return corrupt(err)
			}
			if in >= c.numInputs || mark[in] == uint32(s)+1 || !(p >= 0 && p <= 1) {
				return fmt.Errorf("%w: slot %d: synapse onto %d with permanence %v", ErrCorrupt, s, in, p)
			}
			mark[in] = uint32(s) + 1
			if c.rev[in].n == inCount[in] {
				return fmt.Errorf("%w: input %d has more synapses than counted", ErrCorrupt, in)
			}
			if err := c.addSynapse(uint32(s), in, p); err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
		}
	}
	return nil
}

// checkCounts checks the decoded segments against the free list's length,
// the configured caps and the redundant per-cell and per-input counts.
func (c *Connections) checkCounts(nfree int, cellCount, inCount []uint32) error {
	if slots := len(c.segCell); c.live+nfree != slots {
		return fmt.Errorf("%w: %d live and %d free of %d slots", ErrCorrupt, c.live, nfree, slots)
	}
	if m := c.cfg.MaxSegments; m > 0 && c.live > m {
		return fmt.Errorf("%w: %d segments > max %d", ErrCorrupt, c.live, m)
	}
	for cell, l := range c.cellSegs {
		if uint32(len(l)) != cellCount[cell] {
			return fmt.Errorf("%w: cell %d has %d segments, %d counted", ErrCorrupt, cell, len(l), cellCount[cell])
		}
		if m := c.cfg.MaxSegmentsPerCell; m > 0 && len(l) > m {
			return fmt.Errorf("%w: cell %d has %d segments > max %d", ErrCorrupt, cell, len(l), m)
		}
	}
	for in, r := range c.rev {
		if r.n != inCount[in] {
			return fmt.Errorf("%w: input %d has %d synapses, %d counted", ErrCorrupt, in, r.n, inCount[in])
		}
	}
	return nil
}

// rebuildLRU links the least-recently-used list in order of the
// segments' last-use stamps, which must be unique.
func (c *Connections) rebuildLRU() error {
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
			return fmt.Errorf("%w: segments %d and %d share a last-use stamp", ErrCorrupt, order[i-1], s)
		}
		c.lruAppend(s)
	}
	return nil
}
