// Package sdr implements sparse distributed representations (SDRs), the
// binary codes of the neocortex theory of Ahmad & Hawkins (2016), "How do
// neurons operate on sparse distributed representations?".
//
// # Model
//
// An SDR is a vector of n binary cells, of which a small number a are
// active: its sparsity is a/n, typically a few percent (40 of 2048 cells is
// 2 %). Two SDRs are compared by their overlap, the number of cells active
// in both, |A ∩ B|. Because the active cells are few and the number of
// possible codes, C(n, a), is astronomically large, two unrelated SDRs
// almost never overlap by much, while a noisy copy of an SDR still overlaps
// it a lot: an SDR can be recognised by a threshold on the overlap, robustly
// against noise.
//
// An SDR may have dimensions (a 10×10 grid, say). Cells are then numbered
// in C order: the last index changes fastest, so cell (i, j) of a 10×10 SDR
// has flat index 10·i + j. Every operation works on flat indices;
// dimensions only matter for coordinates and concatenation.
//
// The type SDR holds the active cells in two forms, always kept in step: a
// sorted list of indices (Sparse), and a dense bitset of 64-bit words
// (Words), on which the overlap is computed with AND and popcount. The
// setters accept a sparse list, a dense byte vector, a bitset or
// coordinates; the four forms are equivalent.
//
// # Tutorial
//
// Create an SDR with its dimensions, then set its active cells. The three
// calls below all give the same SDR:
//
//	x, err := sdr.New(10, 10) // 100 cells in a 10×10 grid, none active
//	if err != nil { … }
//	x.SetSparse([]uint32{1, 4, 25})
//
//	dense := make([]byte, 100)
//	dense[1], dense[4], dense[25] = 1, 1, 1
//	x.SetDense(dense)
//
//	x.SetCoordinates([][]uint32{{0, 0, 2}, {1, 4, 5}}) // (0,1) (0,4) (2,5)
//
//	x.Sparse()      // [1 4 25]
//	x.Coordinates() // [[0 0 2] [1 4 5]]
//	x.Sum()         // 3
//	x.Sparsity()    // 0.03
//
// The overlap counts the cells active in both SDRs, which must have the same
// size:
//
//	y, _ := sdr.New(10, 10)
//	y.SetSparse([]uint32{4, 25, 99})
//	x.Overlap(y) // 2
//
// Set operations write their result into the receiver, which keeps its
// dimensions and may be one of the inputs:
//
//	u, _ := sdr.New(10, 10)
//	u.Union(x, y)        // u.Sparse() is [1 4 25 99]
//	u.Intersection(x, y) // u.Sparse() is [4 25]
//
// Random operations take an explicit *rand.Rand from math/rand/v2, so a run
// is reproducible from its seed:
//
//	rng := rand.New(rand.NewPCG(1, 2))
//	a, _ := sdr.New(2048)
//	a.Randomize(0.02, rng) // exactly round(0.02·2048) = 41 random active cells
//	b := a.Clone()
//	b.AddNoise(0.25, rng)  // moves round(0.25·41) = 10 active cells elsewhere
//	a.Overlap(b)           // exactly 41 − 10 = 31
//	b.Sum()                // still 41
//
// # Buffers and copying
//
// Sparse and Words return the SDR's own slices, without copying: treat them
// as read-only, and as valid only until the SDR is next modified. The
// setters copy their argument and never keep it. Once an SDR has grown its
// buffers, SetSparse, CopyFrom, Overlap, Union, Intersection, Randomize and
// AddNoise allocate nothing.
//
// # Errors
//
// Invalid input (an index ≥ Size, a duplicate index, a fraction outside
// [0, 1], a nil SDR, mismatched sizes, corrupt encoded data) is reported as
// an error wrapping one of the package's Err variables; no function panics
// on it, and an SDR is left unchanged by a call that fails.
//
// # Metrics and encoding
//
// Sparsity, ActivationFrequency and Overlap summarise a stream of SDRs with
// moving averages (Metrics bundles them); Stats summarises any stream of
// numbers. SDR implements encoding.BinaryMarshaler/BinaryUnmarshaler (a
// compact little-endian format with a CRC-32C, the framing of internal/binfmt) and json.Marshaler/Unmarshaler
// ({"dims":[10,10],"sparse":[1,4,25]}); both round-trip exactly.
package sdr
