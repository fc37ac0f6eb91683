package nab

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
)

// A Registration describes a detector that "dendritic nab run" (and any
// other user of the registry) can run by name.
type Registration struct {
	// Name is the detector's name in result paths and on the command line:
	// letters, digits and '-', starting with a lower-case letter (so that
	// NAB's camel-case names, such as contextOSE, fit).
	Name string
	// Summary is a one-line description shown in help texts.
	Summary string
	// New returns the detector's factory. seed seeds detectors that draw
	// random numbers; a detector with fixed seeds may ignore it.
	New func(seed uint64) (DetectorFactory, error)
	// Load, if not nil, decodes a detector of this kind from the bytes its
	// MarshalBinary method (encoding.BinaryMarshaler) returned, so that a
	// long-running user (the service) can checkpoint and restore it. A
	// detector without Load cannot be checkpointed.
	Load func(data []byte) (Detector, error)
	// MaxProbation, if > 0, is the largest probationary period
	// (FileInfo.Probation) the detector is built for; its factory refuses
	// a larger one. A detector that does work in proportion to the period
	// on one row (htmdetect's probation-ranged detectors replay the whole
	// period on the row that ends it) bounds that row's time this way, and
	// a long-running user (the service) checks it before it builds one.
	// NAB's own periods are at most 750 rows.
	MaxProbation int
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Registration{}
	validName  = regexp.MustCompile(`^[a-z][a-zA-Z0-9-]{0,63}$`)
)

// Register adds a detector to the registry. A detector package calls it
// from an init function, so that importing the package makes its detectors
// known; nothing else needs editing. It returns an error for an invalid or
// duplicate name or a nil constructor.
func Register(r Registration) error {
	if !validName.MatchString(r.Name) {
		return fmt.Errorf("nab: invalid detector name %q (letters, digits and '-', starting with a lower-case letter)", r.Name)
	}
	if r.New == nil {
		return fmt.Errorf("nab: detector %q has no constructor", r.Name)
	}
	if r.MaxProbation < 0 {
		return fmt.Errorf("nab: detector %q has MaxProbation %d < 0", r.Name, r.MaxProbation)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[r.Name]; dup {
		return fmt.Errorf("nab: detector %q registered twice", r.Name)
	}
	registry[r.Name] = r
	return nil
}

// MustRegister is Register for init functions: it panics on an error, which
// is a programming error caught by any test that imports the package.
func MustRegister(r Registration) {
	if err := Register(r); err != nil {
		panic(err)
	}
}

// Detectors returns every registered detector, sorted by name.
func Detectors() []Registration {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Registration, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Registration) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

// DetectorNames returns the names of the registered detectors, sorted.
func DetectorNames() []string {
	rs := Detectors()
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return names
}

// UnknownDetectorError is returned by Lookup for a name nobody registered.
type UnknownDetectorError struct {
	Name  string
	Known []string
}

func (e *UnknownDetectorError) Error() string {
	return fmt.Sprintf("nab: unknown detector %q (known: %v)", e.Name, e.Known)
}

// Lookup returns the factory of a registered detector, built with seed.
func Lookup(name string, seed uint64) (DetectorFactory, error) {
	registryMu.RLock()
	r, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, &UnknownDetectorError{Name: name, Known: DetectorNames()}
	}
	return r.New(seed)
}

// LookupMaxProbation returns a registered detector's MaxProbation (0: no
// bound).
func LookupMaxProbation(name string) (int, error) {
	registryMu.RLock()
	r, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return 0, &UnknownDetectorError{Name: name, Known: DetectorNames()}
	}
	return r.MaxProbation, nil
}

// LookupLoad returns the Load function of a registered detector, nil if
// the detector cannot be restored from a checkpoint.
func LookupLoad(name string) (func([]byte) (Detector, error), error) {
	registryMu.RLock()
	r, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, &UnknownDetectorError{Name: name, Known: DetectorNames()}
	}
	return r.Load, nil
}

func init() {
	MustRegister(Registration{Name: "null", Summary: "scores 0 everywhere (NAB's null detector, 0 by definition)",
		New: func(uint64) (DetectorFactory, error) { return NullDetector, nil }})
	MustRegister(Registration{Name: "random", Summary: "uniform random scores, seeded per file (NAB's random detector)",
		New: func(seed uint64) (DetectorFactory, error) { return RandomDetector(seed), nil }})
}
