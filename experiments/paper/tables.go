package paper

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/dendritic/dendritic/theory"
)

// The companion notebook's tables use n = 100000 and a = 2000.
const tableN, tableA = 100000, 2000

// tableRow is one row of tables 1B–1D: parameters and the notebook's
// printed (sympy) value.
type tableRow struct {
	theta, m, s int
	notebook    string
}

var (
	rows1B = []tableRow{
		{6, 0, 6, "6.35308872941916e-11"},
		{8, 0, 8, "2.52507239284961e-14"},
		{10, 0, 10, "1.00163216178113e-17"},
	}
	rows1C = []tableRow{
		{6, 0, 12, "5.29386836275369e-8"},
		{8, 0, 16, "2.81724528327272e-10"},
		{10, 0, 20, "1.54192767258720e-12"},
		{12, 0, 24, "8.58694100276592e-15"},
	}
	rows1D = []tableRow{
		{10, 2, 40, "4.91541864813209e-9"},
		{10, 4, 80, "4.62568448037595e-6"},
		{10, 6, 120, "1.58799793094937e-4"},
		{20, 6, 240, "1.07990763941591e-7"},
	}
)

// exactText formats z with 16 significant digits, as in the spec's tables.
func exactText(z *big.Float) string { return z.Text('e', 15) }

// relDiff returns (published − exact)/exact formatted with 2 digits.
func relDiff(publishedText string, exact *big.Float) (string, error) {
	pub, ok := new(big.Float).SetPrec(256).SetString(publishedText)
	if !ok {
		return "", fmt.Errorf("bad published value %q", publishedText)
	}
	if exact.Sign() == 0 {
		return "", fmt.Errorf("exact value is 0")
	}
	d := new(big.Float).SetPrec(256).Sub(pub, exact)
	d.Quo(d, exact)
	f, _ := d.Float64()
	if f == 0 {
		return "0", nil
	}
	return strconv.FormatFloat(f, 'e', 1, 64), nil
}

func (b *builder) notebookTable(id, title, caption string, rows []tableRow, withM bool) (*Table, error) {
	t := &Table{ID: id, Title: title, Caption: caption}
	if withM {
		t.Columns = []string{"θ", "m", "s = 2mθ", "notebook (sympy)", "exact (this report)", "relative error of notebook"}
	} else {
		t.Columns = []string{"s", "θ", "notebook (sympy)", "exact (this report)", "relative error of notebook"}
	}
	for _, r := range rows {
		z, err := theory.FPBig(tableN, tableA, r.s, r.theta)
		if err != nil {
			return nil, err
		}
		rd, err := relDiff(r.notebook, z)
		if err != nil {
			return nil, err
		}
		if withM {
			t.Rows = append(t.Rows, []string{strconv.Itoa(r.theta), strconv.Itoa(r.m), strconv.Itoa(r.s), r.notebook, exactText(z), rd})
		} else {
			t.Rows = append(t.Rows, []string{strconv.Itoa(r.s), strconv.Itoa(r.theta), r.notebook, exactText(z), rd})
		}
	}
	return t, nil
}

func (b *builder) tableT1B() (*Table, error) {
	return b.notebookTable("T1B", "Table 1B: false-match probability with s = θ (n = 100000, a = 2000)",
		"E2 when every synapse must be active (s = θ). Notebook values were printed by sympy; exact values are computed with math/big.",
		rows1B, false)
}

func (b *builder) tableT1C() (*Table, error) {
	caveat, err := noiseCaveat(tableA, 20, 10)
	if err != nil {
		return nil, err
	}
	t, err := b.notebookTable("T1C", "Table 1C: false-match probability with s = 2θ (n = 100000, a = 2000)",
		"E2 with twice as many synapses as the threshold: "+caveat+".",
		rows1C, false)
	if t != nil {
		t.Notes = append(t.Notes, "The notebook's v2 header says \"n=10000, a=300\"; the values were computed with n = 100000, a = 2000 (paper spec §10 item 7).")
	}
	return t, err
}

func (b *builder) tableT1D() (*Table, error) {
	t, err := b.notebookTable("T1D", "Table 1D: false-match probability with s = 2mθ, m patterns per segment (n = 100000, a = 2000)",
		"E2 for a segment that holds m patterns of 2θ synapses each (s = 2mθ).",
		rows1D, true)
	if t != nil {
		t.Notes = append(t.Notes, "The notebook's θ = 10, m = 2 value is wrong from the 10th digit on (sympy's evaluation of a sum of ratio terms; paper spec §10 item 3).")
	}
	return t, err
}

// Published optimal-threshold medians (compute_optimal_threshold.py
// output for θ = 3…24), the paper's grid and the 2018 grid.
var (
	publishedMedians2016 = []string{"0.018156949", "0.002227752", "0.000210173", "1.58E-05", "9.60E-07",
		"4.83E-08", "2.04E-09", "7.40E-11", "2.49E-12", "7.63E-14", "2.05E-15", "4.88E-17", "1.03E-18",
		"1.95E-20", "3.28E-22", "4.90E-24", "5.32E-26", "4.11E-28", "2.68E-30", "2.91E-32", "2.90E-34", "2.60E-36"}
	publishedMedians2018 = []string{"0.017325533", "0.001989467", "1.7097e-4", "1.20e-5", "6.57e-7",
		"3.33e-8", "1.35e-9", "4.80e-11", "1.54e-12", "3.41e-14", "6.40e-16", "9.34e-18", "1.37e-19",
		"1.43e-21", "1.42e-23", "1.12e-25", "5.18e-28", "3.90e-30", "1.70e-32", "9.21e-35", "4.62e-37", "2.07e-39"}
)

func (b *builder) tableE7() (*Table, error) {
	s16, s18, err := b.thresholdStats()
	if err != nil {
		return nil, err
	}
	if len(s16) != len(publishedMedians2016) || len(s18) != len(publishedMedians2018) {
		return nil, fmt.Errorf("unexpected number of thresholds: %d, %d", len(s16), len(s18))
	}
	t := &Table{
		ID:    "E7",
		Title: "Optimal-threshold statistics (E7): E2 over the paper's grid, for each θ",
		Caption: fmt.Sprintf("For each θ, E2 over the %d configurations of the paper's grid (n = 10000 … 190000, "+
			"sparsity 0.5%% … 3%%, s = 20 … 50): mean, population standard deviation, minimum, maximum and median "+
			"(numpy's, the mean of the two middle values); configurations with θ > s contribute exact zeros. The "+
			"last columns give the median over the later (2018) grid (n = 1000 … 17000, %d configurations).", s16[0].Count, s18[0].Count),
		Columns: []string{"θ", "mean", "stdev", "min", "max", "median", "published median", "median (2018 grid)", "published (2018)"},
	}
	for i, x := range s16 {
		y := s18[i]
		if y.Theta != x.Theta {
			return nil, fmt.Errorf("grids disagree on θ: %d, %d", x.Theta, y.Theta)
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(x.Theta), x.Mean.Text(4), x.Stdev.Text(4), x.Min.Text(4),
			x.Max.Text(4), x.Median.Text(4), publishedMedians2016[i], y.Median.Text(4), publishedMedians2018[i]})
	}
	from := firstBelow(s16, 1e-9)
	t.Notes = append(t.Notes, fmt.Sprintf("The median first drops below 1e-9 at θ = %d.", from))
	return t, nil
}
