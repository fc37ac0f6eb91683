package htmdetect

import (
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/shareddata"
	"github.com/dendritic/dendritic/nab"
)

// TestPotentialMemory: the potential-synapse anomaly of the standard TM
// (potentialMemory) predicts every column the TM's connected synapses
// predict, so its raw anomaly never exceeds the TM's own, and it is lower
// on some rows (else the variant would be the htm detector). Every matching
// segment counts at least MinThreshold active synapses in potentialMemory's
// count, as the TM counted them (the two counts agree on what a potential
// synapse is).
func TestPotentialMemory(t *testing.T) {
	const n = 1500
	s := synthetic(n, 1400)
	info := seriesInfo(s)
	d, err := newHTMPotential(info, NumentaSeed)
	if err != nil {
		t.Fatal(err)
	}
	m := d.seq.(*potentialMemory)
	tm := d.TemporalMemory()
	var connected []uint32
	lower := 0
	for i := range n {
		connected = tm.PredictedColumns(connected[:0])
		o := mustStep(t, d, s, i)
		if o.Raw > tm.Anomaly() {
			t.Fatalf("row %d: potential anomaly %v above the TM's %v", i, o.Raw, tm.Anomaly())
		}
		if o.Raw < tm.Anomaly() {
			lower++
		}
		for _, c := range connected {
			if _, ok := slices.BinarySearch(m.next, c); !ok && i > 0 {
				// m.next holds the columns predicted before this step
				// (swapped by predict).
				t.Fatalf("row %d: column %d predicted by connected synapses, not by potential ones", i, c)
			}
		}
		for _, c := range tm.ActiveCells() {
			m.active[c>>6] |= 1 << (c & 63)
		}
		for _, sg := range tm.MatchingSegments(nil) {
			syns, err := tm.Connections().Synapses(nil, sg)
			if err != nil {
				t.Fatal(err)
			}
			pot := 0
			for _, y := range syns {
				pot += int(m.active[y.Input>>6] >> (y.Input & 63) & 1)
			}
			if pot < tm.Params().MinThreshold {
				t.Fatalf("row %d: matching segment %d with %d active synapses", i, sg, pot)
			}
		}
		clear(m.active)
	}
	if lower == 0 {
		t.Error("the potential anomaly never differs from the TM's")
	}
	t.Logf("%d of %d rows score lower", lower, n)
}

// TestUnpredictedFraction checks the raw anomaly of potentialMemory on
// small cases worked by hand.
func TestUnpredictedFraction(t *testing.T) {
	for _, c := range []struct {
		cols, pred []uint32
		want       float64
	}{
		{nil, []uint32{1}, 0},
		{[]uint32{1, 2, 3, 4}, nil, 1},
		{[]uint32{1, 2, 3, 4}, []uint32{0, 2, 4, 6}, 0.5},
		{[]uint32{5}, []uint32{1, 2, 3, 5}, 0},
	} {
		if got := unpredictedFraction(c.cols, c.pred); math.Abs(got-c.want) > 0 {
			t.Errorf("unpredictedFraction(%v, %v) = %v, want %v", c.cols, c.pred, got, c.want)
		}
	}
}

// TestPairs: the raw anomaly of each pair is, row by row, its rule applied
// to the raw anomalies of its members run alone (the members do not
// disturb each other, and numenta-seeds-min's second member runs at the
// next seed), and a NaN is refused.
func TestPairs(t *testing.T) {
	const n = 400
	s := synthetic(n, 300)
	info := seriesInfo(s)
	type build = func(nab.FileInfo, uint64) (*Detector, error)
	minRule := func(x, y float64) float64 { return min(x, y) }
	for _, c := range []struct {
		name  string
		pair  func(nab.FileInfo, uint64) (*pair, error)
		a, b  build
		dseed uint64
		rule  func(x, y float64) float64
	}{
		{"htm-numenta-min", newMinPair(newHTM, newNumentaFor, 0), newHTM, newNumentaFor, 0, minRule},
		{"numenta-seeds-min", newMinPair(newNumentaFor, newNumentaFor, 1), newNumentaFor, newNumentaFor, 1, minRule},
		{"htm-numenta-mean", newPair(meanPair, newHTM, newNumentaFor, 0), newHTM, newNumentaFor, 0, func(x, y float64) float64 { return (x + y) / 2 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := c.a(info, NumentaSeed)
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.b(info, NumentaSeed+c.dseed)
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.pair(info, NumentaSeed)
			if err != nil {
				t.Fatal(err)
			}
			differ := 0
			for i := range n {
				if _, err := p.Step(s.Timestamps[i], math.NaN()); err == nil {
					t.Fatal("NaN accepted")
				}
				x := mustStep(t, a, s, i)
				y := mustStep(t, b, s, i)
				o := mustStep(t, p, s, i)
				if want := c.rule(x.Raw, y.Raw); o.Raw != want {
					t.Fatalf("row %d: raw %v, want the rule of %v and %v (%v)", i, o.Raw, x.Raw, y.Raw, want)
				}
				if x.Raw != y.Raw {
					differ++
				}
			}
			if differ == 0 {
				t.Error("the members' raw anomalies never differ: the test shows nothing")
			}
		})
	}
}

