package btm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden.json from the current behaviour")

const goldenFile = "testdata/golden.json"

// goldenChunk is the number of steps each recorded digest covers.
const goldenChunk = 500

// goldenComponents names the outputs digested separately, so that a
// failure says what changed.
var goldenComponents = []string{"active", "predictive", "confidence", "anomaly", "learning", "store", "state"}

// goldenRecord is one case's recorded behaviour: per chunk of steps, a
// digest per component, and summary numbers for the failure message.
type goldenRecord struct {
	Chunks      []map[string]string `json:"chunks"`
	Segments    int                 `json:"segments"`
	Synapses    int                 `json:"synapses"`
	MeanAnomaly float64             `json:"meanAnomaly"`
}

var goldenCases = []struct {
	name   string
	params func() Params
	steps  int
}{
	{"nab-512", func() Params { p := NABParams(); p.NumberOfCols = 512; return p }, 1500},
	{"small-fixed", smallParams, 2000},
	{"default-decay", func() Params {
		p := DefaultParams()
		p.NumberOfCols, p.CellsPerColumn, p.MaxAge = 256, 6, 60
		p.NewSynapseCount, p.ActivationThreshold, p.MinThreshold = 20, 13, 10
		return p
	}, 1500},
}

func hashCells(h hash.Hash, x []uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(len(x)))
	h.Write(b[:])
	for _, v := range x {
		binary.LittleEndian.PutUint32(b[:], v)
		h.Write(b[:])
	}
}

func hashFloats(h hash.Hash, x []float64) {
	var b [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
}

func runGolden(t *testing.T, params Params, steps int) goldenRecord {
	tm := mustNew(t, params)
	m := newMixedStream(0x601d, params.NumberOfCols)
	hs := map[string]hash.Hash{}
	var rec goldenRecord
	reset := func() {
		for _, c := range goldenComponents {
			hs[c] = sha256.New()
		}
	}
	reset()
	sum := 0.0
	for i := range steps {
		cols, learn, rs := m.next(i)
		if rs {
			tm.Reset()
		}
		compute(t, tm, cols, learn)
		sum += tm.Anomaly()
		hashCells(hs["active"], tm.ActiveCells())
		hashCells(hs["predictive"], tm.PredictiveCells())
		c, v := tm.ColumnConfidences()
		hashCells(hs["confidence"], c)
		hashFloats(hs["confidence"], v)
		c, v = tm.CellConfidences()
		hashCells(hs["confidence"], c)
		hashFloats(hs["confidence"], v)
		hashFloats(hs["anomaly"], []float64{tm.Anomaly()})
		hashCells(hs["learning"], tm.LearnActiveCells())
		hashCells(hs["learning"], tm.LearnPredictedCells())
		hashCells(hs["store"], []uint32{uint32(tm.NumSegments()), uint32(tm.NumSynapses())})
		if (i+1)%goldenChunk == 0 || i+1 == steps {
			hs["state"].Write(encode(t, tm))
			chunk := map[string]string{}
			for _, c := range goldenComponents {
				chunk[c] = hex.EncodeToString(hs[c].Sum(nil))
			}
			rec.Chunks = append(rec.Chunks, chunk)
			reset()
		}
	}
	rec.Segments, rec.Synapses, rec.MeanAnomaly = tm.NumSegments(), tm.NumSynapses(), sum/float64(steps)
	return rec
}

// diffGolden describes how got differs from want: the first chunk of
// steps with a changed digest, which components changed there, and the
// summary numbers.
func diffGolden(want, got goldenRecord) string {
	if len(want.Chunks) != len(got.Chunks) {
		return fmt.Sprintf("%d chunks recorded, %d now", len(want.Chunks), len(got.Chunks))
	}
	for i := range want.Chunks {
		var changed []string
		for _, c := range goldenComponents {
			if want.Chunks[i][c] != got.Chunks[i][c] {
				changed = append(changed, c)
			}
		}
		if len(changed) > 0 {
			return fmt.Sprintf("first change in steps %d..%d: %s; at the end segments %d → %d, synapses %d → %d, mean anomaly %.6f → %.6f",
				i*goldenChunk+1, (i+1)*goldenChunk, strings.Join(changed, ", "),
				want.Segments, got.Segments, want.Synapses, got.Synapses, want.MeanAnomaly, got.MeanAnomaly)
		}
	}
	if want.Segments != got.Segments || want.Synapses != got.Synapses || want.MeanAnomaly != got.MeanAnomaly {
		return "summary numbers differ"
	}
	return ""
}

// TestGolden pins the exact behaviour on three fixed runs of the mixed
// stream (NAB's parameters on 512 columns; a small fixed-size TM with
// tight caps, i.e. eviction and synapse freeing; NuPIC's defaults with
// global decay every 60 steps), digesting every output at every step and
// the full state every 500 steps. The digests in testdata/golden.json
// were produced by this implementation (no external reference); a change
// of behaviour, however small, fails with what changed. After an
// intended change: go test ./btm -run Golden -update.
func TestGolden(t *testing.T) {
	recorded := map[string]goldenRecord{}
	if b, err := os.ReadFile(goldenFile); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", goldenFile, err)
		}
	} else if !*updateGolden {
		t.Fatalf("%s missing: run go test ./btm -run Golden -update", goldenFile)
	}
	now := map[string]goldenRecord{}
	for _, c := range goldenCases {
		got := runGolden(t, c.params(), c.steps)
		now[c.name] = got
		if *updateGolden {
			continue
		}
		want, ok := recorded[c.name]
		if !ok {
			t.Errorf("%s: not recorded", c.name)
			continue
		}
		if d := diffGolden(want, got); d != "" {
			t.Errorf("%s: behaviour changed: %s", c.name, d)
		}
	}
	if *updateGolden {
		b, err := json.MarshalIndent(now, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenFile)
	}
}
