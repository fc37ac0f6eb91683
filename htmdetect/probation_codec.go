package htmdetect

import (
	"fmt"
	"math"
	"time"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/nab"
)

// Binary format of a probationRanged detector built on numenta (the member
// of the registered numenta-gmean-cad and numenta-gmean2-cad-peaks),
// version 1, in the module's framing (magic "DPRB"):
//
//	"INFO"  the file's rows uint64, probationary period uint32, minimum
//	        and maximum float64; the run seed uint64; the width rule uint8
//	"KEPT"  while the period is being kept: count uint32, then each
//	        record: Unix time in ns int64, zone offset in seconds int32,
//	        value float64 (empty once numenta is built)
//	"NUMT"  once numenta is built: its encoding (Detector.MarshalBinary);
//	        empty before
//
// A time is restored at its instant in a fixed zone of its offset, so its
// wall clock (which the date encoder reads) is the one it had.
const (
	probMagic   = "DPRB"
	probVersion = 1
)

// MarshalBinary encodes the whole state of r. Only the numenta build can
// be encoded (not the pairs of the -seeds variant).
func (r *probationRanged) MarshalBinary() ([]byte, error) {
	if !r.plain {
		return nil, fmt.Errorf("htmdetect: this probation-ranged detector (not on one numenta) cannot be encoded")
	}
	w := binfmt.NewWriter(nil, probMagic, probVersion, 0)
	w.Section("INFO")
	w.U64(uint64(r.info.Rows))
	w.U32(uint32(r.info.Probation))
	w.F64(r.info.Min)
	w.F64(r.info.Max)
	w.U64(r.seed)
	w.U8(uint8(r.width))
	w.Section("KEPT")
	if r.d == nil {
		w.U32(uint32(len(r.vals)))
		for i, t := range r.times {
			_, off := t.Zone()
			w.U64(uint64(t.UnixNano()))
			w.U32(uint32(int32(off)))
			w.F64(r.vals[i])
		}
	}
	w.Section("NUMT")
	if r.d != nil {
		if err := w.Append(appendMarshal(r.d.(*Detector).MarshalBinary)); err != nil {
			return nil, err
		}
	}
	return w.Finish(), nil
}

// unmarshalProbation decodes what probationRanged.MarshalBinary wrote.
func unmarshalProbation(data []byte) (*probationRanged, error) {
	r, err := unmarshalProbationFrame(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return r, nil
}

func unmarshalProbationFrame(data []byte) (*probationRanged, error) {
	f, err := binfmt.ParseWhole(data, probMagic, probVersion)
	if err != nil {
		return nil, err
	}
	var sec [3]binfmt.Reader
	for i, tag := range []string{"INFO", "KEPT", "NUMT"} {
		if sec[i], err = f.Section(tag); err != nil {
			return nil, err
		}
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	in := &sec[0]
	var info nab.FileInfo
	info.Rows = in.Int64("rows", math.MaxInt)
	info.Probation = in.Int("probation", math.MaxInt32)
	info.Min, info.Max = in.F64("min"), in.F64("max")
	seed := in.U64("seed")
	width := rangeWidth(in.U8("width"))
	if err := in.Close(); err != nil {
		return nil, err
	}
	if err := nab.CheckRange(info.Min, info.Max); err != nil {
		return nil, err
	}
	if width > widthNoise {
		return nil, fmt.Errorf("unknown width rule %d", width)
	}
	r := &probationRanged{info: info, seed: seed, width: width, build: newNumentaStepper, plain: true}

	kept, numt := &sec[1], &sec[2]
	switch {
	case numt.Len() > 0:
		if kept.Len() != 0 {
			return nil, fmt.Errorf("both kept records and a built numenta")
		}
		d, err := Unmarshal(numt.Rest())
		if err != nil {
			return nil, err
		}
		if d.btm == nil {
			return nil, fmt.Errorf("the built detector is not numenta (backtracking TM)")
		}
		r.d = d
	case info.Probation < 1:
		return nil, fmt.Errorf("no built numenta with a probationary period of %d", info.Probation)
	default:
		n := kept.Count("kept records", 20, info.Probation-1)
		r.times, r.vals = make([]time.Time, 0, n), make([]float64, 0, n)
		for range n {
			ns, off := int64(kept.U64("time")), int32(kept.U32("zone offset"))
			v := kept.F64("value")
			if kept.Err() != nil {
				break
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("kept value %v is not finite", v)
			}
			r.times = append(r.times, time.Unix(0, ns).In(time.FixedZone("", int(off))))
			r.vals = append(r.vals, v)
		}
		if err := kept.Close(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// probationAdapter is a probationRanged numenta as a NAB detector that can
// be saved and reports every output (the service's needs).
type probationAdapter struct{ r *probationRanged }

func (a probationAdapter) Score(t time.Time, v float64) (float64, error) {
	o, err := a.r.Step(t, v)
	return o.Score, err
}

func (a probationAdapter) Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error) {
	o, err := a.r.Step(t, v)
	return o.Raw, o.Likelihood, o.Score, err
}

func (a probationAdapter) MarshalBinary() ([]byte, error) { return a.r.MarshalBinary() }

// probationGeometricFactory is the factory of numenta-probation-gmean as
// the registered detectors use it (saveable).
func probationGeometricFactory(seed uint64) nab.DetectorFactory {
	return func(info nab.FileInfo) (nab.Detector, error) {
		r, err := newNumentaProbationGeometric(info, seed)
		if err != nil {
			return nil, err
		}
		return probationAdapter{r}, nil
	}
}

// loadProbation is the nab.Loader of probationGeometricFactory's detectors.
func loadProbation(data []byte) (nab.Detector, error) {
	r, err := unmarshalProbation(data)
	if err != nil {
		return nil, err
	}
	return probationAdapter{r}, nil
}
