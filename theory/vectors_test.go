package theory

import (
	"encoding/csv"
	"math/big"
	"os"
	"strconv"
	"testing"
)

// referenceRow is one row of testdata/theory-vectors.csv: 117 exact
// reference values, each with its provenance (published value, source
// file or note), computed with exact rational arithmetic for the paper
// spec (docs/paper-spec.md §9, [CALC]).
type referenceRow struct {
	id, quantity string
	params       Args
	value        *big.Float // 25 significant digits
	provenance   string
}

func readVectors(t testing.TB) []referenceRow {
	t.Helper()
	f, err := os.Open("../testdata/theory-vectors.csv")
	if err != nil {
		t.Fatalf("reference values: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var rows []referenceRow
	for _, r := range recs[1:] {
		var p Args
		for _, info := range Params() {
			if i, ok := col[info.Name]; ok && r[i] != "" {
				s := r[i]
				v, err := strconv.Atoi(s)
				if err != nil {
					t.Fatalf("%s: %s=%q: %v", r[0], info.Name, s, err)
				}
				p = p.With(info.Param, v)
			}
		}
		v, _, err := big.ParseFloat(r[col["value"]], 10, 200, big.ToNearestEven)
		if err != nil {
			t.Fatalf("%s: value: %v", r[0], err)
		}
		rows = append(rows, referenceRow{r[0], r[col["quantity"]], p, v, r[col["provenance"]]})
	}
	return rows
}

// relErr returns |got − want| / |want|, or |got| if want is 0.
func relErr(got, want *big.Float) float64 {
	d := new(big.Float).SetPrec(300).Sub(got, want)
	if want.Sign() == 0 {
		f, _ := d.Abs(d).Float64()
		return f
	}
	d.Quo(d, want)
	f, _ := d.Abs(d).Float64()
	return f
}

// TestReferenceVectors checks all 117 reference values in both modes:
// fast within 1e-12 relative, exact within 1e-20 (the reference carries
// 25 significant digits), and zeros exactly.
func TestReferenceVectors(t *testing.T) {
	rows := readVectors(t)
	if len(rows) != 117 {
		t.Fatalf("read %d reference rows, want 117", len(rows))
	}
	for _, r := range rows {
		for _, exact := range []bool{false, true} {
			tol := 1e-12
			if exact {
				tol = 1e-20
			}
			v, err := Eval(r.quantity, r.params, exact)
			if err != nil {
				t.Errorf("%s (exact=%v): %v", r.id, exact, err)
				continue
			}
			if r.value.Sign() == 0 {
				if !v.IsZero() {
					t.Errorf("%s (exact=%v) = %s, want exactly 0", r.id, exact, v)
				}
				continue
			}
			if e := relErr(v.Big(), r.value); e > tol {
				t.Errorf("%s %s%v (exact=%v) = %s, want %s (rel err %.2g > %g; %s)",
					r.id, r.quantity, "("+r.params.String()+")", exact, v, r.value.Text('e', 24), e, tol, r.provenance)
			}
		}
	}
}
