package nabreport

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dendritic/dendritic/internal/plotkit"
	"github.com/dendritic/dendritic/nab"
)

// Figure size of a series plot (two stacked panels).
const (
	figWidth  = 7.5 * vg.Inch
	figHeight = 3.3 * vg.Inch
)

var (
	colValue     = plotkit.Blue
	colScore     = color.RGBA{60, 60, 60, 255}
	colThreshold = plotkit.Red
	colDetect    = plotkit.Red
	colWindow    = color.NRGBA{255, 170, 60, 110}
	colProbation = color.NRGBA{160, 160, 160, 70}
)

// bands shades row intervals over the whole height of a panel.
type bands struct {
	spans [][2]float64 // [from, to) in x units
	color color.Color
}

func (b *bands) Plot(dc draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&dc)
	for _, s := range b.spans {
		x0, x1 := trX(s[0]), trX(s[1])
		if x1 < x0+vg.Points(0.6) {
			x1 = x0 + vg.Points(0.6)
		}
		dc.FillPolygon(b.color, []vg.Point{
			{X: x0, Y: dc.Min.Y}, {X: x1, Y: dc.Min.Y}, {X: x1, Y: dc.Max.Y}, {X: x0, Y: dc.Max.Y},
		})
	}
}

// minMax reduces y (indexed by row) to at most 2·buckets points: for each
// bucket of consecutive rows its minimum and maximum, in the order they
// occur, so that spikes survive the reduction.
func minMax(y []float64, buckets int) plotter.XYs {
	n := len(y)
	if n <= 2*buckets {
		xy := make(plotter.XYs, n)
		for i, v := range y {
			xy[i] = plotter.XY{X: float64(i), Y: v}
		}
		return xy
	}
	xy := make(plotter.XYs, 0, 2*buckets)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		iMin, iMax := lo, lo
		for i := lo; i < hi; i++ {
			if y[i] < y[iMin] {
				iMin = i
			}
			if y[i] > y[iMax] {
				iMax = i
			}
		}
		a, c := min(iMin, iMax), max(iMin, iMax)
		xy = append(xy, plotter.XY{X: float64(a), Y: y[a]})
		if c != a {
			xy = append(xy, plotter.XY{X: float64(c), Y: y[c]})
		}
	}
	return xy
}

// detections returns the rows ≥ P whose score reaches θ, thinned so that at
// most one marker is drawn per bucket of rows (the first of each).
func detections(s []float64, probation int, θ float64, buckets int) plotter.XYs {
	var xy plotter.XYs
	last := -1
	for i := probation; i < len(s); i++ {
		if s[i] >= θ {
			b := i * buckets / len(s)
			if b != last {
				xy = append(xy, plotter.XY{X: float64(i), Y: s[i]})
				last = b
			}
		}
	}
	return xy
}

// seriesPlots builds the two panels of a series plot.
func seriesPlots(s Series, detector string, buckets int) (top, bot *plot.Plot, err error) {
	f := s.File
	n := float64(f.Len())
	win := &bands{color: colWindow}
	for _, w := range f.Windows {
		win.spans = append(win.spans, [2]float64{float64(w.Start), float64(w.End + 1)})
	}
	prob := &bands{color: colProbation, spans: [][2]float64{{0, float64(f.Probation())}}}
	top = plot.New()
	top.Title.Text = f.Name
	top.Title.TextStyle.Font.Size = vg.Points(10)
	top.Y.Label.Text = "value"
	top.Y.Label.TextStyle.Font.Size = vg.Points(8)
	top.X.Tick.Label.Font.Size = vg.Points(7)
	top.Y.Tick.Label.Font.Size = vg.Points(7)
	top.Add(prob, win)
	vl, err := plotter.NewLine(minMax(f.Values, buckets))
	if err != nil {
		return nil, nil, err
	}
	vl.LineStyle = draw.LineStyle{Color: colValue, Width: vg.Points(0.7)}
	top.Add(vl)
	top.X.Min, top.X.Max = 0, n
	lo, hi := minOf(f.Values), maxOf(f.Values)
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	pad := 0.05 * (hi - lo)
	top.Y.Min, top.Y.Max = lo-pad, hi+pad

	bot = plot.New()
	bot.X.Label.Text = "row"
	bot.Y.Label.Text = "score"
	bot.Y.Label.TextStyle.Font.Size = vg.Points(8)
	bot.X.Label.TextStyle.Font.Size = vg.Points(8)
	bot.X.Tick.Label.Font.Size = vg.Points(7)
	bot.Y.Tick.Label.Font.Size = vg.Points(7)
	bot.Add(prob, win)
	sl, err := plotter.NewLine(minMax(s.Scores, buckets))
	if err != nil {
		return nil, nil, err
	}
	sl.LineStyle = draw.LineStyle{Color: colScore, Width: vg.Points(0.6)}
	bot.Add(sl)
	if s.Threshold <= 1 {
		th, err := plotter.NewLine(plotter.XYs{{X: 0, Y: s.Threshold}, {X: n, Y: s.Threshold}})
		if err != nil {
			return nil, nil, err
		}
		th.LineStyle = draw.LineStyle{Color: colThreshold, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		bot.Add(th)
	}
	if det := detections(s.Scores, f.Probation(), s.Threshold, buckets); len(det) > 0 {
		sc, err := plotter.NewScatter(det)
		if err != nil {
			return nil, nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colDetect, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
		bot.Add(sc)
	}
	bot.X.Min, bot.X.Max = 0, n
	bot.Y.Min, bot.Y.Max = 0, 1.05

	return top, bot, nil
}

// renderSeries draws the value (top) and anomaly score (bottom) of a file
// with its windows and probationary period, as SVG.
func renderSeries(s Series, detector string, buckets int) ([]byte, error) {
	top, bot, err := seriesPlots(s, detector, buckets)
	if err != nil {
		return nil, err
	}
	return plotkit.DrawSVG(figWidth, figHeight, func(dc draw.Canvas) { drawStacked(dc, top, bot) })
}

// drawStacked draws two plots one above the other, their x axes aligned.
func drawStacked(dc draw.Canvas, top, bot *plot.Plot) {
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(2), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(6)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bot}}, tiles, dc)
	top.Draw(canvases[0][0])
	bot.Draw(canvases[1][0])
}

func minOf(x []float64) float64 {
	m := math.Inf(1)
	for _, v := range x {
		m = min(m, v)
	}
	return m
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	return m
}

// windowsText describes the windows of a file for the caption.
func windowsText(f *nab.File) string {
	if len(f.Windows) == 0 {
		return "no labelled window"
	}
	s := ""
	for i, w := range f.Windows {
		if i > 0 {
			s += ", "
		}
		s += "rows " + strconv.Itoa(w.Start) + "–" + strconv.Itoa(w.End)
	}
	return s
}
