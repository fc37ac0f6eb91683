package art

import (
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/htm/anomaly"

	"github.com/dendritic/dendritic/nab"
)

// Params configures a Detector.
type Params struct {
	// Min and Max are the range of the values (NAB: the file's minimum and
	// maximum); values are scaled to [0, 1] by it and clamped. Min = Max
	// is allowed (every value is then 0.5).
	Min, Max float64
	// Block is the number of rows averaged into one feature, Window the
	// number of features: an input is the means of the last Window blocks
	// of Block rows, the last block ending at the current row.
	Block, Window int
	// Vigilance, Choice and Learning are the network's (NetworkParams).
	Vigilance, Choice, Learning float64
	// MaxCategories bounds the network (NetworkParams); 0: one per row at
	// most, and a row costs time in proportion to the categories, so a
	// long noisy series without a bound costs time quadratic in its length.
	MaxCategories int
	// Likelihood, if not nil, turns the novelty into a score as NAB's
	// HTM detectors turn their raw anomaly into one: the log-likelihood
	// of its moving average under a normal fitted to its recent history
	// (package anomaly), and 1 on a row that the spatial-range rule
	// (SpatialTolerance) flags. If nil, the score is the novelty itself.
	Likelihood *anomaly.LikelihoodParams
	// Vigilances, if not empty, runs one network per vigilance (each with
	// Choice, Learning and MaxCategories) instead of one at Vigilance;
	// the raw signal is the fraction of them in which the input created a
	// category or found the network full. It excludes Created.
	Vigilances []float64
	// Shape, if true, appends to the input its Window block means scaled
	// to [0, 1] by their own minimum and maximum (all 0.5 if they are
	// equal): the window's shape whatever its amplitude, so that the
	// network sees changes that are small against the series' range.
	Shape bool
	// Created, if true, makes the raw signal 1 on a row whose input
	// created a category and 0 otherwise, instead of the novelty.
	Created bool
	// SpatialTolerance is the tolerance of the spatial-range rule, used
	// only with Likelihood (NAB's HTM detectors: 0.05); 0 turns it off.
	SpatialTolerance float64

	// Two rules of variants that lost (docs/BENCHMARKS.md), kept so that
	// their runs can be repeated; not part of the API.
	graded bool // with Created: a creating row's signal is its novelty, not 1
	rest   int  // a row reports 0 if a nonzero score was reported on one of the rest rows before it
}

