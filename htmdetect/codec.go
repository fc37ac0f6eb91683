package htmdetect

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/nab"
	"github.com/dendritic/dendritic/sdr"
)

// ErrCorrupt is wrapped by the errors of Unmarshal for data that is not a
// valid encoding of a Detector.
var ErrCorrupt = errors.New("htmdetect: corrupt encoded detector")

// Binary format of a Detector, version 1: the module's framing
// (internal/binfmt; magic "DDET") with eight sections, each stage in its
// own package's encoding:
//
//	"KIND"  temporal memory byte (0 htm, 1 btm); TimeOff, SkipRepeats and
//	        "a step has been taken" bytes; SpatialTolerance float64
//	"VALU"  the value encoder's parameters as given: Size, ActiveBits
//	        uint32; Sparsity, Resolution, Radius float64; Seed uint64
//	"TIME"  the date encoder's parameters as given: the four widths
//	        uint32 and the three radii float64, in DateParams order
//	"SPOL"  the spatial pooler (spatial's encoding, its parameters within)
//	"TMEM"  the temporal memory (htm's or btm's encoding)
//	"LIKE"  the anomaly likelihood (anomaly's encoding)
//	"SRNG"  the spatial-range rule (anomaly's encoding), empty when off
//	"PREV"  the previous step's active columns: count uint32 + columns
//
// The encoders hold no state beyond their parameters, and the input and
// column buffers are scratch, so this is everything that influences later
// steps: a decoded Detector scores every later record exactly as the
// original would have. Params.SP, Params.TM and Params.Likelihood come back
// from the stages' own encodings; for a detector made by NewNumenta,
// Params.TM (unused by it) comes back zero.
const (
	detMagic   = "DDET"
	detVersion = 1
	kindHTM    = 0
	kindBTM    = 1
)

// MarshalBinary encodes the whole state of d.
func (d *Detector) MarshalBinary() ([]byte, error) {
	w := binfmt.NewWriter(nil, detMagic, detVersion, 1<<20)
	w.Section("KIND")
	w.U8(map[bool]uint8{false: kindHTM, true: kindBTM}[d.btm != nil])
	w.Bool(d.p.TimeOff)
	w.Bool(d.p.SkipRepeats)
	w.Bool(d.stepped)
	w.F64(d.p.SpatialTolerance)
	w.Section("VALU")
	v := d.p.Value
	w.U32(uint32(v.Size))
	w.U32(uint32(v.ActiveBits))
	w.F64(v.Sparsity)
	w.F64(v.Resolution)
	w.F64(v.Radius)
	w.U64(v.Seed)
	w.Section("TIME")
	tp := d.p.Time
	for _, x := range []int{tp.SeasonWidth, tp.DayOfWeekWidth, tp.WeekendWidth, tp.TimeOfDayWidth} {
		w.U32(uint32(x))
	}
	for _, x := range []float64{tp.SeasonRadius, tp.DayOfWeekRadius, tp.TimeOfDayRadius} {
		w.F64(x)
	}
	stages := []struct {
		tag string
		enc func(b []byte) ([]byte, error)
	}{
		{"SPOL", appendMarshal(d.sp.MarshalBinary)},
		{"TMEM", d.appendTM},
		{"LIKE", d.like.AppendBinary},
		{"SRNG", func(b []byte) ([]byte, error) {
			if d.srange == nil {
				return b, nil
			}
			return d.srange.AppendBinary(b)
		}},
	}
	for _, s := range stages {
		w.Section(s.tag)
		if err := w.Append(s.enc); err != nil {
			return nil, fmt.Errorf("htmdetect: encode %s: %w", s.tag, err)
		}
	}
	w.Section("PREV")
	w.U32s(d.prev)
	return w.Finish(), nil
}

func appendMarshal(m func() ([]byte, error)) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		e, err := m()
		return append(b, e...), err
	}
}

