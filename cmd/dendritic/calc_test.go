package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/batch"
)

// calcRun runs the CLI in-process and returns stdout, stderr and the status.
func calcRun(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var o, e bytes.Buffer
	status = run(args, &o, &e)
	return o.String(), e.String(), status
}

// calcFP23 is row FP-023 of testdata/theory-vectors.csv: fp(10000, 64, 24,
// 12), computed exactly with math/big by the theory package's reference
// generator. The published notebook (sdr_math_neuron_paper.ipynb cell 4)
// printed 0 because sympy's evalf underflowed; paper-spec §10 item 3.
const calcFP23 = "4.041597122776570419406587e-21"

var calcFP23Args = []string{"fp", "--n", "10000", "--a", "64", "--s", "24", "--theta", "12"}

func TestCalcText(t *testing.T) {
	out, errOut, st := calcRun(t, append([]string{"calc"}, calcFP23Args...)...)
	if st != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", st, errOut)
	}
	// fp(n=10000, a=64, s=24, theta=12) = 4.0415971227765702e-21   (log10 -20.393447; E2, fast, 17 digits)
	re := regexp.MustCompile(`^fp\(n=10000, a=64, s=24, theta=12\) = (4\.04159712277657\d*e-21) +\(log10 -20\.393447; E2, fast, 17 digits\)\n$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output %q", out)
	}
	calcCheckClose(t, m[1], calcFP23, 1e-12)

	// Exact, with the flags before the quantity and in scientific form.
	out, _, st = calcRun(t, "calc", "--n", "1e4", "--a", "64", "--exact", "fp", "--s", "24", "--theta", "1.2e1")
	if st != 0 || !strings.Contains(out, "= "+calcFP23+" ") || !strings.Contains(out, "exact, 25 digits") {
		t.Fatalf("status %d, output %q", st, out)
	}

	// An exact zero (a < θ) says so.
	out, _, st = calcRun(t, "calc", "fp", "--n", "1000", "--a", "5", "--s", "20", "--theta", "10")
	if st != 0 || !strings.Contains(out, ") = 0   (exactly zero; E2") {
		t.Fatalf("status %d, output %q", st, out)
	}

	// Far below the float64 range: 1/C(200000, 2000), row EXACT-004.
	out, _, st = calcRun(t, "calc", "match", "--n", "200000", "--a", "2000", "--exact")
	if st != 0 || !strings.Contains(out, "= 6.545923742300831222402512e-4863 ") {
		t.Fatalf("status %d, output %q", st, out)
	}
}

func TestCalcJSON(t *testing.T) {
	for _, exact := range []bool{false, true} {
		args := append([]string{"calc"}, calcFP23Args...)
		args = append(args, "--format", "json")
		if exact {
			args = append(args, "--exact")
		}
		out, _, st := calcRun(t, args...)
		if st != 0 {
			t.Fatalf("status %d", st)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		keys := []string{}
		for k := range got {
			keys = append(keys, k)
		}
		for _, k := range []string{"quantity", "params", "value", "log10"} {
			if _, ok := got[k]; !ok {
				t.Errorf("missing key %q in %s", k, out)
			}
		}
		if len(got) != 6 {
			t.Errorf("keys %v, want quantity, params, value, log10, exact, digits", keys)
		}
		var r struct {
			Quantity string
			Params   map[string]int
			Value    string
			Log10    *float64
			Exact    bool
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if r.Quantity != "fp" || len(r.Params) != 4 || r.Params["n"] != 10000 || r.Params["a"] != 64 ||
			r.Params["s"] != 24 || r.Params["theta"] != 12 || r.Exact != exact {
			t.Errorf("%s", out)
		}
		if r.Log10 == nil || math.Abs(*r.Log10+20.393446980300016) > 1e-12 {
			t.Errorf("log10 in %s", out)
		}
		if exact {
			if r.Value != calcFP23 {
				t.Errorf("value %q, want %q", r.Value, calcFP23)
			}
		} else {
			calcCheckClose(t, r.Value, calcFP23, 1e-12)
		}
		// The keys come in the documented order.
		if !strings.HasPrefix(out, `{"quantity":"fp","params":{"n":10000,"a":64,"s":24,"theta":12},"value":"`) {
			t.Errorf("order: %s", out)
		}
	}
	// Exact zero: value "0", log10 null.
	out, _, st := calcRun(t, "calc", "fn", "--a", "128", "--s", "30", "--theta", "8", "--noise", "19", "--format", "json")
	if st != 0 || out != `{"quantity":"fn","params":{"a":128,"s":30,"theta":8,"noise":19},"value":"0","log10":null,"exact":false,"digits":17}`+"\n" {
		t.Errorf("status %d, output %q", st, out)
	}
}

