package spatial

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"testing"

	"github.com/dendritic/dendritic/htm/encoder"
)

// TestGolden pins the output of a learning run, as htm.core's hello
// benchmark pins its SDRs at step 5000, but on every architecture: sin(x)
// by the hello RDSE (no noise, so that only this package and the encoder
// are involved), 1000 learning steps of a default pooler. The checksums
// were computed by this implementation when the test was written; a change
// means the pooler's behaviour changed.
func TestGolden(t *testing.T) {
	enc, err := encoder.NewRDSE(encoder.RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sp := mustNew(t, DefaultParams([]int{1000}, []int{2048}))
	in, out := newSDR(t, 1000), newSDR(t, 2048)
	for i := range 1000 {
		if err := enc.Encode(math.Sin(0.01*float64(i)), in); err != nil {
			t.Fatal(err)
		}
		if err := sp.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
	}
	h := crc32.NewIEEE()
	for _, c := range out.Sparse() {
		_ = binary.Write(h, binary.LittleEndian, c)
	}
	active := h.Sum32()
	data, _ := sp.MarshalBinary()
	state := crc32.ChecksumIEEE(data)
	t.Logf("active %d columns, crc %#x; state crc %#x", out.Sum(), active, state)
	if out.Sum() != 102 || active != goldenActive || state != goldenState {
		t.Errorf("active %d columns, crc %#x, state crc %#x; want 102, %#x, %#x", out.Sum(), active, state, goldenActive, goldenState)
	}
}

const (
	goldenActive uint32 = 0x900f005c
	goldenState  uint32 = 0x2144df1c
)
