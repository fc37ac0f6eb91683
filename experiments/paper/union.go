package paper

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dendritic/dendritic/internal/plotkit"
	"github.com/dendritic/dendritic/theory"
)

// The union panel of F3 (issue 12): at log scale the paper's plug-in
// method (E4, P_fp(n, a, round(s_M), θ)) and the exact mixture over the
// union size lie on top of each other, so a second panel plots their
// ratio, plug-in / mixture, with the simulated unions divided by the same
// mixture (1 means agreement with the mixture).

// ratioPanelHeight is the height of the union panel below F3.
const ratioPanelHeight = 0.62 * plotkit.Height

// unionPairs returns, for each n of F3, the plug-in and mixture points at
// equal M.
func (f *Figure) unionPairs(n int) (plug, mix []*Point) {
	for _, m := range f.seriesPoints(fmt.Sprintf("n=%d mixture", n)) {
		if p := f.Find(fmt.Sprintf("n=%d plug-in", n), m.Params); p != nil {
			plug, mix = append(plug, p), append(mix, m)
		}
	}
	return plug, mix
}

// unionNs lists the n of F3's series, in order.
func (f *Figure) unionNs() []int {
	var ns []int
	for _, s := range f.Series {
		var n int
		if _, err := fmt.Sscanf(s.Name, "n=%d mixture", &n); err == nil && strings.HasSuffix(s.Name, "mixture") {
			ns = append(ns, n)
		}
	}
	return ns
}

// ratioPlot builds F3's union panel.
func (f *Figure) ratioPlot() (*plot.Plot, error) {
	p := plotkit.New("F3 (union panel): plug-in method ÷ exact mixture; simulated unions ÷ exact mixture",
		f.XLabel, "Ratio to the exact mixture", plotkit.Legend{Top: true})
	const lo, hi = 0.9, 1.1
	one, err := plotter.NewLine(plotter.XYs{{X: f.XMin, Y: 1}, {X: f.XMax, Y: 1}})
	if err != nil {
		return nil, err
	}
	one.LineStyle = plotkit.LineStyle("dashed", palette[colGrey], vg.Points(0.8))
	p.Add(one)
	p.Legend.Add("exact mixture (= 1)", one)
	simDrawn := false
	for _, s := range f.Series {
		var n int
		if _, err := fmt.Sscanf(s.Name, "n=%d plug-in", &n); err != nil || !strings.HasSuffix(s.Name, "plug-in") {
			continue
		}
		col := palette[s.color]
		plug, mix := f.unionPairs(n)
		var xys, sim plotter.XYs
		bars := &ciBars{LineStyle: draw.LineStyle{Color: col, Width: vg.Points(0.8)}}
		for i, m := range mix {
			d := m.theoryF.Float64()
			if d <= 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: m.X, Y: min(max(plug[i].theoryF.Float64()/d, lo), hi)})
			if m.Simulated != nil {
				sim = append(sim, plotter.XY{X: m.X, Y: min(max(*m.Simulated/d, lo), hi)})
				if m.CI95 != nil {
					bars.x = append(bars.x, m.X)
					bars.lo = append(bars.lo, min(max(m.CI95[0]/d, lo), hi))
					bars.hi = append(bars.hi, min(max(m.CI95[1]/d, lo), hi))
				}
			}
		}
		if len(xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.LineStyle = plotkit.LineStyle("solid", col, plotkit.LineWidth)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("n = %d, plug-in ÷ mixture", n), l)
		if len(sim) > 0 {
			p.Add(bars)
			sc, err := plotter.NewScatter(sim)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = plotkit.Marker(col, nil)
			p.Add(sc)
			simDrawn = true
		}
	}
	if simDrawn {
		p.Legend.Add("simulated ÷ mixture, 95% CI (clipped to the axis)", &plotter.Scatter{GlyphStyle: plotkit.Marker(palette[colBlack], nil)})
	}
	p.X.Min, p.X.Max = f.XMin, f.XMax
	p.X.Tick.Marker = plotkit.StepTicker{Step: f.xStep}
	p.Y.Min, p.Y.Max = lo, hi
	p.Y.Tick.Marker = plotkit.StepTicker{Step: 0.02}
	return p, nil
}

