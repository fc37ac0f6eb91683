// Package spatial implements the HTM spatial pooler (Cui, Ahmad & Hawkins
// 2017, "The HTM spatial pooler — a neocortical algorithm for online sparse
// distributed coding", Front. Comput. Neurosci. 11:111), which turns an
// input SDR (an encoder's output) into a sparse set of active columns with a
// fixed sparsity, learning online so that similar inputs keep similar codes
// and every column comes to represent some frequent input pattern.
//
// # Model
//
// Each column has a potential pool: a random PotentialPct of the inputs
// within PotentialRadius of the column's centre (the column's position
// mapped into input space; the neighbourhood wraps around the edges when
// WrapAround is set). Every potential synapse has a permanence in [0, 1];
// it is connected when its permanence is at least SynPermConnected. At each
// step:
//
//  1. Overlap. The overlap of a column is the number of its connected
//     synapses whose input is active. Overlaps below StimulusThreshold count
//     as 0, and a column needs a positive overlap to become active.
//  2. Boosting. The overlap is multiplied by the column's boost factor
//     b = exp(−BoostStrength·(a − â)), where a is the column's active duty
//     cycle (its moving-average activity) and â the target density; with
//     BoostStrength 0 every boost is 1.
//  3. Inhibition. With global inhibition the k columns of highest boosted
//     overlap win, k = NumActiveColumnsPerInhArea or round(LocalAreaDensity
//     ·columns). With local inhibition a column wins when fewer than
//     round(density·|neighbourhood|) columns of its neighbourhood (of the
//     current inhibition radius) beat it. Ties are broken by a fixed random
//     ranking of the columns drawn from the seed, so no column is favoured
//     by its index.
//  4. Learning (when learn is true). Every active column increments by
//     SynPermActiveInc the permanences of its synapses from active inputs and
//     decrements by SynPermInactiveDec those from inactive inputs (Hebbian
//     rule, clipped to [0, 1]). The duty cycles are moving averages over
//     min(DutyCyclePeriod, learning steps) steps of "active" and of
//     "overlap ≥ max(1, StimulusThreshold)". A column whose overlap duty cycle
//     falls below MinPctOverlapDutyCycles times the largest overlap duty cycle
//     (of all columns, or of its neighbourhood) has all its permanences
//     raised by SynPermConnected/10, so that it can compete again. The
//     boost factors follow the active duty cycles. With local inhibition the
//     inhibition radius follows the average span of the columns' connected
//     synapses (every 50 learning steps).
//
// The initial permanences are drawn from the seed, from the distribution
// InitPermanence selects. InitNearThreshold (the zero value; the CLA white
// paper's "small range around connectedPerm") connects each potential
// synapse with probability ½, with a permanence uniform in
// [SynPermConnected, SynPermConnected+0.1) if so and in
// [SynPermConnected−0.1, SynPermConnected) otherwise (clipped to [0, 1]).
// InitUniform (the spatial pooler paper's, used by NumentaParams) draws
// every permanence uniformly from [0, 1). The choice matters with slow
// learning rates: near the threshold, synapses keep crossing it and the
// code of an input drifts for thousands of steps. On the NYC-taxi model of
// package htmdetect (synPermInactiveDec 0.0005), the codes of the first
// week's inputs, recomputed without learning at the end of each week,
// differ from the week before in 9.3 of 40 columns after 2 weeks and 5.7
// after 10 with InitNearThreshold, and in 5.1 and 2.9 with InitUniform.
// Every random choice (pools, permanences, tie ranking) comes from a
// math/rand/v2 PCG seeded with Seed, and after construction Compute is
// fully deterministic. The arithmetic is written so that the compiler may
// not fuse multiply-adds, so results are bit-identical across
// architectures; the one exception is boosting, whose math.Exp may differ
// in the last bit between architectures.
//
// # Performance
//
// Permanences are float32. Besides the per-column lists of potential
// synapses, the pooler keeps for every input the list of columns it is
// connected to, so the overlap costs one increment per (active input,
// connected column) pair and nothing for inactive inputs. Compute allocates
// nothing once its output SDR has grown (and, with several workers, once
// the first call has started the helpers). Global inhibition selects the
// winners from a histogram of the integer overlaps, breaking the tie at
// the threshold by walking the columns in tie-rank order (without
// boosting), or by quickselect (with boosting); local inhibition is
// O(columns × neighbourhood) and much slower.
//
// The columns are split into parts of consecutive columns, one per worker
// (SetWorkers; by default min(GOMAXPROCS, 2), and one for poolers of fewer
// than 512 columns). Each part has its own connection lists, so that the
// overlaps, the winners under global inhibition, the learning of the
// winning columns, the duty cycles and the boost factors of different parts
// are computed concurrently, in two hand-offs per step to helper goroutines
// that wait between steps (and that sleep for a while when they find the
// caller has done the work before them: on a machine whose cores are busy
// with other processes). Everything else (the threshold of global
// inhibition, local inhibition, the bumping of weak columns, the periodic
// updates) runs on the calling goroutine. Every column's arithmetic is
// the same whatever the split, so the results are bit-identical for any
// number of workers.
//
// # Persistence
//
// SpatialPooler implements encoding.BinaryMarshaler and BinaryUnmarshaler
// with a versioned little-endian format protected by a CRC-32C. A pooler
// decoded from MarshalBinary's output behaves exactly like the original, and
// re-encodes to the same bytes. Malformed input gives an error wrapping
// ErrCorrupt, never a panic.
package spatial
