package dendrite

import (
	"errors"
	"testing"

	"github.com/dendritic/dendritic/internal/misuse"
)

// TestMisuseNoPanic: every exported method of the zero value and of a nil
// pointer returns (an error or a zero result) instead of panicking. Before,
// the zero Neuron's Respond and every method of a nil *Connections
// panicked.
func TestMisuseNoPanic(t *testing.T) {
	for _, v := range []any{
		&Neuron{}, (*Neuron)(nil), &Connections{}, (*Connections)(nil), &Activity{}, (*Activity)(nil), Config{},
	} {
		for _, p := range misuse.Panics(v) {
			t.Error(p)
		}
	}
	if _, _, err := new(Neuron).Respond([]uint32{1}); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("zero Neuron's Respond: %v, want ErrNotInitialized", err)
	}
}

// TestDegenerateSizes: constructors refuse sizes that make no model or
// that would allocate beyond MaxAllocated (dendrite.New accepted 2^31 − 1
// cells and allocated them up front: 2^27 cells took 5.6 GB).
func TestDegenerateSizes(t *testing.T) {
	if _, err := NewNeuron(0, 10); !errors.Is(err, ErrConfig) {
		t.Errorf("NewNeuron(0, 10): %v, want ErrConfig", err)
	}
	for _, c := range []Config{
		{NumCells: MaxAllocated + 1, ConnectedPermanence: 0.5},
		{NumCells: 1, NumInputs: MaxAllocated + 1, ConnectedPermanence: 0.5},
		{NumCells: 1<<31 - 1, ConnectedPermanence: 0.5},
	} {
		if _, err := New(c); !errors.Is(err, ErrConfig) {
			t.Errorf("New(%+v): %v, want ErrConfig", c, err)
		}
	}
}