// variantScores are the sweep scores (standard, low FP, low FN) of the
// variants at run seed 42, from the runs recorded in docs/BENCHMARKS.md
// ("Variants toward 74.9": dendritic nab run --detector NAME --workers 1
// --seed 42 with the variant registered, then dendritic nab score).
var variantScores = map[string][3]float64{
	"htm-potential":                   {68.9426, 61.1242, 74.1226},
	"htm-numenta-min":                 {69.8750, 63.9221, 73.8822},
	"potential-numenta-min":           {67.7759, 62.0636, 71.6207},
	"numenta-seeds-min":               {69.6223, 63.8613, 73.4264},
	"htm-numenta-mean":                {68.7821, 60.6011, 73.4409},
	"htm-potential-skip":              {68.5789, 60.1853, 73.5928},
	"numenta-rank":                    {63.0403, 58.9358, 67.3142},
	"numenta-probation-range":         {69.0290, 61.2573, 74.7550},
	"numenta-probation-range-max":     {72.5249, 64.0391, 78.3708},
	"numenta-probation-gmean":         {74.3132, 64.5634, 79.9167},
	"numenta-probation-gmean-max":     {73.1884, 63.7995, 78.8293},
	"numenta-probation-noise":         {70.4386, 61.3567, 75.4270},
	"numenta-probation-gmean-seeds":   {70.8250, 62.7421, 76.5270},
	"numenta-probation-gmean-weekend": {57.3220, 49.9840, 61.4906},
}

// registeredScores are the seed-42 sweep scores of registered detectors
// that the README's table no longer pins (TestHeadlineNAB), from the runs
// recorded in docs/BENCHMARKS.md (dendritic nab run --detector NAME --seed
// 42, then dendritic nab score); TestVariantsNAB checks them too.
var registeredScores = map[string][3]float64{
	NameNumentaGMeanCAD: {71.2482, 65.3084, 75.9491},
	NameNumentaPeaks:    {72.4003, 66.0010, 77.6683},
}

// TestVariantsNAB repeats the recorded corpus runs of the unregistered
// variants (and of the registered detectors in registeredScores) and
// checks their scores. Each is a whole corpus run (two to
// four minutes of CPU), so it runs only when DENDRITIC_NAB_VARIANTS names
// the variants (comma-separated) or is "all".
func TestVariantsNAB(t *testing.T) {
	which := os.Getenv("DENDRITIC_NAB_VARIANTS")
	if which == "" {
		t.Skip("set DENDRITIC_NAB_VARIANTS=all (or a comma-separated list of names) to run the variants over the corpus")
	}
	root := shareddata.NAB(t)
	for name := range variantFactories {
		if _, ok := variantScores[name]; !ok {
			t.Errorf("variant %s has no recorded scores", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(variantScores)) {
		if which != "all" && !slices.Contains(strings.Split(which, ","), name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			got := scoreFactory(t, root, name, variantFactories[name](NumentaSeed))
			checkRecorded(t, name, got, variantScores[name])
		})
	}
	for _, name := range slices.Sorted(maps.Keys(registeredScores)) {
		if which != "all" && !slices.Contains(strings.Split(which, ","), name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			checkRecorded(t, name, scoreCorpus(t, root, name), registeredScores[name])
		})
	}
}

