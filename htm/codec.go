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
)

// ErrCorrupt is wrapped by the errors of UnmarshalBinary and Load for data
// that is not a valid encoding.
var ErrCorrupt = errors.New("htm: corrupt encoded data")

// Binary format of a TemporalMemory (little-endian):
//
//	magic "DHTM", version uint16 (1, or 2 with dead cells), reserved uint16 = 0
//	params, in the order of the Params fields: the int fields as uint64,
//	        the float32 fields as their IEEE bits (uint32), seed uint64
//	iteration uint64, anomaly float64 bits
//	rng: length uint32 + the PCG's MarshalBinary bytes
//	active cells: count uint32 + count × uint32 (sorted)
//	winner cells: count uint32 + count × uint32 (sorted)
//	version 2 only: dead cells (KillCells): count uint32 (> 0) +
//	        count × uint32 (sorted)
//	connections: length uint64 + dendrite encoding (its own magic,
//	        version and checksum)
//	crc32 (IEEE) of everything before
//
// Everything that influences later steps is stored: parameters, random
// generator state, the previous step's active and winner cells, the dead
// cells, and the complete connections (segment identifiers, free list,
// synapse order, permanences, least-recently-used stamps). The active and matching
// segments and the predictive cells are recomputed on decoding from the
// active cells; they are a function of them. The encoding is canonical, so
// MarshalBinary(UnmarshalBinary(b)) == b, and a decoded TemporalMemory
// produces exactly the same outputs as the original on any input.
//
// Version 2 differs from version 1 only by the dead cells. A TemporalMemory
// without dead cells is written as version 1, so its encoding is that of
// the versions of this package before KillCells; one with dead cells is
// written as version 2, and a version 2 encoding without dead cells is
// corrupt (the encoding stays canonical). Both versions are read.
const (
	tmMagic       = "DHTM"
	tmVersion     = 1
	tmVersionDead = 2
)

// MarshalBinary encodes tm (see AppendBinary).
func (tm *TemporalMemory) MarshalBinary() ([]byte, error) {
	return tm.AppendBinary(nil)
}

// AppendBinary appends the encoding of tm to b.
func (tm *TemporalMemory) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	le := binary.LittleEndian
	b = append(b, tmMagic...)
	version := uint16(tmVersion)
	if tm.numDead > 0 {
		version = tmVersionDead
	}
	b = le.AppendUint16(b, version)
	b = le.AppendUint16(b, 0)
	p := tm.p
	for _, v := range []int{p.NumColumns, p.CellsPerColumn, p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount} {
		b = le.AppendUint64(b, uint64(v))
	}
	for _, v := range []float32{p.InitialPermanence, p.ConnectedPermanence, p.PermanenceIncrement, p.PermanenceDecrement, p.PredictedSegmentDecrement} {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range []int{p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments} {
		b = le.AppendUint64(b, uint64(v))
	}
	b = le.AppendUint64(b, p.Seed)
	b = le.AppendUint64(b, tm.iter)
	b = le.AppendUint64(b, math.Float64bits(tm.anomaly))
	r, err := tm.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b = le.AppendUint32(b, uint32(len(r)))
	b = append(b, r...)
	for _, list := range [][]uint32{tm.active, tm.winner} {
		b = le.AppendUint32(b, uint32(len(list)))
		for _, c := range list {
			b = le.AppendUint32(b, c)
		}
	}
	if tm.numDead > 0 {
		b = le.AppendUint32(b, uint32(tm.numDead))
		for c := range tm.cells {
			if tm.IsDead(c) {
				b = le.AppendUint32(b, c)
			}
		}
	}
	lenAt := len(b)
	b = le.AppendUint64(b, 0)
	b, err = tm.conns.AppendBinary(b)
	if err != nil {
		return nil, err
	}
	le.PutUint64(b[lenAt:], uint64(len(b)-lenAt-8))
	b = le.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	return b, nil
}

