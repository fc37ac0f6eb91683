package spatial

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

// Binary format (little-endian), version 1:
//
//	"DSP1"  magic
//	u16     version (1), u16 initialisation (Params.InitPermanence; 0,
//	        InitNearThreshold, in data written before the field existed)
//	params: u32 d, d×u32 input dims; u32 d, d×u32 column dims;
//	        u32 potentialRadius; f64 potentialPct; u8 globalInhibition;
//	        f64 localAreaDensity; u32 numActiveColumnsPerInhArea;
//	        u32 stimulusThreshold; f64 synPermInactiveDec, synPermActiveInc,
//	        synPermConnected, minPctOverlapDutyCycles; u32 dutyCyclePeriod;
//	        f64 boostStrength; u8 wrapAround; u64 seed
//	state:  u64 iteration, u64 learning iterations, u32 inhibition radius;
//	        per column u32 pool size; per synapse u32 input, then per
//	        synapse f32 permanence; per column f64 boost, f64 active duty
//	        cycle, f64 overlap duty cycle, f64 minimum overlap duty cycle;
//	        per column u32 tie rank
//	u32     CRC-32 (IEEE) of everything before it
const (
	codecMagic   = "DSP1"
	codecVersion = 1
)

// MarshalBinary encodes the pooler: parameters, synapses and learned state.
func (s *SpatialPooler) MarshalBinary() ([]byte, error) {
	le := binary.LittleEndian
	n := s.numColumns
	size := 64 + 8*len(s.p.InputDims) + 8*len(s.p.ColumnDims) + 100 + n*40 + len(s.potIdx)*8
	b := make([]byte, 0, size)
	b = append(b, codecMagic...)
	b = le.AppendUint16(b, codecVersion)
	b = le.AppendUint16(b, uint16(s.p.InitPermanence))
	u32 := func(v int) { b = le.AppendUint32(b, uint32(v)) }
	f64 := func(v float64) { b = le.AppendUint64(b, math.Float64bits(v)) }
	flag := func(v bool) {
		if v {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	p := &s.p
	u32(len(p.InputDims))
	for _, d := range p.InputDims {
		u32(d)
	}
	u32(len(p.ColumnDims))
	for _, d := range p.ColumnDims {
		u32(d)
	}
	u32(p.PotentialRadius)
	f64(p.PotentialPct)
	flag(p.GlobalInhibition)
	f64(p.LocalAreaDensity)
	u32(p.NumActiveColumnsPerInhArea)
	u32(p.StimulusThreshold)
	f64(p.SynPermInactiveDec)
	f64(p.SynPermActiveInc)
	f64(p.SynPermConnected)
	f64(p.MinPctOverlapDutyCycles)
	u32(p.DutyCyclePeriod)
	f64(p.BoostStrength)
	flag(p.WrapAround)
	b = le.AppendUint64(b, p.Seed)

	b = le.AppendUint64(b, s.iteration)
	b = le.AppendUint64(b, s.learnIteration)
	u32(s.inhRadius)
	for c := range n {
		u32(int(s.potStart[c+1] - s.potStart[c]))
	}
	for _, i := range s.potIdx {
		b = le.AppendUint32(b, i)
	}
	for _, v := range s.perm {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	for c := range n {
		f64(s.boost[c])
		f64(s.activeDuty[c])
		f64(s.overlapDuty[c])
		f64(s.minOverlapDuty[c])
	}
	for _, r := range s.tieRank {
		b = le.AppendUint32(b, r)
	}
	return le.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// reader decodes little-endian fields, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.fail("truncated")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
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

// int reads a u32 that must not exceed limit.
func (r *reader) int(what string, limit int) int {
	v := r.u32()
	if int64(v) > int64(limit) {
		r.fail("%s %d exceeds %d", what, v, limit)
		return 0
	}
	return int(v)
}

func (r *reader) flag(what string) bool {
	v := r.take(1)
	if v == nil {
		return false
	}
	if v[0] > 1 {
		r.fail("%s flag %d", what, v[0])
	}
	return v[0] == 1
}

func (r *reader) dims(what string) []int {
	d := r.int(what+" rank", 64)
	if r.err != nil {
		return nil
	}
	out := make([]int, d)
	for k := range out {
		out[k] = r.int(what+" dimension", MaxInputs)
	}
	return out
}

// UnmarshalBinary replaces s by the pooler encoded in data by
// MarshalBinary. It returns an error wrapping ErrCorrupt for truncated,
// altered or inconsistent data (bad checksum, invalid parameters, a pool
// index out of range or not increasing, a permanence outside [0, 1], a
// duty cycle outside [0, 1], a boost not positive and finite, tie ranks
// that are not a permutation), and leaves s unchanged on error.
func (s *SpatialPooler) UnmarshalBinary(data []byte) error {
	if len(data) < 12 {
		return fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	r := &reader{b: body}
	if string(r.take(4)) != codecMagic {
		return fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	v := r.take(4)
	mode := binary.LittleEndian.Uint16(v[2:])
	if binary.LittleEndian.Uint16(v) != codecVersion || mode > uint16(InitUniform) {
		return fmt.Errorf("%w: unknown version or initialisation %x", ErrCorrupt, v)
	}
	var p Params
	p.InitPermanence = InitMode(mode)
	p.InputDims = r.dims("input")
	p.ColumnDims = r.dims("column")
	p.PotentialRadius = r.int("potential radius", MaxInputs)
	p.PotentialPct = r.f64()
	p.GlobalInhibition = r.flag("global inhibition")
	p.LocalAreaDensity = r.f64()
	p.NumActiveColumnsPerInhArea = r.int("active columns", MaxColumns)
	p.StimulusThreshold = r.int("stimulus threshold", MaxInputs)
	p.SynPermInactiveDec = r.f64()
	p.SynPermActiveInc = r.f64()
	p.SynPermConnected = r.f64()
	p.MinPctOverlapDutyCycles = r.f64()
	p.DutyCyclePeriod = r.int("duty cycle period", math.MaxInt32)
	p.BoostStrength = r.f64()
	p.WrapAround = r.flag("wrap around")
	p.Seed = r.u64()
	if r.err != nil {
		return r.err
	}
	numInputs, numColumns, err := p.validate()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	t := &SpatialPooler{p: p, numInputs: numInputs, numColumns: numColumns}
	t.iteration = r.u64()
	t.learnIteration = r.u64()
	if t.learnIteration > t.iteration {
		r.fail("%d learning iterations of %d", t.learnIteration, t.iteration)
	}
	t.inhRadius = r.int("inhibition radius", MaxColumns)
	maxDim := 0
	for _, d := range p.ColumnDims {
		maxDim = max(maxDim, d)
	}
	if p.GlobalInhibition && t.inhRadius != 0 || !p.GlobalInhibition && (t.inhRadius < 1 || t.inhRadius > maxDim) {
		r.fail("inhibition radius %d", t.inhRadius)
	}
	// Every column takes at least 4+4+4+32+4 bytes: check before allocating.
	if r.err == nil && len(r.b) < numColumns*48 {
		r.fail("truncated")
	}
	if r.err != nil {
		return r.err
	}
	t.potStart = make([]uint32, numColumns+1)
	for c := range numColumns {
		k := r.int("pool size", numInputs)
		if k < 1 && r.err == nil {
			r.fail("empty pool of column %d", c)
		}
		t.potStart[c+1] = t.potStart[c] + uint32(k)
		t.maxPool = max(t.maxPool, k)
		if r.err != nil || int(t.potStart[c+1]) > MaxSynapses || int(t.potStart[c+1]) > len(r.b)/8 {
			r.fail("pool sizes exceed the data")
			return r.err
		}
	}
	total := int(t.potStart[numColumns])
	t.potIdx = make([]uint32, total)
	for c := range numColumns {
		prev := int64(-1)
		for syn := t.potStart[c]; syn < t.potStart[c+1]; syn++ {
			i := r.u32()
			if int64(i) <= prev || int(i) >= numInputs {
				r.fail("column %d: pool input %d out of order or range", c, i)
				return r.err
			}
			t.potIdx[syn], prev = i, int64(i)
		}
	}
	t.perm = make([]float32, total)
	for syn := range t.perm {
		v := math.Float32frombits(r.u32())
		if !(v >= 0 && v <= 1) {
			r.fail("permanence %v", v)
			return r.err
		}
		t.perm[syn] = v
	}
	t.boost = make([]float64, numColumns)
	t.activeDuty = make([]float64, numColumns)
	t.overlapDuty = make([]float64, numColumns)
	t.minOverlapDuty = make([]float64, numColumns)
	unit := func(x float64) bool { return x >= 0 && x <= 1 }
	for c := range numColumns {
		t.boost[c], t.activeDuty[c], t.overlapDuty[c], t.minOverlapDuty[c] = r.f64(), r.f64(), r.f64(), r.f64()
		if b := t.boost[c]; !(b > 0) || math.IsInf(b, 0) || !unit(t.activeDuty[c]) || !unit(t.overlapDuty[c]) || !unit(t.minOverlapDuty[c]) {
			r.fail("column %d: boost or duty cycle out of range", c)
			return r.err
		}
	}
	t.tieRank = make([]uint32, numColumns)
	seen := make([]bool, numColumns)
	for c := range numColumns {
		v := r.u32()
		if int(v) >= numColumns || seen[v] {
			r.fail("tie ranks are not a permutation")
			return r.err
		}
		seen[v] = true
		t.tieRank[c] = v
	}
	if r.err != nil {
		return r.err
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(r.b))
	}
	t.derive()
	t.buildReverse()
	*s = *t
	return nil
}
