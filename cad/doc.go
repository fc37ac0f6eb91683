// Package cad is the Contextual Anomaly Detector, Open Source Edition (CAD
// OSE, by M. Smirnov and Y. Kourakin, 2016), NAB's "contextOSE" detector,
// written from our reading of NAB's Python (nab/detectors/context_ose, MIT)
// and registered with package nab under NAB's name.
//
// # Model
//
// Each value is cut into one of 2^3 bins of the file's range, and the bin
// number becomes a set of "facts", one per bit (bit i with value b is the
// fact 2i+b). A context is an ordered pair (left facts, right facts): the
// left side holds the previous row's value facts and "neuron" facts, the
// right side the current row's value facts. Every row stores the zero-level
// context (previous left facts, current value facts) if it is new. The
// contexts whose left side is wholly contained in the previous row's left
// facts are selected; those whose right side is wholly contained in the
// current value facts too are active, and each activation raises the
// context's count. The active contexts with the highest counts (at most 15)
// become neuron facts of the next row's left side, so the memory learns
// chains of contexts. On a row that stored a new zero-level context, the
// partial overlaps of selected zero-level contexts with the input are
// stored as new, smaller contexts (generalisations). The raw score is the
// mean of two fractions: the selected contexts that did not become active,
// and the candidate contexts of this row that were new. A row reports its
// raw score only if no raw score of the preceding rest period (a fifth of
// NAB's probationary period; a 1 stands before the first row) reached 0.75;
// otherwise it reports 0, so each detection is followed by a quiet stretch.
//
// # Fidelity to NAB's published results
//
// NAB's published contextOSE results were computed with Python 2, and two
// of its implementation details decide results: the active contexts are
// ranked by count and then by CPython 2.7's hashes of their sides' fact
// tuples, and the order in which a dict of contexts (keyed by small ints)
// is walked decides the numbers of new contexts. Both are reproduced (see
// pyorder.go; docs/BENCHMARKS.md measures what each changes: the first the
// corpus scores, the second only some files' rows); semi-contexts are looked up by their content, where Python
// looks them up by the tuple's hash alone. Two quirks are kept because they
// change scores: context number 0 is never matched (Python compares a
// context number with False), and a rest period of 0 silences every row.
// Values outside [Min, Max] are defined here: below Min they fall in bin 0
// (Python would encode the minus sign of the bin number's string), above it
// the bin number keeps its higher bits (as in Python), capped at 2^30.
// Our rows equal the published ones on 57 of NAB's 58 files; on the last,
// a maximum written 99.24799999999999 is parsed by Go to the nearest
// float64 and by NAB's pandas one ulp higher, which changes 508 rows but
// not the corpus scores (TestPandasMax).
package cad
