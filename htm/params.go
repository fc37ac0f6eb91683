package htm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/dendritic/dendritic/dendrite"
)

// MaxCells bounds NumColumns × CellsPerColumn.
const MaxCells = 1 << 24

// ErrParams is wrapped by every parameter validation error.
var ErrParams = errors.New("htm: invalid parameter")

// Params are the parameters of a TemporalMemory. The names (Go fields and
// JSON keys) are those of htm.core's TemporalMemory, and DefaultParams
// returns htm.core's defaults, so a configuration carries over unchanged;
// this struct is the one place where each parameter is defined.
type Params struct {
	// NumColumns is the number of minicolumns, the size of the input
	// (htm.core's columnDimensions, flattened). Default 2048.
	NumColumns int `json:"numColumns"`
	// CellsPerColumn is the number of cells in each minicolumn. The cells
	// of column c are c·CellsPerColumn … (c+1)·CellsPerColumn − 1.
	// Default 32.
	CellsPerColumn int `json:"cellsPerColumn"`
	// ActivationThreshold is θ, the NMDA-spike threshold: a segment is
	// active, and its cell predictive, when at least this many of its
	// connected synapses see active cells. Default 13.
	ActivationThreshold int `json:"activationThreshold"`
	// MinThreshold is the matching threshold: a segment with at least this
	// many active potential synapses (connected or not) is matching, a
	// candidate for learning when its column bursts. Default 10.
	MinThreshold int `json:"minThreshold"`
	// MaxNewSynapseCount is the number of synapses a learning segment
	// should have onto the previous winner cells: a new segment grows
	// this many, and a learning segment grows the difference between it
	// and its active potential synapses. It is the number of synapses per
	// learned transition (s in the theory), not the capacity of a segment
	// (that is MaxSynapsesPerSegment). Default 20.
	MaxNewSynapseCount int `json:"maxNewSynapseCount"`
	// InitialPermanence is the permanence of a new synapse, normally below
	// ConnectedPermanence so that one occurrence is not learned at once.
	// Default 0.21.
	InitialPermanence float32 `json:"initialPermanence"`
	// ConnectedPermanence is the permanence at which a synapse becomes
	// connected and counts towards ActivationThreshold. Default 0.5.
	ConnectedPermanence float32 `json:"connectedPermanence"`
	// PermanenceIncrement is added to the permanence of a learning
	// segment's synapses onto previously active cells. Default 0.1.
	PermanenceIncrement float32 `json:"permanenceIncrement"`
	// PermanenceDecrement is subtracted from the permanence of a learning
	// segment's other synapses. Default 0.1.
	PermanenceDecrement float32 `json:"permanenceDecrement"`
	// PredictedSegmentDecrement punishes wrong predictions: it is
	// subtracted from the permanence of the active synapses of matching
	// segments in columns that did not become active. 0 disables it
	// (the default); a value near PermanenceIncrement × the sparsity of
	// the input is typical.
	PredictedSegmentDecrement float32 `json:"predictedSegmentDecrement"`
	// MaxSegmentsPerCell bounds the segments of one cell; a full cell
	// loses its least recently used segment when it needs a new one.
	// Default 255.
	MaxSegmentsPerCell int `json:"maxSegmentsPerCell"`
	// MaxSynapsesPerSegment bounds the synapses of one segment; a full
	// segment loses its weakest synapses when it grows new ones.
	// Default 255.
	MaxSynapsesPerSegment int `json:"maxSynapsesPerSegment"`
	// MaxSegments bounds the segments of all cells together (not in
	// htm.core); when it is reached, the least recently used segment of
	// any cell makes room. It bounds memory and time per step under
	// random input, where every step creates new segments. 0 (the
	// default) means no bound beyond the per-cell one.
	MaxSegments int `json:"maxSegments"`
	// Seed seeds the random generator (math/rand/v2 PCG), which breaks
	// ties between least-used cells and samples the winner cells that new
	// synapses grow towards. Default 42.
	Seed uint64 `json:"seed"`
}

// DefaultParams returns htm.core's default parameters, with 2048 columns.
func DefaultParams() Params {
	return Params{
		NumColumns:                2048,
		CellsPerColumn:            32,
		ActivationThreshold:       13,
		MinThreshold:              10,
		MaxNewSynapseCount:        20,
		InitialPermanence:         0.21,
		ConnectedPermanence:       0.5,
		PermanenceIncrement:       0.1,
		PermanenceDecrement:       0.1,
		PredictedSegmentDecrement: 0,
		MaxSegmentsPerCell:        255,
		MaxSynapsesPerSegment:     255,
		MaxSegments:               0,
		Seed:                      42,
	}
}

