package htmdetect

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/btm"
	"github.com/dendritic/dendritic/nab"
)

// tinyParams is a small pipeline (60-bit RDSE, 54-bit date, 128 columns)
// for the fuzz seeds: its encodings are a few tens of kilobytes, so the
// fuzzer can mutate them quickly.
func tinyParams(lo, hi float64) Params {
	p := NumentaTMParams(lo, hi, 40)
	p.Value.Size, p.Value.ActiveBits = 60, 7
	p.SP = NumentaSpatialParams(p.inputSize())
	p.SP.ColumnDims = []int{128}
	p.SP.NumActiveColumnsPerInhArea = 8
	p.TM.NumColumns, p.TM.CellsPerColumn = 128, 4
	p.TM.ActivationThreshold, p.TM.MinThreshold, p.TM.MaxNewSynapseCount = 3, 2, 6
	return p
}

// checkContinue runs a detector over s, saves it after every cut rows,
// decodes the copy and checks that the copy's outputs on the next rows
// are bit-identical to the original's and that re-encoding the copy gives
// the same bytes.
func checkContinue(t *testing.T, mk func() (*Detector, error), s *nab.Series, cuts []int, ahead int) {
	t.Helper()
	for _, cut := range cuts {
		a, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		for i := range cut {
			if _, err := a.Step(s.Timestamps[i], s.Values[i]); err != nil {
				t.Fatal(err)
			}
		}
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		c, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		if b2, _ := c.MarshalBinary(); !bytes.Equal(b, b2) {
			t.Fatalf("cut %d: re-encoding differs", cut)
		}
		for i := cut; i < cut+ahead; i++ {
			x, err1 := a.Step(s.Timestamps[i], s.Values[i])
			y, err2 := c.Step(s.Timestamps[i], s.Values[i])
			if err1 != nil || err2 != nil || !sameOutput(x, y) {
				t.Fatalf("cut %d, row %d: %+v (%v) vs %+v (%v)", cut, i, x, err1, y, err2)
			}
		}
	}
}

func sameOutput(x, y Output) bool {
	b := math.Float64bits
	return b(x.Raw) == b(y.Raw) && b(x.Likelihood) == b(y.Likelihood) && b(x.LogLikelihood) == b(y.LogLikelihood) &&
		x.Spatial == y.Spatial && b(x.Score) == b(y.Score)
}

// TestSaveLoadContinue: the htm detector (NAB preset, probation 100 so that
// the likelihood has fitted by the later cuts) saved at 0, 1, 150 and 320
// rows continues bit for bit; so do the numenta detector and a detector
// with the time encoder off, the spatial rule off and repeats skipped.
func TestSaveLoadContinue(t *testing.T) {
	s := synthetic(500, 400)
	lo, hi := slices.Min(s.Values), slices.Max(s.Values)
	cuts, ahead := []int{0, 1, 150, 320}, 100
	if testing.Short() {
		cuts, ahead = []int{0, 150}, 40
	}
	t.Run("htm", func(t *testing.T) {
		checkContinue(t, func() (*Detector, error) { return New(NumentaTMParams(lo, hi, 100)) }, s, cuts, ahead)
	})
	t.Run("numenta", func(t *testing.T) {
		checkContinue(t, func() (*Detector, error) { return NewNumenta(NumentaParams(lo, hi, 100), btm.NABParams()) }, s, cuts, ahead)
	})
	t.Run("options", func(t *testing.T) {
		p := tinyParams(lo, hi)
		p.TimeOff, p.SpatialTolerance, p.SkipRepeats = true, -1, true
		p.SP = NumentaSpatialParams(p.inputSize())
		p.SP.ColumnDims, p.SP.NumActiveColumnsPerInhArea = []int{128}, 8
		checkContinue(t, func() (*Detector, error) { return New(p) }, s, []int{0, 200}, 100)
	})
}

