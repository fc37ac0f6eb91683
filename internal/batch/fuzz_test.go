package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

// fuzzMaxFast and fuzzMaxExact bound every integer of a fuzzed input in
// the fast and the exact mode. The theory accepts questions that take
// seconds to minutes (fp-binomial in the exact mode at n=1e5, s=2e4 takes
// 90 s; 2 s at n=1e4, s=5e3), which would only slow the fuzzer down. With
// these bounds the slowest rows measured take about 0.1 s (fast: match at
// n=1e5, a=5e4) and 0.3 s (exact: union-allbits at n=1000, a=500, M=1000).
const (
	fuzzMaxFast  = 100_000
	fuzzMaxExact = 1000
)

// tooBig reports whether in holds a number that could be a parameter larger
// than max. A cell is parsed after trimming spaces, and a number
// is made only of the characters below, so every parameter the batch reader
// can see is one of the maximal runs of those characters in the input.
func tooBig(in string, max int) bool {
	isNum := func(r rune) bool {
		return r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-'
	}
	for _, tok := range strings.FieldsFunc(in, func(r rune) bool { return !isNum(r) }) {
		if v, err := cliutil.ParseInt(tok); err == nil && (v > max || v < -max) {
			return true
		}
	}
	return false
}

// fuzzMax returns the bound of the mode.
func fuzzMax(exact bool) int {
	if exact {
		return fuzzMaxExact
	}
	return fuzzMaxFast
}

// fuzzSeed is one seed input of FuzzBatch.
type fuzzSeed struct {
	in    string
	exact bool
}

// fuzzSeeds returns the seeds of FuzzBatch: every row of the reference
// table on its own, in each mode whose bound it fits (a row with a
// larger number would be skipped, so it is not added; most rows fit the
// fast mode only), then small hand-written inputs in both modes.
func fuzzSeeds() (seeds []fuzzSeed, vectorRows int) {
	if data, err := os.ReadFile(vectorsPath); err == nil {
		header, rest, _ := strings.Cut(string(data), "\n")
		sc := bufio.NewScanner(strings.NewReader(rest))
		for sc.Scan() {
			vectorRows++
			in := header + "\n" + sc.Text() + "\n"
			for _, exact := range []bool{false, true} {
				if !tooBig(in, fuzzMax(exact)) {
					seeds = append(seeds, fuzzSeed{in, exact})
				}
			}
		}
	}
	for _, s := range []string{
		"quantity,n,a,s,theta\nfp,1000,20,20,10\n",
		"quantity,n,a,s,theta,b,patterns,noise,segments\nfp,1e3,2e1,20,10,,,,\nunion-fp-exact,1000,20,20,10,,5,,\nneuron,100,7,7,4,,,,500\n",
		"id,quantity,value,log10,error\nx,match,1,2,3\n",
		"quantity,n,a\nmatch,1000,2,extra\nmatch\n\"match\",\"1000\",\"2\"\n",
		"quantity,n,a\nma\"tch,1,1\n\"unterminated,1,1\n",
		"\uFEFFQUANTITY , N , A\n match , 64 , 2.0 \n",
		"quantity,n,a\r\nmatch,100,3\r\n",
		"quantity,n,a\nmatch,-1,2\nmatch,2.5,1\nmatch,1e-1,1\nmatch,,\n",
		"quantity\n\n\n,\n",
		"n,a\n1,2\n",
		"",
		"quantity,n,n\n",
	} {
		seeds = append(seeds, fuzzSeed{s, false}, fuzzSeed{s, true})
	}
	return seeds, vectorRows
}

// TestFuzzBatchSeeds: every seed lies inside the fuzz target's bounds
// (none is skipped), and the reference table gives seeds in both modes.
func TestFuzzBatchSeeds(t *testing.T) {
	seeds, rows := fuzzSeeds()
	if rows == 0 {
		t.Skipf("%s not found", vectorsPath)
	}
	fromTable := map[bool]int{}
	for _, s := range seeds {
		if len(s.in) > 4096 || tooBig(s.in, fuzzMax(s.exact)) {
			t.Errorf("seed %q (exact=%v) would be skipped", s.in, s.exact)
		}
		if strings.HasPrefix(s.in, "id,") && strings.Count(s.in, "\n") == 2 {
			fromTable[s.exact]++
		}
	}
	t.Logf("%d reference rows give %d fast and %d exact seeds", rows, fromTable[false], fromTable[true])
	if fromTable[false] <= rows/2 || fromTable[true] == 0 {
		t.Errorf("reference rows give %d fast and %d exact seeds; want most rows fast and some exact", fromTable[false], fromTable[true])
	}
}

func FuzzBatch(f *testing.F) {
	seeds, _ := fuzzSeeds()
	for _, s := range seeds {
		f.Add(s.in, s.exact)
	}
	f.Fuzz(func(t *testing.T, in string, exact bool) {
		if len(in) > 4096 || tooBig(in, fuzzMax(exact)) {
			t.Skip()
		}
		var out bytes.Buffer
		failed, err := Run(strings.NewReader(in), &out, exact)
		if err != nil {
			if out.Len() != 0 {
				t.Fatalf("error %v after writing %q", err, out.String())
			}
			return
		}
		if failed < 0 {
			t.Fatalf("failed = %d", failed)
		}
		// The output is CSV with the value, log10 and error columns last,
		// one row per input record, each as wide as the header.
		r := csv.NewReader(&out)
		r.FieldsPerRecord = 0
		rows, perr := r.ReadAll()
		if perr != nil {
			t.Fatalf("output is not valid CSV: %v\n%q", perr, out.String())
		}
		if len(rows) == 0 {
			t.Fatal("no header")
		}
		h := rows[0]
		if len(h) < 5 || strings.Join(h[len(h)-4:], ",") != "value,log10,error,warning" {
			t.Fatalf("header %q", h)
		}
		nerr := 0
		for _, row := range rows[1:] {
			v, l, e := row[len(row)-4], row[len(row)-3], row[len(row)-2]
			if e != "" {
				nerr++
				if v != "" || l != "" {
					t.Fatalf("row %q: value with an error", row)
				}
				continue
			}
			x, perr := theory.ParseFloat(v)
			if perr != nil {
				t.Fatalf("row %q: value does not parse: %v", row, perr)
			}
			if (v == "0") != x.IsZero() || (l == "") != x.IsZero() {
				t.Fatalf("row %q: zero value and log10 disagree", row)
			}
		}
		if nerr != failed {
			t.Fatalf("failed = %d, but %d rows have an error", failed, nerr)
		}
	})
}

// TestTooBig checks the fuzz guard itself.
func TestTooBig(t *testing.T) {
	for in, want := range map[string]bool{
		"fp,1000,20":        false,
		"fp,1001,20":        true,
		"fp,\"1e9\",1":      true,
		"fp, 2e3 ,1":        true,
		"fp,-5000,1":        true,
		"fp,1e3,1.5e2":      false,
		"x\u00a01e7\u00a0y": true,
	} {
		if got := tooBig(in, 1000); got != want {
			t.Errorf("tooBig(%q) = %v", in, got)
		}
	}
}
