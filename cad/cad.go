package cad

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"slices"

	"github.com/dendritic/dendritic/nab"
)

// Params configures a Detector. NABParams gives the values NAB ran
// contextOSE with.
type Params struct {
	// Min and Max are the range of the values (NAB: the file's minimum and
	// maximum). The range is cut into 2^ValueBits-1 equal steps; Min = Max
	// is allowed (every value in range then falls in bin 0).
	Min, Max float64
	// ValueBits is the number of bits of a value's bin number (NAB 3).
	ValueBits int
	// MaxActiveNeurons is how many of the row's fully matched contexts,
	// the most often matched first, become facts of the next row's left
	// side (NAB 15).
	MaxActiveNeurons int
	// MaxLeftFacts is the most facts a left semi-context's overlap with the
	// input may have for the overlap to seed a new context (NAB 7).
	MaxLeftFacts int
	// Threshold is the score above which the following RestPeriod rows
	// report 0 (NAB 0.75).
	Threshold float64
	// RestPeriod is that number of rows (NAB: a fifth of the probationary
	// period, rounded down). 0 silences every row, as in NAB.
	RestPeriod int
}

// NAB's published parameters (nab/detectors/context_ose/cad_ose.py, the
// constructor's defaults, and context_ose_detector.py, restPeriod =
// probationaryPeriod / 5).
const (
	nabValueBits        = 3
	nabMaxActiveNeurons = 15
	nabMaxLeftFacts     = 7
	nabThreshold        = 0.75
)

// NABParams returns contextOSE's parameters for a file with the given range
// and probationary period (in rows).
func NABParams(min, max float64, probation int) Params {
	return Params{Min: min, Max: max, ValueBits: nabValueBits, MaxActiveNeurons: nabMaxActiveNeurons,
		MaxLeftFacts: nabMaxLeftFacts, Threshold: nabThreshold, RestPeriod: probation / 5}
}

// Validate reports the first invalid field.
func (p Params) Validate() error {
	if err := nab.CheckRange(p.Min, p.Max); err != nil {
		return fmt.Errorf("cad: %w", err)
	}
	switch {
	case p.ValueBits < 1 || p.ValueBits > 16:
		return fmt.Errorf("cad: ValueBits %d outside [1, 16]", p.ValueBits)
	case p.MaxActiveNeurons < 1:
		return fmt.Errorf("cad: MaxActiveNeurons %d < 1", p.MaxActiveNeurons)
	case p.MaxLeftFacts < 0:
		return fmt.Errorf("cad: MaxLeftFacts %d < 0", p.MaxLeftFacts)
	case math.IsNaN(p.Threshold):
		return errors.New("cad: Threshold is NaN")
	case p.RestPeriod < 0:
		return fmt.Errorf("cad: RestPeriod %d < 0", p.RestPeriod)
	}
	return nil
}

// neuronBase is added to a context's number to make it a fact (NAB: 2^31),
// above every value fact.
const neuronBase = int64(1) << 31

// maxBin caps a value's bin number for values far above Max, so that value
// facts stay below neuronBase.
const maxBin = 1 << 30

type semi struct {
	facts   []int64 // sorted
	hash    int64   // py2TupleHash(facts): the ranking key
	crossed []int64 // the facts of the last crossing's input in this one
	links   pyIntDict
}

type side struct {
	semis     []*semi
	byFact    map[int64][]int32
	byContent map[uint64][]int32
	crossed   []int32      // semis with a non-empty overlap, in creation order
	seed      maphash.Seed // of contentHash
	buf       []byte       // scratch of contentHash
}

func newSide() side {
	return side{byFact: map[int64][]int32{}, byContent: map[uint64][]int32{}, seed: maphash.MakeSeed()}
}

type contextRec struct {
	count       int64 // times fully matched
	zero        bool  // created or seen as a zero-level context
	left, right int32
}

type active struct {
	id          int32
	count       int64
	left, right int64 // hashes
}

// pair is a candidate context: arena[lo:mid] left, arena[mid:hi] right.
type pair struct {
	lo, mid, hi int32
	hl, hr      uint64
}

// Detector is CAD OSE for one series. It is not safe for concurrent use.
type Detector struct {
	p        Params
	step     float64
	sides    [2]side
	contexts []contextRec
	newCtx   int32 // the zero-level context created this row; 0 also means none
	left     []int64

	history []float64 // ring of the last RestPeriod raw scores
	seen    int

	insertionOrder bool // walk links in insertion order (Python 3) instead of Python 2's

	// scratch
	sens, nextLeft []int64
	arena          []int64
	pairs          []pair
	order          []int32
	act            []active
}

