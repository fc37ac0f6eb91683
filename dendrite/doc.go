// Package dendrite models neurons with active dendrites, after Hawkins &
// Ahmad (2016), "Why neurons have thousands of synapses, a theory of
// sequence memory in neocortex", and Ahmad & Hawkins (2016), "How do
// neurons operate on sparse distributed representations?".
//
// # Model
//
// A cell has any number of dendritic segments, and a segment has synapses
// onto cells of an input population. Each segment is a coincidence
// detector: when at least θ of its synapses see active inputs at the same
// time, it generates an NMDA spike (it is active), which depolarises the
// cell — in a temporal memory, the cell then predicts that it will become
// active next. A handful of synapses onto a sparse pattern suffices to
// recognise it: with 20 synapses and θ = 10, say, a random pattern almost
// never reaches the threshold, while half of the segment's inputs may be
// lost to noise (package theory gives the exact probabilities).
//
// Synapses have a scalar permanence in [0, 1], the growth state of the
// synapse. A synapse whose permanence is at least the connected threshold
// (ConnectedPermanence, e.g. 0.5) is connected: it has a functional weight
// of 1 and counts towards θ. Any synapse, connected or not, is a potential
// synapse: the number of active potential synapses measures how close a
// segment is to an input even before it has learned it, and a segment
// with at least a matching threshold of them (below θ) is matching.
//
// Learning is Hebbian and local to a segment. A segment that should have
// recognised the input is reinforced: the permanences of its synapses onto
// active inputs increase and the others decrease (AdaptSegment, or
// ReinforceAll for a segment whose synapses are all active). New
// synapses grow towards a random sample of the cells that were active
// (the winner cells, in a temporal memory), at a permanence below the
// connected threshold, so one presentation does not make a pattern known
// (GrowSynapses). A segment that predicted wrongly may be punished by
// decreasing the permanences of its active synapses. Synapses whose
// permanence falls to zero are pruned, and segments left empty are
// destroyed. Memory is bounded: MaxSegmentsPerCell, MaxSegments and
// MaxSynapsesPerSegment cap the store, evicting the least recently used
// segment and the weakest synapse (see Connections).
//
// # Computing activity
//
// ComputeActivity returns, for every segment, its number of active
// connected synapses and of active potential synapses, into an Activity
// that is reused without allocating. It walks a reverse index from each
// active input to the synapses onto it, so its cost is the number of
// synapses onto the active inputs, not the number of all synapses;
// ComputeActivityOver does the same but also collects the segments that
// reach an activation or matching threshold as it goes. For a large input
// (4096 reverse entries or more) it counts on two goroutines when the
// Activity allows it (Activity.SetWorkers(2); the default is 1, since the
// split measured slower than the serial count on two cores): each half of the active inputs is counted into
// counters of its own, and the segments whose count in a half reaches
// half a threshold are the only ones whose two counts are added. A
// package-level helper goroutine takes the second half; if it has not
// claimed it when the caller is done with the first, the caller counts it
// too, so a busy machine costs about the serial count. The result is the
// same for every number of workers.
// ComputeActivityDense scans every segment's synapses against a dense
// input bitmap instead, a sequential kernel that runs at about a billion
// synapse checks per second per core and parallelises over segment ranges
// deterministically; it wins when a large fraction of the synapses is
// active anyway, or for one-off evaluations of a large population.
//
// # Tutorial
//
// A store for a layer of 1024 cells that sample each other:
//
//	c, err := dendrite.New(dendrite.Config{
//		NumCells:              1024,
//		ConnectedPermanence:   0.5,
//		MaxSegmentsPerCell:    255,
//		MaxSynapsesPerSegment: 255,
//	})
//	seg, err := c.CreateSegment(7)                  // a segment on cell 7
//	rng := rand.New(rand.NewPCG(1, 2))
//	prev := []uint32{3, 90, 400, 512}               // cells active before
//	c.GrowSynapses(seg, prev, 3, 0.21, rng)         // 3 synapses onto them
//
//	var act dendrite.Activity                       // reusable, allocation-free
//	c.ComputeActivity(&act, []uint32{3, 90, 400})   // sorted active cells
//	act.Potential(seg), act.Connected(seg)          // e.g. 2, 0: not yet connected
//	active := act.AppendActive(nil, 13)             // segments with ≥ 13 connected
//
//	// Reinforce towards the active cells (as a bitmap of 1024 bits).
//	c.AdaptSegment(seg, bitmap, 0.1, 0.1)
//
// For the experiments of the 2016 paper, Neuron wraps one cell: it learns
// patterns by subsampling (Learn, or LearnOn for the union of several
// patterns on one segment) and reports whether a pattern makes any segment
// reach θ (Respond). RandomPattern and NoisyPattern generate the test
// patterns:
//
//	nr, _ := dendrite.NewNeuron(1000, 10)           // n = 1000 inputs, θ = 10
//	p, _ := dendrite.RandomPattern(nil, 1000, 40, rng) // a = 40 active inputs
//	nr.Learn(p, 20, rng)                            // s = 20 synapses
//	q, _ := dendrite.NoisyPattern(nil, p, 1000, 10, rng) // 10 of 40 replaced
//	fires, overlap, _ := nr.Respond(q)
//
// # Serialisation
//
// MarshalBinary writes a compact, canonical, checksummed encoding;
// UnmarshalBinary and Decode restore a store that behaves identically
// (same segment identifiers, free list, synapse order, permanences and
// least-recently-used order). Corrupt data gives an error, never a panic.
package dendrite
