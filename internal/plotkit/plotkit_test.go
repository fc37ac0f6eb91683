package plotkit

import (
	"bytes"
	"image/png"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, tk := range ticks {
		if tk.Label != "" {
			out = append(out, tk.Label)
		}
	}
	return out
}

func TestDecadeTicker(t *testing.T) {
	for _, c := range []struct {
		t      DecadeTicker
		lo, hi float64
		want   []string
		n      int // number of ticks, labelled or not
	}{
		// 24 decades: every third labelled, no minor ticks.
		{DecadeTicker{Minor: true}, -24.3, 0, []string{"10⁻²⁴", "10⁻²¹", "10⁻¹⁸", "10⁻¹⁵", "10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "1"}, 25},
		{DecadeTicker{}, -3, 0, []string{"10⁻³", "10⁻²", "10⁻¹", "1"}, 4},
		// Minor ticks 2…9 × 10^k inside [lo, hi], below the first decade too.
		{DecadeTicker{Minor: true}, -3.5, 0, []string{"10⁻³", "10⁻²", "10⁻¹", "1"}, 4 + 3*8 + 6},
		{DecadeTicker{Plain: true}, 0, 5, []string{"1", "10", "100", "1000", "10000", "10⁵"}, 6},
		// 20 decades: every other one, as the step list gives for spans up to 21.
		{DecadeTicker{}, -20, 0.2, []string{"10⁻²⁰", "10⁻¹⁸", "10⁻¹⁶", "10⁻¹⁴", "10⁻¹²", "10⁻¹⁰", "10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²", "1"}, 21},
	} {
		ticks := c.t.Ticks(c.lo, c.hi)
		if got := labels(ticks); !slices.Equal(got, c.want) {
			t.Errorf("%+v.Ticks(%g, %g) labels = %v, want %v", c.t, c.lo, c.hi, got, c.want)
		}
		if len(ticks) != c.n {
			t.Errorf("%+v.Ticks(%g, %g): %d ticks, want %d", c.t, c.lo, c.hi, len(ticks), c.n)
		}
		for _, tk := range ticks {
			if tk.Value < c.lo-1e-9 || tk.Value > c.hi+1e-9 {
				t.Errorf("%+v.Ticks(%g, %g): tick at %g outside", c.t, c.lo, c.hi, tk.Value)
			}
		}
	}
}

// TestTickFontGlyphs checks that TickFont has a glyph for every character
// a decade label can hold (the embedded Liberation Serif lacks ⁰, ⁹ and ⁻,
// which would render as boxes in PNG files).
func TestTickFontGlyphs(t *testing.T) {
	face := font.DefaultCache.Lookup(TickFont(10), 10)
	if face.Face == nil || face.Font.Typeface != TickTypeface {
		t.Fatalf("TickFont is not in the font cache: %+v", face.Font)
	}
	var buf sfnt.Buffer
	for _, r := range "0123456789⁰¹²³⁴⁵⁶⁷⁸⁹⁻" {
		if i, err := face.Face.GlyphIndex(&buf, r); err != nil || i == 0 {
			t.Errorf("TickFont has no glyph for %q (index %d, %v)", r, i, err)
		}
	}
}

func TestDecadeLabel(t *testing.T) {
	for _, c := range []struct {
		d     int
		plain bool
		want  string
	}{
		{0, false, "1"}, {0, true, "1"}, {1, false, "10"}, {-10, false, "10⁻¹⁰"}, {29, false, "10²⁹"}, {3, false, "10³"}, {3, true, "1000"}, {4, true, "10000"},
		{5, true, "10⁵"}, {-2, true, "10⁻²"}, {-12, false, "10⁻¹²"},
	} {
		if got := DecadeLabel(c.d, c.plain); got != c.want {
			t.Errorf("DecadeLabel(%d, %v) = %q, want %q", c.d, c.plain, got, c.want)
		}
	}
}

func TestStepTicker(t *testing.T) {
	for _, c := range []struct {
		step, lo, hi float64
		want         []string
	}{
		{0.1, 0, 0.5, []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		{0.2, -0.4, 0.4, []string{"-0.4", "-0.2", "0.0", "0.2", "0.4"}}, // no "-0.0"
		{0.25, 0, 0.5, []string{"0.00", "0.25", "0.50"}},
		{2.5, 0, 7.5, []string{"0.0", "2.5", "5.0", "7.5"}},
		{2000, 0, 9999, []string{"0", "2000", "4000", "6000", "8000"}},
		{1, 1.5, 15.5, []string{"2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
	} {
		if got := labels(StepTicker{Step: c.step}.Ticks(c.lo, c.hi)); !slices.Equal(got, c.want) {
			t.Errorf("StepTicker{%g}.Ticks(%g, %g) = %v, want %v", c.step, c.lo, c.hi, got, c.want)
		}
	}
}

func TestLineStyle(t *testing.T) {
	if ls := LineStyle("", Blue, LineWidth); ls.Dashes != nil || ls.Color != Blue || ls.Width != LineWidth {
		t.Errorf("solid: %+v", ls)
	}
	if ls := LineStyle("dashed", Red, 1); !slices.Equal(ls.Dashes, []vg.Length{vg.Points(6), vg.Points(3)}) {
		t.Errorf("dashed: %v", ls.Dashes)
	}
	if ls := LineStyle("dotted", Red, 1); !slices.Equal(ls.Dashes, []vg.Length{vg.Points(1.5), vg.Points(2.5)}) {
		t.Errorf("dotted: %v", ls.Dashes)
	}
}

func TestMarker(t *testing.T) {
	g := Marker(Green, nil)
	if _, ok := g.Shape.(draw.CircleGlyph); !ok || g.Radius != MarkerRadius || g.Color != Green {
		t.Errorf("Marker(Green, nil) = %+v", g)
	}
	if g := Marker(Green, draw.BoxGlyph{}); g.Shape != (draw.BoxGlyph{}) {
		t.Errorf("shape %T", g.Shape)
	}
}

func TestPalette(t *testing.T) {
	seen := map[any]bool{}
	for _, c := range Palette {
		if seen[c] {
			t.Errorf("colour %v twice", c)
		}
		seen[c] = true
	}
}

func TestNewLegend(t *testing.T) {
	for _, c := range []struct {
		l          Legend
		xoff, yoff vg.Length
	}{
		{Legend{Top: true}, vg.Points(-6), vg.Points(-6)},
		{Legend{Top: true, Left: true}, vg.Points(6), vg.Points(-6)},
		{Legend{}, vg.Points(-6), vg.Points(6)},
		{Legend{Left: true}, vg.Points(6), vg.Points(6)},
	} {
		p := New("T", "x", "y", c.l)
		if p.Title.Text != "T" || p.X.Label.Text != "x" || p.Y.Label.Text != "y" {
			t.Errorf("texts %q %q %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
		}
		if p.Legend.Top != c.l.Top || p.Legend.Left != c.l.Left || p.Legend.XOffs != c.xoff || p.Legend.YOffs != c.yoff {
			t.Errorf("%+v: legend top %v left %v offsets %v, %v", c.l, p.Legend.Top, p.Legend.Left, p.Legend.XOffs, p.Legend.YOffs)
		}
	}
}

func testPlot(t *testing.T) *plot.Plot {
	p := New("a plot", "x", "y", Legend{Top: true})
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -3}, {X: 1, Y: -1}})
	if err != nil {
		t.Fatal(err)
	}
	l.LineStyle = LineStyle("dashed", Blue, LineWidth)
	p.Add(l)
	p.Legend.Add("line", l)
	LogAxis(&p.Y, DecadeTicker{Minor: true})
	p.X.Tick.Marker = StepTicker{Step: 0.5}
	return p
}

func TestSVG(t *testing.T) {
	a, err := SVG(testPlot(t), Width, Height)
	if err != nil {
		t.Fatal(err)
	}
	s := string(a)
	if !strings.HasPrefix(s, "<?xml") || !strings.Contains(s, "<svg") || !strings.Contains(s, "a plot") || !strings.Contains(s, "10⁻²") {
		t.Errorf("SVG output lacks its prolog, title or labels:\n%.300s", s)
	}
	b, err := SVG(testPlot(t), Width, Height)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("SVG is not deterministic")
	}
	// The same as gonum's own writer.
	wt, err := testPlot(t).WriterTo(Width, Height, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, buf.Bytes()) {
		t.Error("SVG differs from plot.WriterTo")
	}
}

func TestDrawSVG(t *testing.T) {
	top, bot := testPlot(t), testPlot(t)
	b, err := DrawSVG(7*vg.Inch, 3*vg.Inch, func(dc draw.Canvas) {
		c := plot.Align([][]*plot.Plot{{top}, {bot}}, draw.Tiles{Rows: 2, Cols: 1}, dc)
		top.Draw(c[0][0])
		bot.Draw(c[1][0])
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), ">a plot<"); n != 2 {
		t.Errorf("%d titles drawn, want 2", n)
	}
	if !strings.Contains(string(b), `width="504pt" height="216pt"`) {
		t.Errorf("size not 7 × 3 in:\n%.300s", b)
	}
}

func TestPNG(t *testing.T) {
	b, err := PNG(testPlot(t), Width, Height, DPI)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// 7 × 4.6 in at 150 dpi.
	if r := img.Bounds(); r.Dx() != 1050 || r.Dy() != 690 {
		t.Errorf("PNG is %d × %d, want 1050 × 690", r.Dx(), r.Dy())
	}
}
