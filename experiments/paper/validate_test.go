package paper

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// validRecord is an importance-sampled point as the simulator gives it.
func validRecord() Record {
	return Record{Key: "F6|fn|importance|n=6000 a=128 s=30 theta=8 noise=32", Figure: "F6", Kind: KindFN, Method: MethodImportance,
		Params: theory.Args{}.With(theory.ParamN, 6000).With(theory.ParamA, 128).With(theory.ParamS, 30).With(theory.ParamTheta, 8).With(theory.ParamNoise, 32), Samples: 1e4, Seed: 7,
		Result: SimPoint{Samples: 1e4, Hits: 5000, Estimate: 1e-9, SE: 2e-11, CI95: [2]float64{0.96e-9, 1.04e-9}}}
}

// TestRecordValidated: edited points.jsonl records whose results no
// simulation can give are refused when read (before, a standard error of
// 1e-308 was accepted and the summary printed a 309-digit max |z|).
func TestRecordValidated(t *testing.T) {
	direct := Record{Key: "F5|fp|direct|n=300 a=64 s=24 theta=12", Figure: "F5", Kind: KindFP, Method: MethodDirect,
		Params: theory.Args{}.With(theory.ParamN, 300).With(theory.ParamA, 64).With(theory.ParamS, 24).With(theory.ParamTheta, 12), Samples: 100, Seed: 1,
		Result: SimPoint{Samples: 128, Hits: 3, Estimate: 3.0 / 128, SE: 0.013, CI95: [2]float64{0.008, 0.066}, DesignEffect: 1}}
	for name, c := range map[string]struct {
		base Record
		edit func(*SimPoint)
	}{
		"tiny se":           {validRecord(), func(sp *SimPoint) { sp.SE = 1e-308 }},
		"nan se":            {validRecord(), func(sp *SimPoint) { sp.SE = math.NaN() }},
		"negative estimate": {validRecord(), func(sp *SimPoint) { sp.Estimate = -1e-9 }},
		"hits > samples":    {validRecord(), func(sp *SimPoint) { sp.Hits = sp.Samples + 1 }},
		"fewer drawn":       {validRecord(), func(sp *SimPoint) { sp.Samples = 10 }},
		"interval reversed": {validRecord(), func(sp *SimPoint) { sp.CI95 = [2]float64{2e-9, 1e-9} }},
		"interval infinite": {direct, func(sp *SimPoint) { sp.CI95[1] = math.Inf(1) }},
		"estimate ≠ h/n":    {direct, func(sp *SimPoint) { sp.Estimate = 0.5 }},
		"design effect":     {direct, func(sp *SimPoint) { sp.DesignEffect = -2 }},
	} {
		for _, ok := range []bool{true, false} {
			r := c.base
			if !ok {
				c.edit(&r.Result)
			}
			line, err := r.MarshalLine()
			if err != nil {
				t.Fatal(err)
			}
			var back Record
			err = json.Unmarshal(line, &back)
			if ok && err != nil {
				t.Errorf("%s: the unedited record is refused: %v", name, err)
			}
			if !ok && (err == nil || !strings.Contains(err.Error(), "invalid result")) {
				t.Errorf("%s: edited record: %v, want a refusal", name, err)
			}
		}
	}
}

// TestJSONFloatSpecials: NaN and ±Inf survive the points file's JSON.
func TestJSONFloatSpecials(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 5e-324} {
		b, err := json.Marshal(jsonFloat(x))
		if err != nil {
			t.Fatal(err)
		}
		var y jsonFloat
		if err := json.Unmarshal(b, &y); err != nil || math.Float64bits(float64(y)) != math.Float64bits(x) && !(math.IsNaN(x) && math.IsNaN(float64(y))) {
			t.Errorf("%v → %s → %v (%v)", x, b, float64(y), err)
		}
	}
}

// FuzzReadPoints: the reader of points.jsonl (used by a resumed paper run
// and by merge) never panics, and what it accepts writes back to records
// it accepts again, with the same results.
func FuzzReadPoints(f *testing.F) {
	h, _ := NewPointsHeader(Options{Samples: 100, Seed: 9}).MarshalLine()
	rec, _ := validRecord().MarshalLine()
	f.Add(append(append([]byte{}, h...), rec...))
	f.Add(append(append([]byte{}, h...), rec[:len(rec)/2]...))
	f.Add(h)
	f.Add([]byte("{\"format\":"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		p, err := ReadPoints(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range p.Records {
			line, err := r.MarshalLine()
			if err != nil {
				t.Fatalf("accepted record does not marshal: %v", err)
			}
			var back Record
			if err := json.Unmarshal(line, &back); err != nil {
				t.Fatalf("accepted record refused after a round trip: %v", err)
			}
			again, _ := back.MarshalLine()
			if !bytes.Equal(line, again) {
				t.Fatalf("round trip changed %s into %s", line, again)
			}
		}
	})
}
