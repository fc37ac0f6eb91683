package batch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// TestStrayQuoteCostsOneRow: a field opening a quote that never closes
// swallowed every later row (the whole rest of the input became one
// field) while Run reported one failed row.
func TestStrayQuoteCostsOneRow(t *testing.T) {
	var in strings.Builder
	in.WriteString("id,quantity,n,a\nr0,match,1024,2\nbad,\"match,1024,2\n")
	for i := range 1000 {
		in.WriteString("r" + strconv.Itoa(i+1) + ",match,1024,2\n")
	}
	rows, failed, err := runString(t, in.String(), false)
	if err != nil || failed != 1 || len(rows) != 1+1002 {
		t.Fatalf("failed=%d err=%v, %d rows, want 1003", failed, err, len(rows))
	}
	if e := rows[2][len(rows[2])-2]; !strings.Contains(e, "line 3") || !strings.Contains(e, "quote") {
		t.Errorf("bad row's error %q", e)
	}
	if last := rows[len(rows)-1]; last[0] != "r1000" || last[len(last)-4] == "" {
		t.Errorf("last row %q", last)
	}
}

// hugeField yields "id,quantity,n,a\nbig,match,1024,2,<size bytes>\nok,match,1024,2\n"
// without holding the field in memory.
type hugeField struct {
	head, tail string
	size       int
}

func (h *hugeField) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch {
		case h.head != "":
			c := copy(p[n:], h.head)
			h.head, n = h.head[c:], n+c
		case h.size > 0:
			c := min(h.size, len(p)-n)
			for i := range c {
				p[n+i] = 'x'
			}
			h.size, n = h.size-c, n+c
		case h.tail != "":
			c := copy(p[n:], h.tail)
			h.tail, n = h.tail[c:], n+c
		default:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
	}
	return n, nil
}

// TestLongRowBounded: a 64 MB field is reported as too long and skipped
// while Run allocates a few MB in all (a 200 MB field took 1.7 GB), and
// the next row is computed.
func TestLongRowBounded(t *testing.T) {
	in := &hugeField{head: "id,quantity,n,a,note\nbig,match,1024,2,", size: 64 << 20, tail: "\nok,match,1024,2,x\n"}
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	failed, err := Run(in, &out, false)
	runtime.ReadMemStats(&after)
	if err != nil || failed != 1 {
		t.Fatalf("failed=%d err=%v", failed, err)
	}
	if !strings.Contains(out.String(), "line 2: the row is longer than") || !strings.Contains(out.String(), "\nok,match,1024,2,x,1.9") {
		t.Errorf("output %q", out.String())
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
		t.Errorf("Run allocated %d MB for a 64 MB row (want ≤ 16)", d>>20)
	}
}

// TestPanicCostsOneRow: a panic while computing one row (a bug) becomes
// that row's error; the rows before and after it are kept.
func TestPanicCostsOneRow(t *testing.T) {
	orig := evalRowFunc
	t.Cleanup(func() { evalRowFunc = orig })
	evalRowFunc = func(ctx context.Context, q theory.Quantity, cells []string, exact bool) (theory.Value, error) {
		if q.Name == "fp" {
			panic("injected")
		}
		return orig(ctx, q, cells, exact)
	}
	rows, failed, err := runString(t, "quantity,n,a,s,theta\nmatch,1024,2,,\nfp,100,10,5,2\nmatch,1024,2,,\n", false)
	if err != nil || failed != 1 || len(rows) != 4 {
		t.Fatalf("failed=%d err=%v rows=%q", failed, err, rows)
	}
	if !strings.Contains(rows[2][len(rows[2])-2], "injected") || rows[1][5] == "" || rows[3][5] == "" {
		t.Errorf("rows %q", rows)
	}
}

// TestRunContextStops: a cancelled context stops the table between rows
// and abandons the row in progress; the rows done stay written.
func TestRunContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	orig := evalRowFunc
	t.Cleanup(func() { evalRowFunc = orig })
	evalRowFunc = func(ctx context.Context, q theory.Quantity, cells []string, exact bool) (theory.Value, error) {
		if q.Name == "fp" {
			cancel() // as Ctrl-C during this row
		}
		return orig(ctx, q, cells, exact)
	}
	var out bytes.Buffer
	_, err := RunContext(ctx, strings.NewReader("quantity,n,a,s,theta\nmatch,1024,2,,\nfp,100,10,5,2\nmatch,1024,2,,\n"), &out, false)
	if !errors.Is(err, context.Canceled) || strings.Count(out.String(), "\n") != 2 {
		t.Errorf("err %v, output %q (want the header and the first row)", err, out.String())
	}
}
