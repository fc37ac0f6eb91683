package htm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"testing"

	"github.com/dendritic/dendritic/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files and the current-version fixtures under testdata/")

// compatFixture is a saved TemporalMemory kept under testdata/ so that every
// format version this package has written stays readable. build makes the
// model the file was saved from (deterministically); the file itself was
// written by the code of its version and is never rewritten by a later
// one (-update rewrites only the fixtures of the version written now).
type compatFixture struct {
	file    string
	version uint16
	build   func(t testing.TB) *TemporalMemory
}

// tinyTrained is the tiny TM of trainedEncoding (64 columns × 4 cells,
// 40 mixed steps).
func tinyTrained(t testing.TB) *TemporalMemory {
	tm := new(TemporalMemory)
	if err := tm.UnmarshalBinary(trainedEncoding(t)); err != nil {
		t.Fatal(err)
	}
	return tm
}

// tinyLesioned is tinyTrained with every fifth cell killed (version 2 of
// the format stores the dead cells).
func tinyLesioned(t testing.TB) *TemporalMemory {
	tm := tinyTrained(t)
	var dead []uint32
	for c := uint32(0); c < uint32(tm.NumCells()); c += 5 {
		dead = append(dead, c)
	}
	if _, _, err := tm.KillCells(dead); err != nil {
		t.Fatal(err)
	}
	return tm
}

var compatFixtures = []compatFixture{
	{"tm-v1.bin", 1, tinyTrained},
	{"tm-v2.bin", 2, tinyLesioned},
	{"tm-v3.bin", 3, tinyTrained},
	{"tm-v3-dead.bin", 3, tinyLesioned},
}

// continueDigest runs tm for 120 more steps of a fixed mixed stream (resets
// and learning-off steps included) and returns the digest of every output.
func continueDigest(t testing.TB, tm *TemporalMemory) string {
	in := newMixedInput(77, tm.p.NumColumns, 20)
	h := sha256.New()
	var sc outputHasher
	for i := range 120 {
		x, learn, reset := in.next(i)
		if reset {
			tm.Reset()
		}
		compute(t, tm, x, learn)
		sc.hash(h, tm)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestCompatFixtures loads every saved fixture and checks that the model
// it holds is the model it was saved from, in state (outputs right after
// loading, and the same encoding as the rebuilt model) and in behaviour
// (the digest of 120 further steps, recorded when the fixture was written).
func TestCompatFixtures(t *testing.T) {
	var fixtures []golden.SavedFixture
	var models []*TemporalMemory
	for _, fx := range compatFixtures {
		fixtures = append(fixtures, golden.SavedFixture{File: fx.file, Version: fx.version})
		models = append(models, fx.build(t))
	}
	encode := func(i int) []byte {
		enc, err := models[i].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return enc
	}
	golden.CheckFixtures(t, *update, fixtures, encode, func(g *golden.File, i int, data, enc []byte) {
		name, want := fixtures[i].File, models[i]
		got, err := Load(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if !snapshot(got).equal(snapshot(want)) || got.Iteration() != want.Iteration() {
			t.Errorf("%s: outputs right after loading differ from the rebuilt model's", name)
		}
		if again, _ := got.MarshalBinary(); !bytes.Equal(again, enc) {
			t.Errorf("%s: the loaded model encodes differently from the rebuilt one", name)
		}
		if err := got.Connections().CheckInvariants(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		g.Check(name+"/continue", continueDigest(t, got))
	})
}
