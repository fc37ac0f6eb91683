package spatial

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by this package; test for them with errors.Is.
var (
	// ErrParams is returned by New for invalid parameters.
	ErrParams = errors.New("spatial: invalid parameters")
	// ErrInput is returned by Compute for an input or output SDR of the
	// wrong size, or a nil one.
	ErrInput = errors.New("spatial: invalid input")
	// ErrCorrupt is returned by UnmarshalBinary for malformed data.
	ErrCorrupt = errors.New("spatial: corrupt encoding")
	// ErrNotInitialized is returned by the methods of a nil
	// *SpatialPooler, which needs New (or UnmarshalBinary); its accessors
	// return zero values instead.
	ErrNotInitialized = errors.New("spatial: nil SpatialPooler (made by New)")
)

// Limits on the size of a pooler, which bound the memory that parameters
// (or a few bytes of hostile encoded data) can make it allocate.
const (
	MaxInputs   = 1 << 22
	MaxColumns  = 1 << 22
	MaxSynapses = 1 << 28
	// MaxPoolWork bounds columns × the largest neighbourhood (the inputs
	// within PotentialRadius of a centre), the work of drawing the
	// potential pools; it is checked before anything is allocated (32768
	// inputs and columns took 28 s, and a configuration rejected later
	// cost 50 s and 6 GB first).
	MaxPoolWork = 1 << 28
)

// Params configures a SpatialPooler. Start from DefaultParams (htm.core's
// defaults) or NumentaParams (the NAB detector); the zero value is not
// valid, and its false booleans differ from the defaults.
type Params struct {
	// InputDims and ColumnDims are the shapes of the input and of the
	// columns; they must have the same number of dimensions. Column
	// (c₀, c₁, …) is centred on input (⌊(c₀+½)·in₀/col₀⌋, …).
	InputDims, ColumnDims []int
	// PotentialRadius is the radius, in inputs along each dimension, of
	// the hypercube around a column's centre from which its potential pool
	// is drawn. A radius of at least the input width gives every column
	// the whole input.
	PotentialRadius int
	// PotentialPct is the fraction of that neighbourhood in the pool,
	// round(PotentialPct·|neighbourhood|), at least 1.
	PotentialPct float64
	// GlobalInhibition selects the winners among all columns; otherwise
	// within each column's neighbourhood.
	GlobalInhibition bool
	// LocalAreaDensity is the fraction of columns active (in each
	// inhibition area), in (0, 0.5]. Leave it 0 when
	// NumActiveColumnsPerInhArea is set.
	LocalAreaDensity float64
	// NumActiveColumnsPerInhArea, if positive, is the number of winners
	// (in each inhibition area) instead of LocalAreaDensity.
	NumActiveColumnsPerInhArea int
	// StimulusThreshold is the least overlap for a column to compete.
	StimulusThreshold int
	// SynPermInactiveDec, SynPermActiveInc and SynPermConnected are the
	// permanence decrement, increment and connection threshold, in [0, 1].
	SynPermInactiveDec, SynPermActiveInc, SynPermConnected float64
	// MinPctOverlapDutyCycles, in [0, 1], sets the overlap duty cycle below
	// which a column is bumped, as a fraction of the largest.
	MinPctOverlapDutyCycles float64
	// DutyCyclePeriod (≥ 1) is the period of the duty-cycle averages.
	DutyCyclePeriod int
	// BoostStrength (≥ 0) is β of the boost factor exp(−β·(a − â)).
	BoostStrength float64
	// WrapAround makes neighbourhoods (of inputs and of columns) wrap around
	// the edges, as on a torus.
	WrapAround bool
	// Seed seeds the random initialisation.
	Seed uint64
	// InitPermanence is the distribution of the initial permanences of
	// the potential synapses. The zero value, InitNearThreshold, is this
	// package's original initialisation; NumentaParams uses InitUniform.
	InitPermanence InitMode
}

// InitMode is a distribution of the initial permanences of the potential
// synapses of a pooler.
type InitMode uint8

