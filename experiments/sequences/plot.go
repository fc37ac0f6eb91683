package sequences

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
)

// The figures follow the look of the paper report (package report): the
// same size, fonts, palette and line widths.
const (
	figWidth  = 7 * vg.Inch
	figHeight = 4.6 * vg.Inch
)

var palette = []color.Color{
	color.RGBA{0, 90, 180, 255},   // blue
	color.RGBA{200, 30, 30, 255},  // red
	color.RGBA{0, 140, 60, 255},   // green
	color.RGBA{230, 120, 0, 255},  // orange
	color.RGBA{130, 40, 170, 255}, // purple
	color.RGBA{110, 110, 110, 255},
	color.RGBA{0, 0, 0, 255},
	color.RGBA{160, 110, 40, 255},
}

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

// chart is a simple line chart.
type chart struct {
	title, xlabel, ylabel string
	logY                  bool // y data are probabilities, drawn on log10
	xMin, xMax            float64
	yMin, yMax            float64 // in data units (log10 units when logY)
	xStep, yStep          float64 // linear tick spacing, 0 = default
	vlines                []float64
	legendBottom          bool
	legendLeft            bool
	series                []series
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
	p := plot.New()
	p.Title.Text = c.title
	p.Title.TextStyle.Font.Size = vg.Points(10.5)
	p.X.Label.Text = c.xlabel
	p.Y.Label.Text = c.ylabel
	p.Legend.TextStyle.Font.Size = vg.Points(8.5)
	p.Legend.Padding = vg.Points(1)
	p.Legend.ThumbnailWidth = vg.Points(24)
	p.Legend.Top = !c.legendBottom
	p.Legend.Left = c.legendLeft
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(-6), vg.Points(-6)
	if c.legendLeft {
		p.Legend.XOffs = vg.Points(6)
	}
	if c.legendBottom {
		p.Legend.YOffs = vg.Points(6)
	}
	p.Add(plotter.NewGrid())
	clamp := func(v float64) float64 { return min(max(v, c.yMin), c.yMax) }
	for _, x := range c.vlines {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: c.yMin}, {X: x, Y: c.yMax}})
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: palette[5], Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		p.Add(l)
	}
	for _, s := range c.series {
		col := palette[s.color%len(palette)]
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
				lo, ok := c.y(s.lo[i])
				if !ok {
					lo = c.yMin
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
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			p.Legend.Add(s.label, sc)
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		w := s.width
		if w == 0 {
			w = 1.3
		}
		l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(w)}
		switch s.style {
		case "dashed":
			l.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		case "dotted":
			l.LineStyle.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
		}
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	p.X.Min, p.X.Max = c.xMin, c.xMax
	p.Y.Min, p.Y.Max = c.yMin, c.yMax
	if c.logY {
		p.Y.Tick.Marker = decadeTicker{}
	} else if c.yStep > 0 {
		p.Y.Tick.Marker = stepTicker{c.yStep}
	}
	if c.xStep > 0 {
		p.X.Tick.Marker = stepTicker{c.xStep}
	}
	return p, nil
}

// svg renders the chart.
func (c *chart) svg() ([]byte, error) {
	p, err := c.plot()
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

// decadeTicker labels the decades of a log10 axis "1", "1e-3", ….
type decadeTicker struct{}

func (decadeTicker) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo-1e-9)), int(math.Floor(hi+1e-9))
	step := 1
	for _, s := range []int{1, 2, 3, 4, 5, 10, 20} {
		step = s
		if (last-first)/s <= 10 {
			break
		}
	}
	var ticks []plot.Tick
	for d := first; d <= last; d++ {
		t := plot.Tick{Value: float64(d)}
		if ((d%step)+step)%step == 0 {
			t.Label = "1e" + strconv.Itoa(d)
			if d == 0 {
				t.Label = "1"
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// stepTicker marks a linear axis every step.
type stepTicker struct{ step float64 }

func (t stepTicker) Ticks(lo, hi float64) []plot.Tick {
	dec := max(0, int(-math.Floor(math.Log10(t.step)+1e-9)))
	var ticks []plot.Tick
	for i := math.Ceil(lo/t.step - 1e-9); i*t.step <= hi+1e-9*t.step; i++ {
		v := i * t.step
		if v == 0 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
	}
	return ticks
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
