package btm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// MaxCells bounds NumberOfCols × CellsPerColumn (16 times NAB's 65536):
// New allocates about 50 bytes per cell up front, and so does Load, once
// it has validated the whole input.
const MaxCells = 1 << 20

// maxBacktrack bounds MaxInfBacktrack and MaxLrnBacktrack: each replay
// step costs a full inference or learning phase, so a longer history only
// multiplies the cost of a miss.
const maxBacktrack = 1000

// maxFixed bounds MaxSegmentsPerCell and MaxSynapsesPerSegment.
const maxFixed = 1 << 16

// Unlimited is the value of MaxSegmentsPerCell and MaxSynapsesPerSegment
// that lifts the bound (NuPIC's −1).
const Unlimited = -1

// ErrParams is wrapped by every parameter validation error.
var ErrParams = errors.New("btm: invalid parameter")

// Params are the parameters of a backtracking temporal memory. The names
// are NuPIC's BacktrackingTM constructor arguments, Go-cased, with the
// original names as JSON keys, so a NuPIC model description carries over.
// Pooling (doPooling) is not implemented: it is off in NuPIC's default and
// in NAB, and then segUpdateValidDuration is forced to 1
// (backtracking-tm.md §5), so neither is a parameter here.
type Params struct {
	// NumberOfCols is the number of columns, the size of the input.
	NumberOfCols int `json:"numberOfCols"`
	// CellsPerColumn is the number of cells per column, the start cell
	// (cell 0 of the column, which never gets segments) included; at
	// least 2.
	CellsPerColumn int `json:"cellsPerColumn"`
	// InitialPerm is the permanence of a new synapse.
	InitialPerm float32 `json:"initialPerm"`
	// ConnectedPerm is the permanence from which a synapse is connected
	// (counts for the predictive state, backtracking-tm.md §3 phase 2).
	ConnectedPerm float32 `json:"connectedPerm"`
	// MinThreshold is the number of active synapses (any permanence) a
	// segment needs to be chosen as the best match of a bursting column in
	// learning (§4 C.1).
	MinThreshold int `json:"minThreshold"`
	// NewSynapseCount is the number of active synapses a learning segment
	// grows to (§4 C.2, E).
	NewSynapseCount int `json:"newSynapseCount"`
	// PermanenceInc is added to the synapses of an applied update (§6).
	PermanenceInc float32 `json:"permanenceInc"`
	// PermanenceDec is subtracted from the other synapses of an updated
	// segment (§6).
	PermanenceDec float32 `json:"permanenceDec"`
	// PermanenceMax caps permanences.
	PermanenceMax float32 `json:"permanenceMax"`
	// GlobalDecay is subtracted from every synapse of a segment inactive
	// for more than MaxAge learning steps, every MaxAge steps (§8).
	GlobalDecay float32 `json:"globalDecay"`
	// ActivationThreshold is the number of active synapses at which a
	// segment predicts: on all synapses for the confidences and the
	// learning state, on connected ones for the predictive cells (§3, §4 E).
	ActivationThreshold int `json:"activationThreshold"`
	// Seed seeds the random generator (math/rand/v2 PCG) that samples new
	// synapses and cells for new segments.
	Seed uint64 `json:"seed"`
	// PamLength is the number of consecutive out-of-sequence learning
	// steps after which learning restarts on start cells (§4 D, PAM).
	PamLength int `json:"pamLength"`
	// MaxInfBacktrack is the number of past inputs inference backtracking
	// may replay (§3).
	MaxInfBacktrack int `json:"maxInfBacktrack"`
	// MaxLrnBacktrack is the number of past inputs learning backtracking
	// may replay (§4 D).
	MaxLrnBacktrack int `json:"maxLrnBacktrack"`
	// MaxAge is the period of the global decay in learning steps (§8);
	// 0 disables it.
	MaxAge int `json:"maxAge"`
	// MaxSeqLength forces a learning restart after this many learned
	// steps (§4 D); 0 disables it.
	MaxSeqLength int `json:"maxSeqLength"`
	// MaxSegmentsPerCell bounds the segments of a cell (Unlimited, or > 0;
	// a full column evicts its segment of lowest duty cycle, §4 C.3).
	MaxSegmentsPerCell int `json:"maxSegmentsPerCell"`
	// MaxSynapsesPerSegment bounds the synapses of a segment (Unlimited,
	// or > 0; a full segment frees its weakest synapses, §6).
	MaxSynapsesPerSegment int `json:"maxSynapsesPerSegment"`
}

