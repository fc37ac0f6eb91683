package sdr

import "errors"

// Errors returned by this package. Functions wrap them with details, so
// test for them with errors.Is.
var (
	// ErrNil is returned when a nil *SDR or a nil random number
	// generator is passed.
	ErrNil = errors.New("sdr: nil argument")
	// ErrDims is returned for invalid dimensions: none given, a dimension
	// below 1, a size above MaxSize, or a reshape that changes the size.
	ErrDims = errors.New("sdr: invalid dimensions")
	// ErrSizeMismatch is returned when two SDRs (or an SDR and a buffer)
	// that must have the same size do not.
	ErrSizeMismatch = errors.New("sdr: size mismatch")
	// ErrIndex is returned for an index or coordinate outside the SDR.
	ErrIndex = errors.New("sdr: index out of range")
	// ErrDuplicate is returned when a list of active cells holds the same
	// cell twice.
	ErrDuplicate = errors.New("sdr: duplicate index")
	// ErrFraction is returned for a fraction or sparsity outside [0, 1]
	// (NaN included), or a count outside [0, size].
	ErrFraction = errors.New("sdr: fraction out of range")
	// ErrCorrupt is returned when decoding malformed, truncated or
	// inconsistent data.
	ErrCorrupt = errors.New("sdr: corrupt encoding")
)
