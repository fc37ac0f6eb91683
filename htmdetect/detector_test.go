package htmdetect

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/internal/shareddata"
	"github.com/dendritic/dendritic/nab"
)

// sharedNAB is the read-only NAB copy as seen from this package's directory.
var sharedNAB = shareddata.String("data", "nab")

// synthetic returns a daily sine sampled every 5 minutes with a level shift
// from row shift on (no shift if shift < 0).
func synthetic(n, shift int) *nab.Series {
	s := &nab.Series{}
	t0 := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		v := 50 + 20*math.Sin(2*math.Pi*float64(i)/288)
		if shift >= 0 && i >= shift {
			v += 60
		}
		s.Timestamps = append(s.Timestamps, t0.Add(time.Duration(i)*5*time.Minute))
		s.Values = append(s.Values, v)
	}
	return s
}

func runDetector(t *testing.T, p Params, s *nab.Series) []Output {
	t.Helper()
	d, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Output, s.Len())
	for i := range out {
		if out[i], err = d.Step(s.Timestamps[i], s.Values[i]); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
	}
	return out
}

// TestDeterministic: the same series gives identical outputs, bit for bit.
func TestDeterministic(t *testing.T) {
	s := synthetic(1500, -1)
	p := NumentaTMParams(slices.Min(s.Values), slices.Max(s.Values), nab.ProbationaryPeriod(s.Len()))
	a := runDetector(t, p, s)
	b := runDetector(t, p, s)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d: %+v then %+v", i, a[i], b[i])
		}
	}
	// The TM learns the daily cycle: the raw anomaly of the last day is
	// far below that of the first.
	mean := func(o []Output) float64 {
		m := 0.0
		for _, x := range o {
			m += x.Raw
		}
		return m / float64(len(o))
	}
	if first, last := mean(a[:288]), mean(a[len(a)-288:]); !(last < first/2) {
		t.Errorf("mean raw anomaly: first day %.3f, last day %.3f", first, last)
	}
}

// TestNumentaScoring checks the NAB scoring rules on the outputs: 0.5
// likelihood (score 0.0301) during the probationary period, scores in [0,1],
// and a score of 1 on a spatial anomaly.
func TestNumentaScoring(t *testing.T) {
	const n, shift = 1200, 1000
	s := synthetic(n, shift)
	P := nab.ProbationaryPeriod(n)
	p := NumentaTMParams(slices.Min(s.Values), slices.Max(s.Values), P)
	out := runDetector(t, p, s)
	for i, o := range out {
		if !(o.Score >= 0 && o.Score <= 1) || !(o.Raw >= 0 && o.Raw <= 1) {
			t.Fatalf("row %d: %+v", i, o)
		}
		if i < P && !o.Spatial && (o.Likelihood != 0.5 || math.Abs(o.Score-0.0301029996659) > 1e-12) {
			t.Fatalf("probationary row %d: %+v", i, o)
		}
		if o.Spatial && o.Score != 1 {
			t.Fatalf("row %d: spatial anomaly scores %v", i, o.Score)
		}
		if !o.Spatial && o.Score != anomaly.LogLikelihood(o.Likelihood) {
			t.Fatalf("row %d: score %v, log-likelihood %v", i, o.Score, anomaly.LogLikelihood(o.Likelihood))
		}
	}
	if !out[shift].Spatial {
		t.Errorf("the level shift at row %d is not a spatial anomaly: %+v", shift, out[shift])
	}
	if out[shift].Raw < 0.5 {
		t.Errorf("the level shift at row %d has raw anomaly %v", shift, out[shift].Raw)
	}
	// Without the rule the shift is scored by the likelihood alone.
	p.SpatialTolerance = -1
	for i, o := range runDetector(t, p, s) {
		if o.Spatial {
			t.Fatalf("row %d: spatial anomaly with the rule off", i)
		}
	}
}

func TestStepErrors(t *testing.T) {
	p := NumentaTMParams(0, 10, 100)
	d, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300} {
		if _, err := d.Step(now, v); !errors.Is(err, ErrInput) {
			t.Errorf("value %v: error %v, want ErrInput", v, err)
		}
	}
	if _, err := d.Step(now, 5); err != nil {
		t.Fatal(err)
	}
	if d.TemporalMemory().Iteration() != 1 {
		t.Errorf("rejected values reached the temporal memory: %d iterations", d.TemporalMemory().Iteration())
	}
}

