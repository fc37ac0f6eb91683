// Package plotkit holds the look and the rendering of the gonum/plot
// figures of the project's HTML reports (packages report, nabreport and
// sequences): the figure size, the colours, line and marker styles, a plot
// in the house style, axis tickers for log10 and linear axes, and SVG and
// PNG rendering.
//
// Everything here is deterministic: the same plot renders to the same
// bytes, which the reports' golden files rely on.
package plotkit

import (
	"bytes"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The default figure size and the resolution of PNG files.
const (
	Width  = 7 * vg.Inch
	Height = 4.6 * vg.Inch
	DPI    = 150
)

// The colours of the figures.
var (
	Black  = color.RGBA{0, 0, 0, 255}
	Blue   = color.RGBA{0, 90, 180, 255}
	Red    = color.RGBA{200, 30, 30, 255}
	Green  = color.RGBA{0, 140, 60, 255}
	Orange = color.RGBA{230, 120, 0, 255}
	Purple = color.RGBA{130, 40, 170, 255}
	Grey   = color.RGBA{110, 110, 110, 255}
	Brown  = color.RGBA{160, 110, 40, 255}
)

// Palette is the order in which series take their colours.
var Palette = []color.Color{Blue, Red, Green, Orange, Purple, Grey, Black, Brown}

// LineWidth is the width of a data line, MarkerRadius that of a marker.
var (
	LineWidth    = vg.Points(1.3)
	MarkerRadius = vg.Points(2.6)
)

// LineStyle returns a line of colour c and width w: solid, or "dashed" or
// "dotted".
func LineStyle(style string, c color.Color, w vg.Length) draw.LineStyle {
	ls := draw.LineStyle{Color: c, Width: w}
	switch style {
	case "dashed":
		ls.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	case "dotted":
		ls.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	}
	return ls
}

// Marker returns a marker of colour c, MarkerRadius and shape (a circle
// when shape is nil).
func Marker(c color.Color, shape draw.GlyphDrawer) draw.GlyphStyle {
	if shape == nil {
		shape = draw.CircleGlyph{}
	}
	return draw.GlyphStyle{Color: c, Radius: MarkerRadius, Shape: shape}
}

// Legend places the legend in a corner of the plot: the top or bottom, the
// left or right.
type Legend struct{ Top, Left bool }

// New returns an empty plot in the house style: its title and axis labels,
// the legend's font, padding and thumbnails, the legend inset 6 points into
// its corner, and a grid.
func New(title, xLabel, yLabel string, legend Legend) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(10.5)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font.Size = vg.Points(8.5)
	p.Legend.Padding = vg.Points(1)
	p.Legend.ThumbnailWidth = vg.Points(24)
	p.Legend.Top, p.Legend.Left = legend.Top, legend.Left
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(-6), vg.Points(6)
	if legend.Left {
		p.Legend.XOffs = vg.Points(6)
	}
	if legend.Top {
		p.Legend.YOffs = vg.Points(-6)
	}
	p.Add(plotter.NewGrid())
	return p
}

// DrawSVG returns, as SVG of w × h, what drawing puts on the canvas.
func DrawSVG(w, h vg.Length, drawing func(draw.Canvas)) ([]byte, error) {
	c := vgsvg.New(w, h)
	drawing(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DrawPNG returns, as PNG of w × h at dpi dots per inch, what drawing puts
// on the canvas.
func DrawPNG(w, h vg.Length, dpi int, drawing func(draw.Canvas)) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	drawing(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SVG renders p as SVG of w × h.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return DrawSVG(w, h, p.Draw)
}

// PNG renders p as PNG of w × h at dpi dots per inch.
func PNG(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	return DrawPNG(w, h, dpi, p.Draw)
}