// drawing returns what the figure's canvas shows and its height: the
// plot, and for F3 the union panel below it.
func (f *Figure) drawing() (func(draw.Canvas), vg.Length, error) {
	p, err := f.plot()
	if err != nil {
		return nil, 0, err
	}
	if f.ID != "F3" {
		return p.Draw, plotkit.Height, nil
	}
	r, err := f.ratioPlot()
	if err != nil {
		return nil, 0, err
	}
	return func(c draw.Canvas) {
		top, bottom := c, c
		bottom.Max.Y = c.Min.Y + ratioPanelHeight
		top.Min.Y = bottom.Max.Y
		p.Draw(top)
		r.Draw(bottom)
	}, plotkit.Height + ratioPanelHeight, nil
}

// unionCorrection is the added correction 9: the paper's plug-in of the
// expected union size (E4), against the exact mixture and, when F3 was
// simulated, against simulated unions. ok is false without F3.
func unionCorrection(r *Report) (c Correction, ok bool) {
	f := r.Figure("F3")
	if f == nil {
		return c, false
	}
	c = Correction{
		Item:      9,
		Title:     "The plug-in of the expected union size (E4) is rejected by simulation (added by this report)",
		Published: "The union figure (F3) computes a segment storing M patterns as E2 with round(s_M) synapses, s_M the expected union size.",
		Explanation: "The union's size is random; E2 is convex in the number of synapses where it matters, so replacing the size by its " +
			"rounded mean is biased, by a few per cent (see F3's union panel). The bias is invisible at log scale but large against " +
			"10^8 simulated unions. The exact mixture averages E2 over the distribution of the union size (theory.UnionFPMix).",
	}
	maxMix, maxPlug := 0.0, 0.0
	simulated := 0
	for _, n := range f.unionNs() {
		plug, mix := f.unionPairs(n)
		for i, m := range mix {
			if m.Simulated == nil {
				continue
			}
			simulated++
			zp, okp := zScore(*m.Simulated, plug[i].theoryF.Float64(), m.sim, m.SimMethod)
			zps := "undefined"
			if okp {
				zps = fmt.Sprintf("%.3g", zp)
				maxPlug = max(maxPlug, math.Abs(zp))
			} else {
				maxPlug = math.Inf(1)
			}
			zm := "undefined"
			if m.Z != nil {
				zm = fmt.Sprintf("%.3g", *m.Z)
				maxMix = max(maxMix, math.Abs(*m.Z))
			}
			c.Values = append(c.Values, CorrectedValue{
				What: fmt.Sprintf("n = %d, M = %d: simulated %s in %d samples; z against the plug-in %s, against the mixture %s",
					n, patterns(m.Params), fmtSig(*m.Simulated, 4), *m.Samples, zps, zm),
				Published: plug[i].theoryF.Text(5), Value: m.theoryF.Float64(), Text: m.theoryF.Text(5),
			})
		}
	}
	if simulated == 0 {
		// Theory only: the sizes of the bias.
		for _, n := range f.unionNs() {
			plug, mix := f.unionPairs(n)
			worst, at := 0.0, 0
			for i, m := range mix {
				if d := m.theoryF.Float64(); d > 0 {
					if e := math.Abs(plug[i].theoryF.Float64()/d - 1); e > worst {
						worst, at = e, i
					}
				}
			}
			if len(mix) > 0 {
				c.Values = append(c.Values, CorrectedValue{
					What:      fmt.Sprintf("n = %d, M = %d (largest relative difference, %.1f %%)", n, patterns(mix[at].Params), 100*worst),
					Published: plug[at].theoryF.Text(5), Value: mix[at].theoryF.Float64(), Text: mix[at].theoryF.Text(5),
				})
			}
		}
		c.Corrected = "Use the exact mixture over the union size. Without simulation this report shows only the size of the difference; run with simulation for the z-scores."
		return c, true
	}
	c.Corrected = fmt.Sprintf("Use the exact mixture over the union size: against %d simulated unions the plug-in reaches |z| = %.3g, "+
		"the mixture at most |z| = %.3g.", simulated, maxPlug, maxMix)
	return c, true
}

// patterns returns a union point's M (0 for a point without one).
func patterns(a theory.Args) int {
	m, _ := a.Get(theory.ParamPatterns)
	return m
}