func TestNewErrors(t *testing.T) {
	base := NumentaTMParams(0, 10, 100)
	for name, mod := range map[string]func(p *Params){
		"SP input size":     func(p *Params) { p.SP.InputDims = []int{400} },
		"TM columns":        func(p *Params) { p.TM.NumColumns = 1024 },
		"bad TM":            func(p *Params) { p.TM.ActivationThreshold = 0 },
		"bad RDSE":          func(p *Params) { p.Value.Resolution = -1 },
		"bad likelihood":    func(p *Params) { p.Likelihood.AveragingWindow = 0 },
		"time off, SP 454":  func(p *Params) { p.TimeOff = true },
		"spatial tolerance": func(p *Params) { p.SpatialTolerance = math.Inf(1) },
	} {
		p := base
		mod(&p)
		if _, err := New(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A constant file (min = max) is valid: the RDSE range becomes [min, min+1].
	if _, err := New(NumentaTMParams(3, 3, 10)); err != nil {
		t.Errorf("constant file: %v", err)
	}
}

func TestRegistry(t *testing.T) {
	// Importing htmdetect registers htm and htm-raw beside nab's own null and random.
	for _, want := range []string{"htm", "htm-raw", "numenta", "numenta-raw", "null", "random"} {
		if !slices.Contains(nab.DetectorNames(), want) {
			t.Errorf("DetectorNames() = %v lacks %q", nab.DetectorNames(), want)
		}
	}
	var unknown *nab.UnknownDetectorError
	if _, err := nab.Lookup("nope", 1); !errors.As(err, &unknown) {
		t.Errorf("unknown detector: err = %v, want *nab.UnknownDetectorError", err)
	}
	s := synthetic(400, 300)
	f := &nab.File{Name: "synthetic/a.csv", Series: s}
	final := map[string][]float64{}
	for _, name := range []string{"htm", "htm-raw", "null", "random"} {
		fac, err := nab.Lookup(name, 7)
		if err != nil {
			t.Fatal(err)
		}
		scores, err := nab.DetectSeries(context.Background(), f, fac, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		final[name] = scores
	}
	if slices.Max(final["null"]) != 0 {
		t.Error("null detector scored above 0")
	}
	if slices.Min(final["random"]) == slices.Max(final["random"]) {
		t.Error("random detector is constant")
	}
	p := NumentaTMParamsFor(f.Info())
	out := runDetector(t, p, s)
	for i, o := range out {
		if final["htm"][i] != o.Score || final["htm-raw"][i] != o.Raw {
			t.Fatalf("row %d: htm %v htm-raw %v, detector %+v", i, final["htm"][i], final["htm-raw"][i], o)
		}
	}
}

// TestNABFileDeterministic runs the head of a real NAB file twice.
func TestNABFileDeterministic(t *testing.T) {
	path := filepath.Join(sharedNAB, "data", "realKnownCause", "nyc_taxi.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("NAB data not found (expected %s): %v", path, err)
	}
	s, err := nab.ReadSeriesFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Timestamps, s.Values = s.Timestamps[:1000], s.Values[:1000]
	f := &nab.File{Name: "realKnownCause/nyc_taxi.csv", Series: s}
	fac, _ := nab.Lookup(NameHTM, 0)
	a, err := nab.DetectSeries(context.Background(), f, fac, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := nab.DetectSeries(context.Background(), f, fac, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, b) {
		t.Fatal("two runs of the same file differ")
	}
}

// TestSkipRepeats: a constant series feeds the temporal memory once, and
// its repeated steps have a raw anomaly of 0.
func TestSkipRepeats(t *testing.T) {
	s := synthetic(300, -1)
	for i := range s.Values {
		s.Values[i] = 5
		s.Timestamps[i] = s.Timestamps[0] // same time of day: identical inputs
	}
	p := NumentaTMParams(5, 5, 45)
	p.SkipRepeats = true
	d, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Len() {
		o, err := d.Step(s.Timestamps[i], s.Values[i])
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && o.Raw != 0 {
			t.Fatalf("row %d: raw %v", i, o.Raw)
		}
	}
	if it := d.TemporalMemory().Iteration(); it != 1 {
		t.Errorf("the temporal memory ran %d times, want 1", it)
	}
	// Without the option the standard TM keeps re-learning the repeat.
	p.SkipRepeats = false
	out := runDetector(t, p, s)
	bursts := 0
	for _, o := range out[1:] {
		if o.Raw == 1 {
			bursts++
		}
	}
	if bursts == 0 {
		t.Error("no full burst on a repeated input without SkipRepeats")
	}
}