const (
	// InitNearThreshold connects each potential synapse with probability
	// ½ and draws its permanence uniformly within 0.1 of SynPermConnected:
	// in [SynPermConnected, SynPermConnected+0.1) if connected and in
	// [SynPermConnected−0.1, SynPermConnected) otherwise (clipped to
	// [0, 1]). This is the "small range around connectedPerm" of the
	// spatial pooler's initialisation in Numenta's CLA white paper
	// (Hawkins, Ahmad & Dubinsky 2011, v0.2.1; the same text is in the
	// spatial pooling chapter of Biological and Machine Intelligence),
	// without its bias towards the column's centre. Every synapse starts
	// within 0.1 of the threshold, so with a slow rate such as the taxi
	// model's synPermInactiveDec 0.0005 synapses keep crossing it for
	// thousands of steps and the code of a given input drifts for long.
	InitNearThreshold InitMode = iota
	// InitUniform draws each permanence uniformly from [0, 1), so that a
	// synapse starts connected with probability 1 − SynPermConnected.
	// This is the initialisation of the spatial pooler paper: Cui, Ahmad
	// & Hawkins (2017), "The HTM spatial pooler — a neocortical algorithm
	// for online sparse distributed coding", Front. Comput. Neurosci.
	// 11:111, Methods, where the permanence of every potential connection
	// is initialised from a uniform distribution between 0 and 1 and the
	// synapses at or above the connection threshold are connected. At the
	// threshold 0.5 of that paper's taxi model half the synapses start
	// connected, as with InitNearThreshold, but a synapse starts on average
	// 0.25 from the threshold instead of 0.05, and only 10 % (instead of
	// 50 %) start within 0.05 of it, so far fewer synapses cross the
	// threshold early in learning and the pooler's code settles sooner.
	InitUniform
)

// String returns the Go name of the mode.
func (m InitMode) String() string {
	switch m {
	case InitNearThreshold:
		return "InitNearThreshold"
	case InitUniform:
		return "InitUniform"
	}
	return fmt.Sprintf("InitMode(%d)", uint8(m))
}

// DefaultParams returns htm.core's SpatialPooler defaults for the given
// shapes: potentialRadius 16, potentialPct 0.5, global inhibition,
// localAreaDensity 0.05, stimulusThreshold 0, synPermInactiveDec 0.008,
// synPermActiveInc 0.05, synPermConnected 0.1, minPctOverlapDutyCycles
// 0.001, dutyCyclePeriod 1000, boostStrength 0, wrapAround true (source:
// docs/anchors.md, "htm.core API details"). The seed is 1.
func DefaultParams(inputDims, columnDims []int) Params {
	return Params{
		InputDims:               append([]int(nil), inputDims...),
		ColumnDims:              append([]int(nil), columnDims...),
		PotentialRadius:         16,
		PotentialPct:            0.5,
		GlobalInhibition:        true,
		LocalAreaDensity:        0.05,
		StimulusThreshold:       0,
		SynPermInactiveDec:      0.008,
		SynPermActiveInc:        0.05,
		SynPermConnected:        0.1,
		MinPctOverlapDutyCycles: 0.001,
		DutyCyclePeriod:         1000,
		BoostStrength:           0,
		WrapAround:              true,
		Seed:                    1,
	}
}

// product returns the product of dims, or an error naming what.
func product(what string, dims []int, limit int) (int, error) {
	if len(dims) == 0 {
		return 0, fmt.Errorf("%w: no %s dimension", ErrParams, what)
	}
	n := 1
	for _, d := range dims {
		if d < 1 || d > limit || n > limit/d {
			return 0, fmt.Errorf("%w: %s dimensions %v (each ≥ 1, product ≤ %d)", ErrParams, what, dims, limit)
		}
		n *= d
	}
	return n, nil
}

