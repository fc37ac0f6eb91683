package paper

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dendritic/dendritic/internal/plotkit"
)

// palette gives the colours of figures.go their indices.
var palette = []color.Color{
	colBlack:  plotkit.Black,
	colBlue:   plotkit.Blue,
	colRed:    plotkit.Red,
	colGreen:  plotkit.Green,
	colOrange: plotkit.Orange,
	colPurple: plotkit.Purple,
	colGrey:   plotkit.Grey,
}

// ciBars draws vertical 95% confidence intervals with caps, in data units.
type ciBars struct {
	x, lo, hi []float64
	draw.LineStyle
}

func (c *ciBars) Plot(dc draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&dc)
	cap := vg.Points(2.5)
	for i := range c.x {
		x := trX(c.x[i])
		y0, y1 := trY(c.lo[i]), trY(c.hi[i])
		dc.StrokeLine2(c.LineStyle, x, y0, x, y1)
		dc.StrokeLine2(c.LineStyle, x-cap, y0, x+cap, y0)
		dc.StrokeLine2(c.LineStyle, x-cap, y1, x+cap, y1)
	}
}

// xValue returns x in the units of the x axis.
func (f *Figure) xValue(x float64) float64 {
	if f.LogX {
		return math.Log10(x)
	}
	return x
}

