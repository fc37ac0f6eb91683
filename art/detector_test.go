package art

import (
	"errors"
	"math"
	"testing"
)

func basic() Params {
	return Params{Min: 0, Max: 10, Block: 2, Window: 2, Vigilance: 0.9, Choice: 0.001, Learning: 1}
}

// TestInputIsBlockMeans: with Block 2 and Window 2 over [0, 10], the rows
// 0, 2, 4, 6 scale to 0, 0.2, 0.4, 0.6; the fourth row completes the first
// input, the block means (0.1, 0.5), which becomes category 0's weights
// (0.1, 0.5, 0.9, 0.5). The three rows before have no input: novelty 0.
func TestInputIsBlockMeans(t *testing.T) {
	d, err := New(basic())
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{0, 2, 4, 6} {
		o, err := d.Step(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]float64{true: 1, false: 0}[i == 3]; o.Novelty != want || o.Score != want {
			t.Errorf("row %d: %+v, want novelty and score %v", i, o, want)
		}
	}
	if d.Network().Categories() != 1 {
		t.Fatalf("%d categories, want 1", d.Network().Categories())
	}
	for k, want := range []float64{0.1, 0.5, 0.9, 0.5} {
		if got := d.Network().Weights(0)[k]; !near(got, want) {
			t.Errorf("weights %v, want [0.1 0.5 0.9 0.5]", d.Network().Weights(0))
			break
		}
	}
	// The next row, 8 (0.8): blocks (0.2, 0.4) and (0.6, 0.8) give
	// (0.3, 0.7), I = (0.3, 0.7, 0.7, 0.3); I ∧ w_0 = (0.1, 0.5, 0.7, 0.3),
	// 1.6, match 0.8 < 0.9: a new category, novelty (2 − 1.6)/2 = 0.2.
	o, err := d.Step(8)
	if err != nil {
		t.Fatal(err)
	}
	if !near(o.Novelty, 0.2) || d.Network().Categories() != 2 {
		t.Errorf("row 4: %+v with %d categories, want novelty 0.2 and 2", o, d.Network().Categories())
	}
}

// TestCreatedSignal: with Created the signal is 1 exactly on the rows whose
// input created a category: rows 3 and 4 (TestInputIsBlockMeans), not
// row 11, whose last four rows repeat rows 0-3 and so input (0.1, 0.5),
// inside category 0's box; and the ones add up to the categories.
func TestCreatedSignal(t *testing.T) {
	p := basic()
	p.Created = true
	d, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	ones := 0.0
	for i, v := range []float64{0, 2, 4, 6, 8, 0, 2, 4, 0, 2, 4, 6} {
		o, err := d.Step(v)
		if err != nil {
			t.Fatal(err)
		}
		if o.Score != 0 && o.Score != 1 {
			t.Fatalf("row %d: score %v, want 0 or 1", i, o.Score)
		}
		switch i {
		case 0, 1, 2, 11:
			if o.Score != 0 {
				t.Errorf("row %d: score %v, want 0", i, o.Score)
			}
		case 3, 4:
			if o.Score != 1 {
				t.Errorf("row %d: score %v, want 1", i, o.Score)
			}
		}
		ones += o.Score
	}
	if int(ones) != d.Network().Categories() {
		t.Errorf("%v rows created, %d categories", ones, d.Network().Categories())
	}
}

func TestRangeEdges(t *testing.T) {
	p := basic()
	p.Min, p.Max = 3, 3
	d, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{3, -1e300, 1e300, 3} {
		if _, err := d.Step(v); err != nil {
			t.Fatal(err)
		}
	}
	// Min = Max: every value is 0.5, so the input is (0.5, 0.5).
	if w := d.Network().Weights(0); !near(w[0], 0.5) || !near(w[1], 0.5) {
		t.Errorf("weights %v, want 0.5 everywhere", w)
	}
	q := basic()
	d, err = New(q)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{-5, -5, 50, 50} { // clamped to 0, 0, 1, 1
		if _, err := d.Step(v); err != nil {
			t.Fatal(err)
		}
	}
	if w := d.Network().Weights(0); !near(w[0], 0) || !near(w[1], 1) {
		t.Errorf("weights %v, want the clamped block means (0, 1)", w)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := d.Step(v); !errors.Is(err, ErrInput) {
			t.Errorf("Step(%v): %v, want ErrInput", v, err)
		}
	}
}

