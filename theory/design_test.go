package theory

import (
	"math"
	"testing"
)

// TestDesignSegmentMinimal checks the designer against brute force: every
// design in Best meets both targets, no θ works with one synapse fewer,
// and the frontier is non-dominated and sorted.
func TestDesignSegmentMinimal(t *testing.T) {
	specs := []DesignSpec{
		{N: 200000, A: 2000, Noise: 0.3, MaxFP: 1e-9, MaxFN: 1e-3},
		{N: 2048, A: 40, Noise: 0.25, MaxFP: 1e-6, MaxFN: 1e-2, Segments: 32},
		{N: 10000, A: 64, Noise: 0.5, MaxFP: 1e-12, MaxFN: 0.1},
		{N: 1000, A: 20, Noise: 0, MaxFP: 1e-3, MaxFN: 1e-9},
	}
	for _, sp := range specs {
		d, err := DesignSegment(sp)
		if err != nil {
			t.Fatal(err)
		}
		v := int(math.Round(sp.Noise * float64(sp.A)))
		ok := func(s, th int) bool {
			return sp.fp(s, th).Cmp(NewFloat(sp.MaxFP)) <= 0 && sp.fn(s, th, v).Cmp(NewFloat(sp.MaxFN)) <= 0
		}
		if !d.Feasible {
			t.Errorf("%+v: infeasible", sp)
			continue
		}
		for _, p := range d.Best {
			if p.S != d.MinS || !ok(p.S, p.Theta) {
				t.Errorf("%+v: best %+v does not meet the targets", sp, p)
			}
		}
		for s := 1; s < d.MinS; s++ {
			for th := 1; th <= s; th++ {
				if ok(s, th) {
					t.Errorf("%+v: s=%d θ=%d is feasible, below MinS=%d", sp, s, th, d.MinS)
				}
			}
		}
		for th := 1; th <= d.MinS; th++ {
			found := false
			for _, p := range d.Best {
				found = found || p.Theta == th
			}
			if ok(d.MinS, th) != found {
				t.Errorf("%+v: θ=%d feasible=%v but listed=%v", sp, th, ok(d.MinS, th), found)
			}
		}
		for i, p := range d.Frontier {
			if p.S > d.MinS {
				t.Errorf("frontier point %+v over the budget %d", p, d.MinS)
			}
			if i > 0 && !(d.Frontier[i-1].FP.Cmp(p.FP) <= 0 && d.Frontier[i-1].FN.Cmp(p.FN) > 0) {
				t.Errorf("frontier not sorted/non-dominated at %d", i)
			}
			for s := 1; s <= d.MinS; s++ {
				for th := 1; th <= s; th++ {
					f, n := sp.fp(s, th), sp.fn(s, th, v)
					if f.Cmp(p.FP) <= 0 && n.Cmp(p.FN) <= 0 && (f.Cmp(p.FP) < 0 || n.Cmp(p.FN) < 0) {
						t.Fatalf("frontier point %+v dominated by s=%d θ=%d", p, s, th)
					}
				}
			}
		}
	}
}

func TestDesignInfeasibleAndInvalid(t *testing.T) {
	// Noise replacing all active cells can never be tolerated.
	d, err := DesignSegment(DesignSpec{N: 1000, A: 20, Noise: 1, MaxFP: 1e-3, MaxFN: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	if d.Feasible || len(d.Best) != 0 || len(d.Frontier) == 0 {
		t.Errorf("got feasible=%v best=%v frontier=%d", d.Feasible, d.Best, len(d.Frontier))
	}
	for _, sp := range []DesignSpec{
		{N: 0, A: 1, MaxFP: 1, MaxFN: 1},
		{N: 10, A: 11, MaxFP: 1, MaxFN: 1},
		{N: 10, A: 5, Noise: 1.5, MaxFP: 1, MaxFN: 1},
		{N: 10, A: 5, Noise: math.NaN(), MaxFP: 1, MaxFN: 1},
		{N: 10, A: 5, MaxFP: 0, MaxFN: 1},
		{N: 10, A: 5, MaxFP: 1, MaxFN: 2},
		{N: 10, A: 5, MaxFP: 1, MaxFN: 1, Segments: -1},
		{N: 10, A: 5, MaxFP: 1, MaxFN: 1, MaxS: 6},
		{N: 10, A: 8, Noise: 0.5, MaxFP: 1, MaxFN: 1}, // 4 replaced > 2 inactive
	} {
		if _, err := DesignSegment(sp); err == nil {
			t.Errorf("%+v accepted", sp)
		}
	}
}
