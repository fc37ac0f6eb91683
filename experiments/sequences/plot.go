package sequences

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dendritic/dendritic/internal/plotkit"
)

// series is one line (or set of markers) of a chart.
type series struct {
	label   string
	xs, ys  []float64
	color   int
	style   string // "", "dashed", "dotted"
	width   float64
	markers bool      // draw markers instead of a line
	lo, hi  []float64 // optional interval per point (markers only)
	dx      float64   // horizontal offset of the markers, in x units
}

// chart is a simple line chart, in the look of the paper report (package
// report): the size, fonts, palette and line widths of package plotkit.
type chart struct {
	title, xlabel, ylabel string
	logY                  bool // y data are probabilities, drawn on log10
	xMin, xMax            float64
	yMin, yMax            float64 // in data units (log10 units when logY)
	xStep, yStep          float64 // linear tick spacing, 0 = default
	vlines                []float64
	legendBottom          bool
	legendLeft            bool
	bands                 []shade // drawn under the series
	series                []series
}

// shade is a filled band between lo and hi (linear y axes only).
type shade struct {
	label      string
	xs, lo, hi []float64
	color      int
}

// polygon returns the filled band of b, in a light tint of its colour.
func (b shade) polygon() (*plotter.Polygon, error) {
	ring := make(plotter.XYs, 0, 2*len(b.xs))
	for i, x := range b.xs {
		ring = append(ring, plotter.XY{X: x, Y: b.hi[i]})
	}
	for i := len(b.xs) - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: b.xs[i], Y: b.lo[i]})
	}
	pg, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	r, g, bl, _ := plotkit.Palette[b.color%len(plotkit.Palette)].RGBA()
	pg.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 70}
	pg.LineStyle.Width = 0
	return pg, nil
}

func (c *chart) y(v float64) (float64, bool) {
	if !c.logY {
		return v, true
	}
	if !(v > 0) {
		return 0, false
	}
	return math.Log10(v), true
}

func (c *chart) plot() (*plot.Plot, error) {
	p := plotkit.New(c.title, c.xlabel, c.ylabel, plotkit.Legend{Top: !c.legendBottom, Left: c.legendLeft})
	clamp := func(v float64) float64 { return min(max(v, c.yMin), c.yMax) }
	for _, x := range c.vlines {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: c.yMin}, {X: x, Y: c.yMax}})
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: plotkit.Grey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		p.Add(l)
	}
	for _, b := range c.bands {
		if len(b.xs) < 2 {
			continue
		}
		pg, err := b.polygon()
		if err != nil {
			return nil, err
		}
		p.Add(pg)
		p.Legend.Add(b.label, pg)
	}
	for _, s := range c.series {
		col := plotkit.Palette[s.color%len(plotkit.Palette)]
		var xys plotter.XYs
		for i := range s.xs {
			if y, ok := c.y(s.ys[i]); ok {
				xys = append(xys, plotter.XY{X: s.xs[i] + s.dx, Y: y})
			}
		}
		if len(xys) == 0 {
			continue
		}
		if s.markers {
			for i := range s.xs {
				if s.lo == nil {
					break
				}
				if _, ok := c.y(s.ys[i]); !ok {
					continue // a measured zero is not drawn
				}
				hi, ok := c.y(s.hi[i])
				if !ok {
					continue
				}
				// A lower bound of 0 has no place on a log axis: the
				// interval stops one decade below the point (an open
				// end), instead of running to the axis through the legend.
				lo, ok := c.y(s.lo[i])
				if !ok {
					y, _ := c.y(s.ys[i])
					lo = max(c.yMin, y-1)
				}
				x := s.xs[i] + s.dx
				l, err := plotter.NewLine(plotter.XYs{{X: x, Y: clamp(lo)}, {X: x, Y: clamp(hi)}})
				if err != nil {
					return nil, err
				}
				l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(0.8)}
				p.Add(l)
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = plotkit.Marker(col, nil)
			p.Add(sc)
			p.Legend.Add(s.label, sc)
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		w := plotkit.LineWidth
		if s.width != 0 {
			w = vg.Points(s.width)
		}
		l.LineStyle = plotkit.LineStyle(s.style, col, w)
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	p.X.Min, p.X.Max = c.xMin, c.xMax
	p.Y.Min, p.Y.Max = c.yMin, c.yMax
	if c.logY {
		plotkit.LogAxis(&p.Y, plotkit.DecadeTicker{})
	} else if c.yStep > 0 {
		p.Y.Tick.Marker = plotkit.StepTicker{Step: c.yStep}
	}
	if c.xStep > 0 {
		p.X.Tick.Marker = plotkit.StepTicker{Step: c.xStep}
	}
	return p, nil
}

// svg renders the chart.
func (c *chart) svg() ([]byte, error) {
	p, err := c.plot()
	if err != nil {
		return nil, err
	}
	return plotkit.SVG(p, plotkit.Width, plotkit.Height)
}

// niceStep returns a round tick spacing giving about ten ticks over span.
func niceStep(span float64) float64 {
	if !(span > 0) {
		return 1
	}
	raw := span / 10
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// fmtRate formats a probability for tables: 3 significant digits, "0"
// for zero.
func fmtRate(v float64) string {
	if v == 0 {
		return "0"
	}
	if v >= 1e-3 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return fmt.Sprintf("%.2e", v)
}