func TestParamsRejected(t *testing.T) {
	for name, edit := range map[string]func(*Params){
		"NaN min":        func(p *Params) { p.Min = math.NaN() },
		"max < min":      func(p *Params) { p.Max = -1 },
		"huge range":     func(p *Params) { p.Min, p.Max = -math.MaxFloat64, math.MaxFloat64 },
		"block 0":        func(p *Params) { p.Block = 0 },
		"window 0":       func(p *Params) { p.Window = 0 },
		"window huge":    func(p *Params) { p.Window = 1 << 20 },
		"vigilance":      func(p *Params) { p.Vigilance = 2 },
		"vigilances":     func(p *Params) { p.Vigilances = []float64{0.5, -1} },
		"two signals":    func(p *Params) { p.Vigilances, p.Created = []float64{0.5}, true },
		"tolerance":      func(p *Params) { p.SpatialTolerance = math.Inf(1) },
		"learning 0":     func(p *Params) { p.Learning = 0 },
		"negative bound": func(p *Params) { p.MaxCategories = -2 },
	} {
		p := basic()
		edit(&p)
		if _, err := New(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestLikelihoodScore: with NAB's likelihood, scores stay in [0, 1], and
// two detectors given the same rows agree to the bit (nothing is random).
func TestLikelihoodScore(t *testing.T) {
	p := basic()
	p.Block, p.Window = 1, 8
	p.Likelihood, p.SpatialTolerance = nabLikelihood(100), 0.05
	a, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	high := 0
	for i := range 2000 {
		v := 5 + 4*math.Sin(float64(i)/10)
		if i == 1500 {
			v = 9.9 // a spike inside the range
		}
		oa, err := a.Step(v)
		if err != nil {
			t.Fatal(err)
		}
		ob, _ := b.Step(v)
		if oa != ob {
			t.Fatalf("row %d: %+v and %+v", i, oa, ob)
		}
		if !(oa.Score >= 0 && oa.Score <= 1) {
			t.Fatalf("row %d: score %v", i, oa.Score)
		}
		if i >= 1500 && i < 1510 && oa.Score > 0.5 {
			high++
		}
	}
	if high == 0 {
		t.Error("no score above 0.5 in the 10 rows after a spike into an unseen shape")
	}
}

// BenchmarkStep: one row of a warm detector (Block 1, Window 16, NAB's
// likelihood) on a periodic series, whose categories stop growing, so a
// row allocates nothing.
func BenchmarkStep(b *testing.B) {
	p := Params{Min: -1, Max: 1, Block: 1, Window: 16, Vigilance: 0.9, Choice: 0.001, Learning: 1,
		Likelihood: nabLikelihood(750), SpatialTolerance: 0.05}
	d, err := New(p)
	if err != nil {
		b.Fatal(err)
	}
	v := func(i int) float64 { return math.Sin(float64(i%100) * 2 * math.Pi / 100) }
	for i := range 20000 { // past the likelihood's 8640-row history
		if _, err := d.Step(v(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := d.Step(v(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(d.Network().Categories()), "categories")
}

// TestShapeFeatures: with Shape, Block 1 and Window 2 over [0, 10], rows 2
// and 4 give the means (0.2, 0.4) and their shape (0, 1), so category 0 is
// (0.2, 0.4, 0, 1) with its complement (0.8, 0.6, 1, 0); a flat window
// (rows 3, 3) has the shape (0.5, 0.5).
func TestShapeFeatures(t *testing.T) {
	p := basic()
	p.Block, p.Shape = 1, true
	for _, c := range []struct {
		rows []float64
		want []float64
	}{
		{[]float64{2, 4}, []float64{0.2, 0.4, 0, 1, 0.8, 0.6, 1, 0}},
		{[]float64{3, 3}, []float64{0.3, 0.3, 0.5, 0.5, 0.7, 0.7, 0.5, 0.5}},
	} {
		d, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range c.rows {
			if _, err := d.Step(v); err != nil {
				t.Fatal(err)
			}
		}
		w := d.Network().Weights(0)
		if len(w) != len(c.want) {
			t.Fatalf("rows %v: weights %v, want %v", c.rows, w, c.want)
		}
		for k := range w {
			if !near(w[k], c.want[k]) {
				t.Errorf("rows %v: weights %v, want %v", c.rows, w, c.want)
				break
			}
		}
	}
}