// plot builds the gonum plot of f.
func (f *Figure) plot() (*plot.Plot, error) {
	p := plotkit.New(f.ID+". "+f.Title, f.XLabel, f.YLabel, plotkit.Legend{
		Top:  f.legend == legendTopRight || f.legend == legendTopLeft,
		Left: f.legend == legendTopLeft || f.legend == legendBottomLeft,
	})

	// y range
	yLo, yHi := f.yMinLog, f.yMaxLog
	if !f.LogY {
		yLo, yHi = 0, f.yMax
	}
	for _, pt := range f.Points {
		if y, ok := f.yValue(pt.Theory, pt.TheoryLog10); ok {
			if f.LogY {
				yLo = min(yLo, math.Floor(y))
			}
			yHi = max(yHi, y)
		}
	}
	if f.LogY {
		yHi = math.Ceil(yHi)
	}
	clampY := func(y float64) float64 { return min(max(y, yLo), yHi) }

	// F7's band, shaded area and reference line go below the curves.
	if f.band != nil {
		x0, x1 := f.xValue(f.band.from), f.xValue(f.band.to)
		poly, err := filled(plotter.XYs{{X: x0, Y: yLo}, {X: x1, Y: yLo}, {X: x1, Y: yHi}, {X: x0, Y: yHi}}, color.RGBA{255, 236, 200, 255})
		if err != nil {
			return nil, err
		}
		p.Add(poly)
		p.Legend.Add(f.band.label, poly)
	}
	if f.shade != nil {
		var ring plotter.XYs
		var last float64
		for _, pt := range f.seriesPoints(f.shade.series) {
			if pt.X < f.shade.from {
				continue
			}
			y, ok := f.yValue(pt.Theory, pt.TheoryLog10)
			if !ok {
				continue
			}
			ring = append(ring, plotter.XY{X: f.xValue(pt.X), Y: y})
			last = f.xValue(pt.X)
		}
		if len(ring) > 1 {
			ring = append(ring, plotter.XY{X: last, Y: yLo}, plotter.XY{X: f.xValue(f.shade.from), Y: yLo})
			poly, err := filled(ring, color.RGBA{200, 200, 200, 255})
			if err != nil {
				return nil, err
			}
			p.Add(poly)
			p.Legend.Add(f.shade.label, poly)
		}
	}
	if f.hline != 0 {
		l, err := plotter.NewLine(plotter.XYs{{X: f.xValue(f.XMin), Y: f.hline}, {X: f.xValue(f.XMax), Y: f.hline}})
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: palette[colGrey], Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
		p.Add(l)
	}

	var simDrawn, pubDrawn bool
	for _, s := range f.Series {
		col := palette[s.color]
		pts := f.seriesPoints(s.Name)
		if s.Style != "markers" {
			var xys plotter.XYs
			for _, pt := range pts {
				if y, ok := f.yValue(pt.Theory, pt.TheoryLog10); ok {
					xys = append(xys, plotter.XY{X: f.xValue(pt.X), Y: y})
				}
			}
			if len(xys) > 0 {
				l, err := plotter.NewLine(xys)
				if err != nil {
					return nil, err
				}
				l.LineStyle = plotkit.LineStyle(s.Style, col, plotkit.LineWidth)
				p.Add(l)
				thumbs := []plot.Thumbnailer{l}
				if s.glyph {
					sc, err := plotter.NewScatter(xys)
					if err != nil {
						return nil, err
					}
					sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
					p.Add(sc)
					thumbs = append(thumbs, sc)
				}
				p.Legend.Add(s.Label, thumbs...)
			}
		}
		// Published simulation: open circles.
		var pub plotter.XYs
		for _, pt := range pts {
			if pt.Published != nil && *pt.Published > 0 {
				if y, ok := f.yValue(*pt.Published, nil); ok {
					pub = append(pub, plotter.XY{X: f.xValue(pt.X), Y: y})
				}
			}
		}
		if len(pub) > 0 {
			sc, err := plotter.NewScatter(pub)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
			p.Add(sc)
			pubDrawn = true
		}
		// This report's simulation: filled markers with 95% CI.
		var sim plotter.XYs
		bars := &ciBars{LineStyle: draw.LineStyle{Color: col, Width: vg.Points(0.8)}}
		for _, pt := range pts {
			if pt.Simulated == nil {
				continue
			}
			y, ok := f.yValue(*pt.Simulated, nil)
			if !ok {
				continue
			}
			x := f.xValue(pt.X)
			sim = append(sim, plotter.XY{X: x, Y: y})
			if pt.CI95 != nil {
				lo, okLo := f.yValue(pt.CI95[0], nil)
				if !okLo {
					lo = yLo
				}
				hi, okHi := f.yValue(pt.CI95[1], nil)
				if !okHi {
					hi = y
				}
				bars.x = append(bars.x, x)
				bars.lo = append(bars.lo, clampY(lo))
				bars.hi = append(bars.hi, clampY(hi))
			}
		}
		if len(sim) > 0 {
			p.Add(bars)
			sc, err := plotter.NewScatter(sim)
			if err != nil {
				return nil, err
			}
			shape := draw.GlyphDrawer(draw.CircleGlyph{})
			if s.Style == "markers" {
				shape = draw.BoxGlyph{}
			}
			sc.GlyphStyle = plotkit.Marker(col, shape)
			p.Add(sc)
			if s.Style == "markers" {
				p.Legend.Add(s.Label, sc)
			} else {
				simDrawn = true
			}
		}
	}
	if simDrawn {
		p.Legend.Add("simulated (this report), 95% CI", &plotter.Scatter{GlyphStyle: plotkit.Marker(palette[colBlack], nil)})
	}
	if pubDrawn {
		label := f.pubLabel
		if label == "" {
			label = "published simulation (2016)"
		}
		p.Legend.Add(label, &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: palette[colBlack], Radius: vg.Points(4), Shape: draw.RingGlyph{}}})
	}

	// Axes, set after the plotters so that they are not widened.
	p.X.Min, p.X.Max = f.xValue(f.XMin), f.xValue(f.XMax)
	if f.LogX {
		plotkit.LogAxis(&p.X, plotkit.DecadeTicker{Plain: true, Minor: true})
	} else if f.xStep > 0 {
		p.X.Tick.Marker = plotkit.StepTicker{Step: f.xStep}
	}
	p.Y.Min, p.Y.Max = yLo, yHi
	if f.LogY {
		plotkit.LogAxis(&p.Y, plotkit.DecadeTicker{Minor: true})
	} else if f.yStep > 0 {
		p.Y.Tick.Marker = plotkit.StepTicker{Step: f.yStep}
	}
	return p, nil
}

// renderSVG returns the figure as SVG.
func (f *Figure) renderSVG() ([]byte, error) {
	d, h, err := f.drawing()
	if err != nil {
		return nil, err
	}
	return plotkit.DrawSVG(plotkit.Width, h, d)
}

// renderPNG returns the figure as PNG.
func (f *Figure) renderPNG() ([]byte, error) {
	d, h, err := f.drawing()
	if err != nil {
		return nil, err
	}
	return plotkit.DrawPNG(plotkit.Width, h, plotkit.DPI, d)
}

// filled returns the polygon ring filled with c, without an outline.
func filled(ring plotter.XYs, c color.Color) (*plotter.Polygon, error) {
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	poly.Color = c
	poly.LineStyle.Width = 0
	return poly, nil
}