// checkRecorded compares a corpus run's three sweep scores with the
// recorded ones, to the 4 decimals recorded.
func checkRecorded(t *testing.T, name string, got map[string]float64, want [3]float64) {
	t.Helper()
	for i, p := range []string{"standard", "reward_low_FP_rate", "reward_low_FN_rate"} {
		if math.Abs(got[p]-want[i]) > 5e-5 {
			t.Errorf("%s %s: score %.4f, recorded %.4f", name, p, got[p], want[i])
		}
	}
}

// TestPotentialSkip: htm-potential-skip scores a row whose active columns
// repeat the previous row's 0 without showing it to the memory, and is
// htm-potential until the first such row.
func TestPotentialSkip(t *testing.T) {
	const n = 600
	s := synthetic(n, -1)
	info := seriesInfo(s)
	d, err := newHTMPotentialSkip(info, NumentaSeed)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := newHTMPotential(info, NumentaSeed)
	if err != nil {
		t.Fatal(err)
	}
	repeats := 0
	for i := range n {
		prev, it := slices.Clone(d.prev), d.TemporalMemory().Iteration()
		o := mustStep(t, d, s, i)
		r := mustStep(t, ref, s, i)
		if i > 0 && slices.Equal(d.columns.Sparse(), prev) {
			repeats++
			if o.Raw != 0 || d.TemporalMemory().Iteration() != it {
				t.Fatalf("row %d repeats: raw %v, memory stepped %d → %d; want 0 and not stepped", i, o.Raw, it, d.TemporalMemory().Iteration())
			}
		} else if repeats == 0 && o != r {
			t.Fatalf("row %d: %+v, htm-potential %+v before any repeat", i, o, r)
		}
	}
	if repeats == 0 {
		t.Error("no repeated row: the test shows nothing")
	}
	t.Logf("%d repeated rows of %d", repeats, n)
}

// seriesInfo is the nab.FileInfo of a series, as the NAB runner gives it.
func seriesInfo(s *nab.Series) nab.FileInfo {
	n := s.Len()
	return nab.FileInfo{Rows: n, Probation: nab.ProbationaryPeriod(n), Min: slices.Min(s.Values), Max: slices.Max(s.Values)}
}

// mustStep steps d on row i of s.
func mustStep(t *testing.T, d stepper, s *nab.Series, i int) Output {
	t.Helper()
	o, err := d.Step(s.Timestamps[i], s.Values[i])
	if err != nil {
		t.Fatalf("row %d: %v", i, err)
	}
	return o
}

// TestRankScaled: over the range [0, 10] with a probationary period of 4,
// the rows 0, 10, 5, 5 are ranked among the values seen so far (the row
// itself included, ties counting half), then the ranks are frozen; u is
// the mean of the rank and the position in the range.
func TestRankScaled(t *testing.T) {
	r := &rankScaled{lo: 0, hi: 10, probation: 4}
	for i, c := range []struct{ v, u float64 }{
		{0, (0.5 + 0) / 2},        // seen {0}: rank 1/2
		{10, (1.5/2 + 1) / 2},     // seen {0, 10}: 1 below, itself half
		{5, (1.5/3 + 0.5) / 2},    // seen {0, 5, 10}
		{5, (2.0/4 + 0.5) / 2},    // seen {0, 5, 5, 10}: 1 below, 2 ties
		{7.5, (3.0/4 + 0.75) / 2}, // frozen: 3 of 4 below
		{-3, (0 + 0) / 2},         // below everything, clamped in range
	} {
		if got := r.see(c.v); math.Abs(got-c.u) > 1e-12 {
			t.Errorf("row %d (%v): u %v, want %v", i, c.v, got, c.u)
		}
	}
	if len(r.seen) != 4 {
		t.Errorf("%d values kept, want the probationary period's 4", len(r.seen))
	}
}

