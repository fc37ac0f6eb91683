package paper

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/big"
	"sort"

	"github.com/dendritic/dendritic/theory"
)

// builder computes the figures and tables of one report.
type builder struct {
	o Options

	// caches of the optimal-threshold statistics (E7)
	stats2016, stats2018 []theory.ThresholdStats
}

// Colours (indices into palette) and legend positions.
const (
	colBlack = iota
	colBlue
	colRed
	colGreen
	colOrange
	colPurple
	colGrey
)

type legendPos int

const (
	legendTopRight legendPos = iota
	legendTopLeft
	legendBottomLeft
	legendBottomRight
)

func exactFloat(z *big.Float, err error) (theory.Float, error) {
	if err != nil {
		return theory.Float{}, err
	}
	return theory.FloatFromBig(z), nil
}

func fpExact(n, a, s, theta int) (theory.Float, error) {
	return exactFloat(theory.FPBig(n, a, s, theta))
}

// newPoint makes a point with its theory value.
func newPoint(series string, x float64, params theory.Args, v theory.Float) *Point {
	p := &Point{Series: series, X: x, Params: params, theoryF: v}
	p.Theory = v.Float64()
	if !v.IsZero() {
		l := v.Log10()
		p.TheoryLog10 = &l
	}
	p.TheoryText = v.Text(17)
	return p
}

// requestSim marks p for simulation.
func (b *builder) requestSim(f *Figure, p *Point, kind, method string, samples int64) {
	p.SimKind, p.SimMethod, p.simSamples = kind, method, samples
	p.seed = pointSeed(b.o.Seed, f.ID, kind, method, p.Params)
}

// pointSeed derives the seed of a simulated point from the master seed and
// the point's identity (not its position), so that a point's result does
// not depend on which other points are simulated.
func pointSeed(seed uint64, fig, kind, method string, params theory.Args) uint64 {
	h := fnv.New64a()
	h.Write([]byte(pointKey(fig, kind, method, params)))
	return splitmix64(seed ^ splitmix64(h.Sum64()))
}

