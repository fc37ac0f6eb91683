// Package encoder turns values (numbers, timestamps, labels) into sparse
// distributed representations, the input of a spatial pooler or temporal
// memory.
//
// # Model
//
// An encoder maps each input to an SDR of a fixed size with a fixed number
// of active bits, so that similar inputs share active bits and dissimilar
// ones do not: the overlap of two encodings measures the similarity of the
// inputs (Purdy 2016, "Encoding data for HTM systems", arXiv:1602.05925).
// Every encoder is deterministic: the same input always gives the same SDR.
//
//   - Scalar puts a contiguous block of w active bits at a position
//     proportional to the value, so two values closer than the radius
//     (w·resolution) share bits in proportion to their closeness. A periodic
//     scalar encoder wraps the block around, for angles or the time of day.
//   - RDSE, the random distributed scalar encoder, cuts the number line into
//     buckets of width resolution and gives each bucket w bits spread over
//     the whole SDR by a seeded hash; neighbouring buckets share all but a
//     few bits, buckets farther than w apart share only chance bits. Unlike
//     Scalar it needs no range.
//   - Date encodes the season, day of week, weekend and time of day of a
//     time.Time with periodic scalar encoders.
//   - Category gives each label its own w bits: disjoint blocks, or seeded
//     random bits for an open set of labels.
//   - Multi concatenates several encoders over the fields of one record,
//     such as a value and its timestamp, which is what the HTM detectors of
//     the Numenta Anomaly Benchmark feed to their spatial pooler.
//
// # Errors
//
// Constructors validate their parameters and return an error wrapping
// ErrParams; Encode returns an error wrapping ErrInput for an input it cannot
// encode (NaN, infinite, out of range without clipping, unknown label) and
// wrapping sdr.ErrSizeMismatch when the output SDR is not of the encoder's
// size. Nothing panics on bad input, and the output SDR is unchanged when
// Encode fails.
//
// # Performance
//
// Each encoder also offers AppendEncode, which appends the active bit
// indices (in increasing order) to a caller's slice: with a reused slice it
// allocates nothing. Encode into an output SDR that has grown its buffers
// allocates nothing either. Encoders are immutable after construction, so
// one encoder may serve several goroutines (each with its own output SDR).
package encoder
