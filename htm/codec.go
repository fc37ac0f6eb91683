package htm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/internal/binfmt"
)

// ErrCorrupt is wrapped by the errors of UnmarshalBinary and Load for data
// that is not a valid encoding.
var ErrCorrupt = errors.New("htm: corrupt encoded data")

// Binary format of a TemporalMemory, version 3 (written now): the module's
// framing (internal/binfmt: little-endian; magic "DHTM", version, flags 0,
// section count, length-prefixed sections, CRC-32C) with four sections:
//
//	"PARM"  params, in the order of the Params fields: the int fields as
//	        uint64, the float32 fields as their IEEE bits (uint32), seed
//	        uint64
//	"STEP"  iteration uint64, anomaly float64 bits; rng: length uint32 +
//	        the PCG's MarshalBinary bytes; active cells: count uint32 +
//	        count × uint32 (sorted); winner cells: the same
//	"DEAD"  dead cells (KillCells): count uint32 (0 if none) + count ×
//	        uint32 (sorted)
//	"CONN"  the connections: a dendrite encoding (its own frame)
//
// Versions 1 and 2, still read, have the same fields without the section
// headers: magic "DHTM", version uint16, reserved uint16 = 0; params; the
// STEP fields; in version 2 only, the dead cells (count > 0); the
// connections as length uint64 + dendrite encoding; the CRC-32 (IEEE) of
// everything before. Version 1 was written for a TemporalMemory without
// dead cells, version 2 for one with dead cells (and a version 2 encoding
// without dead cells is corrupt).
//
// Everything that influences later steps is stored: parameters, random
// generator state, the previous step's active and winner cells, the dead
// cells, and the complete connections (segment identifiers, free list,
// synapse order, permanences, least-recently-used stamps). The active and matching
// segments and the predictive cells are recomputed on decoding from the
// active cells; they are a function of them. The encoding is canonical, so
// MarshalBinary(UnmarshalBinary(b)) == b for the current version, and a
// decoded TemporalMemory produces exactly the same outputs as the original
// on any input.
const (
	tmMagic       = "DHTM"
	tmVersion1    = 1
	tmVersionDead = 2
	tmVersion     = 3
)

// MarshalBinary encodes tm (see AppendBinary).
func (tm *TemporalMemory) MarshalBinary() ([]byte, error) {
	if tm == nil || tm.conns == nil {
		return nil, ErrNotInitialized
	}
	return tm.AppendBinary(nil)
}

// AppendBinary appends the encoding of tm to b.
func (tm *TemporalMemory) AppendBinary(b []byte) ([]byte, error) {
	if tm == nil || tm.conns == nil {
		return nil, ErrNotInitialized
	}
	r, err := tm.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	w := binfmt.NewWriter(b, tmMagic, tmVersion, 0)
	w.Section("PARM")
	p := tm.p
	for _, v := range []int{p.NumColumns, p.CellsPerColumn, p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount} {
		w.U64(uint64(v))
	}
	for _, v := range []float32{p.InitialPermanence, p.ConnectedPermanence, p.PermanenceIncrement, p.PermanenceDecrement, p.PredictedSegmentDecrement} {
		w.F32(v)
	}
	for _, v := range []int{p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments} {
		w.U64(uint64(v))
	}
	w.U64(p.Seed)
	w.Section("STEP")
	w.U64(tm.iter)
	w.F64(tm.anomaly)
	w.U32(uint32(len(r)))
	w.Bytes(r)
	w.U32s(tm.active)
	w.U32s(tm.winner)
	w.Section("DEAD")
	w.U32(uint32(tm.numDead))
	for c := range tm.cells {
		if tm.IsDead(c) {
			w.U32(c)
		}
	}
	w.Section("CONN")
	if err := w.Append(tm.conns.AppendBinary); err != nil {
		return nil, err
	}
	return w.Finish(), nil
}