// Validate reports the first invalid field.
func (p Params) Validate() error {
	if err := nab.CheckRange(p.Min, p.Max); err != nil {
		return fmt.Errorf("art: %w", err)
	}
	switch {
	case p.Block < 1 || p.Window < 1 || p.Block > 1<<16 || p.Window > 1<<10:
		return fmt.Errorf("art: Block %d and Window %d must be in [1, 65536] and [1, 1024]", p.Block, p.Window)
	case !(p.SpatialTolerance >= 0) || math.IsInf(p.SpatialTolerance, 0):
		return fmt.Errorf("art: SpatialTolerance %v must be finite and ≥ 0", p.SpatialTolerance)
	}
	if len(p.Vigilances) > 0 && p.Created {
		return errors.New("art: Vigilances and Created are two raw signals; set one")
	}
	for _, q := range p.networks() {
		if err := q.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// networks returns the parameters of the detector's networks: one at
// Vigilance, or one per Vigilances.
func (p Params) networks() []NetworkParams {
	if len(p.Vigilances) == 0 {
		return []NetworkParams{p.network()}
	}
	out := make([]NetworkParams, len(p.Vigilances))
	for i, v := range p.Vigilances {
		out[i] = p.network()
		out[i].Vigilance = v
	}
	return out
}

func (p Params) network() NetworkParams {
	dim := p.Window
	if p.Shape {
		dim *= 2
	}
	return NetworkParams{Dim: dim, Vigilance: p.Vigilance, Choice: p.Choice, Learning: p.Learning,
		MaxCategories: p.MaxCategories}
}

// Detector scores each row by how far the recent shape of the series lies
// from every shape the network has learned (Result.Novelty), then learns it.
type Detector struct {
	p          Params
	net        *Network
	nets       []*Network // one per Params.Vigilances
	ring       []float64  // the last Block·Window scaled values
	head       int        // next slot of ring
	n          int        // rows seen
	x          []float64  // the input, reused
	like       *anomaly.Likelihood
	srange     *anomaly.SpatialRange
	lastReport int
	reported   bool
}

// New returns a detector that has seen no row.
func New(p Params) (*Detector, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := &Detector{p: p, ring: make([]float64, p.Block*p.Window), x: make([]float64, p.network().Dim)}
	for _, q := range p.networks() {
		m, err := NewNetwork(q)
		if err != nil {
			return nil, err
		}
		d.nets = append(d.nets, m)
	}
	var err error
	if p.Likelihood != nil {
		if d.like, err = anomaly.NewLikelihood(*p.Likelihood); err != nil {
			return nil, fmt.Errorf("art: %w", err)
		}
		if p.SpatialTolerance > 0 {
			if d.srange, err = anomaly.NewSpatialRange(p.SpatialTolerance); err != nil {
				return nil, fmt.Errorf("art: %w", err)
			}
		}
	}
	return d, nil
}

// Network returns the detector's (first) network (read it, do not train
// it); nil for a zero or nil detector.
func (d *Detector) Network() *Network {
	if d == nil || len(d.nets) == 0 {
		return nil
	}
	return d.nets[0]
}

// Output is what the detector reports for one row.
type Output struct {
	// Novelty is the network's novelty of the row's input (0 until the
	// first Block·Window rows have been seen: no input exists yet).
	Novelty float64
	// Score is the row's anomaly score in [0, 1].
	Score float64
}

// Step scores the value v of the next row and learns it.
func (d *Detector) Step(v float64) (Output, error) {
	if d == nil || len(d.nets) == 0 {
		return Output{}, ErrNotInitialized
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Output{}, fmt.Errorf("%w: value %v", ErrInput, v)
	}
	a := 0.5
	if d.p.Max > d.p.Min {
		a = min(max((v-d.p.Min)/(d.p.Max-d.p.Min), 0), 1)
	}
	d.ring[d.head] = a
	d.head = (d.head + 1) % len(d.ring)
	d.n++
	var o Output
	if d.n >= len(d.ring) {
		// Block k (k = 0 oldest) holds ring slots head + k·Block ... in
		// ring order, since head is now the oldest value.
		b := d.p.Block
		w := d.p.Window
		for k := range w {
			s := 0.0
			for i := range b {
				s += d.ring[(d.head+k*b+i)%len(d.ring)]
			}
			d.x[k] = min(max(s/float64(b), 0), 1)
		}
		if d.p.Shape {
			lo, hi := d.x[0], d.x[0]
			for _, v := range d.x[:w] {
				lo, hi = min(lo, v), max(hi, v)
			}
			for k, v := range d.x[:w] {
				d.x[w+k] = 0.5
				if hi > lo {
					d.x[w+k] = min(max((v-lo)/(hi-lo), 0), 1)
				}
			}
		}
		k := 0
		var r Result
		for _, m := range d.nets {
			var err error
			if r, err = m.Learn(d.x); err != nil {
				return Output{}, err
			}
			if r.Created || r.Full {
				k++
			}
		}
		o.Novelty = r.Novelty // the only network's, without Vigilances
		if len(d.p.Vigilances) > 0 {
			o.Novelty = float64(k) / float64(len(d.nets))
		}
		if d.p.Created {
			o.Novelty = 0
			if r.Created {
				o.Novelty = 1
				if d.p.graded {
					o.Novelty = r.Novelty
				}
			}
		}
	}
	o.Score = o.Novelty
	if d.like != nil {
		l, err := d.like.Compute(v, o.Novelty)
		if err != nil {
			return Output{}, fmt.Errorf("art: %w", err)
		}
		o.Score = anomaly.LogLikelihood(l)
		if d.srange.Check(v) {
			o.Score = 1
		}
		o.Score = min(max(o.Score, 0), 1)
	}
	if d.p.rest > 0 {
		if d.n-d.lastReport <= d.p.rest && d.reported {
			o.Score = 0
		} else if o.Score > 0 {
			d.lastReport, d.reported = d.n, true
		}
	}
	return o, nil
}