func (d *Detector) appendTM(b []byte) ([]byte, error) {
	if d.btm != nil {
		return d.btm.AppendBinary(b)
	}
	return appendMarshal(d.tm.MarshalBinary)(b)
}

// Unmarshal decodes a Detector encoded by MarshalBinary. It allocates in
// proportion to len(data) and refuses, with an error wrapping ErrCorrupt,
// anything that is not such an encoding or whose stages disagree.
func Unmarshal(data []byte) (*Detector, error) {
	d, err := unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return d, nil
}

func unmarshal(data []byte) (*Detector, error) {
	f, err := binfmt.ParseWhole(data, detMagic, detVersion)
	if err != nil {
		return nil, err
	}
	sec := make(map[string]*binfmt.Reader, 8)
	for _, tag := range []string{"KIND", "VALU", "TIME", "SPOL", "TMEM", "LIKE", "SRNG", "PREV"} {
		r, err := f.Section(tag)
		if err != nil {
			return nil, err
		}
		sec[tag] = &r
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	d := &Detector{}
	r := sec["KIND"]
	kind := r.U8("temporal memory")
	d.p.TimeOff, d.p.SkipRepeats, d.stepped = r.Bool("time off"), r.Bool("skip repeats"), r.Bool("stepped")
	d.p.SpatialTolerance = r.F64("spatial tolerance")
	if err := r.Close(); err != nil {
		return nil, err
	}
	if kind > kindBTM {
		return nil, fmt.Errorf("unknown temporal memory %d", kind)
	}
	if err := d.decodeEncoders(sec["VALU"], sec["TIME"]); err != nil {
		return nil, err
	}
	if d.sp, err = decodeSP(sec["SPOL"].Rest()); err != nil {
		return nil, err
	}
	d.p.SP = d.sp.Params()
	if err := d.decodeTM(kind, sec["TMEM"].Rest()); err != nil {
		return nil, err
	}
	if err := d.decodeLikelihood(sec["LIKE"].Rest(), sec["SRNG"].Rest()); err != nil {
		return nil, err
	}
	r = sec["PREV"]
	d.prev = r.U32s("previous columns", d.sp.NumColumns())
	if err := r.Close(); err != nil {
		return nil, err
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return d, nil
}

// decodeEncoders reads the encoders' parameters. They are built later, in
// finish, once the spatial pooler bounds their size.
func (d *Detector) decodeEncoders(rv, rt *binfmt.Reader) error {
	v := &d.p.Value
	v.Size, v.ActiveBits = rv.Int("size", math.MaxInt32), rv.Int("active bits", math.MaxInt32)
	v.Sparsity, v.Resolution, v.Radius, v.Seed = rv.F64("sparsity"), rv.F64("resolution"), rv.F64("radius"), rv.U64("seed")
	if err := rv.Close(); err != nil {
		return err
	}
	t := &d.p.Time
	for _, x := range []*int{&t.SeasonWidth, &t.DayOfWeekWidth, &t.WeekendWidth, &t.TimeOfDayWidth} {
		*x = rt.Int("width", math.MaxInt32)
	}
	for _, x := range []*float64{&t.SeasonRadius, &t.DayOfWeekRadius, &t.TimeOfDayRadius} {
		*x = rt.F64("radius")
	}
	return rt.Close()
}

func decodeSP(b []byte) (*spatial.SpatialPooler, error) {
	sp := new(spatial.SpatialPooler)
	if err := sp.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("spatial pooler: %w", err)
	}
	if err := sp.SetWorkers(detectorWorkers); err != nil {
		return nil, fmt.Errorf("spatial pooler: %w", err)
	}
	return sp, nil
}

func (d *Detector) decodeTM(kind uint8, b []byte) error {
	cols := d.sp.NumColumns()
	if kind == kindBTM {
		d.btm = new(btm.TM)
		if err := d.btm.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("backtracking temporal memory: %w", err)
		}
		if n := d.btm.Params().NumberOfCols; n != cols {
			return fmt.Errorf("the backtracking temporal memory has %d columns, the spatial pooler %d", n, cols)
		}
		d.seq = d.btm
		return nil
	}
	d.tm = new(htm.TemporalMemory)
	if err := d.tm.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("temporal memory: %w", err)
	}
	d.tm.SetWorkers(detectorWorkers)
	d.p.TM = d.tm.Params()
	if d.p.TM.NumColumns != cols {
		return fmt.Errorf("the temporal memory has %d columns, the spatial pooler %d", d.p.TM.NumColumns, cols)
	}
	d.seq = d.tm
	return nil
}

