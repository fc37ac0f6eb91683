package btm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"slices"
)

// ErrCorrupt is wrapped by the errors of UnmarshalBinary and Load for data
// that is not a valid encoding.
var ErrCorrupt = errors.New("btm: corrupt encoded data")

// Binary format of a TM (little-endian):
//
//	magic "DBTM", version uint16 = 1, reserved uint16 = 0
//	params in field order: ints as int64, float32s as IEEE bits, seed
//	iteration, learning iteration (uint64), avgInputDensity (float64),
//	        pamCounter, learnedSeqLength (uint64), resetCalled (byte 0/1),
//	        anomaly (float64)
//	diagnostics: avgLearnedSeqLength (float64), 7 × uint64 counters
//	rng: length uint32 + the PCG's MarshalBinary bytes
//	cell lists (count uint32 + count × uint32, strictly increasing):
//	        infActive, infPredicted, lrnActive, lrnPredicted
//	confidences: columns, then cells: count uint32 + count × (index
//	        uint32, value float64)
//	histories (inference, learning): count uint32 + count column lists
//	queue: count uint32 + count × (cell, segment uint32, stamp uint64,
//	        n uint32, n × cell uint32)
//	segments: slots uint32; per slot its cell (uint32, 2³²−1 if free)
//	        and, if live: lastActive, positive, total activations
//	        (uint64), duty cycle (float64), its iteration (uint64),
//	        synapses uint32 + per synapse (cell uint32, permanence bits)
//	free list: count uint32 + slots uint32, in reuse order (last first)
//	crc32 (IEEE) of everything before
//
// The per-cell segment lists (sorted) and the reverse index are rebuilt;
// scratch is not state. The encoding is canonical: UnmarshalBinary then
// MarshalBinary returns the same bytes.
const (
	btmMagic   = "DBTM"
	btmVersion = 1
)

// MarshalBinary encodes tm (see AppendBinary).
func (tm *TM) MarshalBinary() ([]byte, error) { return tm.AppendBinary(nil) }

