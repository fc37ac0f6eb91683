package encoder

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/dendritic/dendritic/sdr"
)

// Errors returned by this package; test for them with errors.Is.
var (
	// ErrParams is returned by the constructors for invalid parameters.
	ErrParams = errors.New("encoder: invalid parameters")
	// ErrInput is returned by Encode for an input that cannot be encoded.
	ErrInput = errors.New("encoder: invalid input")
	// ErrNotInitialized is returned by the methods of a nil encoder (or a
	// zero RDSE): encoders need their constructors; accessors return zero
	// values instead.
	ErrNotInitialized = errors.New("encoder: not made by its constructor (nil or zero value)")
)

// MaxSize is the largest encoding size the constructors accept (2^26 bits).
// It bounds the memory a mistaken resolution can make an encoder claim.
const MaxSize = 1 << 26

// Encoder is implemented by every encoder of this package for its input
// type T (float64 for Scalar and RDSE, time.Time for Date, string for
// Category, the record type for Multi).
type Encoder[T any] interface {
	// Size returns the number of bits of the encoding.
	Size() int
	// Encode writes the encoding of v into out, whose size must be Size.
	Encode(v T, out *sdr.SDR) error
	// AppendEncode appends the indices of the active bits of v's encoding
	// to dst, in increasing order, and returns the extended slice. On
	// error it returns dst unchanged.
	AppendEncode(dst []uint32, v T) ([]uint32, error)
}

// setOutput checks the size of out and sets its active bits.
func setOutput(out *sdr.SDR, size int, idx []uint32) error {
	if out == nil {
		return fmt.Errorf("encoder: output: %w", sdr.ErrNil)
	}
	if out.Size() != size {
		return fmt.Errorf("encoder: output has %d bits, encoder %d: %w", out.Size(), size, sdr.ErrSizeMismatch)
	}
	return out.SetSparse(idx)
}

// checkSize validates an encoding size.
func checkSize(what string, n int) error {
	if n < 1 || n > MaxSize {
		return fmt.Errorf("%w: %s size %d outside [1, %d]", ErrParams, what, n, MaxSize)
	}
	return nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ceilFuzzy returns ⌈x⌉, treating an x within a relative 1e-12 above an
// integer as that integer, so that a range that is an exact multiple of the
// resolution in decimal (1/0.1) is not rounded up by float error.
func ceilFuzzy(x float64) float64 {
	return math.Ceil(x - math.Abs(x)*1e-12)
}

// activeBits resolves the ActiveBits / Sparsity pair for an encoding of n
// bits (n = 0 when the size is not known yet; then only ActiveBits works).
func resolveActive(what string, activeBits int, sparsity float64) error {
	switch {
	case activeBits < 0:
		return fmt.Errorf("%w: %s ActiveBits %d < 0", ErrParams, what, activeBits)
	case math.IsNaN(sparsity) || sparsity < 0 || sparsity >= 1:
		return fmt.Errorf("%w: %s Sparsity %v outside [0, 1)", ErrParams, what, sparsity)
	case activeBits > 0 && sparsity > 0:
		return fmt.Errorf("%w: %s: give ActiveBits or Sparsity, not both", ErrParams, what)
	case activeBits == 0 && sparsity == 0:
		return fmt.Errorf("%w: %s: one of ActiveBits and Sparsity is required", ErrParams, what)
	}
	return nil
}

// roundHalfUp rounds x ≥ 0 to the nearest integer, halves up.
func roundHalfUp(x float64) int { return int(math.Floor(x + 0.5)) }

// scratch holds index buffers for Encode, so that the immutable encoders
// need no buffer of their own and Encode allocates nothing once warm.
var scratch = sync.Pool{New: func() any { s := make([]uint32, 0, 256); return &s }}

func getScratch() *[]uint32  { return scratch.Get().(*[]uint32) }
func putScratch(b *[]uint32) { scratch.Put(b) }