func (d *Detector) decodeLikelihood(like, srange []byte) error {
	var err error
	var rest []byte
	if d.like, rest, err = anomaly.DecodeLikelihood(like); err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("likelihood: %d trailing bytes", len(rest))
	}
	d.p.Likelihood = d.like.Params()
	if d.p.SpatialTolerance < 0 {
		if len(srange) != 0 {
			return errors.New("spatial range stored for a detector without the rule")
		}
		return nil
	}
	if d.srange, rest, err = anomaly.DecodeSpatialRange(srange); err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("spatial range: %d trailing bytes", len(rest))
	}
	return nil
}

// finish builds the encoders and scratch once their sizes are checked
// against the pooler's input, and checks the previous columns.
func (d *Detector) finish() error {
	in := d.sp.NumInputs()
	t := d.p.Time
	if d.p.Value.Size > in || max(t.SeasonWidth, t.DayOfWeekWidth, t.WeekendWidth, t.TimeOfDayWidth) > in {
		return fmt.Errorf("encoder widths exceed the pooler's %d inputs", in)
	}
	var err error
	if d.value, err = encoder.NewRDSE(d.p.Value); err != nil {
		return err
	}
	n := d.value.Size()
	if !d.p.TimeOff {
		if d.date, err = encoder.NewDate(d.p.Time); err != nil {
			return err
		}
		n += d.date.Size()
	}
	if n != in {
		return fmt.Errorf("the spatial pooler has %d inputs, the encoders %d bits", in, n)
	}
	if d.input, err = sdr.New(n); err != nil {
		return err
	}
	if d.columns, err = sdr.New(d.sp.NumColumns()); err != nil {
		return err
	}
	for i, c := range d.prev {
		if i > 0 && c <= d.prev[i-1] || int(c) >= d.sp.NumColumns() {
			return fmt.Errorf("previous columns not increasing below %d", d.sp.NumColumns())
		}
	}
	if !d.stepped && len(d.prev) != 0 {
		return errors.New("previous columns before any step")
	}
	return nil
}

// nabDetector adapts d to nab.Detector, scoring each record with score.
// The adapter also saves the detector (MarshalBinary) and reports every
// output of a step (Outputs), for the service.
func (d *Detector) nabDetector(score ScoreFunc) nab.Detector {
	return &nabAdapter{d: d, score: score}
}

type nabAdapter struct {
	d     *Detector
	score ScoreFunc
}

func (a *nabAdapter) Score(t time.Time, v float64) (float64, error) {
	o, err := a.d.Step(t, v)
	if err != nil {
		return 0, err
	}
	return a.score(o), nil
}

// Outputs steps the detector like Score and returns the raw anomaly, the
// likelihood and the score.
func (a *nabAdapter) Outputs(t time.Time, v float64) (raw, likelihood, score float64, err error) {
	o, err := a.d.Step(t, v)
	if err != nil {
		return 0, 0, 0, err
	}
	return o.Raw, o.Likelihood, a.score(o), nil
}

func (a *nabAdapter) MarshalBinary() ([]byte, error) { return a.d.MarshalBinary() }

// loader returns the nab.Registration.Load of a detector scored by score.
func loader(score ScoreFunc) func([]byte) (nab.Detector, error) {
	return func(b []byte) (nab.Detector, error) {
		d, err := Unmarshal(b)
		if err != nil {
			return nil, err
		}
		return d.nabDetector(score), nil
	}
}