// Validate checks every parameter and returns an error wrapping ErrParams
// that names the first invalid one.
func (p Params) Validate() error {
	bad := func(name string, v any, why string) error {
		return fmt.Errorf("%w: %s = %v: %s", ErrParams, name, v, why)
	}
	unit := func(name string, v float32, lo float32, loOpen bool) error {
		f := float64(v)
		if math.IsNaN(f) || f > 1 || f < float64(lo) || (loOpen && f == float64(lo)) {
			if loOpen {
				return bad(name, v, fmt.Sprintf("must lie in (%v, 1]", lo))
			}
			return bad(name, v, fmt.Sprintf("must lie in [%v, 1]", lo))
		}
		return nil
	}
	switch {
	case p.NumColumns < 1 || p.NumColumns > MaxCells:
		return bad("numColumns", p.NumColumns, fmt.Sprintf("must lie in [1, %d]", MaxCells))
	case p.CellsPerColumn < 1 || p.CellsPerColumn > MaxCells:
		return bad("cellsPerColumn", p.CellsPerColumn, fmt.Sprintf("must lie in [1, %d]", MaxCells))
	case p.NumColumns*p.CellsPerColumn > MaxCells:
		return bad("numColumns×cellsPerColumn", p.NumColumns*p.CellsPerColumn, fmt.Sprintf("must be at most %d", MaxCells))
	case p.MaxSynapsesPerSegment < 1 || p.MaxSynapsesPerSegment > 1<<30:
		return bad("maxSynapsesPerSegment", p.MaxSynapsesPerSegment, "must lie in [1, 2^30]")
	case p.MaxNewSynapseCount < 1 || p.MaxNewSynapseCount > p.MaxSynapsesPerSegment:
		return bad("maxNewSynapseCount", p.MaxNewSynapseCount,
			fmt.Sprintf("must lie in [1, maxSynapsesPerSegment = %d]", p.MaxSynapsesPerSegment))
	case p.ActivationThreshold < 1 || p.ActivationThreshold > p.MaxNewSynapseCount:
		return bad("activationThreshold", p.ActivationThreshold,
			fmt.Sprintf("must lie in [1, maxNewSynapseCount = %d]: a segment learns at most maxNewSynapseCount synapses per transition", p.MaxNewSynapseCount))
	case p.MinThreshold < 1 || p.MinThreshold > p.MaxNewSynapseCount:
		return bad("minThreshold", p.MinThreshold, fmt.Sprintf("must lie in [1, maxNewSynapseCount = %d]", p.MaxNewSynapseCount))
	case p.MaxSegmentsPerCell < 1 || p.MaxSegmentsPerCell > 1<<30:
		return bad("maxSegmentsPerCell", p.MaxSegmentsPerCell, "must lie in [1, 2^30]")
	case p.MaxSegments < 0 || p.MaxSegments > 1<<31:
		return bad("maxSegments", p.MaxSegments, "must lie in [0, 2^31] (0: no global bound)")
	}
	if err := unit("initialPermanence", p.InitialPermanence, 0, true); err != nil {
		return err
	}
	if err := unit("connectedPermanence", p.ConnectedPermanence, 0, true); err != nil {
		return err
	}
	if err := unit("permanenceIncrement", p.PermanenceIncrement, 0, false); err != nil {
		return err
	}
	if err := unit("permanenceDecrement", p.PermanenceDecrement, 0, false); err != nil {
		return err
	}
	return unit("predictedSegmentDecrement", p.PredictedSegmentDecrement, 0, false)
}

// ParseParams decodes parameters from JSON. Absent keys keep their
// default values; an unknown key (a misspelt or foreign parameter name)
// is an error, as is any invalid value.
func ParseParams(data []byte) (Params, error) {
	p := DefaultParams()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Params{}, fmt.Errorf("%w: %v", ErrParams, err)
	}
	if dec.More() {
		return Params{}, fmt.Errorf("%w: trailing data after the JSON object", ErrParams)
	}
	if err := p.Validate(); err != nil {
		return Params{}, err
	}
	return p, nil
}

// connConfig returns the dendrite configuration of the TM's connections.
func (p Params) connConfig() dendrite.Config {
	n := p.NumColumns * p.CellsPerColumn
	return dendrite.Config{
		NumCells:              n,
		NumInputs:             n,
		ConnectedPermanence:   p.ConnectedPermanence,
		MaxSegmentsPerCell:    p.MaxSegmentsPerCell,
		MaxSynapsesPerSegment: p.MaxSynapsesPerSegment,
		MaxSegments:           p.MaxSegments,
	}
}