// AppendBinary appends the encoding of tm to b.
func (tm *TM) AppendBinary(b []byte) ([]byte, error) {
	if !tm.ok() {
		return nil, ErrUninit
	}
	le := binary.LittleEndian
	start := len(b)
	b = append(b, btmMagic...)
	b = le.AppendUint16(b, btmVersion)
	b = le.AppendUint16(b, 0)
	ints, floats := tm.p.fields()
	for _, v := range ints {
		b = le.AppendUint64(b, uint64(int64(*v)))
	}
	for _, v := range floats {
		b = le.AppendUint32(b, math.Float32bits(*v))
	}
	b = le.AppendUint64(b, tm.p.Seed)
	f64 := func(v float64) { b = le.AppendUint64(b, math.Float64bits(v)) }
	b = le.AppendUint64(b, tm.iter)
	b = le.AppendUint64(b, tm.lrnIter)
	f64(tm.avgDensity)
	b = le.AppendUint64(b, uint64(tm.pamCounter))
	b = le.AppendUint64(b, uint64(tm.learnedSeqLength))
	if tm.resetCalled {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	f64(tm.anomaly)
	d := &tm.diag
	f64(d.AvgLearnedSeqLength)
	for _, v := range d.counters() {
		b = le.AppendUint64(b, *v)
	}
	r, err := tm.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b = le.AppendUint32(b, uint32(len(r)))
	b = append(b, r...)
	list := func(x []uint32) {
		b = le.AppendUint32(b, uint32(len(x)))
		for _, v := range x {
			b = le.AppendUint32(b, v)
		}
	}
	for _, x := range [][]uint32{tm.infActive, tm.infPred, tm.lrnActive, tm.lrnPred} {
		list(x)
	}
	for _, c := range []struct {
		idx []uint32
		val []float64
	}{{tm.colIdx, tm.colVal}, {tm.cellIdx, tm.cellVal}} {
		b = le.AppendUint32(b, uint32(len(c.idx)))
		for i, v := range c.idx {
			b = le.AppendUint32(b, v)
			f64(c.val[i])
		}
	}
	for _, h := range []*history{&tm.infHist, &tm.lrnHist} {
		b = le.AppendUint32(b, uint32(h.n))
		for i := range h.n {
			list(h.at(i))
		}
	}
	b = le.AppendUint32(b, uint32(len(tm.queue)))
	for _, u := range tm.queue {
		b = le.AppendUint32(b, u.cell)
		b = le.AppendUint32(b, u.seg)
		b = le.AppendUint64(b, u.stamp)
		list(tm.qcells[u.off : u.off+u.n])
	}
	b = le.AppendUint32(b, uint32(len(tm.segs)))
	for i := range tm.segs {
		g := &tm.segs[i]
		b = le.AppendUint32(b, g.cell)
		if g.cell == freeCell {
			continue
		}
		b = le.AppendUint64(b, g.lastActive)
		b = le.AppendUint64(b, g.posAct)
		b = le.AppendUint64(b, g.totAct)
		f64(g.dcLast)
		b = le.AppendUint64(b, g.dcIter)
		b = le.AppendUint32(b, uint32(len(g.syn)))
		for _, y := range g.syn {
			b = le.AppendUint32(b, y.pre)
			b = le.AppendUint32(b, math.Float32bits(y.perm))
		}
	}
	list(tm.free)
	return le.AppendUint32(b, crc32.ChecksumIEEE(b[start:])), nil
}

// fields lists the int and float32 parameters in the encoding's order.
func (p *Params) fields() ([]*int, []*float32) {
	return []*int{&p.NumberOfCols, &p.CellsPerColumn, &p.MinThreshold, &p.NewSynapseCount,
			&p.ActivationThreshold, &p.PamLength, &p.MaxInfBacktrack, &p.MaxLrnBacktrack,
			&p.MaxAge, &p.MaxSeqLength, &p.MaxSegmentsPerCell, &p.MaxSynapsesPerSegment},
		[]*float32{&p.InitialPerm, &p.ConnectedPerm, &p.PermanenceInc, &p.PermanenceDec,
			&p.PermanenceMax, &p.GlobalDecay}
}

func (d *Diagnostics) counters() []*uint64 {
	return []*uint64{&d.RestartsReset, &d.RestartsPam, &d.RestartsMaxSeq, &d.LrnBacktracks,
		&d.InfBacktracks, &d.InfBacktrackPast, &d.LastRestartStep}
}

// Save writes the encoding of tm to w.
func (tm *TM) Save(w io.Writer) error {
	if w == nil {
		return errors.New("btm: Save to a nil writer")
	}
	b, err := tm.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Load reads a TM written by Save from r (to its end).
func Load(r io.Reader) (*TM, error) {
	if r == nil {
		return nil, errors.New("btm: Load from a nil reader")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	tm := new(TM)
	if err := tm.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return tm, nil
}

// reader decodes little-endian fields with bounds checks; the first error
// sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, a...)...)
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.fail("truncated")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() byte {
	if v := r.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (r *reader) u32() uint32 {
	if v := r.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if v := r.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

// count reads a count of elements of at least size bytes each and refuses
// one the remaining input could not hold, before anything is allocated.
func (r *reader) count(size int, what string) int {
	n := int(r.u32())
	if r.err == nil && n > len(r.b)/size {
		r.fail("%s count %d exceeds the %d remaining bytes", what, n, len(r.b))
	}
	if r.err != nil {
		return 0
	}
	return n
}

// list reads a strictly increasing list of values below limit.
func (r *reader) list(dst []uint32, limit uint32, what string) []uint32 {
	n := r.count(4, what)
	dst = dst[:0]
	for i := range n {
		v := r.u32()
		if r.err == nil && (v >= limit || (i > 0 && v <= dst[i-1])) {
			r.fail("%s not strictly increasing below %d", what, limit)
		}
		if r.err != nil {
			return nil
		}
		dst = append(dst, v)
	}
	return dst
}

// UnmarshalBinary decodes data written by MarshalBinary into tm, replacing
// its state. Corrupt or truncated data gives an error wrapping ErrCorrupt
// and leaves tm unchanged; it never panics. Until the whole input is
// validated it allocates at most a small constant (the histories: at most
// 2 × 1001 slice headers) plus a small multiple of len(data): every count
// is checked against the remaining input first, and the per-cell state
// the parameters declare (what New allocates, 48 bytes per cell) is
// allocated only for a valid input.
func (tm *TM) UnmarshalBinary(data []byte) error {
	if tm == nil {
		return ErrUninit
	}
	if len(data) < 12 {
		return fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if string(body[:4]) != btmMagic {
		return fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint16(body[4:]); v != btmVersion || binary.LittleEndian.Uint16(body[6:]) != 0 {
		return fmt.Errorf("%w: version %d (want %d)", ErrCorrupt, v, btmVersion)
	}
	if crc32.ChecksumIEEE(body) != sum {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	r := &reader{b: body[8:]}
	var p Params
	ints, floats := p.fields()
	for _, v := range ints {
		x := int64(r.u64())
		if x < math.MinInt32 || x > math.MaxInt32 {
			r.fail("integer parameter %d out of range", x)
		}
		*v = int(x)
	}
	for _, v := range floats {
		*v = math.Float32frombits(r.u32())
	}
	p.Seed = r.u64()
	if r.err != nil {
		return r.err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	iter, lrnIter := r.u64(), r.u64()
	avgDensity := r.f64()
	pam, seqLen := r.u64(), r.u64()
	reset := r.u8()
	anomaly := r.f64()
	var d Diagnostics
	d.AvgLearnedSeqLength = r.f64()
	for _, v := range d.counters() {
		*v = r.u64()
	}
	switch {
	case r.err != nil:
		return r.err
	case lrnIter > iter:
		return fmt.Errorf("%w: %d learning iterations of %d", ErrCorrupt, lrnIter, iter)
	case !(avgDensity >= 0 && avgDensity <= float64(p.NumberOfCols)):
		return fmt.Errorf("%w: average input density %v", ErrCorrupt, avgDensity)
	case pam > uint64(p.PamLength) || seqLen > math.MaxInt32 || reset > 1:
		return fmt.Errorf("%w: pamCounter %d, learnedSeqLength %d, resetCalled %d", ErrCorrupt, pam, seqLen, reset)
	case !(anomaly >= 0 && anomaly <= 1):
		return fmt.Errorf("%w: anomaly %v", ErrCorrupt, anomaly)
	case math.IsNaN(d.AvgLearnedSeqLength) || math.IsInf(d.AvgLearnedSeqLength, 0):
		return fmt.Errorf("%w: average learned length %v", ErrCorrupt, d.AvgLearnedSeqLength)
	}
	rn := r.count(1, "rng state")
	if rn > 64 {
		return fmt.Errorf("%w: rng state of %d bytes", ErrCorrupt, rn)
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(r.take(rn)); r.err == nil && err != nil {
		return fmt.Errorf("%w: rng: %v", ErrCorrupt, err)
	}
	if r.err != nil {
		return r.err
	}
	t := newTM(p, pcg)
	t.iter, t.lrnIter, t.avgDensity = iter, lrnIter, avgDensity
	t.pamCounter, t.learnedSeqLength, t.resetCalled = int(pam), int(seqLen), reset == 1
	t.anomaly, t.diag = anomaly, d
	if err := t.decodeState(r); err != nil {
		return err
	}
	*tm = *t
	return nil
}

// decodeState reads everything after the random generator into t and
// checks its invariants.
func (t *TM) decodeState(r *reader) error {
	t.infActive = r.list(nil, t.ncells, "infActive")
	t.infPred = r.list(nil, t.ncells, "infPredicted")
	t.lrnActive = r.list(nil, t.ncells, "lrnActive")
	t.lrnPred = r.list(nil, t.ncells, "lrnPredicted")
	for _, x := range [][]uint32{t.lrnActive, t.lrnPred} {
		for i := 1; i < len(x); i++ {
			if x[i]/t.k == x[i-1]/t.k {
				r.fail("two learning-state cells in column %d", x[i]/t.k)
			}
		}
	}
	for _, c := range []struct {
		idx   *[]uint32
		val   *[]float64
		limit uint32
	}{{&t.colIdx, &t.colVal, t.ncols}, {&t.cellIdx, &t.cellVal, t.ncells}} {
		n := r.count(12, "confidence")
		for i := range n {
			x, v := r.u32(), r.f64()
			if r.err == nil && (x >= c.limit || (i > 0 && x <= (*c.idx)[i-1]) || !(v > 0 && v <= 1)) {
				r.fail("confidence entry (%d, %v)", x, v)
			}
			if r.err != nil {
				return r.err
			}
			*c.idx, *c.val = append(*c.idx, x), append(*c.val, v)
		}
	}
	for _, h := range []*history{&t.infHist, &t.lrnHist} {
		n := r.count(4, "history")
		if n > len(h.buf) {
			r.fail("history of %d entries, at most %d", n, len(h.buf))
		}
		for range n {
			cols := r.list(nil, t.ncols, "history entry")
			if r.err != nil {
				return r.err
			}
			h.pushOwned(cols)
		}
	}
	nq := r.count(20, "queue")
	var scratch []uint32
	for range nq {
		u := update{cell: r.u32(), seg: r.u32(), stamp: r.u64()}
		if u.cell >= t.ncells || u.stamp > t.lrnIter {
			r.fail("queued update of cell %d at %d", u.cell, u.stamp)
		}
		// The cells of an update are distinct, in the order they were
		// chosen (it orders the new synapses).
		n := r.count(4, "update cell")
		u.off, u.n = uint32(len(t.qcells)), uint32(n)
		for range n {
			c := r.u32()
			if r.err == nil && c >= t.ncells {
				r.fail("update cell %d out of range", c)
			}
			if r.err != nil {
				return r.err
			}
			t.qcells = append(t.qcells, c)
		}
		scratch = append(scratch[:0], t.qcells[u.off:]...)
		if c, ok := distinct(scratch); !ok {
			return fmt.Errorf("%w: update cell %d repeated", ErrCorrupt, c)
		}
		t.queue = append(t.queue, u)
	}
	if err := t.decodeSegments(r); err != nil {
		return err
	}
	for _, u := range t.queue {
		if u.seg != droppedSeg && (int(u.seg) >= len(t.segs) || t.segs[u.seg].cell != u.cell) {
			return fmt.Errorf("%w: queued update of segment %d not on cell %d", ErrCorrupt, u.seg, u.cell)
		}
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(r.b))
	}
	// The input is valid: only now the per-cell state its parameters
	// declare is allocated.
	t.allocCells()
	t.index()
	return nil
}

// distinct sorts v and reports whether its values are distinct, else
// returns a repeated one.
func distinct(v []uint32) (uint32, bool) {
	slices.Sort(v)
	for i := 1; i < len(v); i++ {
		if v[i] == v[i-1] {
			return v[i], false
		}
	}
	return 0, true
}

// index builds the per-cell lists of segments (in increasing slot order)
// and the reverse index from the decoded segments.
func (t *TM) index() {
	for s := range t.segs {
		g := &t.segs[s]
		if g.cell == freeCell {
			continue
		}
		for _, y := range g.syn {
			t.out[y.pre] = t.lists.push(t.out[y.pre], uint32(s))
		}
		t.cellSegs[g.cell] = t.lists.push(t.cellSegs[g.cell], uint32(s))
	}
}

// decodeSegments reads the segment slots and the free list and checks
// them; it allocates only in proportion to the input (the per-cell lists
// are built by index once the whole input is valid).
func (t *TM) decodeSegments(r *reader) error {
	slots := r.count(4, "segment slot")
	if r.err != nil {
		return r.err
	}
	t.segs = make([]segment, slots)
	t.counts = make([]uint32, slots)
	maxSyn := t.p.MaxSynapsesPerSegment
	var pres, cells []uint32
	for s := range t.segs {
		g := &t.segs[s]
		g.cell = r.u32()
		if r.err != nil {
			return r.err
		}
		if g.cell == freeCell {
			continue
		}
		g.lastActive, g.posAct, g.totAct = r.u64(), r.u64(), r.u64()
		g.dcLast, g.dcIter = r.f64(), r.u64()
		n := r.count(8, "synapse")
		switch {
		case r.err != nil:
			return r.err
		case g.cell >= t.ncells || g.cell%t.k == 0:
			return fmt.Errorf("%w: segment %d on cell %d (out of range or a start cell)", ErrCorrupt, s, g.cell)
		case g.lastActive > t.lrnIter || g.dcIter > t.lrnIter || g.posAct == 0 || g.totAct == 0:
			return fmt.Errorf("%w: segment %d counters", ErrCorrupt, s)
		case !(g.dcLast >= 0) || math.IsInf(g.dcLast, 0):
			return fmt.Errorf("%w: segment %d duty cycle %v", ErrCorrupt, s, g.dcLast)
		case n == 0 || (maxSyn != Unlimited && n > maxSyn):
			return fmt.Errorf("%w: segment %d has %d synapses", ErrCorrupt, s, n)
		}
		g.syn = t.synPool.grow(nil, n)
		pres = pres[:0]
		for range n {
			y := synapse{r.u32(), math.Float32frombits(r.u32())}
			if r.err == nil && (y.pre >= t.ncells || !(y.perm > 0 && y.perm <= t.p.PermanenceMax)) {
				r.fail("segment %d synapse (%d, %v)", s, y.pre, y.perm)
			}
			if r.err != nil {
				return r.err
			}
			g.syn = append(g.syn, y)
			pres = append(pres, y.pre)
		}
		if c, ok := distinct(pres); !ok {
			return fmt.Errorf("%w: segment %d has two synapses from cell %d", ErrCorrupt, s, c)
		}
		cells = append(cells, g.cell)
		t.nseg++
		t.nsyn += n
	}
	if m := t.p.MaxSegmentsPerCell; m != Unlimited {
		slices.Sort(cells)
		for i := m; i < len(cells); i++ {
			if cells[i] == cells[i-m] {
				return fmt.Errorf("%w: cell %d has more than %d segments", ErrCorrupt, cells[i], m)
			}
		}
	}
	nf := r.count(4, "free slot")
	if r.err != nil {
		return r.err
	}
	if nf != slots-t.nseg {
		return fmt.Errorf("%w: %d free slots listed, %d free", ErrCorrupt, nf, slots-t.nseg)
	}
	t.free = make([]uint32, nf)
	for i := range t.free {
		s := r.u32()
		if r.err == nil && (int(s) >= slots || t.segs[s].cell != freeCell || t.counts[s] != 0) {
			r.fail("free slot %d", s)
		}
		if r.err != nil {
			return r.err
		}
		t.counts[s] = 1 // marks it listed
		t.free[i] = s
	}
	for _, s := range t.free {
		t.counts[s] = 0
	}
	return nil
}
