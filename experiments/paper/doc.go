// Package paper regenerates the figures and tables of Ahmad & Hawkins
// (2016), "How do neurons operate on sparse distributed representations? A
// mathematical theory of sparsity, neurons and active dendrites"
// (arXiv:1601.00720), with the errors found in the published material
// corrected, and checks the theory against simulation.
//
// # What is reproduced
//
// Every theory value is computed by package theory in its exact mode
// (math/big), then rounded once to float64 for plotting, except the
// union-size mixture of F3 and the E7 statistics, which use the fast mode
// (accurate to about 1e-14 relative). The figures follow
// the paper spec (docs/paper-spec.md §3):
//
//	F1  effect of n: E2 for s=24, θ=12, a = 64, 128, 256, and the dense
//	    curve both as the paper plotted it (a = n/4, labelled correctly)
//	    and as it was captioned (a = n/2); every curve at its true n (the
//	    published a=128/256/dense traces sit 200 cells to the right)
//	F2  effect of s: E2 with θ = s/2 for four (a, n) pairs
//	F3  union false matches against the number M of stored patterns, by
//	    the paper's plug-in of the expected union size (theory.UnionFP)
//	    and by the exact mixture over the union size (theory.UnionFPMix)
//	F4  expected union size (synapses) against M (E4), linear axis
//	F5  simulated against theoretical false positives (E2)
//	F6  simulated against theoretical false negatives under noise (E3)
//	F7  median false-positive rate over the paper's parameter grid against
//	    θ (E7), shaded from the first θ whose median is below 1e-9 (θ=10;
//	    the paper shaded from θ=9), with the later (2018) grid's medians
//	E5  (added) a neuron of m segments: E5 exactly and its union bound m·P
//
// and the tables: 1B, 1C, 1D of the companion notebook (n=100000, a=2000),
// each exact value beside the notebook's printed (sympy) value, and the
// optimal-threshold statistics of E7 for both grids.
//
// The corrections to the published material (paper spec §10, items 1–8)
// are recomputed live: every corrected number in Report.Corrections comes
// from package theory when the report is built, never from a pasted
// constant. Only the published (wrong or suspicious) values are constants.
//
// # Simulation
//
// Simulated points come from a Simulator, an interface so that a Monte
// Carlo engine can be plugged in without this package importing it. With
// Options.Sim nil the report holds theory only and every simulated field is
// null. Where the paper simulated (F5, F6) the same points are requested
// with direct Monte Carlo; the report adds union points on F3 (kind
// "union"), a neuron point set (E5, kind "neuron") and importance-sampled
// rare-event points below 1e-8 on F1, F2 and F6 (method "importance").
//
// The union simulations test more than the paper did: at n = 1000 and at
// n = 10000 with many patterns they reject the paper's plug-in of the
// expected union size (|z| well above 4 with the default samples) and agree
// with the exact mixture; the figure's notes give both z-scores.
//
// The z-score of a simulated point is always computed here, against the
// theory value plotted at that point: z = (estimate − theory)/se, where for
// direct Monte Carlo se = √(p(1−p)·d/N) is the standard error the estimator
// has if the theory p is right (d the simulator's design effect, at least
// 1), so that points with few or no hits stay testable, and for importance
// sampling se = SimPoint.SE. A point with at least InformativeHits (10)
// expected hits, or importance-sampled, agrees when |z| ≤ 4; with fewer,
// the two-sided exact binomial test decides at the same level (Alpha);
// below MinExpectedHits (1) expected hit a point is not informative: it
// cannot confirm the theory, only refute it (agreement.go).
//
// # Resuming and splitting a sweep
//
// Every simulated point is a Job with a stable identity (Job.Key) and its own
// seed, and a Simulator is deterministic, so a finished simulation can be
// stored as a Record and used later in place of simulating it again: the
// report is the same, byte for byte. Options.Finished receives each Record
// as it finishes (the paper command appends it to points.jsonl through a
// PointsLog, one synced line per point) and Options.Reuse offers stored
// results (a RecordIndex of the records read back by ReadPoints, which drops
// a last line cut short by a kill). Options.Shard and Options.Shards run only
// the jobs of one part of the sweep (index mod Shards); MergePoints checks
// that the parts form the whole sweep, each point once, and FromPoints builds
// the report of the merged points without simulating.
//
// # Output
//
// Write produces, in one directory: for each figure an SVG, a PNG and a CSV
// of every plotted point; for each table a CSV; report.json (the whole
// Report); and index.html, one self-contained page with every figure
// (inline SVG), every table, the theory-against-simulation agreement and the
// section "Corrections to the published figures".
//
// In report.json a point's "theory" is a JSON number (float64; 0 for an
// exact zero, and also for a positive value below the float64 range, which
// no figure reaches), "theory_log10" its base-10 logarithm (null for an
// exact zero) and "theory_text" the value with 17 significant digits, which
// keeps any magnitude.
//
// Same Options, same bytes: no file holds a time stamp, and seeds are
// derived from Options.Seed and each point's identity, so that a point's
// simulation does not depend on which other figures were selected.
package paper