// pointKey is the identity of a simulated point, e.g.
// "F5|fp|direct|n=300 a=64 s=24 theta=12" (see Job.Key).
func pointKey(fig, kind, method string, params theory.Args) string {
	return fig + "|" + kind + "|" + method + "|" + paramString(params)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// paramString formats params in the canonical order of theory.Params,
// e.g. "n=1000 a=64 s=24 theta=12" (Args.String).
func paramString(p theory.Args) string { return p.String() }

// segArgs returns the arguments n, a, s, θ of a segment question (E2).
func segArgs(n, a, s, theta int) theory.Args {
	return theory.Args{}.With(theory.ParamN, n).With(theory.ParamA, a).With(theory.ParamS, s).With(theory.ParamTheta, theta)
}

func published(x float64) *float64 { return &x }

// F1: effect of n.
func (b *builder) figF1() (*Figure, error) {
	f := &Figure{
		ID:    "F1",
		Title: "Effect of n: false-positive probability of one segment (s = 24, θ = 12)",
		Caption: "E2 for a segment of s = 24 synapses with threshold θ = 12 (50% noise tolerance), " +
			"against the population size n = 300, 500, …, 19900, for a = 64, 128 and 256 active cells. " +
			"The error falls like n^−θ when a is fixed but not when the sparsity a/n is fixed: the dashed " +
			"curve is what the paper plotted (a = n/4, though labelled a = n/2) and the dotted one is the " +
			"true a = n/2. All curves sit at their true n (the paper shifted the a = 128, 256 and dense " +
			"curves 200 cells to the right). Markers: importance-sampled simulations of points far below " +
			"the reach of direct Monte Carlo.",
		XLabel: "Cell population size (n)",
		YLabel: "Probability of false positives",
		XMin:   0, XMax: 20000, LogY: true,
		xStep:   2000,
		legend:  legendBottomLeft,
		yMinLog: -25, yMaxLog: 0,
	}
	const s, theta = 24, 12
	type curve struct {
		name, label string
		a           func(n int) int
		style       string
		col         int
	}
	curves := []curve{
		{"a=64", "a = 64", func(int) int { return 64 }, "solid", colBlack},
		{"a=128", "a = 128", func(int) int { return 128 }, "solid", colBlue},
		{"a=256", "a = 256", func(int) int { return 256 }, "solid", colRed},
		{"a=n/4", "a = n/4 (published as \"a = n/2\")", func(n int) int { return n / 4 }, "dashed", colGrey},
		{"a=n/2", "a = n/2 (50% active)", func(n int) int { return n / 2 }, "dotted", colGreen},
	}
	for _, c := range curves {
		f.Series = append(f.Series, Series{Name: c.name, Label: c.label, Quantity: "fp", Style: c.style, color: c.col})
		for n := 300; n <= 19900; n += 200 {
			a := c.a(n)
			v, err := fpExact(n, a, s, theta)
			if err != nil {
				return nil, err
			}
			f.Points = append(f.Points, newPoint(c.name, float64(n), segArgs(n, a, s, theta), v))
		}
	}
	// Rare-event points, at the n of the spec's table (not on the grid).
	var rare []rarePoint
	for _, q := range [][2]int{{64, 2000}, {64, 4000}, {64, 10000}, {128, 4000}, {256, 10000}} {
		a, n := q[0], q[1]
		rare = append(rare, rarePoint{float64(n), n, a, s, theta})
	}
	if err := b.addRarePoints(f, rare); err != nil {
		return nil, err
	}
	return f, nil
}

// rarePoint is an E2 value checked by importance sampling, plotted at x.
type rarePoint struct {
	x              float64
	n, a, s, theta int
}

// addRarePoints adds the series of importance-sampled E2 points to f.
func (b *builder) addRarePoints(f *Figure, pts []rarePoint) error {
	f.Series = append(f.Series, Series{Name: "importance", Label: "simulated (importance sampling), 95% CI", Quantity: "fp", Style: "markers", color: colPurple, glyph: true})
	for _, q := range pts {
		v, err := fpExact(q.n, q.a, q.s, q.theta)
		if err != nil {
			return err
		}
		p := newPoint("importance", q.x, segArgs(q.n, q.a, q.s, q.theta), v)
		b.requestSim(f, p, KindFP, MethodImportance, b.o.isSamples())
		f.Points = append(f.Points, p)
	}
	return nil
}

// F2: effect of s.
func (b *builder) figF2() (*Figure, error) {
	f := &Figure{
		ID:    "F2",
		Title: "Effect of s: false-positive probability against the number of synapses (θ = s/2)",
		Caption: "E2 with θ = s/2 for s = 2, 4, …, 30. With sparse codes the error falls exponentially " +
			"with s; for the dense code (dashed, a/n = 25%, the borderline p = 1/4 of E6) it barely falls. " +
			"Markers: importance-sampled simulations.",
		XLabel: "Number of synapses on segment (s), θ = s/2",
		YLabel: "Probability of false positives",
		XMin:   0, XMax: 31, LogY: true,
		xStep:   2,
		legend:  legendBottomLeft,
		yMinLog: -26, yMaxLog: 0,
	}
	type curve struct {
		a, n  int
		style string
		col   int
	}
	curves := []curve{
		{32, 2000, "solid", colBlack}, {32, 4000, "solid", colBlue},
		{512, 16000, "solid", colRed}, {4000, 16000, "dashed", colGrey},
	}
	for _, c := range curves {
		name := fmt.Sprintf("a=%d,n=%d", c.a, c.n)
		f.Series = append(f.Series, Series{Name: name, Label: fmt.Sprintf("a = %d, n = %d", c.a, c.n), Quantity: "fp", Style: c.style, color: c.col, glyph: true})
		for s := 2; s <= 30; s += 2 {
			v, err := fpExact(c.n, c.a, s, s/2)
			if err != nil {
				return nil, err
			}
			f.Points = append(f.Points, newPoint(name, float64(s), segArgs(c.n, c.a, s, s/2), v))
		}
	}
	var rare []rarePoint
	for _, q := range [][3]int{{32, 2000, 30}, {32, 4000, 20}, {32, 4000, 30}, {512, 16000, 30}} {
		a, n, s := q[0], q[1], q[2]
		rare = append(rare, rarePoint{float64(s), n, a, s, s / 2})
	}
	if err := b.addRarePoints(f, rare); err != nil {
		return nil, err
	}
	return f, nil
}

// F3: union false matches against M.
func (b *builder) figF3() (*Figure, error) {
	f := &Figure{
		ID:    "F3",
		Title: "Union property: false-positive probability against the number of stored patterns M",
		Caption: "A segment stores the union of M random patterns, s = 25 synapses each (a = 200, θ = 15). " +
			"Solid: the paper's method, E2 with the rounded expected union size round(s_M). Dashed: the exact " +
			"false-match probability, averaged over the distribution of the union's size. Markers: direct " +
			"simulation of real unions, compared with the exact mixture.",
		XLabel: "Number of combined patterns (M)",
		YLabel: "Probability of false positives",
		XMin:   0, XMax: 20, LogY: true,
		xStep:   2,
		legend:  legendBottomRight,
		yMinLog: -25, yMaxLog: 0,
	}
	const a, s, theta = 200, 25, 15
	cols := map[int]int{1000: colRed, 10000: colBlue, 20000: colBlack}
	simAt := map[int][]int{1000: {1, 2, 3, 4}, 10000: {8, 10, 12, 15, 19}, 20000: {15, 19}}
	for _, n := range []int{1000, 10000, 20000} {
		plug := fmt.Sprintf("n=%d plug-in", n)
		mix := fmt.Sprintf("n=%d mixture", n)
		f.Series = append(f.Series,
			Series{Name: plug, Label: fmt.Sprintf("n = %d, paper's plug-in round(s_M)", n), Quantity: "union-fp", Style: "solid", color: cols[n]},
			Series{Name: mix, Label: fmt.Sprintf("n = %d, exact union size", n), Quantity: "union-fp-mix", Style: "dashed", color: cols[n]})
		for m := 1; m <= 19; m++ {
			params := segArgs(n, a, s, theta).With(theory.ParamPatterns, m)
			v, err := exactFloat(theory.UnionFPBig(n, a, s, theta, m))
			if err != nil {
				return nil, err
			}
			f.Points = append(f.Points, newPoint(plug, float64(m), params, v))
		}
		for m := 1; m <= 19; m++ {
			params := segArgs(n, a, s, theta).With(theory.ParamPatterns, m)
			// The fast mixture agrees with UnionFPMixBig to about 2e-15
			// here, at a thousandth of the cost.
			v, err := theory.UnionFPMix(n, a, s, theta, m)
			if err != nil {
				return nil, err
			}
			p := newPoint(mix, float64(m), params, v)
			for _, sm := range simAt[n] {
				if sm == m {
					b.requestSim(f, p, KindUnion, MethodDirect, b.o.samples())
				}
			}
			f.Points = append(f.Points, p)
		}
	}
	return f, nil
}

// F4: union synapses against M.
func (b *builder) figF4() (*Figure, error) {
	f := &Figure{
		ID:    "F4",
		Title: "Union property: number of synapses on a segment storing M patterns (n = 1000)",
		Caption: "E4: the expected number of distinct synapses s_M = n(1 − (1 − s/n)^M) on a segment that " +
			"stores M random patterns of s synapses each, n = 1000.",
		XLabel: "Number of combined patterns (M)",
		YLabel: "Number of synapses on segment",
		XMin:   0, XMax: 20,
		xStep:  2,
		legend: legendBottomRight,
		yMax:   450, yStep: 50,
	}
	const n = 1000
	for i, s := range []int{20, 25, 30} {
		name := fmt.Sprintf("s=%d", s)
		f.Series = append(f.Series, Series{Name: name, Label: fmt.Sprintf("s = %d", s), Quantity: "union-synapses", Style: "solid", color: []int{colBlack, colBlue, colRed}[i], glyph: true})
		for m := 1; m <= 19; m++ {
			x, err := theory.UnionSynapses(n, s, m)
			if err != nil {
				return nil, err
			}
			f.Points = append(f.Points, newPoint(name, float64(m), theory.Args{}.With(theory.ParamN, n).With(theory.ParamS, s).With(theory.ParamPatterns, m), theory.NewFloat(x)))
		}
	}
	return f, nil
}

// Published simulated frequencies of F5 (simulation_results.xlsx, sheet
// "Basic"), n = 300, 500, … (step 200).
var publishedF5 = map[int][]float64{
	64:  {1.09318e-3, 5.74e-6, 1.1e-7},
	128: {0.292048, 7.37836e-3, 3.2014e-4, 2.585e-5, 2.95e-6, 5.9e-7, 1.3e-7, 1e-8, 1e-8},
	256: {0.997368, 0.629267, 0.121048, 1.93688e-2, 3.50879e-3, 7.4956e-4, 1.8659e-4, 5.332e-5, 1.65e-5,
		5.58e-6, 2.23e-6, 9.3e-7, 3.2e-7, 2.7e-7, 7e-8, 4e-8, 2e-8},
}

// F5: simulated against theoretical false positives.
func (b *builder) figF5() (*Figure, error) {
	f := &Figure{
		ID:    "F5",
		Title: "Simulation against theory: false positives (s = 24, θ = 12)",
		Caption: "Dotted lines: E2. Filled markers: direct Monte Carlo of this report (a fresh random segment " +
			"of 24 cells against random patterns of a cells), with 95% confidence intervals. Open circles: " +
			"the published simulation (10^8 patterns per point). The published point a = 256, n = 300 " +
			"(0.997368) is an outlier that E2's setting cannot produce (see the corrections).",
		XLabel: "Cell population size (n)",
		YLabel: "Frequency of false positives",
		XMin:   0, XMax: 4000, LogY: true,
		xStep:   400,
		legend:  legendTopRight,
		yMinLog: -9, yMaxLog: 0,
	}
	const s, theta = 24, 12
	cols := map[int]int{64: colBlack, 128: colBlue, 256: colRed}
	for _, a := range []int{64, 128, 256} {
		name := fmt.Sprintf("a=%d", a)
		f.Series = append(f.Series, Series{Name: name, Label: fmt.Sprintf("a = %d (theory)", a), Quantity: "fp", Style: "dotted", color: cols[a]})
		for i, pub := range publishedF5[a] {
			n := 300 + 200*i
			v, err := fpExact(n, a, s, theta)
			if err != nil {
				return nil, err
			}
			p := newPoint(name, float64(n), segArgs(n, a, s, theta), v)
			p.Published = published(pub)
			b.requestSim(f, p, KindFP, MethodDirect, b.o.samples())
			f.Points = append(f.Points, p)
		}
	}
	return f, nil
}

// Published simulated false-negative frequencies of F6 for θ = 8, 12, 16,
// at v = 6, 13, 19, … (simulation_results.xlsx, sheet "noise").
var publishedF6 = map[int][]float64{
	8: {0, 0, 0, 0, 0, 0, 1.7e-07, 3.6e-06, 8.02e-05, 0.0007358, 0.0046704, 0.0268579, 0.0894488, 0.263911,
		0.50879, 0.770817},
	12: {0, 0, 0, 0, 1.7e-07, 1.11e-05, 0.00031558, 0.0027716, 0.0198583, 0.0716827, 0.190397, 0.426699,
		0.664547, 0.880767, 0.970354, 0.99638},
	16: {0, 0, 1e-08, 2.02e-05, 0.00059479, 0.0062736, 0.0434683, 0.13914, 0.351389, 0.582524, 0.787882,
		0.933878, 0.983776, 0.998305, 0.999893, 0.999999},
}

// noiseLevels returns v = round(p·a) for p = 0.05, 0.10, …, 0.80, rounded
// half away from zero like the reference code's Python 2 round().
func noiseLevels(a int) []int {
	var vs []int
	for i := 1; i <= 16; i++ {
		// p·a = i·a/20 exactly; round half away from zero.
		vs = append(vs, (2*i*a+20)/40)
	}
	return vs
}

// F6: false negatives against noise.
func (b *builder) figF6() (*Figure, error) {
	f := &Figure{
		ID:    "F6",
		Title: "Simulation against theory: false negatives under noise (a = 128, s = 30)",
		Caption: "E3: a segment of s = 30 synapses on a learned pattern of a = 128 cells misses the pattern " +
			"when noise replaces v of the 128 active cells, v = round(p·128), p = 0.05 … 0.80. Lines: theory " +
			"(exact zeros, v ≤ s − θ, are not drawn); filled markers: direct Monte Carlo of this report " +
			"(n = 6000), 95% CI; squares: importance sampling of rare events; open circles: the published simulation " +
			"(nonzero values only).",
		XLabel: "Noise (fraction v/a of the active cells replaced)",
		YLabel: "Frequency of false negatives",
		XMin:   0, XMax: 0.85, LogY: true,
		xStep:   0.1,
		legend:  legendBottomRight,
		yMinLog: -16, yMaxLog: 0,
	}
	const n, a, s = 6000, 128, 30
	cols := map[int]int{8: colBlack, 12: colBlue, 16: colRed}
	for _, theta := range []int{8, 12, 16} {
		name := fmt.Sprintf("theta=%d", theta)
		f.Series = append(f.Series, Series{Name: name, Label: fmt.Sprintf("θ = %d", theta), Quantity: "fn", Style: "solid", color: cols[theta]})
		for i, v := range noiseLevels(a) {
			val, err := exactFloat(theory.FNBig(a, s, theta, v))
			if err != nil {
				return nil, err
			}
			p := newPoint(name, float64(v)/a, segArgs(n, a, s, theta).With(theory.ParamNoise, v), val)
			p.Published = published(publishedF6[theta][i])
			b.requestSim(f, p, KindFN, MethodDirect, b.o.samples())
			f.Points = append(f.Points, p)
		}
	}
	// Rare-event points below the reach of direct Monte Carlo.
	f.Series = append(f.Series, Series{Name: "importance", Label: "simulated (importance sampling), 95% CI", Quantity: "fn", Style: "markers", color: colPurple, glyph: true})
	for _, q := range [][2]int{{8, 26}, {8, 32}, {12, 19}, {12, 26}} {
		theta, v := q[0], q[1]
		val, err := exactFloat(theory.FNBig(a, s, theta, v))
		if err != nil {
			return nil, err
		}
		p := newPoint("importance", float64(v)/a, segArgs(n, a, s, theta).With(theory.ParamNoise, v), val)
		b.requestSim(f, p, KindFN, MethodImportance, b.o.isSamples())
		f.Points = append(f.Points, p)
	}
	return f, nil
}

func (b *builder) thresholdStats() (s16, s18 []theory.ThresholdStats, err error) {
	if b.stats2016 == nil {
		if b.stats2016, err = theory.Thresholds(theory.PaperGrid()); err != nil {
			return nil, nil, err
		}
		if b.stats2018, err = theory.Thresholds(theory.Paper2018Grid()); err != nil {
			return nil, nil, err
		}
	}
	return b.stats2016, b.stats2018, nil
}

// firstBelow returns the first θ whose median lies below limit (0 if none).
func firstBelow(st []theory.ThresholdStats, limit float64) int {
	for _, x := range st {
		if x.Median.Cmp(theory.NewFloat(limit)) < 0 {
			return x.Theta
		}
	}
	return 0
}

// F7: optimal threshold.
func (b *builder) figF7() (*Figure, error) {
	s16, s18, err := b.thresholdStats()
	if err != nil {
		return nil, err
	}
	from := firstBelow(s16, 1e-9)
	f := &Figure{
		ID:    "F7",
		Title: "Optimal NMDA threshold: median false-positive rate against θ",
		Caption: fmt.Sprintf("E7: the median of E2 over the paper's grid (n = 10000 … 190000, sparsity 0.5%% … 3%%, "+
			"s = 20 … 50; 420 configurations per θ) against the threshold θ. The shaded area starts at θ = %d, the "+
			"first θ whose median is below 1e-9 (the paper shaded from θ = 9, where the median is %s). Dashed: the "+
			"later (2018) grid, n = 1000 … 17000.", from, s16[9-s16[0].Theta].Median.Text(3)),
		XLabel: "Synapses required for a dendritic spike (θ)",
		YLabel: "Probability of false positives",
		XMin:   2, XMax: 25, LogY: true,
		xStep:   1,
		legend:  legendTopRight,
		yMinLog: -40, yMaxLog: 0,
		hline: -9,
	}
	f.Series = append(f.Series,
		Series{Name: "median-2016", Label: "median false positive error (paper's grid)", Quantity: "fp-median", Style: "solid", color: colBlack, glyph: true},
		Series{Name: "median-2018", Label: "median, 2018 grid (n = 1000 … 17000)", Quantity: "fp-median", Style: "dashed", color: colBlue})
	for _, x := range s16 {
		f.Points = append(f.Points, newPoint("median-2016", float64(x.Theta), theory.Args{}.With(theory.ParamTheta, x.Theta), x.Median))
	}
	for _, x := range s18 {
		f.Points = append(f.Points, newPoint("median-2018", float64(x.Theta), theory.Args{}.With(theory.ParamTheta, x.Theta), x.Median))
	}
	if from > 0 {
		f.shade = &shade{series: "median-2016", from: float64(from), label: fmt.Sprintf("error rate ≤ 1e-9 (θ ≥ %d)", from)}
	}
	return f, nil
}

// E5 (added): a neuron with m segments.
func (b *builder) figE5() (*Figure, error) {
	const n, a, s, theta = 700, 128, 24, 12
	seg, err := fpExact(n, a, s, theta)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		ID:    "E5",
		Title: "Added: a neuron with m segments (n = 700, a = 128, s = 24, θ = 12)",
		Caption: fmt.Sprintf("E5: a neuron with m independent segments fires falsely if any segment does, "+
			"1 − (1 − P)^m, with P = %s the false-match probability of one segment (E2). Dashed: the union "+
			"bound m·P of the 2015 paper, shown while it is below 1. Markers: direct simulation of neurons "+
			"with m random segments each.", seg.Text(5)),
		XLabel: "Number of segments per neuron (m)",
		YLabel: "Probability of false positives",
		XMin:   0.7, XMax: 15000, LogX: true, LogY: true,
		legend:  legendBottomRight,
		yMinLog: -4, yMaxLog: 0,
	}
	f.Series = append(f.Series,
		Series{Name: "neuron", Label: "1 − (1 − P)^m", Quantity: "neuron", Style: "solid", color: colBlack},
		Series{Name: "bound", Label: "union bound m·P", Quantity: "neuron-bound", Style: "dashed", color: colGrey})
	ms := []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}
	simAt := map[int]bool{1: true, 10: true, 100: true, 1000: true}
	for _, m := range ms {
		params := segArgs(n, a, s, theta).With(theory.ParamSegments, m)
		v, err := exactFloat(theory.NeuronBig(n, a, s, theta, m))
		if err != nil {
			return nil, err
		}
		p := newPoint("neuron", float64(m), params, v)
		if simAt[m] {
			b.requestSim(f, p, KindNeuron, MethodDirect, max(b.o.samples()/int64(m), min(MinNeuronSamples, b.o.samples())))
		}
		f.Points = append(f.Points, p)
	}
	for _, m := range ms {
		v, err := exactFloat(theory.NeuronBoundBig(n, a, s, theta, m))
		if err != nil {
			return nil, err
		}
		if v.Cmp(theory.One) > 0 {
			break
		}
		f.Points = append(f.Points, newPoint("bound", float64(m), segArgs(n, a, s, theta).With(theory.ParamSegments, m), v))
	}
	return f, nil
}

// shade is an area under a series from x = from to its end.
type shade struct {
	series string
	from   float64
	label  string
}

// seriesPoints returns the points of a series sorted by x.
func (f *Figure) seriesPoints(name string) []*Point {
	var ps []*Point
	for _, p := range f.Points {
		if p.Series == name {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].X < ps[j].X })
	return ps
}

// yValue returns v in the y units of the figure (log10 on a log axis);
// ok is false when v cannot be drawn (not positive on a log axis).
func (f *Figure) yValue(v float64, log10 *float64) (float64, bool) {
	if !f.LogY {
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	if log10 != nil {
		return *log10, !math.IsInf(*log10, 0) && !math.IsNaN(*log10)
	}
	if v > 0 && !math.IsInf(v, 0) {
		return math.Log10(v), true
	}
	return 0, false
}