// validate checks p and returns the number of inputs and columns.
func (p *Params) validate() (numInputs, numColumns int, err error) {
	if numInputs, err = product("input", p.InputDims, MaxInputs); err != nil {
		return 0, 0, err
	}
	if numColumns, err = product("column", p.ColumnDims, MaxColumns); err != nil {
		return 0, 0, err
	}
	if len(p.InputDims) != len(p.ColumnDims) {
		return 0, 0, fmt.Errorf("%w: %d input dimensions but %d column dimensions", ErrParams, len(p.InputDims), len(p.ColumnDims))
	}
	unit := func(x float64) bool { return x >= 0 && x <= 1 } // false for NaN
	switch {
	case p.PotentialRadius < 0 || p.PotentialRadius > MaxInputs:
		return 0, 0, fmt.Errorf("%w: PotentialRadius %d", ErrParams, p.PotentialRadius)
	case !(p.PotentialPct > 0 && p.PotentialPct <= 1):
		return 0, 0, fmt.Errorf("%w: PotentialPct %v outside (0, 1]", ErrParams, p.PotentialPct)
	case p.NumActiveColumnsPerInhArea < 0:
		return 0, 0, fmt.Errorf("%w: NumActiveColumnsPerInhArea %d < 0", ErrParams, p.NumActiveColumnsPerInhArea)
	case p.NumActiveColumnsPerInhArea > 0 && p.LocalAreaDensity != 0:
		return 0, 0, fmt.Errorf("%w: give LocalAreaDensity or NumActiveColumnsPerInhArea, not both", ErrParams)
	case p.NumActiveColumnsPerInhArea == 0 && !(p.LocalAreaDensity > 0 && p.LocalAreaDensity <= 0.5):
		return 0, 0, fmt.Errorf("%w: LocalAreaDensity %v outside (0, 0.5]", ErrParams, p.LocalAreaDensity)
	case p.StimulusThreshold < 0 || p.StimulusThreshold > MaxInputs:
		return 0, 0, fmt.Errorf("%w: StimulusThreshold %d", ErrParams, p.StimulusThreshold)
	case !unit(p.SynPermInactiveDec) || !unit(p.SynPermActiveInc) || !unit(p.SynPermConnected):
		return 0, 0, fmt.Errorf("%w: permanence parameters dec %v, inc %v, connected %v outside [0, 1]",
			ErrParams, p.SynPermInactiveDec, p.SynPermActiveInc, p.SynPermConnected)
	case !unit(p.MinPctOverlapDutyCycles):
		return 0, 0, fmt.Errorf("%w: MinPctOverlapDutyCycles %v outside [0, 1]", ErrParams, p.MinPctOverlapDutyCycles)
	case p.DutyCyclePeriod < 1:
		return 0, 0, fmt.Errorf("%w: DutyCyclePeriod %d < 1", ErrParams, p.DutyCyclePeriod)
	case !(p.BoostStrength >= 0) || math.IsInf(p.BoostStrength, 0):
		return 0, 0, fmt.Errorf("%w: BoostStrength %v", ErrParams, p.BoostStrength)
	case p.InitPermanence > InitUniform:
		return 0, 0, fmt.Errorf("%w: InitPermanence %v", ErrParams, p.InitPermanence)
	}
	hood := 1 // the largest neighbourhood: Π min(2r+1, inputs along k)
	for _, d := range p.InputDims {
		hood *= int(min(2*int64(p.PotentialRadius)+1, int64(d)))
	}
	if work := int64(numColumns) * int64(hood); work > MaxPoolWork {
		return 0, 0, fmt.Errorf("%w: %d columns × %d inputs in a neighbourhood = %d exceeds %d: use fewer columns or a smaller PotentialRadius",
			ErrParams, numColumns, hood, work, int64(MaxPoolWork))
	}
	return numInputs, numColumns, nil
}

// clone returns a deep copy of p.
func (p Params) clone() Params {
	p.InputDims = append([]int(nil), p.InputDims...)
	p.ColumnDims = append([]int(nil), p.ColumnDims...)
	return p
}
