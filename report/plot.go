package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Figure size and PNG resolution.
const (
	figWidth  = 7 * vg.Inch
	figHeight = 4.6 * vg.Inch
	pngDPI    = 150
)

var palette = []color.Color{
	colBlack:  color.RGBA{0, 0, 0, 255},
	colBlue:   color.RGBA{0, 90, 180, 255},
	colRed:    color.RGBA{200, 30, 30, 255},
	colGreen:  color.RGBA{0, 140, 60, 255},
	colOrange: color.RGBA{230, 120, 0, 255},
	colPurple: color.RGBA{130, 40, 170, 255},
	colGrey:   color.RGBA{110, 110, 110, 255},
}

func lineStyle(style string, c color.Color) draw.LineStyle {
	ls := draw.LineStyle{Color: c, Width: vg.Points(1.3)}
	switch style {
	case "dashed":
		ls.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	case "dotted":
		ls.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	}
	return ls
}

// decadeTicker marks the decades of an axis whose data are log10 values,
// labelling them "1", "1e-3", … (and "10", "100", … up to 1e4 when plain
// is set), every step-th decade labelled so that at most about ten labels
// show. Minor ticks mark 2…9 × 10^k when few decades are shown.
type decadeTicker struct{ plain bool }

func (t decadeTicker) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo-1e-9)), int(math.Floor(hi+1e-9))
	span := last - first
	step := 1
	for _, s := range []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20} {
		step = s
		if span/s <= 10 {
			break
		}
	}
	var ticks []plot.Tick
	for d := first - 1; d <= last; d++ {
		if d >= first {
			tk := plot.Tick{Value: float64(d)}
			if ((d%step)+step)%step == 0 {
				tk.Label = decadeLabel(d, t.plain)
			}
			ticks = append(ticks, tk)
		}
		if span <= 12 {
			for k := 2; k <= 9; k++ {
				v := float64(d) + math.Log10(float64(k))
				if v >= lo && v <= hi {
					ticks = append(ticks, plot.Tick{Value: v})
				}
			}
		}
	}
	return ticks
}

// stepTicker marks a linear axis every step, labelling every tick.
type stepTicker struct{ step float64 }

func (t stepTicker) Ticks(lo, hi float64) []plot.Tick {
	decimals := max(0, int(-math.Floor(math.Log10(t.step)+1e-9)))
	var ticks []plot.Tick
	for i := math.Ceil(lo/t.step - 1e-9); i*t.step <= hi+1e-9*t.step; i++ {
		v := i * t.step
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ticks
}

func decadeLabel(d int, plain bool) string {
	switch {
	case d == 0:
		return "1"
	case plain && d > 0 && d <= 4:
		return fmt.Sprintf("%.0f", math.Pow10(d))
	}
	return fmt.Sprintf("1e%d", d)
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
	p := plot.New()
	p.Title.Text = f.ID + ". " + f.Title
	p.Title.TextStyle.Font.Size = vg.Points(10.5)
	p.X.Label.Text = f.XLabel
	p.Y.Label.Text = f.YLabel
	p.Legend.TextStyle.Font.Size = vg.Points(8.5)
	p.Legend.Padding = vg.Points(1)
	p.Legend.ThumbnailWidth = vg.Points(24)
	p.Legend.Top = f.legend == legendTopRight || f.legend == legendTopLeft
	p.Legend.Left = f.legend == legendTopLeft || f.legend == legendBottomLeft
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(-6), vg.Points(6)
	if p.Legend.Left {
		p.Legend.XOffs = vg.Points(6)
	}
	if p.Legend.Top {
		p.Legend.YOffs = vg.Points(-6)
	}
	p.Add(plotter.NewGrid())

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

	// F7's shaded area and reference line go below the curves.
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
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, err
			}
			poly.Color = color.RGBA{200, 200, 200, 255}
			poly.LineStyle.Width = 0
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
				l.LineStyle = lineStyle(s.Style, col)
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
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: shape}
			p.Add(sc)
			if s.Style == "markers" {
				p.Legend.Add(s.Label, sc)
			} else {
				simDrawn = true
			}
		}
	}
	if simDrawn {
		p.Legend.Add("simulated (this report), 95% CI", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: palette[colBlack], Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}})
	}
	if pubDrawn {
		p.Legend.Add("published simulation (2016)", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: palette[colBlack], Radius: vg.Points(4), Shape: draw.RingGlyph{}}})
	}

	// Axes, set after the plotters so that they are not widened.
	p.X.Min, p.X.Max = f.xValue(f.XMin), f.xValue(f.XMax)
	if f.LogX {
		p.X.Tick.Marker = decadeTicker{plain: true}
	} else if f.xStep > 0 {
		p.X.Tick.Marker = stepTicker{f.xStep}
	}
	p.Y.Min, p.Y.Max = yLo, yHi
	if f.LogY {
		p.Y.Tick.Marker = decadeTicker{}
	} else if f.yStep > 0 {
		p.Y.Tick.Marker = stepTicker{f.yStep}
	}
	return p, nil
}

// renderSVG returns the figure as SVG.
func (f *Figure) renderSVG() ([]byte, error) {
	p, err := f.plot()
	if err != nil {
		return nil, err
	}
	wt, err := p.WriterTo(figWidth, figHeight, "svg")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderPNG returns the figure as PNG at pngDPI.
func (f *Figure) renderPNG() ([]byte, error) {
	p, err := f.plot()
	if err != nil {
		return nil, err
	}
	c := vgimg.NewWith(vgimg.UseWH(figWidth, figHeight), vgimg.UseDPI(pngDPI))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