func TestCalcCSV(t *testing.T) {
	out, _, st := calcRun(t, append([]string{"calc", "--format", "csv"}, calcFP23Args...)...)
	if st != 0 {
		t.Fatalf("status %d", st)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%q: %v", out, err)
	}
	// The columns follow theory's table (batch.Columns); the fp columns
	// lead: quantity,n,a,s,theta.
	want := strings.Join(append(batch.Columns(), batch.OutputColumns...), ",")
	if got := strings.Join(rows[0], ","); got != want || !strings.HasPrefix(got, "quantity,n,a,s,theta,") || !strings.HasSuffix(got, ",value,log10,error,warning") {
		t.Errorf("header %q", got)
	}
	if got := strings.Join(rows[1][:9], ","); got != "fp,10000,64,24,12,,,," || rows[1][11] != "" {
		t.Errorf("row %q", rows[1])
	}
	calcCheckClose(t, rows[1][9], calcFP23, 1e-12)

	// The row is in the batch schema: feeding it back gives the same row.
	dir := t.TempDir()
	f := filepath.Join(dir, "in.csv")
	os.WriteFile(f, []byte(out), 0o644)
	out2, _, st := calcRun(t, "calc", "--batch", f)
	if st != 0 || out2 != out {
		t.Errorf("round trip: status %d\n%s\nwant\n%s", st, out2, out)
	}

	// A quantity error is reported in the row and on stderr, status 1.
	out, errOut, st := calcRun(t, "calc", "fp", "--n", "100", "--a", "200", "--s", "24", "--theta", "12", "--format", "csv")
	rows, _ = csv.NewReader(strings.NewReader(out)).ReadAll()
	if st != 1 || len(rows) != 2 || rows[1][9] != "" || !strings.Contains(rows[1][11], "a = 200") || errOut == "" {
		t.Errorf("status %d, rows %q, stderr %q", st, rows, errOut)
	}
}

func TestCalcExitCodes(t *testing.T) {
	cases := []struct {
		args   []string
		status int
		stderr string // substring
	}{
		{[]string{"calc"}, 2, "no quantity given"},
		{[]string{"calc", "--n", "5"}, 2, "no quantity given"},
		{[]string{"calc", "nope", "--n", "5"}, 2, `unknown quantity "nope"`},
		{[]string{"calc", "fp", "--n", "10000", "--a", "64", "--s", "24", "--theta", "12", "--bogus", "1"}, 2, "unknown flag --bogus"},
		{[]string{"calc", "fp", "--n", "2.5", "--a", "64", "--s", "24", "--theta", "12"}, 2, `--n "2.5": not an integer`},
		{[]string{"calc", "fp", "--n", "ten", "--a", "64", "--s", "24", "--theta", "12"}, 2, "not an integer"},
		{[]string{"calc", "fp", "--n", "1e30", "--a", "64", "--s", "24", "--theta", "12"}, 2, "out of range"},
		{[]string{"calc", "fp", "--n", "10000", "--a", "64", "--s", "24"}, 2, "fp needs --n, --a, --s, --theta (missing: --theta)"},
		{[]string{"calc", "fp", "--n", "10000", "--a", "64", "--s", "24", "--theta", "12", "--patterns", "3"}, 2, "not: --patterns"},
		{[]string{"calc", "fp", "fn"}, 2, "one quantity at a time"},
		{append(append([]string{"calc"}, calcFP23Args...), "--format", "xml"), 2, `--format "xml": want text, json or csv`},
		{[]string{"calc", "--batch", "/nonexistent/file.csv"}, 1, "no such file"}, // an I/O error
		{[]string{"calc", "--batch", "x.csv", "fp"}, 2, "--batch takes no quantity"},
		{[]string{"calc", "--batch", "x.csv", "--n", "5"}, 2, "--batch takes no parameter flags"},
		{[]string{"calc", "--batch", "x.csv", "--format", "json"}, 2, "--batch writes CSV"},
		// Quantity-level errors: status 1.
		{[]string{"calc", "fp", "--n", "100", "--a", "200", "--s", "24", "--theta", "12"}, 1, "a = 200"},
		{[]string{"calc", "fp", "--n", "100", "--a", "20", "--s", "200", "--theta", "12", "--format", "json"}, 1, "s = 200"},
		{[]string{"calc", "fn", "--a", "-1", "--s", "24", "--theta", "12", "--noise", "3"}, 1, "fn"},
		// Success.
		{append([]string{"calc"}, calcFP23Args...), 0, ""},
		{[]string{"calc", "--theta", "12", "--s", "24", "fp", "--a", "64", "--n", "10000"}, 0, ""},
		{[]string{"calc", "--n=10000", "-a=64", "-s", "24", "--theta", "12", "--", "fp"}, 0, ""},
	}
	for _, c := range cases {
		out, errOut, st := calcRun(t, c.args...)
		if st != c.status || !strings.Contains(errOut, c.stderr) || (c.stderr == "" && errOut != "") {
			t.Errorf("%q: status %d (want %d), stderr %q (want %q)", c.args, st, c.status, errOut, c.stderr)
		}
		if st != 0 && c.status != 0 && out != "" {
			t.Errorf("%q: output %q on error", c.args, out)
		}
	}
	// Help goes to stdout with status 0 and lists every quantity.
	out, _, st := calcRun(t, "calc", "-h")
	if st != 0 || !strings.Contains(out, "fp-leading") || !strings.Contains(out, "--theta T") {
		t.Errorf("help: %d %q", st, out)
	}
}