// TestRegistryLoad: the registry's Load of each htmdetect detector restores
// a detector that scores like the saved one.
func TestRegistryLoad(t *testing.T) {
	s := synthetic(120, -1)
	info := nab.FileInfo{Name: "x", Rows: s.Len(), Probation: 20, Min: slices.Min(s.Values), Max: slices.Max(s.Values)}
	for _, name := range []string{NameHTM, NameHTMRaw, NameNumenta, NameNumentaRaw} {
		f, err := nab.Lookup(name, 0)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := f(info)
		for i := range 60 {
			_, _ = a.Score(s.Timestamps[i], s.Values[i])
		}
		b, err := a.(interface{ MarshalBinary() ([]byte, error) }).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		load, _ := nab.LookupLoad(name)
		c, err := load(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := 60; i < s.Len(); i++ {
			x, _ := a.Score(s.Timestamps[i], s.Values[i])
			y, _ := c.Score(s.Timestamps[i], s.Values[i])
			if math.Float64bits(x) != math.Float64bits(y) {
				t.Fatalf("%s row %d: %v vs %v", name, i, x, y)
			}
		}
	}
}

// TestUnmarshalRefuses: a truncated encoding, a flipped byte (checksum) and
// a well-formed frame whose encoder disagrees with the pooler are refused.
func TestUnmarshalRefuses(t *testing.T) {
	d, err := New(tinyParams(0, 10))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.MarshalBinary()
	for name, bad := range map[string][]byte{
		"truncated": b[:len(b)-1],
		"flipped":   append(append([]byte(nil), b[:100]...), append([]byte{b[100] ^ 1}, b[101:]...)...),
		"empty":     nil,
	} {
		if _, err := Unmarshal(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := tinyParams(0, 10)
	p.Value.Size = 61 // one bit more than the pooler's input
	d.p.Value = p.Value
	b, _ = d.MarshalBinary()
	if _, err := Unmarshal(b); !errors.Is(err, ErrCorrupt) {
		t.Errorf("encoder wider than the pooler's input: %v", err)
	}
}

// FuzzUnmarshal: the decoder never panics; what it accepts re-encodes to
// the same bytes and steps.
func FuzzUnmarshal(f *testing.F) {
	s := synthetic(30, -1)
	d, err := New(tinyParams(0, 100))
	if err != nil {
		f.Fatal(err)
	}
	for i := range 30 {
		if i%10 == 0 {
			b, _ := d.MarshalBinary()
			f.Add(b)
		}
		_, _ = d.Step(s.Timestamps[i], s.Values[i])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Unmarshal(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		if b, _ := d.MarshalBinary(); !bytes.Equal(b, data) {
			t.Fatal("accepted encoding is not canonical")
		}
		_, _ = d.Step(s.Timestamps[0], 1)
	})
}

// TestDetectorsSerial: a detector's pooler and temporal memory step on one
// goroutine (detectorWorkers), whether made by New, NewNumenta or
// Unmarshal: their libraries default to two for poolers of 512
// columns or more (NumentaTMParams has 2048), which would make detectors
// run side by side wait for each other's helpers.
func TestDetectorsSerial(t *testing.T) {
	for name, mk := range map[string]func() (*Detector, error){
		"htm":     func() (*Detector, error) { return New(NumentaTMParams(0, 1, 100)) },
		"numenta": func() (*Detector, error) { return NewNumenta(NumentaParams(0, 1, 100), btm.NABParams()) },
	} {
		d, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unmarshal(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []*Detector{d, back} {
			if w := x.sp.Workers(); w != 1 {
				t.Errorf("%s: spatial pooler of %d columns uses %d workers, want 1", name, x.sp.NumColumns(), w)
			}
			if x.tm != nil && x.tm.Workers() != 1 {
				t.Errorf("%s: temporal memory uses %d workers, want 1", name, x.tm.Workers())
			}
		}
	}
}
