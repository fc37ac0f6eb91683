package htmdetect

import (
	"math"

	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/nab"
)

// The presets of NAB's Numenta HTM detectors. They live beside the detector
// rather than in the general encoder, pooler and likelihood packages: they
// are NuPIC's choices for NAB, not defaults of those models. Source of every
// number: docs/benchmarks.md §1.5.

// NumentaRDSEParams returns the value encoder of the Numenta HTM detector of
// NAB for a file whose values span [inputMin, inputMax]: 400 bits, 21
// active, seed 42, and a resolution of max(0.001, (maxVal−minVal)/130),
// where the range is padded by 20 % on each side (minVal = inputMin − pad,
// maxVal = inputMax + pad, pad = 0.2·(inputMax−inputMin); maxVal = minVal+1
// when the file is constant). See NumentaDateParams for the time encoder.
func NumentaRDSEParams(inputMin, inputMax float64) encoder.RDSEParams {
	pad := 0.2 * (inputMax - inputMin)
	lo, hi := inputMin-pad, inputMax+pad
	if lo == hi {
		hi = lo + 1
	}
	return encoder.RDSEParams{Size: 400, ActiveBits: 21, Resolution: math.Max(0.001, (hi-lo)/130), Seed: 42}
}

// NumentaDateParams returns the date encoder of the Numenta HTM detectors
// of NAB: the time of day only, 21 bits wide with a radius of 9.49 hours
// (54 bits).
func NumentaDateParams() encoder.DateParams {
	return encoder.DateParams{TimeOfDayWidth: 21, TimeOfDayRadius: 9.49}
}

// NumentaSpatialParams returns the spatial pooler of the Numenta HTM
// detectors of NAB for an input of inputSize bits (454 for their encoder):
// 2048 columns, 40 active, global inhibition, potentialPct 0.8,
// potentialRadius = inputSize (the whole input), synPermConnected 0.2,
// synPermActiveInc 0.003, synPermInactiveDec 0.0005, boostStrength 0,
// stimulusThreshold 0, minPctOverlapDutyCycles 0.001, dutyCyclePeriod 1000,
// wrapAround, seed 1956. NAB's detector ran NuPIC's spatial pooler, the
// algorithm that Cui, Ahmad & Hawkins (2017) describe, so the permanences
// start as that paper initialises them (spatial.InitUniform): at
// synPermConnected 0.2 about 80 % of the potential synapses start connected.
func NumentaSpatialParams(inputSize int) spatial.Params {
	return spatial.Params{
		InputDims:                  []int{inputSize},
		ColumnDims:                 []int{2048},
		PotentialRadius:            inputSize,
		PotentialPct:               0.8,
		GlobalInhibition:           true,
		NumActiveColumnsPerInhArea: 40,
		StimulusThreshold:          0,
		SynPermInactiveDec:         0.0005,
		SynPermActiveInc:           0.003,
		SynPermConnected:           0.2,
		MinPctOverlapDutyCycles:    0.001,
		DutyCyclePeriod:            1000,
		BoostStrength:              0,
		WrapAround:                 true,
		Seed:                       1956,
		InitPermanence:             spatial.InitUniform,
	}
}

// NumentaLikelihoodParams returns the likelihood of NAB's HTM detectors for
// a file with the given probationary period P (NAB's min(⌊0.15·rows⌋,
// 750)): nab.NumentaLikelihoodParams, which states the values.
func NumentaLikelihoodParams(probationaryPeriod int) anomaly.LikelihoodParams {
	return nab.NumentaLikelihoodParams(probationaryPeriod)
}

// NumentaSpatialTolerance is the tolerance of the spatial-range rule of
// NAB's Numenta detector: 5 % of the range seen so far
// (nab.NumentaSpatialTolerance).
const NumentaSpatialTolerance = nab.NumentaSpatialTolerance
