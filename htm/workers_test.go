package htm

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"testing"
)

// TestWorkersDeterministic: every output of every step and the final
// saved state are the same, bit for bit, for 1, 2 and 3 workers (run it
// with -race). The expected values are those of one worker, the serial
// path that TestGolden pins; the cases are golden cases, shortened, whose
// steps reach the size from which the count is split.
func TestWorkersDeterministic(t *testing.T) {
	steps := 1200
	if testing.Short() {
		steps = 300
	}
	for _, c := range goldenCases[:4] {
		t.Run(c.name, func(t *testing.T) {
			var want [32]byte
			var wantState []byte
			for _, w := range []int{1, 2, 3} {
				tm := mustNew(t, c.params())
				tm.SetWorkers(w)
				if got := tm.Workers(); got != w {
					t.Fatalf("Workers() = %d after SetWorkers(%d)", got, w)
				}
				rng := rand.New(rand.NewPCG(0x601d, uint64(len(c.name))))
				h := sha256.New()
				var sc outputHasher
				input := c.input()
				for i := range steps {
					cols, learn, reset := input(rng, i)
					if reset {
						tm.Reset()
					}
					compute(t, tm, cols, learn)
					sc.hash(h, tm)
				}
				state, err := tm.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var got [32]byte
				copy(got[:], h.Sum(nil))
				if w == 1 {
					want, wantState = got, state
					continue
				}
				if got != want {
					t.Errorf("workers %d: outputs differ from one worker's", w)
				}
				if !bytes.Equal(state, wantState) {
					t.Errorf("workers %d: saved state differs from one worker's", w)
				}
			}
		})
	}
}
