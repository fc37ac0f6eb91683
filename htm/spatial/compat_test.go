package spatial

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
	"github.com/dendritic/dendritic/sdr"
)

var update = flag.Bool("update", false, "rewrite the golden files and the current-version fixtures under testdata/")

// compatFixtures are saved poolers kept under testdata/, one per format
// version and layout this package has written; each was written by the
// code of its version and is never rewritten by a later one (-update
// rewrites only the fixtures of the version written now). build makes the
// pooler the file was saved from.
var compatFixtures = []struct {
	file    string
	version uint16
	build   func(t testing.TB) *SpatialPooler
}{
	{"sp-v1-global.bin", 1, globalFixture},
	// Local inhibition on a 2-D topology, InitUniform.
	{"sp-v1-local.bin", 1, localFixture},
	{"sp-v2-global.bin", 2, globalFixture},
	{"sp-v2-local.bin", 2, localFixture},
}

// globalFixture has global inhibition, boosting, InitNearThreshold.
func globalFixture(t testing.TB) *SpatialPooler { return trained(t, codecParams()[1], 60, 0.15) }

// localFixture has local inhibition on a 2-D topology, InitUniform.
func localFixture(t testing.TB) *SpatialPooler {
	p := codecParams()[2]
	p.InitPermanence = InitUniform
	return trained(t, p, 60, 0.15)
}

// continueDigest runs s for 80 more steps on fixed random inputs, learning
// on two steps of three, and returns the digest of the active columns of
// every step and of the boost factors and duty cycles at the end.
func continueDigest(t testing.TB, s *SpatialPooler) string {
	r := rand.New(rand.NewPCG(21, 22))
	in, _ := sdr.New(s.p.InputDims...)
	out, _ := sdr.New(s.p.ColumnDims...)
	h := sha256.New()
	for step := range 80 {
		_ = in.Randomize(0.15, r)
		if err := s.Compute(in, step%3 != 0, out); err != nil {
			t.Fatal(err)
		}
		_ = binary.Write(h, binary.LittleEndian, out.Sparse())
	}
	for _, v := range [][]float64{s.BoostFactors(), s.ActiveDutyCycles(), s.OverlapDutyCycles()} {
		for _, x := range v {
			_ = binary.Write(h, binary.LittleEndian, math.Float64bits(x))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestCompatFixtures loads every saved fixture and checks that it holds the
// pooler it was saved from: the same encoding as the rebuilt pooler, and
// the same outputs and learned state over further steps as recorded when
// the fixture was written.
func TestCompatFixtures(t *testing.T) {
	fixtures := make([]golden.SavedFixture, len(compatFixtures))
	for i, fx := range compatFixtures {
		fixtures[i] = golden.SavedFixture{File: fx.file, Version: fx.version}
	}
	encode := func(i int) []byte {
		enc, err := compatFixtures[i].build(t).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return enc
	}
	golden.CheckFixtures(t, *update, fixtures, encode, func(g *golden.File, i int, data, enc []byte) {
		name := fixtures[i].File
		var got SpatialPooler
		if err := got.UnmarshalBinary(data); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		checkInvariants(t, &got)
		if again, _ := got.MarshalBinary(); !bytes.Equal(again, enc) {
			t.Errorf("%s: the loaded pooler encodes differently from the rebuilt one", name)
		}
		g.Check(name+"/continue", continueDigest(t, &got))
	})
}
