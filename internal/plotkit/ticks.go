package plotkit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// DecadeTicker marks the decades of an axis whose data are log10 values,
// labelling them "1", "10⁻³", … (and "10", "100", "1000", "10000" when
// Plain is set), every step-th decade labelled so that at most about ten
// labels show. With Minor set, minor ticks mark 2…9 × 10^k when at most
// twelve decades are shown.
type DecadeTicker struct{ Plain, Minor bool }

// Ticks implements plot.Ticker.
func (t DecadeTicker) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo-1e-9)), int(math.Floor(hi+1e-9))
	span := last - first
	step := 1
	for _, s := range []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20} {
		step = s
		if span/s <= 10 {
			break
		}
	}
	minor := t.Minor && span <= 12
	var ticks []plot.Tick
	for d := first - 1; d <= last; d++ {
		if d >= first {
			tk := plot.Tick{Value: float64(d)}
			if ((d%step)+step)%step == 0 {
				tk.Label = DecadeLabel(d, t.Plain)
			}
			ticks = append(ticks, tk)
		}
		if minor {
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

// DecadeLabel returns the label of 10^d: "1" for d = 0, "10⁻³" and the
// like (a superscript exponent), or with plain "10", "100", "1000" and
// "10000" for d = 1 to 4. Draw it in TickFont: the embedded Liberation
// fonts lack ⁰, ⁹ and ⁻.
func DecadeLabel(d int, plain bool) string {
	switch {
	case d == 0:
		return "1"
	case d == 1:
		return "10"
	case plain && d > 0 && d <= 4:
		return fmt.Sprintf("%.0f", math.Pow10(d))
	}
	return "10" + Superscript(d)
}

// Superscript writes d with superscript digits and minus sign, as in
// 10⁻¹².
func Superscript(d int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b strings.Builder
	for _, c := range strconv.Itoa(d) {
		if c == '-' {
			b.WriteString("⁻")
			continue
		}
		b.WriteString(string([]rune(digits)[c-'0']))
	}
	return b.String()
}

// TickTypeface names the typeface of the decade labels: Go Regular
// (golang.org/x/image/font/gofont, BSD licence), which has every
// superscript digit and the superscript minus. It is added to gonum's font
// cache on first use; an SVG names it as font-family "Go", for which
// htmlpage.InlineSVG supplies browser fallbacks.
const TickTypeface = "Go"

var tickFontOnce sync.Once

// TickFont returns the font of the decade labels at the given size.
func TickFont(size vg.Length) font.Font {
	tickFontOnce.Do(func() {
		f, err := opentype.Parse(goregular.TTF)
		if err != nil {
			panic("plotkit: the embedded Go font does not parse: " + err.Error()) // a build defect, not input
		}
		font.DefaultCache.Add(font.Collection{{Font: font.Font{Typeface: TickTypeface}, Face: f}})
	})
	return font.Font{Typeface: TickTypeface, Size: size}
}

// LogAxis marks ax with t and draws its labels in TickFont, at the size the
// axis had.
func LogAxis(ax *plot.Axis, t DecadeTicker) {
	ax.Tick.Marker = t
	ax.Tick.Label.Font = TickFont(ax.Tick.Label.Font.Size)
}

// StepTicker marks a linear axis at every multiple of Step, labelling
// every tick with as many decimals as Step itself needs: none for 1 or 500,
// one for 0.1 or 2.5, two for 0.25.
type StepTicker struct{ Step float64 }

// Ticks implements plot.Ticker.
func (t StepTicker) Ticks(lo, hi float64) []plot.Tick {
	decimals := stepDecimals(t.Step)
	var ticks []plot.Tick
	for i := math.Ceil(lo/t.Step - 1e-9); i*t.Step <= hi+1e-9*t.Step; i++ {
		v := i * t.Step
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ticks
}

// stepDecimals returns the fewest decimals (at most 12) that write step
// exactly, up to a relative 1e-9.
func stepDecimals(step float64) int {
	for d := 0; d < 12; d++ {
		x := step * math.Pow10(d)
		if math.Abs(x-math.Round(x)) <= 1e-9*x {
			return d
		}
	}
	return 12
}
