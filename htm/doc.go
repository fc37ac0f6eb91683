// Package htm implements a temporal memory: a layer of minicolumns of
// neurons with active dendrites (package dendrite) that learns sequences
// of sparse inputs online and predicts the next input, after Hawkins &
// Ahmad (2016), "Why neurons have thousands of synapses, a theory of
// sequence memory in neocortex", and Cui, Ahmad & Hawkins (2016),
// "Continuous online sequence learning with an unsupervised neural network
// model".
//
// # Algorithm
//
// The input at each time step is a sparse set of active columns (e.g. 40
// of 2048). Each column holds CellsPerColumn cells; all cells of a column
// share its feedforward input, and their distal dendritic segments sample
// the other cells of the layer. A segment with at least ActivationThreshold
// active connected synapses is active and puts its cell into the
// predictive state: the cell expects its column to become active next.
//
// Compute(activeColumns, learn) does, for each column:
//
//   - An active column with predictive cells activates only those cells;
//     they are also its winner cells. With learning, each active segment
//     in the column is reinforced towards the previously active cells and
//     grows synapses onto previous winner cells, up to MaxNewSynapseCount
//     active synapses.
//   - An active column without predictive cells bursts: all its cells
//     become active, because the input was not expected in any context.
//     Its winner cell is the cell of its best matching segment (the one
//     with the most active potential synapses, at least MinThreshold),
//     which learns as above; or, if no segment matches, the cell with the
//     fewest segments (ties broken at random), which grows a new segment
//     onto MaxNewSynapseCount of the previous winner cells.
//   - An inactive column with matching segments had a wrong prediction;
//     with PredictedSegmentDecrement > 0 those segments are punished.
//
// Then the segments' response to the new active cells is computed, giving
// the predictive cells for the next step. Because a cell's segments learn
// the winner cells of the previous step, and those winner cells depend on
// the previous context in turn, the same input is represented by different
// cells in different contexts: the layer learns high-order sequences (the
// C in A B C D and in X B C Y are different cells, so D and Y are
// predicted correctly). The anomaly score is the fraction of active
// columns that were not predicted.
//
// # Parameters
//
// Params defines every parameter once, with htm.core's names and defaults
// (DefaultParams); ParseParams reads them from JSON and rejects unknown
// names. MaxSegmentsPerCell and MaxSynapsesPerSegment bound memory as in
// htm.core. MaxSegments additionally bounds all segments together: under
// unpredictable input every bursting column grows a segment at every
// step, and only a global bound keeps the time per step from growing with
// the store (htm.core's "slows down after long training").
//
// # Determinism and persistence
//
// A TemporalMemory is deterministic: its only randomness is a math/rand/v2
// PCG seeded from Params.Seed, and all choices (tie-breaking, eviction,
// iteration order) are canonical. MarshalBinary (and Save) writes the
// complete state, including the generator's; a TemporalMemory restored by
// UnmarshalBinary (or Load) then produces exactly the same outputs as the
// original. Corrupt input gives an error, never a panic.
//
// When many cells are active (every column bursting), Compute can count
// the segments' response on two goroutines (SetWorkers(2); the default is
// one, because on two cores the split measured slower than the serial
// count). Every output and the saved state are the same, bit
// for bit, for any number of workers; the setting is not saved.
//
// # Cell death
//
// KillCells kills cells, for lesion experiments: their segments and the
// synapses onto them are destroyed, and they never become active, winner
// or predictive cells again (a bursting column activates its live cells
// only). The dead cells are part of the saved state.
//
// # Tutorial
//
//	tm, err := htm.New(htm.DefaultParams()) // 2048 columns × 32 cells
//	if err != nil { … }
//	for _, cols := range inputs {           // each: sorted active columns
//		if err := tm.Compute(cols, true); err != nil { … }
//		tm.Anomaly()                        // 0 when fully predicted
//		next := tm.PredictedColumns(nil)    // the columns expected next
//	}
//	tm.Reset()                              // between unrelated sequences
//
//	var buf bytes.Buffer
//	tm.Save(&buf)                           // and later:
//	tm2, err := htm.Load(&buf)              // behaves exactly like tm
package htm
