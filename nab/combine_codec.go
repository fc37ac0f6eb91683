package nab

import (
	"encoding"
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// ErrCorrupt is wrapped by the errors of LoadMaxOf, LoadPeaks and
// LoadCalibrate for data
// that is not a valid encoding of their detectors.
var ErrCorrupt = errors.New("nab: corrupt encoded detector")

// Binary formats of the combinations, version 1, in the module's framing
// (internal/binfmt):
//
//	MaxOf, magic "DMAX": section "MEMB": member count uint32, then each
//	       member's own encoding: length uint64 + bytes
//	Peaks, magic "DPKS": section "RING": window length R uint32, filled
//	       rows n uint32 (≤ R), next slot uint32 (n if n < R), the R
//	       float64 slots (unfilled ones 0); section "MEMB": the member's
//	       encoding, as for MaxOf with one member
//	Calibrate, magic "DCAL": section "CALB": the exponent k float64
//	       (finite, > 0); section "MEMB" as for Peaks
//
// A combination can be encoded when every member can
// (encoding.BinaryMarshaler); decoding it needs each member's decoder, in
// order, which is why LoadMaxOf and LoadPeaks take them.
const (
	maxMagic   = "DMAX"
	peaksMagic = "DPKS"
	calMagic   = "DCAL"
	comboVer   = 1
)

// MarshalBinary encodes every member's state.
func (m *maxOf) MarshalBinary() ([]byte, error) {
	w := binfmt.NewWriter(nil, maxMagic, comboVer, 0)
	if err := writeMembers(&w, m.members); err != nil {
		return nil, err
	}
	return w.Finish(), nil
}

// MarshalBinary encodes the window and the member's state.
func (p *peaks) MarshalBinary() ([]byte, error) {
	w := binfmt.NewWriter(nil, peaksMagic, comboVer, 0)
	w.Section("RING")
	next := 0
	if len(p.window) > 0 {
		next = int(p.rows % uint64(len(p.window)))
	}
	w.U32(uint32(len(p.window)))
	w.U32(uint32(p.filled()))
	w.U32(uint32(next))
	for _, v := range p.window {
		w.F64(v)
	}
	if err := writeMembers(&w, []Detector{p.member}); err != nil {
		return nil, err
	}
	return w.Finish(), nil
}

// MarshalBinary encodes the exponent and the member's state.
func (c *calibrated) MarshalBinary() ([]byte, error) {
	w := binfmt.NewWriter(nil, calMagic, comboVer, 0)
	w.Section("CALB")
	w.F64(c.k)
	if err := writeMembers(&w, []Detector{c.member}); err != nil {
		return nil, err
	}
	return w.Finish(), nil
}

func writeMembers(w *binfmt.Writer, ds []Detector) error {
	w.Section("MEMB")
	w.U32(uint32(len(ds)))
	for i, d := range ds {
		bm, ok := d.(encoding.BinaryMarshaler)
		if !ok {
			return fmt.Errorf("nab: member %d (%T) cannot be encoded", i, d)
		}
		b, err := bm.MarshalBinary()
		if err != nil {
			return fmt.Errorf("nab: member %d: %w", i, err)
		}
		w.U64(uint64(len(b)))
		w.Bytes(b)
	}
	return nil
}

// A Loader decodes a detector from the bytes its MarshalBinary returned
// (Registration.Load).
type Loader func(data []byte) (Detector, error)

// LoadMaxOf decodes a MaxOf detector whose members are decoded by loaders,
// one per member in the order MaxOf was given them.
func LoadMaxOf(data []byte, loaders ...Loader) (Detector, error) {
	f, err := binfmt.ParseWhole(data, maxMagic, comboVer)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	ds, err := readMembers(&f, loaders)
	if err != nil {
		return nil, err
	}
	return &maxOf{members: ds}, nil
}

// LoadPeaks decodes a Peaks detector whose member is decoded by load.
func LoadPeaks(data []byte, load Loader) (Detector, error) {
	f, err := binfmt.ParseWhole(data, peaksMagic, comboVer)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	p, err := readRing(&f)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	ds, err := readMembers(&f, []Loader{load})
	if err != nil {
		return nil, err
	}
	p.member = ds[0]
	return p, nil
}

// LoadCalibrate decodes a Calibrate detector whose member is decoded by
// load.
func LoadCalibrate(data []byte, load Loader) (Detector, error) {
	f, err := binfmt.ParseWhole(data, calMagic, comboVer)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	r, err := f.Section("CALB")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	k := r.F64("exponent")
	if err := r.Close(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if !(k > 0) || math.IsInf(k, 1) {
		return nil, fmt.Errorf("%w: exponent %v, want finite and > 0", ErrCorrupt, k)
	}
	ds, err := readMembers(&f, []Loader{load})
	if err != nil {
		return nil, err
	}
	return &calibrated{member: ds[0], k: k}, nil
}

func readRing(f *binfmt.Frame) (*peaks, error) {
	r, err := f.Section("RING")
	if err != nil {
		return nil, err
	}
	n := r.Count("window", 8, math.MaxInt32)
	filled := r.Int("filled", n)
	next := r.Int("next", max(n-1, 0))
	window := make([]float64, n)
	for i := range window {
		window[i] = r.F64("slot")
	}
	if err := r.Close(); err != nil {
		return nil, err
	}
	if filled < n && next != filled {
		return nil, fmt.Errorf("next slot %d with %d of %d filled", next, filled, n)
	}
	for i, v := range window {
		if v != v || i >= filled && v != 0 {
			return nil, fmt.Errorf("slot %d is %v (filled %d)", i, v, filled)
		}
	}
	// Replay the window's scores, oldest first, into a fresh state whose
	// row count puts each in its slot.
	rows := uint64(filled)
	if filled == n && n > 0 {
		rows = uint64(n + next)
	}
	p := newPeaks(nil, n)
	p.rows = rows - uint64(filled)
	for j := p.rows; j < rows; j++ {
		p.push(window[j%uint64(n)])
	}
	return p, nil
}

func readMembers(f *binfmt.Frame, loaders []Loader) ([]Detector, error) {
	r, err := f.Section("MEMB")
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if n := r.Int("members", math.MaxInt32); r.Err() == nil && n != len(loaders) {
		return nil, fmt.Errorf("%w: %d members, want %d", ErrCorrupt, n, len(loaders))
	}
	ds := make([]Detector, len(loaders))
	for i, load := range loaders {
		l := r.Int64("member length", max(r.Len()-8, 0))
		b := r.Bytes("member", l)
		if r.Err() != nil {
			break
		}
		if load == nil {
			return nil, fmt.Errorf("nab: no decoder for member %d", i)
		}
		if ds[i], err = load(b); err != nil {
			return nil, fmt.Errorf("%w: member %d: %w", ErrCorrupt, i, err)
		}
	}
	if err := r.Close(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return ds, nil
}