// TestRobustRange works robustRange's three cases by hand.
func TestRobustRange(t *testing.T) {
	ramp := make([]float64, 101) // 0, 1, …, 100 shuffled: h = 0.01·100 = 1 and 0.99·100 = 99
	for i := range ramp {
		ramp[i] = float64((i * 37) % 101)
	}
	flat := make([]float64, 200) // 199 fives and one 100: both percentiles are 5
	for i := range flat {
		flat[i] = 5
	}
	flat[17] = 100
	for _, c := range []struct {
		name   string
		vs     []float64
		lo, hi float64
	}{
		{"percentiles", ramp, 1, 99},
		{"interpolated", []float64{0, 10}, 0.1, 9.9}, // h = 0.01 and 0.99 between the two values
		{"min and max", flat, 5, 100},
		{"file range", []float64{3, 3, 3}, -1, 7},
	} {
		lo, hi := robustRange(c.vs, -1, 7)
		if math.Abs(lo-c.lo) > 1e-12 || math.Abs(hi-c.hi) > 1e-12 {
			t.Errorf("%s: robustRange = [%v, %v], want [%v, %v]", c.name, lo, hi, c.lo, c.hi)
		}
	}
	if ramp[0] != 0 || ramp[1] != 37 {
		t.Error("robustRange changed its argument")
	}
}

// TestProbationRanged: numenta-probation-range (and -gmean, -noise,
// -gmean-seeds) scores 0 through the probationary period, refuses a NaN
// without keeping it, and from the period's end on scores every record
// exactly as a numenta detector built on the period's robust range (for
// -gmean, the range from its low end as wide as the geometric mean of its
// width and the file's; for -noise, as wide as noiseWidth; for
// -gmean-seeds, the meanPair of two such detectors at consecutive seeds)
// and run over the same records.
func TestProbationRanged(t *testing.T) {
	const n = 900
	s := synthetic(n, 700)
	s.Values[100] += 400 // one spike in the period: the file's range, not the robust one
	info := seriesInfo(s)
	info.Probation = 300
	lo, hi := robustRange(s.Values[:info.Probation], info.Min, info.Max)
	if hi-lo > (info.Max-info.Min)/5 || lo >= hi {
		t.Fatalf("robust range [%v, %v] not much narrower than the file's [%v, %v]: the test shows nothing", lo, hi, info.Min, info.Max)
	}
	gmean := lo + math.Sqrt((hi-lo)*(info.Max-info.Min))
	for _, c := range []struct {
		name  string
		build func(nab.FileInfo, uint64) (*probationRanged, error)
		hi    float64
		ref   func(nab.FileInfo, uint64) (stepper, error)
	}{
		{"range", newNumentaProbationRange, hi, newNumentaStepper},
		{"gmean", newNumentaProbationGeometric, gmean, newNumentaStepper},
		{"noise", newNumentaProbationNoise, lo + noiseWidth(s.Values[:info.Probation], hi-lo, info.Max-info.Min), newNumentaStepper},
		{"gmean-seeds", newNumentaProbationGeometricSeeds, gmean, newNumentaTwoSeeds},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := c.build(info, NumentaSeed)
			if err != nil {
				t.Fatal(err)
			}
			ri := info
			ri.Min, ri.Max = lo, c.hi
			ref, err := c.ref(ri, NumentaSeed)
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				if _, err := d.Step(s.Timestamps[i], math.NaN()); err == nil {
					t.Fatalf("row %d: NaN accepted", i)
				}
				o := mustStep(t, d, s, i)
				r := mustStep(t, ref, s, i)
				switch {
				case i < info.Probation && o.Score != 0:
					t.Fatalf("row %d in the probationary period: score %v", i, o.Score)
				case i >= info.Probation && o != r:
					t.Fatalf("row %d: %+v, numenta on the range %+v", i, o, r)
				}
			}
		})
	}
}

// TestNoiseWidth works noiseWidth by hand: the median absolute difference
// m of consecutive values gives the width m·130/1.4 (whose RDSE
// resolution 1.4·width/130 is m), clamped to [robust, file].
func TestNoiseWidth(t *testing.T) {
	for _, c := range []struct {
		name string
		vs   []float64
		want float64
	}{
		{"odd count", []float64{0, 1, 3, 6}, 2 * 130 / 1.4},    // differences 1, 2, 3
		{"even count", []float64{0, 1, 3}, 1.5 * 130 / 1.4},    // differences 1, 2
		{"unsorted", []float64{6, 3, 1, 0}, 2 * 130 / 1.4},     // absolute differences 3, 2, 1
		{"finer than robust", []float64{0, 0, 0, 1}, 10},       // median 0
		{"coarser than file", []float64{0, 100, 0, 100}, 1000}, // median 100: 9286
		{"one value", []float64{5}, 1000},
	} {
		if got := noiseWidth(c.vs, 10, 1000); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: noiseWidth = %v, want %v", c.name, got, c.want)
		}
	}
}
