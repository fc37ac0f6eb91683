package taxi

import (
	"math"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/htm/spatial"
)

func TestForecastMetrics(t *testing.T) {
	if got := Std([]float64{2, 4, 4, 4, 5, 5, 7, 9}); got != 2 {
		t.Errorf("Std = %v, want 2 (population)", got)
	}
	if !math.IsNaN(Std(nil)) || !math.IsNaN(RMSE([]float64{1}, nil)) || !math.IsNaN(RMSE(nil, nil)) {
		t.Error("empty or unequal inputs must give NaN")
	}
	if got := RMSE([]float64{1, 2, 3}, []float64{1, 4, 3}); math.Abs(got-math.Sqrt(4.0/3)) > 1e-15 {
		t.Errorf("RMSE = %v", got)
	}
	// Σ|p−t|/Σ|t|: (1 + 2)/(10 + 20), finite even with a truth of 0.
	if got, err := MAPE([]float64{11, 18, 1}, []float64{10, 20, 0}); err != nil || math.Abs(got-4.0/30) > 1e-15 {
		t.Errorf("MAPE = %v, %v", got, err)
	}
	if _, err := MAPE([]float64{1}, []float64{0}); err == nil {
		t.Error("MAPE with all-zero truth accepted")
	}
	if _, err := MAPE([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("MAPE of unequal lengths accepted")
	}
}

func TestEvaluateForecast(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	// pred[t] = x[t+2] exactly: zero error without wrap.
	pred := []float64{3, 4, 5, 6, 7, 8, 0, 0}
	s, err := EvaluateForecast(x, pred, 2, 1, false)
	if err != nil || s.NRMSE != 0 || s.MAPE != 0 || s.N != 5 {
		t.Errorf("exact: %+v, %v", s, err)
	}
	// With wrap the last two steps are scored against x[0], x[1] (np.roll).
	s, err = EvaluateForecast(x, pred, 2, 1, true)
	wantRMSE := math.Sqrt((1.0 + 4.0) / 7)
	if err != nil || s.N != 7 || math.Abs(s.NRMSE-wantRMSE/Std(x)) > 1e-15 || math.Abs(s.MAPE-3.0/(3+4+5+6+7+8+1+2-3)) > 1e-15 {
		t.Errorf("wrap: %+v, %v (want NRMSE %v)", s, err, wantRMSE/Std(x))
	}
	// The shift baseline pred = x.
	s, _ = EvaluateForecast(x, x, 2, 0, false)
	if math.Abs(s.NRMSE-2/Std(x)) > 1e-15 || math.Abs(s.MAPE-12.0/33) > 1e-15 {
		t.Errorf("shift: %+v", s)
	}
	for name, tc := range map[string]struct {
		x, p       []float64
		h, skip    int
		wrap       bool
		wantSubstr string
	}{
		"lengths":  {x, x[:3], 1, 0, false, "3 predictions for 8 values"},
		"nan":      {x, []float64{1, math.NaN(), 1, 1, 1, 1, 1, 1}, 1, 0, false, "prediction 1 is NaN"},
		"skip":     {x, x, 2, 6, false, "nothing to evaluate"},
		"negative": {x, x, -1, 0, false, "negative horizon"},
		"constant": {[]float64{3, 3, 3}, []float64{3, 3, 3}, 1, 0, false, "constant"},
	} {
		if _, err := EvaluateForecast(tc.x, tc.p, tc.h, tc.skip, tc.wrap); err == nil || !strings.Contains(err.Error(), tc.wantSubstr) {
			t.Errorf("%s: error %v, want %q", name, err, tc.wantSubstr)
		}
	}
}

// TestForecaster learns a clean daily cycle of the taxi model's encoders and
// is deterministic.
func TestForecaster(t *testing.T) {
	run := func() []float64 {
		f, err := NewForecaster(DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for i := range 48 * 6 {
			v := 15000 + 10000*math.Sin(2*math.Pi*float64(i)/48)
			p, raw, err := f.Step(v, float64(i%48*30), float64(i/48%7))
			if err != nil {
				t.Fatal(err)
			}
			if raw < 0 || raw > 1 {
				t.Fatalf("raw %v", raw)
			}
			out = append(out, p)
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			t.Fatalf("step %d: %v then %v", i, a[i], b[i])
		}
	}
	if !math.IsNaN(a[0]) {
		t.Errorf("first prediction %v, want NaN (nothing learned)", a[0])
	}
	x := make([]float64, len(a))
	for i := range x {
		x[i] = 15000 + 10000*math.Sin(2*math.Pi*float64(i)/48)
	}
	s, err := EvaluateForecast(x, a, 5, 48*5, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.NRMSE > 0.2 {
		t.Errorf("NRMSE on the last day of a clean cycle: %v", s.NRMSE)
	}
	p := DefaultParams()
	p.Value.Periodic = true
	if _, err := NewForecaster(p); err == nil {
		t.Error("periodic value encoder accepted")
	}
	p = DefaultParams()
	p.DayOfWeek.ActiveBits = 0
	if _, err := NewForecaster(p); err == nil {
		t.Error("encoder/pooler size mismatch accepted")
	}
	f, _ := NewForecaster(DefaultParams())
	if _, _, err := f.Step(math.NaN(), 0, 0); err == nil {
		t.Error("NaN value accepted")
	}
}

func TestMergeSorted(t *testing.T) {
	for _, tc := range []struct{ a, b, want []uint32 }{
		{nil, nil, nil},
		{[]uint32{1, 3}, nil, []uint32{1, 3}},
		{nil, []uint32{2}, []uint32{2}},
		{[]uint32{1, 3, 5, 9}, []uint32{2, 3, 9, 10}, []uint32{1, 2, 3, 5, 9, 10}},
	} {
		got := mergeSorted([]uint32{7}, tc.a, tc.b)
		if len(got) != len(tc.want)+1 || got[0] != 7 {
			t.Fatalf("%v ∪ %v = %v (prefix lost)", tc.a, tc.b, got)
		}
		for i, v := range tc.want {
			if got[i+1] != v {
				t.Fatalf("%v ∪ %v = %v, want %v", tc.a, tc.b, got[1:], tc.want)
			}
		}
	}
}

// TestTaxiParamsChoices pins the two choices DefaultParams documents,
// and checks that a forecaster runs with either predictor input.
func TestTaxiParamsChoices(t *testing.T) {
	p := DefaultParams()
	if p.SP.InitPermanence != spatial.InitUniform || !p.PredictiveCells {
		t.Fatalf("InitPermanence %v, PredictiveCells %v", p.SP.InitPermanence, p.PredictiveCells)
	}
	for _, pc := range []bool{false, true} {
		p.PredictiveCells = pc
		f, err := NewForecaster(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 48 * 3 {
			v := 15000 + 10000*math.Sin(2*math.Pi*float64(i)/48)
			if _, _, err := f.Step(v, float64(i%48*30), float64(i/48%7)); err != nil {
				t.Fatal(err)
			}
		}
	}
}