func calcWriteFile(t *testing.T, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCalcBatch(t *testing.T) {
	// Extra columns pass through in order; value, log10 and error in the
	// input are replaced (dropped, and appended at the end).
	in := "log10,id,quantity,n,a,s,theta,value,note,error\n" +
		"x,r1,fp,10000,64,24,12,old,keep me,y\n" +
		",r2,fp,100,200,24,12,,bad row,\n" +
		",r3,match,1024,2,,,,\"quoted, comma\",\n" +
		",r4,fp\n"
	out, errOut, st := calcRun(t, "calc", "--batch", calcWriteFile(t, in))
	if st != 1 || !strings.Contains(errOut, "2 row(s) failed") {
		t.Fatalf("status %d, stderr %q", st, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("%q: %v", out, err)
	}
	if got := strings.Join(rows[0], ","); got != "id,quantity,n,a,s,theta,note,value,log10,error,warning" {
		t.Errorf("header %q", got)
	}
	if got := strings.Join(rows[1][:7], ","); got != "r1,fp,10000,64,24,12,keep me" || rows[1][9] != "" {
		t.Errorf("row 1 %q", rows[1])
	}
	calcCheckClose(t, rows[1][7], calcFP23, 1e-12)
	if rows[2][7] != "" || !strings.Contains(rows[2][9], "a = 200") {
		t.Errorf("row 2 %q", rows[2])
	}
	// Row 3 (exact value from the reference table, EXACT-001) is computed
	// after the failed row 2.
	if rows[3][6] != "quoted, comma" || rows[3][9] != "" {
		t.Errorf("row 3 %q", rows[3])
	}
	calcCheckClose(t, rows[3][7], "1.909213098729227761485826E-6", 1e-12)
	if !strings.Contains(rows[4][9], "the row has 3 fields, the header 10") {
		t.Errorf("row 4 %q", rows[4])
	}

	// Data errors (the table, not the command line): no quantity column,
	// malformed header, empty file.
	for _, bad := range []string{"id,n,a\n1,2,3\n", "quantity,\"n\n", ""} {
		out, errOut, st := calcRun(t, "calc", "--batch", calcWriteFile(t, bad))
		if st != 1 || out != "" || errOut == "" {
			t.Errorf("%q: status %d, stdout %q, stderr %q", bad, st, out, errOut)
		}
	}
}

func TestCalcBatchStdin(t *testing.T) {
	f := calcWriteFile(t, "quantity,n,a\nmatch,1024,2\n")
	old := os.Stdin
	defer func() { os.Stdin = old }()
	in, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	os.Stdin = in
	out, _, st := calcRun(t, "calc", "--batch", "-", "--exact")
	if st != 0 || out != "quantity,n,a,value,log10,error,warning\nmatch,1024,2,1.909213098729227761485826e-06,-5.719145594687991,,\n" {
		t.Errorf("status %d, output %q", st, out)
	}
}

// TestCalcVectors runs every row of the reference table through
// `calc --batch`: each value must match the table's (fast: 1e-12
// relative, exact: 1e-20; zero rows exactly "0"), and the id and
// provenance columns pass through. The table's values are 25-digit exact
// computations; provenance of each is in its provenance column.
func TestCalcVectors(t *testing.T) {
	const path = "../../testdata/theory-vectors.csv"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rc := map[string]int{}
	for i, h := range ref[0] {
		rc[h] = i
	}
	for _, exact := range []bool{false, true} {
		args := []string{"calc", "--batch", path}
		tol := 1e-12
		if exact {
			args = append(args, "--exact")
			tol = 1e-20
		}
		out, errOut, st := calcRun(t, args...)
		if st != 0 || errOut != "" {
			t.Fatalf("exact=%v: status %d, stderr %q", exact, st, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) != len(ref) {
			t.Fatalf("exact=%v: %d rows, %v", exact, len(rows), err)
		}
		oc := map[string]int{}
		for i, h := range rows[0] {
			oc[h] = i
		}
		if oc["value"] != len(rows[0])-4 || oc["log10"] != len(rows[0])-3 || oc["error"] != len(rows[0])-2 || oc["warning"] != len(rows[0])-1 {
			t.Fatalf("header %q", rows[0])
		}
		for i := 1; i < len(rows); i++ {
			got, want := rows[i], ref[i]
			id := want[rc["id"]]
			if got[oc["id"]] != id || got[oc["provenance"]] != want[rc["provenance"]] {
				t.Errorf("%s: pass-through columns %q", id, got)
			}
			if e := got[oc["error"]]; e != "" {
				t.Errorf("%s: error %q", id, e)
				continue
			}
			v, w := got[oc["value"]], want[rc["value"]]
			if w == "0" {
				if v != "0" || got[oc["log10"]] != "" {
					t.Errorf("%s: value %q log10 %q, want exactly 0", id, v, got[oc["log10"]])
				}
				continue
			}
			calcCheckClose(t, v, w, tol)
			digits := 17
			if exact {
				digits = 25
			}
			if mant, _, _ := strings.Cut(v, "e"); len(strings.Replace(mant, ".", "", 1)) < digits {
				t.Errorf("%s: %q has fewer than %d significant digits", id, v, digits)
			}
			l, err := strconv.ParseFloat(got[oc["log10"]], 64)
			if err != nil {
				t.Errorf("%s: log10 %q", id, got[oc["log10"]])
				continue
			}
			wf, _, _ := big.ParseFloat(w, 10, 256, big.ToNearestEven)
			mant := new(big.Float)
			exp := wf.MantExp(mant)
			mf, _ := mant.Float64()
			if wl := math.Log10(mf) + float64(exp)*math.Log10(2); math.Abs(l-wl) > 1e-9*math.Max(1, math.Abs(wl)) {
				t.Errorf("%s: log10 %v, want %v", id, l, wl)
			}
		}
	}
}

// calcCheckClose checks that got is within rel of want (both decimal
// strings), computed in 256-bit arithmetic.
func calcCheckClose(t *testing.T, got, want string, rel float64) {
	t.Helper()
	g, _, err := big.ParseFloat(got, 10, 256, big.ToNearestEven)
	if err != nil {
		t.Errorf("value %q: %v", got, err)
		return
	}
	w, _, err := big.ParseFloat(want, 10, 256, big.ToNearestEven)
	if err != nil {
		t.Fatalf("reference %q: %v", want, err)
	}
	if w.Sign() == 0 {
		if g.Sign() != 0 {
			t.Errorf("value %s, want 0", got)
		}
		return
	}
	d := new(big.Float).SetPrec(256).Sub(g, w)
	d.Quo(d, w).Abs(d)
	if r, _ := d.Float64(); r > rel {
		t.Errorf("value %s, want %s (relative error %.3g > %g)", got, want, r, rel)
	}
}