// DefaultParams returns the defaults of NuPIC's BacktrackingTM
// constructor (backtracking_tm.py, __init__; backtracking-tm.md §0 lists
// the source): 500 columns of 10 cells, initialPerm 0.11, connectedPerm
// 0.5, minThreshold 8, newSynapseCount 15, permanenceInc and Dec 0.1,
// permanenceMax 1, globalDecay 0.1, activationThreshold 12, seed 42,
// pamLength 1, maxInfBacktrack 10, maxLrnBacktrack 5, maxAge 100000,
// maxSeqLength 32, unlimited segments and synapses.
func DefaultParams() Params {
	return Params{
		NumberOfCols:          500,
		CellsPerColumn:        10,
		InitialPerm:           0.11,
		ConnectedPerm:         0.5,
		MinThreshold:          8,
		NewSynapseCount:       15,
		PermanenceInc:         0.1,
		PermanenceDec:         0.1,
		PermanenceMax:         1,
		GlobalDecay:           0.1,
		ActivationThreshold:   12,
		Seed:                  42,
		PamLength:             1,
		MaxInfBacktrack:       10,
		MaxLrnBacktrack:       5,
		MaxAge:                100000,
		MaxSeqLength:          32,
		MaxSegmentsPerCell:    Unlimited,
		MaxSynapsesPerSegment: Unlimited,
	}
}

// NABParams returns the temporal memory of NAB's "numenta" detector
// (backtracking-tm.md §10; benchmarks.md §1.5): the explicit values of
// best_single_metric_anomaly_params_cpp.json (2048 columns, 32 cells,
// activationThreshold 13, minThreshold 10, newSynapseCount 20, initialPerm
// 0.21, permanenceInc and Dec 0.1, globalDecay 0, maxAge 0, 128 segments
// per cell, 32 synapses per segment, pamLength 3, seed 1960) and the
// constructor defaults it leaves implicit (connectedPerm 0.5,
// permanenceMax 1, maxInfBacktrack 10, maxLrnBacktrack 5, maxSeqLength 32).
func NABParams() Params {
	return Params{
		NumberOfCols:          2048,
		CellsPerColumn:        32,
		InitialPerm:           0.21,
		ConnectedPerm:         0.5,
		MinThreshold:          10,
		NewSynapseCount:       20,
		PermanenceInc:         0.1,
		PermanenceDec:         0.1,
		PermanenceMax:         1,
		GlobalDecay:           0,
		ActivationThreshold:   13,
		Seed:                  1960,
		PamLength:             3,
		MaxInfBacktrack:       10,
		MaxLrnBacktrack:       5,
		MaxAge:                0,
		MaxSeqLength:          32,
		MaxSegmentsPerCell:    128,
		MaxSynapsesPerSegment: 32,
	}
}

// fixedSize reports NuPIC's fixed-size mode (bounded segments and synapses).
func (p Params) fixedSize() bool { return p.MaxSegmentsPerCell != Unlimited }