// Save writes the encoding of tm to w.
func (tm *TemporalMemory) Save(w io.Writer) error {
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

// tmReader decodes little-endian fields with bounds checks.
type tmReader struct {
	b   []byte
	err error
}

func (r *tmReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < n {
		r.err = fmt.Errorf("%w: truncated", ErrCorrupt)
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *tmReader) u32() uint32 {
	if v := r.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (r *tmReader) u64() uint64 {
	if v := r.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

// int reads a uint64 that must fit in a non-negative int32-range value
// (every integer parameter is validated further by Params.Validate).
func (r *tmReader) int() int {
	v := r.u64()
	if v > math.MaxInt32 {
		if r.err == nil {
			r.err = fmt.Errorf("%w: integer parameter %d out of range", ErrCorrupt, v)
		}
		return 0
	}
	return int(v)
}

func (r *tmReader) cells(limit uint32) []uint32 {
	n := int(r.u32())
	if r.err != nil {
		return nil
	}
	if n > len(r.b)/4 {
		r.err = fmt.Errorf("%w: cell count %d exceeds the data", ErrCorrupt, n)
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = r.u32()
		if out[i] >= limit || (i > 0 && out[i] <= out[i-1]) {
			r.err = fmt.Errorf("%w: cell list not strictly increasing below %d", ErrCorrupt, limit)
			return nil
		}
	}
	return out
}

// UnmarshalBinary decodes data written by MarshalBinary into tm, replacing
// its state. Corrupt or truncated data gives an error wrapping ErrCorrupt
// and leaves tm unchanged; it never panics, and it allocates at most a
// small multiple of len(data).
func (tm *TemporalMemory) UnmarshalBinary(data []byte) error {
	if len(data) < 12 {
		return fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if string(body[:4]) != tmMagic {
		return fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	version := binary.LittleEndian.Uint16(body[4:])
	if version != tmVersion && version != tmVersionDead {
		return fmt.Errorf("%w: version %d (want %d or %d)", ErrCorrupt, version, tmVersion, tmVersionDead)
	}
	if crc32.ChecksumIEEE(body) != sum {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	r := &tmReader{b: body[8:]}
	var p Params
	p.NumColumns, p.CellsPerColumn = r.int(), r.int()
	p.ActivationThreshold, p.MinThreshold, p.MaxNewSynapseCount = r.int(), r.int(), r.int()
	f := func() float32 { return math.Float32frombits(r.u32()) }
	p.InitialPermanence, p.ConnectedPermanence = f(), f()
	p.PermanenceIncrement, p.PermanenceDecrement, p.PredictedSegmentDecrement = f(), f(), f()
	p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment, p.MaxSegments = r.int(), r.int(), r.int()
	p.Seed = r.u64()
	if r.err != nil {
		return r.err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	iter := r.u64()
	anomaly := math.Float64frombits(r.u64())
	if !(anomaly >= 0 && anomaly <= 1) {
		return fmt.Errorf("%w: anomaly %v", ErrCorrupt, anomaly)
	}
	rn := int(r.u32())
	if r.err == nil && rn > 64 {
		return fmt.Errorf("%w: rng state of %d bytes", ErrCorrupt, rn)
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(r.take(rn)); r.err == nil && err != nil {
		return fmt.Errorf("%w: rng: %v", ErrCorrupt, err)
	}
	cells := uint32(p.NumColumns * p.CellsPerColumn)
	active := r.cells(cells)
	winner := r.cells(cells)
	var dead []uint64
	if version == tmVersionDead {
		list := r.cells(cells)
		if r.err == nil && len(list) == 0 {
			return fmt.Errorf("%w: version %d without dead cells", ErrCorrupt, version)
		}
		if r.err == nil {
			dead = make([]uint64, (cells+63)/64)
			for _, c := range list {
				dead[c>>6] |= 1 << (c & 63)
			}
		}
	}
	cn := r.u64()
	if r.err != nil {
		return r.err
	}
	if cn != uint64(len(r.b)) {
		return fmt.Errorf("%w: connections of %d bytes, %d remain", ErrCorrupt, cn, len(r.b))
	}
	conns, rest, err := dendrite.Decode(r.b)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d bytes after the connections", ErrCorrupt, len(rest))
	}
	if conns.Config() != p.connConfig() {
		return fmt.Errorf("%w: connections configured as %+v, parameters imply %+v", ErrCorrupt, conns.Config(), p.connConfig())
	}
	// Every winner cell is active, and every active column has a winner.
	for _, w := range winner {
		if _, ok := slices.BinarySearch(active, w); !ok {
			return fmt.Errorf("%w: winner cell %d not active", ErrCorrupt, w)
		}
	}
	// (Right after KillCells, an active column may have lost its winner.)
	k := uint32(p.CellsPerColumn)
	if dead == nil && !slices.Equal(columnsOf(nil, active, k), columnsOf(nil, winner, k)) {
		return fmt.Errorf("%w: active columns without a winner cell", ErrCorrupt)
	}
	t := newTM(p, conns, pcg)
	if dead != nil {
		t.dead = dead
		if err := t.checkDead(); err != nil {
			return err
		}
	}
	t.iter = iter
	t.anomaly = anomaly
	t.active = active
	t.winner = winner
	for _, c := range active {
		t.bitmap[c>>6] |= 1 << (c & 63)
	}
	if err := t.computeSegments(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	*tm = *t
	return nil
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
