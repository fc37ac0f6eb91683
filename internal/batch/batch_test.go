package batch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/theory"
)

// vectorsPath is the reference table of the theory package: 117 rows with
// 25-digit values computed exactly (provenance in its columns and in
// docs/paper-spec.md §9). It is already in the batch schema.
const vectorsPath = "../../testdata/theory-vectors.csv"

// runString runs Run on in and parses the output.
func runString(t testing.TB, in string, exact bool) (rows [][]string, failed int, err error) {
	t.Helper()
	var out bytes.Buffer
	failed, err = Run(strings.NewReader(in), &out, exact)
	if out.Len() == 0 {
		return nil, failed, err
	}
	r := csv.NewReader(&out)
	r.FieldsPerRecord = -1
	rows, perr := r.ReadAll()
	if perr != nil {
		t.Fatalf("output is not valid CSV: %v\n%s", perr, out.String())
	}
	return rows, failed, err
}

func col(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

func TestVectors(t *testing.T) {
	in, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := csv.NewReader(bytes.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	refValue := col(ref[0], "value")
	for _, exact := range []bool{false, true} {
		rows, failed, err := runString(t, string(in), exact)
		if err != nil || failed != 0 {
			t.Fatalf("exact=%v: failed=%d err=%v", exact, failed, err)
		}
		if len(rows) != len(ref) {
			t.Fatalf("exact=%v: %d output rows, want %d", exact, len(rows), len(ref))
		}
		// Header: the input minus value, then value, log10, error, warning.
		want := append(append([]string(nil), ref[0][:refValue]...), ref[0][refValue+1:]...)
		want = append(want, "value", "log10", "error", "warning")
		if strings.Join(rows[0], ",") != strings.Join(want, ",") {
			t.Fatalf("header %q, want %q", rows[0], want)
		}
		tol := 1e-12
		if exact {
			tol = 1e-20
		}
		vi, li, ei := col(rows[0], "value"), col(rows[0], "log10"), col(rows[0], "error")
		for i := 1; i < len(rows); i++ {
			row, rrow := rows[i], ref[i]
			// Pass-through columns, id and provenance included.
			for j, k := 0, 0; j < len(rrow); j++ {
				if j == refValue {
					continue
				}
				if row[k] != rrow[j] {
					t.Errorf("row %s: column %s = %q, want %q", rrow[0], ref[0][j], row[k], rrow[j])
				}
				k++
			}
			if row[ei] != "" {
				t.Errorf("row %s: error %q", rrow[0], row[ei])
				continue
			}
			checkValue(t, rrow[0], row[vi], row[li], rrow[refValue], tol, exact)
		}
	}
}

// checkValue compares a value cell to a reference with a relative
// tolerance, and checks the digits and the log10 cell.
func checkValue(t *testing.T, id, got, log10, want string, tol float64, exact bool) {
	t.Helper()
	if want == "0" || got == "0" {
		if got != want {
			t.Errorf("%s: value %q, want %q", id, got, want)
		}
		if log10 != "" {
			t.Errorf("%s: log10 %q for a zero value", id, log10)
		}
		return
	}
	g, _, err := big.ParseFloat(got, 10, 256, big.ToNearestEven)
	if err != nil {
		t.Errorf("%s: value %q: %v", id, got, err)
		return
	}
	w, _, err := big.ParseFloat(want, 10, 256, big.ToNearestEven)
	if err != nil {
		t.Fatalf("%s: reference %q: %v", id, want, err)
	}
	d := new(big.Float).SetPrec(256).Sub(g, w)
	d.Quo(d, w).Abs(d)
	if rel, _ := d.Float64(); rel > tol {
		t.Errorf("%s: value %s, want %s (relative error %.3g > %g)", id, got, want, rel, tol)
	}
	digits := 17
	if exact {
		digits = 25
	}
	mant, _, _ := strings.Cut(got, "e")
	if n := len(strings.ReplaceAll(mant, ".", "")); n < digits {
		t.Errorf("%s: value %q has %d significant digits, want ≥ %d", id, got, n, digits)
	}
	l, err := strconv.ParseFloat(log10, 64)
	if err != nil {
		t.Errorf("%s: log10 %q: %v", id, log10, err)
		return
	}
	wf := theory.FloatFromBig(w)
	if math.Abs(l-wf.Log10()) > 1e-9*math.Max(1, math.Abs(l)) {
		t.Errorf("%s: log10 %v, want %v", id, l, wf.Log10())
	}
}

func TestColumns(t *testing.T) {
	// value, log10 and error in the input are dropped wherever they stand
	// and appended at the end; everything else passes through in order,
	// quantity and parameter cells included (unchanged: "1e4" stays).
	in := "error,ID,quantity,value,n,note,a,log10,s,theta\n" +
		"old-err,r1,fp,old,1e4,hello,64,old-log,24,12\n" +
		",r2,fp,,2000,\"a, b\",40,,20,10\n"
	rows, failed, err := runString(t, in, false)
	if err != nil || failed != 0 {
		t.Fatalf("failed=%d err=%v", failed, err)
	}
	want := [][]string{
		{"ID", "quantity", "n", "note", "a", "s", "theta", "value", "log10", "error", "warning"},
		{"r1", "fp", "1e4", "hello", "64", "24", "12", "4.0415971227765702e-21", "-20.393446980300016", "", ""},
		{"r2", "fp", "2000", "a, b", "40", "20", "10"},
	}
	for i, w := range want {
		if len(rows[i]) != len(want[0]) {
			t.Fatalf("row %d: %q has %d fields", i, rows[i], len(rows[i]))
		}
		for j := range w {
			if rows[i][j] != w[j] {
				t.Errorf("row %d col %d: %q, want %q", i, j, rows[i][j], w[j])
			}
		}
	}
}

func TestHeaderNormalisation(t *testing.T) {
	// BOM, spaces and case in header names; spaces in cells.
	in := "\uFEFF Quantity , N,A ,s,THETA\nfp, 10000 ,64,24,12\n"
	rows, failed, err := runString(t, in, false)
	if err != nil || failed != 0 {
		t.Fatalf("failed=%d err=%v rows=%q", failed, err, rows)
	}
	if !strings.HasPrefix(rows[1][5], "4.04159712277657") {
		t.Errorf("row %q", rows[1])
	}
	// The header names themselves pass through unchanged.
	if rows[0][0] != "\uFEFF Quantity " || rows[0][1] != " N" {
		t.Errorf("header %q", rows[0])
	}
}

func TestRowErrors(t *testing.T) {
	in := "id,quantity,n,a,s,theta,b,patterns,noise,segments\n" +
		"ok1,fp,10000,64,24,12,,,,\n" +
		"unknown,fq,10000,64,24,12,,,,\n" +
		"noquantity,,10000,64,24,12,,,,\n" +
		"missing,fp,10000,64,,12,,,,\n" +
		"extra,fp,10000,64,24,12,3,,,\n" +
		"nonint,fp,10000,2.5,24,12,,,,\n" +
		"garbage,fp,10000,x,24,y,,,,\n" +
		"huge,fp,1e30,64,24,12,,,,\n" +
		"invalid,fp,100,200,24,12,,,,\n" +
		"short,fp,10000\n" +
		"long,fp,10000,64,24,12,,,,,,extra\n" +
		"ok2,fn,,128,30,12,,,45,\n" +
		"zero,fp,1000,5,20,10,,,,\n"
	rows, failed, err := runString(t, in, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 14 {
		t.Fatalf("%d rows", len(rows))
	}
	wantErr := map[string]string{
		"unknown":    `unknown quantity "fq"`,
		"noquantity": "no quantity given",
		"missing":    "fp needs n, a, s, theta (missing: s)",
		"extra":      "fp takes only n, a, s, theta (not: b)",
		"nonint":     `a: "2.5" is not an integer`,
		"garbage":    `a: "x" is not an integer`,
		"huge":       `n: "1e30" is out of range`,
		"invalid":    "a = 200",
		"short":      "the row has 3 fields, the header 10",
		"long":       "the row has 12 fields, the header 10",
	}
	nerr := 0
	for _, row := range rows[1:] {
		if len(row) != 14 {
			t.Errorf("row %q has %d fields, want 14", row, len(row))
			continue
		}
		id, value, log10, msg := row[0], row[10], row[11], row[12]
		if w, bad := wantErr[id]; bad {
			nerr++
			if !strings.Contains(msg, w) || value != "" || log10 != "" {
				t.Errorf("%s: value %q log10 %q error %q, want error containing %q", id, value, log10, msg, w)
			}
			continue
		}
		if msg != "" {
			t.Errorf("%s: unexpected error %q", id, msg)
		}
	}
	if nerr != len(wantErr) || failed != len(wantErr) {
		t.Errorf("failed = %d, %d error rows, want %d", failed, nerr, len(wantErr))
	}
	// "garbage" reports both bad cells.
	if !strings.Contains(rows[7][12], `theta: "y"`) {
		t.Errorf("garbage: %q", rows[7][12])
	}
	// The short row keeps what it has and pads.
	if got := strings.Join(rows[10][:3], ","); got != "short,fp,10000" {
		t.Errorf("short row %q", rows[10])
	}
	// Zero: exactly "0" and an empty log10.
	if rows[13][10] != "0" || rows[13][11] != "" {
		t.Errorf("zero row %q", rows[13])
	}
	checkValue(t, "ok2", rows[12][10], rows[12][11], "3.144353690553871659605697E-4", 1e-12, false)
}

func TestParseErrorRow(t *testing.T) {
	// A bare quote is a CSV error in that row only.
	in := "id,quantity,n,a\nr1,match,1024,2\nr2,ma\"tch,1024,2\nr3,match,1024,20\n"
	rows, failed, err := runString(t, in, true)
	if err != nil || failed != 1 || len(rows) != 4 {
		t.Fatalf("failed=%d err=%v rows=%q", failed, err, rows)
	}
	if len(rows[2]) != 8 || !strings.Contains(rows[2][6], "bare \"") || rows[2][4] != "" {
		t.Errorf("row 2: %q", rows[2])
	}
	checkValue(t, "EXACT-002", rows[3][4], rows[3][5], "1.824836244176660218002493E-42", 1e-20, true)
}

func TestUsageErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"\n\n",
		"id,n,a\nx,1,2\n",
		"quantity,n,n\nfp,1,2\n",
		"quantity,quantity\nfp,fp\n",
		"quantity,\"n\n",
		"quan\"tity,n\n",
	} {
		var out bytes.Buffer
		_, err := Run(strings.NewReader(in), &out, false)
		if !errors.Is(err, ErrUsage) {
			t.Errorf("%q: err = %v, want ErrUsage", in, err)
		}
		if out.Len() != 0 {
			t.Errorf("%q: output %q", in, out.String())
		}
	}
	// A header alone is a valid, empty table.
	rows, failed, err := runString(t, "quantity,n\n", false)
	if err != nil || failed != 0 || len(rows) != 1 || strings.Join(rows[0], ",") != "quantity,n,value,log10,error,warning" {
		t.Errorf("header only: %q %d %v", rows, failed, err)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

type failingReader struct{ r io.Reader }

func (r failingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err == io.EOF {
		return n, errors.New("read failed")
	}
	return n, err
}

func TestIOErrors(t *testing.T) {
	in := bigInput(5000)
	if _, err := Run(strings.NewReader(in), &failingWriter{n: 10000}, false); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write error: %v", err)
	}
	if _, err := Run(failingReader{strings.NewReader(in)}, io.Discard, false); err == nil || !strings.Contains(err.Error(), "read failed") {
		t.Errorf("read error: %v", err)
	}
}

// TestStreaming checks that a row's result is written before the next row
// is read: the input comes through a pipe that is held open.
func TestStreaming(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := Run(inR, outW, false)
		outW.CloseWithError(err)
		done <- err
	}()
	go func() {
		io.WriteString(inW, "id,quantity,n,a,s,theta\nr1,fp,10000,64,24,12\n")
	}()
	lines := make(chan string, 4)
	go func() {
		buf := make([]byte, 1<<10)
		var acc string
		for {
			n, err := outR.Read(buf)
			acc += string(buf[:n])
			for {
				i := strings.IndexByte(acc, '\n')
				if i < 0 {
					break
				}
				lines <- acc[:i]
				acc = acc[i+1:]
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()
	for _, want := range []string{"id,quantity", "r1,fp"} {
		select {
		case l := <-lines:
			if !strings.HasPrefix(l, want) {
				t.Fatalf("line %q, want prefix %q", l, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no output line %q while the input is still open", want)
		}
	}
	io.WriteString(inW, "r2,match,1024,2,,\n")
	select {
	case l := <-lines:
		if !strings.HasPrefix(l, "r2,match") {
			t.Fatalf("line %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no second row")
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestFormat(t *testing.T) {
	v, err := theory.Eval("fp", theory.Args{}.With(theory.ParamN, 10000).With(theory.ParamA, 64).
		With(theory.ParamS, 24).With(theory.ParamTheta, 12), false)
	if err != nil || !strings.HasPrefix(FormatValue(v), "4.04159712277657") {
		t.Fatalf("%v %v", v, err)
	}
	if got := FormatLog10(v); !strings.HasPrefix(got, "-20.39344698") {
		t.Errorf("FormatLog10 = %q", got)
	}
	if got := FormatLog10(theory.Value{}); got != "" {
		t.Errorf("FormatLog10(0) = %q", got)
	}
}

// bigInput returns a table of rows fp rows with realistic parameters.
func bigInput(rows int) string {
	var b strings.Builder
	b.WriteString("id,quantity,n,a,s,theta\n")
	ns := []int{1024, 2048, 10000, 16000, 100000, 200000}
	for i := range rows {
		n := ns[i%len(ns)]
		a := n / 50
		s := 20 + i%81 // 20..100
		theta := s/2 + i%7
		fmt.Fprintf(&b, "r%d,fp,%d,%d,%d,%d\n", i, n, a, s, theta)
	}
	return b.String()
}

func BenchmarkRun10000(b *testing.B) {
	in := bigInput(10000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if failed, err := Run(strings.NewReader(in), io.Discard, false); err != nil || failed != 0 {
			b.Fatal(failed, err)
		}
	}
}

func BenchmarkRun10000Exact(b *testing.B) {
	in := bigInput(10000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if failed, err := Run(strings.NewReader(in), io.Discard, true); err != nil || failed != 0 {
			b.Fatal(failed, err)
		}
	}
}

// BenchmarkRunVectors runs the 117 reference rows (all quantities).
func BenchmarkRunVectors(b *testing.B) {
	in, err := os.ReadFile(vectorsPath)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if failed, err := Run(bytes.NewReader(in), io.Discard, false); err != nil || failed != 0 {
			b.Fatal(failed, err)
		}
	}
}

// BenchmarkParseOnly measures the CSV and parameter handling alone: every
// row fails cheaply (unknown quantity), so nothing is computed.
func BenchmarkParseOnly(b *testing.B) {
	in := strings.ReplaceAll(bigInput(10000), ",fp,", ",nope,")
	for b.Loop() {
		if failed, err := Run(strings.NewReader(in), io.Discard, false); err != nil || failed != 10000 {
			b.Fatal(failed, err)
		}
	}
}