// Validate checks every parameter and returns an error wrapping ErrParams
// that names the first invalid one. Besides the ranges, it enforces
// NuPIC's rules for the fixed-size mode (backtracking-tm.md §8): both
// bounds set or both Unlimited, globalDecay = maxAge = 0, and
// maxSynapsesPerSegment ≥ newSynapseCount.
func (p Params) Validate() error {
	bad := func(name string, v any, why string) error {
		return fmt.Errorf("%w: %s = %v: %s", ErrParams, name, v, why)
	}
	perm := func(name string, v float32, zeroOK bool) error {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || (!zeroOK && f == 0) {
			if zeroOK {
				return bad(name, v, "must be finite and ≥ 0")
			}
			return bad(name, v, "must be finite and > 0")
		}
		return nil
	}
	ints := []struct {
		name   string
		v, lo  int
		hi     int
		reason string
	}{
		{"numberOfCols", p.NumberOfCols, 1, MaxCells, ""},
		{"cellsPerColumn", p.CellsPerColumn, 2, MaxCells, ": the start cell and at least one learning cell"},
		{"minThreshold", p.MinThreshold, 1, math.MaxInt32, ""},
		{"newSynapseCount", p.NewSynapseCount, 1, math.MaxInt32, ""},
		{"activationThreshold", p.ActivationThreshold, 1, math.MaxInt32, ""},
		{"pamLength", p.PamLength, 1, math.MaxInt32, " (NuPIC requires pamLength > 0)"},
		{"maxInfBacktrack", p.MaxInfBacktrack, 0, maxBacktrack, ""},
		{"maxLrnBacktrack", p.MaxLrnBacktrack, 0, maxBacktrack, ""},
		{"maxAge", p.MaxAge, 0, math.MaxInt32, ""},
		{"maxSeqLength", p.MaxSeqLength, 0, math.MaxInt32, " (0: no limit)"},
	}
	for _, c := range ints {
		if c.v < c.lo || c.v > c.hi {
			return bad(c.name, c.v, fmt.Sprintf("must lie in [%d, %d]%s", c.lo, c.hi, c.reason))
		}
	}
	if p.NumberOfCols*p.CellsPerColumn > MaxCells {
		return bad("numberOfCols×cellsPerColumn", p.NumberOfCols*p.CellsPerColumn, fmt.Sprintf("must be at most %d", MaxCells))
	}
	if err := perm("permanenceMax", p.PermanenceMax, false); err != nil {
		return err
	}
	for _, c := range []struct {
		name   string
		v      float32
		zeroOK bool
	}{
		{"initialPerm", p.InitialPerm, false}, {"connectedPerm", p.ConnectedPerm, false},
		{"permanenceInc", p.PermanenceInc, true}, {"permanenceDec", p.PermanenceDec, true},
		{"globalDecay", p.GlobalDecay, true},
	} {
		if err := perm(c.name, c.v, c.zeroOK); err != nil {
			return err
		}
		if c.v > p.PermanenceMax {
			return bad(c.name, c.v, fmt.Sprintf("must not exceed permanenceMax = %v", p.PermanenceMax))
		}
	}
	segs, syns := p.MaxSegmentsPerCell, p.MaxSynapsesPerSegment
	for _, c := range []struct {
		name string
		v    int
	}{{"maxSegmentsPerCell", segs}, {"maxSynapsesPerSegment", syns}} {
		if c.v != Unlimited && (c.v < 1 || c.v > maxFixed) {
			return bad(c.name, c.v, fmt.Sprintf("must be -1 (unlimited) or lie in [1, %d]", maxFixed))
		}
	}
	if (segs == Unlimited) != (syns == Unlimited) {
		return bad("maxSegmentsPerCell/maxSynapsesPerSegment", fmt.Sprintf("%d/%d", segs, syns),
			"must both be -1 (unlimited) or both be positive (fixed-size mode)")
	}
	if p.fixedSize() {
		switch {
		case p.GlobalDecay != 0:
			return bad("globalDecay", p.GlobalDecay, "must be 0 in fixed-size mode (maxSegmentsPerCell > 0)")
		case p.MaxAge != 0:
			return bad("maxAge", p.MaxAge, "must be 0 in fixed-size mode (maxSegmentsPerCell > 0)")
		case syns < p.NewSynapseCount:
			return bad("maxSynapsesPerSegment", syns, fmt.Sprintf("must be at least newSynapseCount = %d", p.NewSynapseCount))
		}
	}
	return nil
}

// ParseParams decodes parameters from JSON. Absent keys keep the values
// of DefaultParams; an unknown key is an error, as is any invalid value.
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
