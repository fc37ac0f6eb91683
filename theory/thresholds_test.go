package theory

import (
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// publishedPaperTable is the optimal-threshold statistics table of the
// paper's v1/v2 figure (compute_optimal_threshold.py output, pasted as
// comments in plot_optimal_threshold.py), as printed in paper-spec.md F7:
// theta, mean, stdev, min, max, median.
var publishedPaperTable = `
3 0.036662656 0.045076188 0.000126298 0.189184284 0.018156949
4 0.008381634 0.013555152 2.53E-06 0.062735256 0.002227752
5 0.001667118 0.00333653 3.73E-08 0.016796138 0.000210173
6 0.00029138 0.000692739 4.21E-10 0.003730784 1.58E-05
7 4.51E-05 0.000123628 3.72E-12 0.000702096 9.60E-07
8 6.22E-06 1.92E-05 2.61E-14 0.000113791 4.83E-08
9 7.68E-07 2.63E-06 1.47E-16 1.61E-05 2.04E-09
10 8.55E-08 3.20E-07 6.67E-19 2.01E-06 7.40E-11
11 8.60E-09 3.47E-08 2.44E-21 2.22E-07 2.49E-12
12 7.86E-10 3.38E-09 7.17E-24 2.21E-08 7.63E-14
13 6.54E-11 2.98E-10 1.69E-26 1.97E-09 2.05E-15
14 4.98E-12 2.39E-11 3.13E-29 1.60E-10 4.88E-17
15 3.47E-13 1.74E-12 4.54E-32 1.17E-11 1.03E-18
16 2.22E-14 1.15E-13 4.99E-35 7.88E-13 1.95E-20
17 1.31E-15 7.02E-15 4.01E-38 4.83E-14 3.28E-22
18 7.08E-17 3.92E-16 2.22E-41 2.72E-15 4.90E-24
19 3.54E-18 2.01E-17 7.50E-45 1.41E-16 5.32E-26
20 1.64E-19 9.51E-19 1.17E-48 6.69E-18 4.11E-28
21 7.00E-21 4.14E-20 0 2.94E-19 2.68E-30
22 2.77E-22 1.67E-21 0 1.19E-20 2.91E-32
23 1.01E-23 6.19E-23 0 4.45E-22 2.90E-34
24 3.43E-25 2.13E-24 0 1.54E-23 2.60E-36
`

// published2018Medians are the medians of the later (2018) grid, θ = 3…24,
// as listed in paper-spec.md F7 ("All were reproduced [CALC]").
var published2018Medians = strings.Fields(`0.017325533 0.001989467 1.7097e-4 1.20e-5
6.57e-7 3.33e-8 1.35e-9 4.80e-11 1.54e-12 3.41e-14 6.40e-16 9.34e-18 1.37e-19
1.43e-21 1.42e-23 1.12e-25 5.18e-28 3.90e-30 1.70e-32 9.21e-35 4.62e-37 2.07e-39`)

// matchesPrinted reports whether got, printed with the precision of the
// published string (its decimal places, or its significant digits in E
// notation), gives the published value: |got − pub| ≤ half a unit in the
// last printed place (plus a hair for binary rounding).
func matchesPrinted(t *testing.T, got Float, pub string) bool {
	t.Helper()
	want, _, err := big.ParseFloat(pub, 10, 200, big.ToNearestEven)
	if err != nil {
		t.Fatalf("bad published value %q", pub)
	}
	if want.Sign() == 0 {
		return got.IsZero()
	}
	mant, exp := strings.ToLower(pub), 0
	if i := strings.IndexByte(mant, 'e'); i >= 0 {
		e, err := strconv.Atoi(mant[i+1:])
		if err != nil {
			t.Fatal(err)
		}
		exp = e
		mant = mant[:i]
	}
	decimals := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		decimals = len(mant) - i - 1
	}
	// ulp of the printed value = 10^(exp − decimals).
	half := new(big.Float).SetPrec(200).SetFloat64(0.5 * 1.000001)
	ten := new(big.Float).SetPrec(200).SetInt64(10)
	p := exp - decimals
	for ; p > 0; p-- {
		half.Mul(half, ten)
	}
	for ; p < 0; p++ {
		half.Quo(half, ten)
	}
	d := new(big.Float).SetPrec(200).Sub(got.Big(), want)
	return d.Abs(d).Cmp(half) <= 0
}

func TestThresholdsPaperTable(t *testing.T) {
	stats, err := Thresholds(PaperGrid())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(publishedPaperTable), "\n")
	if len(stats) != len(lines) {
		t.Fatalf("%d θ values, want %d", len(stats), len(lines))
	}
	for i, line := range lines {
		f := strings.Fields(line)
		st := stats[i]
		if st.Count != 420 {
			t.Errorf("θ=%d: %d configurations, want 420", st.Theta, st.Count)
		}
		if got := f[0]; got != itoa(st.Theta) {
			t.Fatalf("row %d: θ=%d, want %s", i, st.Theta, got)
		}
		for j, v := range []Float{st.Mean, st.Stdev, st.Min, st.Max, st.Median} {
			if !matchesPrinted(t, v, f[j+1]) {
				t.Errorf("θ=%d column %d: got %s, published %s", st.Theta, j+1, v, f[j+1])
			}
		}
	}
}

func TestThresholdsPaper2018Medians(t *testing.T) {
	stats, err := Thresholds(Paper2018Grid())
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != len(published2018Medians) {
		t.Fatalf("%d θ values, want %d", len(stats), len(published2018Medians))
	}
	for i, st := range stats {
		if st.Count != 210 {
			t.Errorf("θ=%d: %d configurations, want 210", st.Theta, st.Count)
		}
		if !matchesPrinted(t, st.Median, published2018Medians[i]) {
			t.Errorf("θ=%d median %s, published %s", st.Theta, st.Median, published2018Medians[i])
		}
	}
}

func TestPaperGridQuirks(t *testing.T) {
	g := PaperGrid()
	// paper-spec §11: the float-accumulated loop includes
	// 0.030000000000000002 and not 0.035.
	if len(g.Sparsity) != 6 || g.Sparsity[5] != 0.030000000000000002 {
		t.Errorf("sparsity grid %v, want 6 values ending in 0.030000000000000002", g.Sparsity)
	}
	if len(g.N) != 10 || g.N[0] != 10000 || g.N[9] != 190000 {
		t.Errorf("n grid %v", g.N)
	}
	bad := g
	bad.Sparsity = []float64{1.5}
	if _, err := Thresholds(bad); err == nil {
		t.Error("sparsity 1.5 accepted")
	}
	if _, err := Thresholds(Grid{}); err == nil {
		t.Error("empty grid accepted")
	}
}
