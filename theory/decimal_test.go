package theory

import (
	"math"
	"math/big"
	"strconv"
	"testing"
)

// TestTextWideExponent checks formatWide against big.Float's own decimal
// formatting (slow but exact) where the latter is affordable, and that
// values far outside float64 print with their known exponent.
func TestTextWideExponent(t *testing.T) {
	for _, c := range []struct {
		frac float64
		exp  int
	}{
		{0.5, -16150}, {0.7071067811865476, -1100}, {0.99999999999999989, 3000},
		{0.5, 1}, {0.8, -3}, {0.6545923742300853, -16151}, {0.5, -1021}, {0.5, 1025},
	} {
		x := Float{frac: c.frac, exp: c.exp}
		for _, d := range []int{1, 5, 17, 25} {
			want := x.Big().Text('e', d-1)
			if got := formatWide(big.NewFloat(c.frac), int64(c.exp), d); got != want {
				t.Errorf("%v·2^%d with %d digits: got %s, big.Float says %s", c.frac, c.exp, d, got, want)
			}
		}
	}
	// 2^(−2^40) = 10^(−2^40·log10 2); with log10 2 to 40 digits in Python's
	// decimal module at 50 digits, 2^40·log10(2) = 330985980541.906185882…,
	// so the value is 10^0.093814117… · 10^−330985980542 = 1.2411209824…e−330985980542.
	x := Float{frac: 0.5, exp: -(1 << 40) + 1}
	got := x.Text(5)
	if got != "1.2411e-330985980542" {
		t.Errorf("2^-2^40 = %s, want 1.2411e-330985980542", got)
	}
}

// TestParseFloatWideExponent: Text and ParseFloat are inverse for any
// exponent, and ParseFloat rejects what is not a non-negative decimal.
func TestParseFloatWideExponent(t *testing.T) {
	for _, exp := range []int{-3_000_000_000_000, -148713 * 3, -16151, -3, 0, 7, 1 << 33} {
		x := Float{frac: 0.6180339887498949, exp: exp}
		y, err := ParseFloat(x.String())
		if err != nil || y != x {
			t.Errorf("2^%d: %s parses to %v, %v", exp, x, y, err)
		}
	}
	for _, s := range []string{"", "-1", "1e", "e5", "0x1p3", "1e1000000000000001", "1e+-3", "Inf", "1_0", "1e9223372036854775808"} {
		if _, err := ParseFloat(s); err == nil {
			t.Errorf("ParseFloat(%q) accepted", s)
		}
	}
	if x, err := ParseFloat("4.3e-148713"); err != nil || math.Abs(x.Log10()-(-148713+math.Log10(4.3))) > 1e-9 {
		t.Errorf("4.3e-148713 → %v, %v", x, err)
	}
	if x, err := ParseFloat("0"); err != nil || !x.IsZero() {
		t.Errorf("0 → %v, %v", x, err)
	}
}

// BenchmarkTextWide prints a value with 17 digits at binary exponents up to
// about 3.3e12 (decimal exponents up to 1e12); the time grows like the
// logarithm of the exponent.
func BenchmarkTextWide(b *testing.B) {
	for _, e10 := range []int{300, 148713, 1_000_000, 1_000_000_000, 1_000_000_000_000} {
		x := Float{frac: 0.6545923742300853, exp: -int(float64(e10) / math.Log10(2))}
		b.Run("1e-"+strconv.Itoa(e10), func(b *testing.B) {
			for b.Loop() {
				_ = x.Text(17)
			}
		})
	}
}

// BenchmarkParseFloatWide parses 17-digit values with decimal exponents up
// to 1e12.
func BenchmarkParseFloatWide(b *testing.B) {
	for _, s := range []string{"6.5459237423008534e-4863", "4.3e-148713", "1.2411e-330985980542"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseFloat(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
