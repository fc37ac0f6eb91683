package spatial

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"path/filepath"
	"testing"

	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/internal/golden"
)

// TestGolden pins the output of a learning run, as htm.core's hello
// benchmark pins its SDRs at step 5000, but on every architecture: sin(x)
// by the hello RDSE (no noise, so that only this package and the encoder
// are involved), 1000 learning steps of a default pooler. The checksums
// were computed by this implementation when the test was written; a change
// means the pooler's behaviour changed.
//
// The expected values are in testdata/sp.golden (go test -run TestGolden
// -update rewrites it): the CRC-32 of the active columns of every block of
// 100 steps, the number and CRC of the active columns of the last step,
// the CRC of each part of the learned state (pools, permanences, boost
// factors, duty cycles, tie ranks: independent of the file format), and
// the CRC of the saved bytes. A failure names each value that changed.
func TestGolden(t *testing.T) {
	g := golden.Open(t, filepath.Join("testdata", "sp.golden"), *update)
	defer g.Close()
	enc, err := encoder.NewRDSE(encoder.RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sp := mustNew(t, DefaultParams([]int{1000}, []int{2048}))
	in, out := newSDR(t, 1000), newSDR(t, 2048)
	block := crc32.NewIEEE()
	for i := range 1000 {
		if err := enc.Encode(math.Sin(0.01*float64(i)), in); err != nil {
			t.Fatal(err)
		}
		if err := sp.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
		_ = binary.Write(block, binary.LittleEndian, out.Sparse())
		if (i+1)%100 == 0 {
			g.Checkf(fmt.Sprintf("active/steps-%d-%d", i-98, i+1), "%#x", block.Sum32())
			block.Reset()
		}
	}
	h := crc32.NewIEEE()
	for _, c := range out.Sparse() {
		_ = binary.Write(h, binary.LittleEndian, c)
	}
	active := h.Sum32()
	g.Checkf("active/last/count", "%d", out.Sum())
	g.Checkf("active/last/crc", "%#x", active)
	for _, part := range []struct {
		name string
		v    any
	}{
		{"potStart", sp.potStart}, {"potIdx", sp.potIdx}, {"perm", sp.perm}, {"boost", sp.boost},
		{"activeDuty", sp.activeDuty}, {"overlapDuty", sp.overlapDuty}, {"minOverlapDuty", sp.minOverlapDuty},
		{"tieRank", sp.tieRank}, {"counters", []uint64{sp.iteration, sp.learnIteration, uint64(sp.inhRadius)}},
	} {
		h.Reset()
		_ = binary.Write(h, binary.LittleEndian, part.v)
		g.Checkf("state/"+part.name, "%#x", h.Sum32())
	}
	data, _ := sp.MarshalBinary()
	state := crc32.ChecksumIEEE(data)
	g.Checkf("saved-bytes/crc", "%#x", state)
	t.Logf("active %d columns, crc %#x; state crc %#x", out.Sum(), active, state)
}
