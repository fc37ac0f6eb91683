package spatial

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// Binary format, version 2 (written now): the module's framing
// (internal/binfmt: little-endian; magic "DSP1", version, flags 0, section
// count, length-prefixed sections, CRC-32C) with three sections:
//
//	"PARM"  u16 initialisation (Params.InitPermanence); u32 d, d×u32
//	        input dims; u32 d, d×u32 column dims; u32 potentialRadius;
//	        f64 potentialPct; u8 globalInhibition; f64 localAreaDensity;
//	        u32 numActiveColumnsPerInhArea; u32 stimulusThreshold;
//	        f64 synPermInactiveDec, synPermActiveInc, synPermConnected,
//	        minPctOverlapDutyCycles; u32 dutyCyclePeriod; f64
//	        boostStrength; u8 wrapAround; u64 seed
//	"INPT"  per input, uvarint: the number of columns whose pool holds it
//	        (redundant, checked: it makes a valid encoding at least one
//	        byte per input long, so that the per-input index the decoder
//	        builds is bounded by the input's size)
//	"STAT"  u64 iteration, u64 learning iterations, u32 inhibition radius;
//	        per column u32 pool size; per synapse u32 input, then per
//	        synapse f32 permanence; per column f64 boost, f64 active duty
//	        cycle, f64 overlap duty cycle, f64 minimum overlap duty cycle;
//	        per column u32 tie rank
//
// Version 1, still read, is "DSP1", u16 version (1), u16 initialisation
// (0, InitNearThreshold, in data written before the field existed), the
// PARM fields after the initialisation, the STAT fields, and the CRC-32
// (IEEE) of everything before it. It has no per-input counts, so its
// decoder refuses a file shorter than a sixteenth of the number of inputs
// (maxInputsPerByteV1) rather than allocate a per-input index out of
// proportion to the file; every pooler saved with pools covering its
// inputs is far longer than that.
const (
	codecMagic    = "DSP1"
	codecVersion1 = 1
	codecVersion  = 2
	// maxInputsPerByteV1 bounds the inputs a version 1 file may claim per
	// byte of its length (the reverse index takes 8 bytes per input).
	maxInputsPerByteV1 = 16
)

// MarshalBinary encodes the pooler: parameters, synapses and learned state.
func (s *SpatialPooler) MarshalBinary() ([]byte, error) {
	if s == nil {
		return nil, ErrNotInitialized
	}
	n := s.numColumns
	size := 64 + 8*len(s.p.InputDims) + 8*len(s.p.ColumnDims) + 150 + s.numInputs + n*40 + len(s.potIdx)*8
	w := binfmt.NewWriter(nil, codecMagic, codecVersion, size)
	w.Section("PARM")
	w.U16(uint16(s.p.InitPermanence))
	u32 := func(v int) { w.U32(uint32(v)) }
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
	w.F64(p.PotentialPct)
	w.Bool(p.GlobalInhibition)
	w.F64(p.LocalAreaDensity)
	u32(p.NumActiveColumnsPerInhArea)
	u32(p.StimulusThreshold)
	w.F64(p.SynPermInactiveDec)
	w.F64(p.SynPermActiveInc)
	w.F64(p.SynPermConnected)
	w.F64(p.MinPctOverlapDutyCycles)
	u32(p.DutyCyclePeriod)
	w.F64(p.BoostStrength)
	w.Bool(p.WrapAround)
	w.U64(p.Seed)

	w.Section("INPT")
	for _, k := range s.poolCounts() {
		w.Uvarint(uint64(k))
	}

	w.Section("STAT")
	w.U64(s.iteration)
	w.U64(s.learnIteration)
	u32(s.inhRadius)
	for c := range n {
		u32(int(s.potStart[c+1] - s.potStart[c]))
	}
	for _, i := range s.potIdx {
		w.U32(i)
	}
	for _, v := range s.perm {
		w.F32(v)
	}
	for c := range n {
		w.F64(s.boost[c])
		w.F64(s.activeDuty[c])
		w.F64(s.overlapDuty[c])
		w.F64(s.minOverlapDuty[c])
	}
	for _, r := range s.tieRank {
		w.U32(r)
	}
	return w.Finish(), nil
}

// poolCounts returns, per input, the number of pools that hold it.
func (s *SpatialPooler) poolCounts() []uint32 {
	k := make([]uint32, s.numInputs)
	for _, i := range s.potIdx {
		k[i]++
	}
	return k
}

// corrupt wraps err (typically a *binfmt.FormatError) in ErrCorrupt.
func corrupt(err error) error { return fmt.Errorf("%w: %w", ErrCorrupt, err) }

