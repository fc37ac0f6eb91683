// Package sequences runs the discrete high-order sequence tasks of Cui,
// Ahmad & Hawkins (2016), "Continuous online sequence learning with an
// unsupervised neural network model" (Neural Computation 28:2474), on the
// temporal memory of package htm, and compares the network's false
// predictions with the theory of Ahmad & Hawkins (2016) (package theory,
// E2 and E5). The tasks follow their description in the project's
// benchmarks.md §2.3; no code of htmresearch or htmpapers (AGPL) was used.
//
// # The stream
//
// Eight sequences of length 7 or 8 over the symbols 0…9 (HighOrderDataset
// with one prediction per sequence) come in pairs that share everything
// but their first and last element, so the last element can only be
// predicted from the first, six or seven steps back. The input stream is
// a sequence drawn uniformly from the set, then one noise symbol drawn
// uniformly from 5,000 extra categories, repeated (no reset). Every
// category is an independent random SDR of 41 of 2048 columns; the
// symbols 0…9 are relabelled by a random permutation of the seed.
//
// The temporal memory has the parameters of §2.3 (TMParams): 2048 columns
// × 32 cells, activation and matching threshold 15, 32 new synapses per
// transition, at most 128 synapses per segment and 128 segments per cell,
// permanences 0.21 initial, 0.5 connected, ±0.1, predicted-segment
// decrement 0.02. It learns online throughout.
//
// Before the last element of each sequence is presented, the predicted
// columns are decoded into the category whose code overlaps them most
// (among all categories); the prediction is scored correct or not. Only
// last elements are scored. The final accuracy is that of the last 1,000
// scored predictions; curves show the accuracy of the last 100.
//
// # The tasks
//
//	high-order  the stream above, 19,999 steps.
//	switch      from step 10,000 on, every sequence comes from the
//	            perturbed set, in which the endings of each pair are
//	            swapped: the learned endings become wrong and must be
//	            relearned; the change's metrics measure the recovery.
//	noise       temporal (sensor) noise: from step 10,000 on, every input
//	            has a fraction of its 41 active columns (the headline
//	            0.3, and a sweep) replaced by columns drawn uniformly from
//	            the inactive ones, afresh at every step, so no symbol is
//	            ever presented twice the same. Learning continues; the
//	            predictions are decoded against the clean codes. Section
//	            2.3 only names the variant; this is the definition used.
//	cell-death  after 10,001 steps a fraction of the cells (the headline
//	            40 %, and a sweep), drawn uniformly, dies: their segments
//	            and every synapse onto them are destroyed, and they never
//	            become active or winner cells again (see Cell death).
//
// All tasks share their first 10,000 steps, which Run computes once; each
// run then continues from a copy of that state (htm's MarshalBinary), so a
// task's result does not depend on which other tasks run, or on how many
// run at once (Config.Workers). Every random draw derives from the seed.
// By default every task runs with seeds 0–9, as in the original study
// (Config.Seeds): the seeds run side by side on the workers, and
// Result.Seeds holds each task's mean and sample standard deviation over
// them, which the page's figures draw as a band and as error bars.
//
// # Cell death
//
// At the kill step each cell-death run draws its dead cells (DeadCells)
// and kills them with htm.TemporalMemory.KillCells, which destroys their
// segments and the synapses onto them and leaves them out of every later
// step: a bursting column activates only its live cells, a column whose
// cells are all dead stays silent, and a dead cell is never a winner, so
// no synapse onto it forms again. Killing no cell changes nothing.
//
// # Theory meets the network
//
// A distal segment is a pattern detector of s connected synapses onto the
// n = columns × cells of the layer; it fires when θ of them see active
// cells. For a random pattern of a active cells it fires with probability
// E2, P_fp(n, a, s, θ), and a column with m segments is falsely predicted
// with probability E5, 1 − (1 − P_fp)^m. PredictFalsePrediction evaluates
// this from parameters (ParametricQuery: s = MaxNewSynapseCount, θ =
// ActivationThreshold); TakeCensus reads a store's actual segments and
// Census.FalseRates evaluates the same theory segment by segment, with each
// segment's own number of connected synapses, and Census.FalseRatesColumns
// with E2 over columns, the right model for a bursting input (all cells of
// a columns active). The high-order run measures false predictions — the
// predicted columns that do not become active at the next step, out of the
// columns that do not — after novel noise symbols (where no prediction
// rests on learning) and after correctly predicted sequence elements, and
// at the end probes the store with random inputs at lowered thresholds,
// where false predictions become frequent enough to measure.
//
// Write produces the report: CSV and SVG per task, the sweeps, the theory
// comparison, summary.json, result.json and a self-contained index.html.
package sequences