// New returns a detector with parameters p.
func New(p Params) (*Detector, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	maxValue := float64(int(1)<<p.ValueBits - 1)
	rng := p.Max - p.Min
	if rng == 0 {
		rng = maxValue
	}
	d := &Detector{p: p, step: rng / maxValue, sides: [2]side{newSide(), newSide()},
		history: make([]float64, p.RestPeriod)}
	return d, nil
}

// Score feeds the next value and returns its anomaly score in [0, 1]. A NaN
// or infinite value is an error and leaves the detector unchanged.
func (d *Detector) Score(value float64) (float64, error) {
	_, score, err := d.Step(value)
	return score, err
}

// Step is Score that also returns the raw score, (1 − selected + added)/2
// with selected the fraction of the selected contexts that were active and
// added the fraction of the candidate contexts that were new; the score is
// the raw score, or 0 on the first RestPeriod rows and within RestPeriod
// rows after a raw score at or above Threshold (every row when RestPeriod
// is 0, as in NAB).
func (d *Detector) Step(value float64) (raw, score float64, err error) {
	if d == nil {
		return 0, 0, errors.New("cad: nil Detector")
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, 0, fmt.Errorf("cad: value %v is not finite", value)
	}
	d.encode(value)
	selected, added := d.row()
	raw = (1 - selected + added) / 2
	// NAB reports the raw score only if every raw score of the last
	// RestPeriod rows (counting a 1 before the first row) is under the
	// threshold.
	out := 0.0
	if k := d.p.RestPeriod; k > 0 && d.seen >= k {
		m := math.Inf(-1)
		for _, v := range d.history {
			m = max(m, v)
		}
		if m < d.p.Threshold {
			out = raw
		}
	}
	if k := d.p.RestPeriod; k > 0 {
		d.history[d.seen%k] = raw
	}
	d.seen++
	return raw, out, nil
}

// encode sets d.sens to the value facts: bit i of the value's bin number b
// gives the fact 2i+b_i, for the ValueBits low bits and any higher set bit.
func (d *Detector) encode(value float64) {
	x := (value - d.p.Min) / d.step
	var b int64
	switch {
	case x >= maxBin:
		b = maxBin
	case x > 0:
		b = int64(x) // truncation, as Python's int()
	}
	n := d.p.ValueBits
	for n < 63 && b>>n != 0 {
		n++
	}
	d.sens = d.sens[:0]
	for i := 0; i < n; i++ {
		d.sens = append(d.sens, int64(2*i)+(b>>i)&1)
	}
}

// row runs one step on d.sens and returns the fraction of the selected
// contexts that were active and the fraction of the candidate contexts that
// were new.
func (d *Detector) row() (selected, added float64) {
	d.arena = d.arena[:0]
	d.pairs = d.pairs[:0]
	newZero := false
	zp := 0 // the zero-level pair, if any, is d.pairs[0]
	if len(d.left) > 0 && len(d.sens) > 0 {
		d.addPair(d.left, d.sens)
		zp = 1
		newZero = d.zeroLevel(d.left, d.sens)
	}
	d.cross(&d.sides[1], d.sens)
	numSelected := d.collect(newZero)
	numCandidates := d.distinctPairs()
	if numSelected > 0 {
		selected = float64(len(d.act)) / float64(numSelected)
	}

	slices.SortFunc(d.act, func(a, b active) int {
		if a.count != b.count {
			return cmp.Compare(a.count, b.count)
		}
		if a.left != b.left {
			return cmp.Compare(a.left, b.left)
		}
		return cmp.Compare(a.right, b.right)
	})
	top := d.act[max(0, len(d.act)-d.p.MaxActiveNeurons):]
	d.nextLeft = append(d.nextLeft[:0], d.sens...)
	mark := len(d.nextLeft)
	for _, a := range top {
		d.nextLeft = append(d.nextLeft, neuronBase+int64(a.id))
	}
	slices.Sort(d.nextLeft[mark:]) // value facts are all below neuronBase
	d.left, d.nextLeft = d.nextLeft, d.left

	numNew := 0
	for _, pr := range d.pairs[zp:] {
		if d.addContext(d.arena[pr.lo:pr.mid], d.arena[pr.mid:pr.hi]) {
			numNew++
		}
	}
	d.cross(&d.sides[0], d.left)
	if newZero {
		numNew++
		if numCandidates > 0 {
			added = float64(numNew) / float64(numCandidates)
		}
	}
	return selected, added
}