func readDims(r *binfmt.Reader, what string) []int {
	d := r.Int(what+" rank", 64)
	if r.Err() != nil {
		return nil
	}
	out := make([]int, d)
	for k := range out {
		out[k] = r.Int(what+" dimension", MaxInputs)
	}
	return out
}

// readParams reads the parameters after the initialisation mode and
// validates them.
func readParams(r *binfmt.Reader, mode uint16) (p Params, numInputs, numColumns int, err error) {
	if mode > uint16(InitUniform) {
		return p, 0, 0, fmt.Errorf("%w: unknown initialisation %d", ErrCorrupt, mode)
	}
	p.InitPermanence = InitMode(mode)
	p.InputDims = readDims(r, "input")
	p.ColumnDims = readDims(r, "column")
	p.PotentialRadius = r.Int("potential radius", MaxInputs)
	p.PotentialPct = r.F64("potential pct")
	p.GlobalInhibition = r.Bool("global inhibition")
	p.LocalAreaDensity = r.F64("local area density")
	p.NumActiveColumnsPerInhArea = r.Int("active columns", MaxColumns)
	p.StimulusThreshold = r.Int("stimulus threshold", MaxInputs)
	p.SynPermInactiveDec = r.F64("synPermInactiveDec")
	p.SynPermActiveInc = r.F64("synPermActiveInc")
	p.SynPermConnected = r.F64("synPermConnected")
	p.MinPctOverlapDutyCycles = r.F64("minPctOverlapDutyCycles")
	p.DutyCyclePeriod = r.Int("duty cycle period", math.MaxInt32)
	p.BoostStrength = r.F64("boost strength")
	p.WrapAround = r.Bool("wrap around")
	p.Seed = r.U64("seed")
	if err := r.Err(); err != nil {
		return p, 0, 0, corrupt(err)
	}
	numInputs, numColumns, err = p.validate()
	if err != nil {
		return p, 0, 0, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return p, numInputs, numColumns, nil
}

// UnmarshalBinary replaces s by the pooler encoded in data by
// MarshalBinary, in the current version (2) or in version 1. It returns an
// error wrapping ErrCorrupt for truncated, altered or inconsistent data
// (bad checksum, invalid parameters, a pool index out of range or not
// increasing, per-input counts that disagree with the pools, a permanence
// outside [0, 1], a duty cycle outside [0, 1], a boost not positive and
// finite, tie ranks that are not a permutation), and leaves s unchanged on
// error. It allocates O(len(data)): every population is checked against
// the bytes that must describe it before it is allocated.
func (s *SpatialPooler) UnmarshalBinary(data []byte) error {
	version, err := binfmt.Peek(data, codecMagic)
	if err != nil {
		return corrupt(err)
	}
	var t *SpatialPooler
	switch version {
	case codecVersion:
		t, err = decodeV2(data)
	case codecVersion1:
		t, err = decodeV1(data)
	default:
		return fmt.Errorf("%w: unknown version %d", ErrCorrupt, version)
	}
	if err != nil {
		return err
	}
	// The worker setting and the helpers are not part of the state.
	t.workers, t.team = s.workers, s.team
	t.derive()
	t.buildReverse()
	*s = *t
	return nil
}

// decodeV2 reads the sections of the current version.
func decodeV2(data []byte) (*SpatialPooler, error) {
	f, rest, err := binfmt.Parse(data, codecMagic)
	if err != nil {
		return nil, corrupt(err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(rest))
	}
	var parts [3]binfmt.Reader
	for i, tag := range []string{"PARM", "INPT", "STAT"} {
		if parts[i], err = f.Section(tag); err != nil {
			return nil, corrupt(err)
		}
	}
	prm, inpt, stat := &parts[0], &parts[1], &parts[2]
	p, numInputs, numColumns, err := readParams(prm, prm.U16("initialisation"))
	if err != nil {
		return nil, err
	}
	if numInputs > inpt.Len() {
		return nil, fmt.Errorf("%w: %d inputs but %d bytes of per-input counts", ErrCorrupt, numInputs, inpt.Len())
	}
	t, err := readState(stat, p, numInputs, numColumns)
	if err != nil {
		return nil, err
	}
	for i, k := range t.poolCounts() {
		if v := inpt.Uvarint("pools per input"); inpt.Err() == nil && v != uint64(k) {
			return nil, fmt.Errorf("%w: input %d is in %d pools, %d counted", ErrCorrupt, i, k, v)
		}
	}
	for i := range parts {
		if err := parts[i].Close(); err != nil {
			return nil, corrupt(err)
		}
	}
	return t, nil
}

// decodeV1 reads version 1: the checksum, then the fields.
func decodeV1(data []byte) (*SpatialPooler, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(body):]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	v1 := binfmt.NewReader(body[6:], "v1")
	r := &v1
	p, numInputs, numColumns, err := readParams(r, r.U16("initialisation"))
	if err != nil {
		return nil, err
	}
	if !binfmt.Fits(uint64(numInputs), 1, maxInputsPerByteV1*len(data)) {
		return nil, fmt.Errorf("%w: %d inputs in a %d-byte version 1 file", ErrCorrupt, numInputs, len(data))
	}
	t, err := readState(r, p, numInputs, numColumns)
	if err == nil && r.Close() != nil {
		err = corrupt(r.Err())
	}
	return t, err
}

