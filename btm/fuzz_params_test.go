package btm

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParseParams: parameter JSON is either refused with ErrParams or
// gives valid parameters that survive a round trip.
func FuzzParseParams(f *testing.F) {
	b, _ := json.Marshal(DefaultParams())
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"cellsPerColumn": 0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseParams(data)
		if err != nil {
			if !errors.Is(err, ErrParams) {
				t.Fatalf("error %v does not wrap ErrParams", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted invalid parameters: %v", err)
		}
		if _, err := json.Marshal(p); err != nil {
			t.Fatal(err)
		}
	})
}