// Save writes the encoding of tm to w.
func (tm *TemporalMemory) Save(w io.Writer) error {
	if tm == nil || tm.conns == nil {
		return ErrNotInitialized
	}
	b, err := tm.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Load reads a TemporalMemory written by Save from r (to its end).
func Load(r io.Reader) (*TemporalMemory, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	tm := new(TemporalMemory)
	if err := tm.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return tm, nil
}

// corrupt wraps err (typically a *binfmt.FormatError) in ErrCorrupt.
func corrupt(err error) error { return fmt.Errorf("%w: %w", ErrCorrupt, err) }

// decoded is the content of an encoding, read but not yet checked for
// consistency.
type decoded struct {
	p              Params
	iter           uint64
	anomaly        float64
	pcg            *rand.PCG
	active, winner []uint32
	dead           []uint32 // sorted; nil for version 1
	conns          []byte   // the dendrite encoding
}

// readParams reads the parameters and validates them.
func (d *decoded) readParams(r *binfmt.Reader) error {
	p := &d.p
	i := func(field string) int { return r.Int64(field, math.MaxInt32) }
	p.NumColumns, p.CellsPerColumn = i("numColumns"), i("cellsPerColumn")
	p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount = i("activationThreshold"), i("minThreshold"), i("maxNewSynapseCount")
	p.InitialPermanence, p.ConnectedPermanence = r.F32("initialPermanence"), r.F32("connectedPermanence")
	p.PermanenceIncrement, p.PermanenceDecrement = r.F32("permanenceIncrement"), r.F32("permanenceDecrement")
	p.PredictedSegmentDecrement = r.F32("predictedSegmentDecrement")
	p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments = i("maxSegmentsPerCell"), i("maxSynapsesPerSegment"), i("maxSegments")
	p.Seed = r.U64("seed")
	if err := r.Err(); err != nil {
		return corrupt(err)
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// readCells reads a strictly increasing list of cells below the number of
// cells.
func (d *decoded) readCells(r *binfmt.Reader, field string) []uint32 {
	limit := uint32(d.p.NumColumns * d.p.CellsPerColumn)
	list := r.U32s(field, int(limit))
	for i, c := range list {
		if c >= limit || (i > 0 && c <= list[i-1]) {
			r.Fail(field, "cell list not strictly increasing below %d", limit)
			return nil
		}
	}
	return list
}

// readStep reads the iteration, anomaly, random generator and the active
// and winner cells.
func (d *decoded) readStep(r *binfmt.Reader) error {
	d.iter = r.U64("iteration")
	d.anomaly = r.F64("anomaly")
	if r.Err() == nil && !(d.anomaly >= 0 && d.anomaly <= 1) {
		return fmt.Errorf("%w: anomaly %v", ErrCorrupt, d.anomaly)
	}
	rn := r.Count("rng state length", 1, 64)
	d.pcg = new(rand.PCG)
	if b := r.Bytes("rng state", rn); r.Err() == nil {
		if err := d.pcg.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("%w: rng: %v", ErrCorrupt, err)
		}
	}
	d.active = d.readCells(r, "active cells")
	d.winner = d.readCells(r, "winner cells")
	if err := r.Err(); err != nil {
		return corrupt(err)
	}
	return nil
}

// readV3 reads the sections of the current version.
func (d *decoded) readV3(data []byte) error {
	f, rest, err := binfmt.Parse(data, tmMagic)
	if err != nil {
		return corrupt(err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(rest))
	}
	var parts [4]binfmt.Reader
	for i, tag := range []string{"PARM", "STEP", "DEAD", "CONN"} {
		if parts[i], err = f.Section(tag); err != nil {
			return corrupt(err)
		}
	}
	if err := d.readParams(&parts[0]); err != nil {
		return err
	}
	if err := d.readStep(&parts[1]); err != nil {
		return err
	}
	d.dead = d.readCells(&parts[2], "dead cells")
	d.conns = parts[3].Rest()
	for i := range parts[:3] {
		if err := parts[i].Close(); err != nil {
			return corrupt(err)
		}
	}
	return nil
}

// readV1 reads versions 1 and 2: the checksum, then the fields.
func (d *decoded) readV1(data []byte, version uint16) error {
	if len(data) < 12 {
		return fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(body):]) {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	legacy := binfmt.NewReader(body[8:], "v1-v2")
	r := &legacy
	if err := d.readParams(r); err != nil {
		return err
	}
	if err := d.readStep(r); err != nil {
		return err
	}
	if version == tmVersionDead {
		d.dead = d.readCells(r, "dead cells")
		if r.Err() == nil && len(d.dead) == 0 {
			return fmt.Errorf("%w: version %d without dead cells", ErrCorrupt, version)
		}
	}
	cn := r.U64("connections length")
	if err := r.Err(); err != nil {
		return corrupt(err)
	}
	if cn != uint64(r.Len()) {
		return fmt.Errorf("%w: connections of %d bytes, %d remain", ErrCorrupt, cn, r.Len())
	}
	d.conns = r.Rest()
	return nil
}

// UnmarshalBinary decodes data written by MarshalBinary (the current
// version 3, or versions 1 and 2) into tm, replacing its state. Corrupt or
// truncated data gives an error wrapping ErrCorrupt and leaves tm
// unchanged; it never panics, and it allocates at most a small multiple
// of len(data): the populations the parameters claim are allocated only
// once the connections, which hold a byte per cell, have decoded.
func (tm *TemporalMemory) UnmarshalBinary(data []byte) error {
	version, err := binfmt.Peek(data, tmMagic)
	if err != nil {
		return corrupt(err)
	}
	var d decoded
	switch version {
	case tmVersion:
		err = d.readV3(data)
	case tmVersion1, tmVersionDead:
		err = d.readV1(data, version)
	default:
		return fmt.Errorf("%w: version %d (want %d to %d)", ErrCorrupt, version, tmVersion1, tmVersion)
	}
	if err != nil {
		return err
	}
	t, err := d.build()
	if err != nil {
		return err
	}
	*tm = *t
	return nil
}

// build decodes the connections and checks that the parts of d are
// consistent with one another, then makes the TemporalMemory.
func (d *decoded) build() (*TemporalMemory, error) {
	p := d.p
	conns, rest, err := dendrite.Decode(d.conns)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the connections", ErrCorrupt, len(rest))
	}
	if conns.Config() != p.connConfig() {
		return nil, fmt.Errorf("%w: connections configured as %+v, parameters imply %+v", ErrCorrupt, conns.Config(), p.connConfig())
	}
	// Every winner cell is active, and every active column has a winner.
	for _, w := range d.winner {
		if _, ok := slices.BinarySearch(d.active, w); !ok {
			return nil, fmt.Errorf("%w: winner cell %d not active", ErrCorrupt, w)
		}
	}
	// (Right after KillCells, an active column may have lost its winner.)
	k := uint32(p.CellsPerColumn)
	if len(d.dead) == 0 && !slices.Equal(columnsOf(nil, d.active, k), columnsOf(nil, d.winner, k)) {
		return nil, fmt.Errorf("%w: active columns without a winner cell", ErrCorrupt)
	}
	t := newTM(p, conns, d.pcg)
	if len(d.dead) > 0 {
		t.dead = make([]uint64, len(t.bitmap))
		for _, c := range d.dead {
			t.dead[c>>6] |= 1 << (c & 63)
		}
		if err := t.checkDead(); err != nil {
			return nil, err
		}
	}
	t.iter = d.iter
	t.anomaly = d.anomaly
	t.active = d.active
	t.winner = d.winner
	for _, c := range d.active {
		t.bitmap[c>>6] |= 1 << (c & 63)
	}
	if err := t.computeSegments(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return t, nil
}

// checkDead counts the dead cells of a decoded TemporalMemory and checks
// that no dead cell is active, has a segment, or has a synapse onto it.
func (tm *TemporalMemory) checkDead() error {
	for c := range tm.cells {
		if tm.IsDead(c) {
			tm.numDead++
			if tm.conns.NumSegmentsOf(c) != 0 {
				return fmt.Errorf("%w: dead cell %d has segments", ErrCorrupt, c)
			}
		}
	}
	for _, c := range tm.active {
		if tm.IsDead(c) {
			return fmt.Errorf("%w: dead cell %d active", ErrCorrupt, c)
		}
	}
	var syn []dendrite.Synapse
	for i := range tm.conns.SegmentSlots() {
		s := dendrite.Segment(i)
		if _, ok := tm.conns.CellOf(s); !ok {
			continue
		}
		var err error
		if syn, err = tm.conns.Synapses(syn[:0], s); err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		for _, y := range syn {
			if tm.IsDead(y.Input) {
				return fmt.Errorf("%w: synapse onto dead cell %d", ErrCorrupt, y.Input)
			}
		}
	}
	return nil
}

// columnsOf appends the distinct columns of the sorted cells to dst.
func columnsOf(dst, cells []uint32, k uint32) []uint32 {
	for _, c := range cells {
		if n := len(dst); n == 0 || dst[n-1] != c/k {
			dst = append(dst, c/k)
		}
	}
	return dst
}