// readState reads the learned state of a pooler with parameters p.
func readState(r *binfmt.Reader, p Params, numInputs, numColumns int) (*SpatialPooler, error) {
	t := &SpatialPooler{p: p, numInputs: numInputs, numColumns: numColumns}
	t.iteration = r.U64("iteration")
	t.learnIteration = r.U64("learning iterations")
	if r.Err() == nil && t.learnIteration > t.iteration {
		r.Fail("learning iterations", "%d learning iterations of %d", t.learnIteration, t.iteration)
	}
	t.inhRadius = r.Int("inhibition radius", MaxColumns)
	maxDim := 0
	for _, d := range p.ColumnDims {
		maxDim = max(maxDim, d)
	}
	if r.Err() == nil && (p.GlobalInhibition && t.inhRadius != 0 || !p.GlobalInhibition && (t.inhRadius < 1 || t.inhRadius > maxDim)) {
		r.Fail("inhibition radius", "%d", t.inhRadius)
	}
	// Every column takes at least 4+4+4+32+4 bytes: check before allocating.
	if r.Err() == nil && !binfmt.Fits(uint64(numColumns), 48, r.Len()) {
		r.Fail("columns", "%d columns cannot fit in %d bytes", numColumns, r.Len())
	}
	if err := r.Err(); err != nil {
		return nil, corrupt(err)
	}
	t.potStart = make([]uint32, numColumns+1)
	for c := range numColumns {
		k := r.Int("pool size", numInputs)
		if k < 1 && r.Err() == nil {
			r.Fail("pool size", "empty pool of column %d", c)
		}
		t.potStart[c+1] = t.potStart[c] + uint32(k)
		t.maxPool = max(t.maxPool, k)
		if r.Err() == nil && (int(t.potStart[c+1]) > MaxSynapses || int(t.potStart[c+1]) > r.Len()/8) {
			r.Fail("pool size", "pool sizes exceed the data")
		}
		if err := r.Err(); err != nil {
			return nil, corrupt(err)
		}
	}
	total := int(t.potStart[numColumns])
	t.potIdx = make([]uint32, total)
	for c := range numColumns {
		prev := int64(-1)
		for syn := t.potStart[c]; syn < t.potStart[c+1]; syn++ {
			i := r.U32("pool input")
			if int64(i) <= prev || int(i) >= numInputs {
				r.Fail("pool input", "column %d: pool input %d out of order or range", c, i)
				return nil, corrupt(r.Err())
			}
			t.potIdx[syn], prev = i, int64(i)
		}
	}
	t.perm = make([]float32, total)
	for syn := range t.perm {
		v := r.F32("permanence")
		if !(v >= 0 && v <= 1) {
			r.Fail("permanence", "permanence %v", v)
			return nil, corrupt(r.Err())
		}
		t.perm[syn] = v
	}
	t.boost = make([]float64, numColumns)
	t.activeDuty = make([]float64, numColumns)
	t.overlapDuty = make([]float64, numColumns)
	t.minOverlapDuty = make([]float64, numColumns)
	unit := func(x float64) bool { return x >= 0 && x <= 1 }
	for c := range numColumns {
		t.boost[c], t.activeDuty[c] = r.F64("boost"), r.F64("active duty cycle")
		t.overlapDuty[c], t.minOverlapDuty[c] = r.F64("overlap duty cycle"), r.F64("minimum overlap duty cycle")
		if b := t.boost[c]; !(b > 0) || math.IsInf(b, 0) || !unit(t.activeDuty[c]) || !unit(t.overlapDuty[c]) || !unit(t.minOverlapDuty[c]) {
			r.Fail("boost", "column %d: boost or duty cycle out of range", c)
			return nil, corrupt(r.Err())
		}
	}
	t.tieRank = make([]uint32, numColumns)
	seen := make([]bool, numColumns)
	for c := range numColumns {
		v := r.U32("tie rank")
		if int(v) >= numColumns || seen[v] {
			r.Fail("tie rank", "tie ranks are not a permutation")
			return nil, corrupt(r.Err())
		}
		seen[v] = true
		t.tieRank[c] = v
	}
	if err := r.Err(); err != nil {
		return nil, corrupt(err)
	}
	return t, nil
}
