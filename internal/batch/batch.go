// Package batch evaluates quantities of the theory for every row of a CSV
// table: the engine of `dendritic calc --batch`.
//
// # Schema
//
// The input starts with a header row. The column "quantity" is required
// and names a quantity of the theory package (see theory.Quantities). The
// parameter columns are the names in theory.Params (today n, a, s, theta,
// b, patterns, noise, segments); an empty cell, or a missing column, means
// the parameter is not given. Parameters are integers, written plainly or in integral
// scientific notation ("2e5"; see theory.ParseArg).
//
// The output has every input column, in order and with its cells copied
// unchanged, except any column named value, log10, error or warning; those
// four are appended at the end:
//
//	value    the result in decimal scientific notation with
//	         theory.Value.Digits significant digits (17, the float64
//	         nearest the exact value, in the fast mode but for
//	         union-fp-exact; 25 in the exact mode); "0" only for an exact
//	         zero
//	log10    its base-10 logarithm (shortest float64 form), empty for zero
//	error    empty, or why the row could not be computed (value and log10
//	         are then empty)
//	warning  empty, or why the value is not a probability (an
//	         approximation or bound above 1: theory.Value.Warning)
//
// A row whose quantity is unknown, whose parameters are missing, malformed,
// not used by its quantity or invalid for it, or whose number of fields
// differs from the header's gets a message in error; the other rows are
// computed all the same. Each row is one line of at most MaxRowBytes
// bytes: a quoted field may hold commas and doubled quotes but no line
// break, so a quote left open costs its own row only, and a longer line is
// reported and skipped without being held in memory. A panic while
// computing a row (a bug) becomes that row's error. Header names are
// matched after trimming spaces and a leading byte-order mark, ignoring
// case.
//
// Rows are written as they are computed. The writer is buffered, and it is
// flushed whenever the input has no more data ready, so an interactive
// session sees each result as soon as its row is complete.
package batch

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/theory"
)

// ErrUsage marks an error in the input as a whole (no header, no quantity
// column, a malformed header): nothing can be computed. Test with
// errors.Is.
var ErrUsage = errors.New("batch: bad input")

// InputError is an error in the input as a whole; Err says what is wrong
// (without the "batch: bad input" prefix that Error adds), and errors.Is
// finds ErrUsage in it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return ErrUsage.Error() + ": " + e.Err.Error() }

// Unwrap returns ErrUsage and e.Err.
func (e *InputError) Unwrap() []error { return []error{ErrUsage, e.Err} }

func badInput(format string, a ...any) error { return &InputError{fmt.Errorf(format, a...)} }

// OutputColumns are the columns that Run appends to every row.
var OutputColumns = []string{"value", "log10", "error", "warning"}

// Columns returns the canonical input columns: quantity, then the
// parameters in the order of theory.Params.
func Columns() []string {
	cols := []string{"quantity"}
	for _, info := range theory.Params() {
		cols = append(cols, info.Name)
	}
	return cols
}

// FormatValue formats a value for the value column: Value.Text, so
// Value.Digits significant digits, "0" only for an exact zero.
func FormatValue(v theory.Value) string { return v.Text() }

// FormatLog10 formats the base-10 logarithm of a value for the log10
// column: the shortest decimal that round-trips the float64, or "" for
// zero.
func FormatLog10(v theory.Value) string {
	if v.IsZero() {
		return ""
	}
	return strconv.FormatFloat(v.Log10(), 'g', -1, 64)
}

// params is the parameter table, indexed by theory.Param.
var params = theory.Params()

// layout is what the header says about the columns.
type layout struct {
	nfields  int
	quantity int      // column of quantity
	params   []int    // column of each parameter (indexed by theory.Param), -1 if absent
	keep     []int    // input columns copied to the output, in order
	header   []string // output header
	quantMap map[string]theory.Quantity
}

func normName(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}

func parseHeader(h []string) (*layout, error) {
	l := &layout{nfields: len(h), quantity: -1, params: make([]int, len(params))}
	for i := range l.params {
		l.params[i] = -1
	}
	for i, name := range h {
		switch k := normName(name); k {
		case "quantity":
			if l.quantity >= 0 {
				return nil, badInput("column quantity appears twice in the header")
			}
			l.quantity = i
		case "value", "log10", "error", "warning":
			continue // replaced by the output columns
		default:
			if p, ok := theory.ParamByName(k); ok {
				if l.params[p] >= 0 {
					return nil, badInput("column %s appears twice in the header", k)
				}
				l.params[p] = i
			}
		}
		l.keep = append(l.keep, i)
	}
	if l.quantity < 0 {
		return nil, badInput("the header has no quantity column (want e.g. %s)",
			strings.Join(Columns(), ","))
	}
	l.header = make([]string, 0, len(l.keep)+len(OutputColumns))
	for _, i := range l.keep {
		l.header = append(l.header, h[i])
	}
	l.header = append(l.header, OutputColumns...)
	l.quantMap = make(map[string]theory.Quantity)
	for _, q := range theory.Quantities() {
		l.quantMap[q.Name] = q
	}
	return l, nil
}

func unknownQuantity(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("no quantity given")
	}
	return fmt.Errorf("unknown quantity %q (known: %s)", name, strings.Join(theory.QuantityNames(), ", "))
}

// evalRow parses the cells (indexed by theory.Param) and evaluates q.
// Malformed cells (all of them, as cellErrors), a missing or unused
// parameter, or a value out of bounds give *theory.ArgError values.
func evalRow(ctx context.Context, q theory.Quantity, cells []string, exact bool) (theory.Value, error) {
	var args theory.Args
	var errs cellErrors
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		p := params[i].Param
		v, err := theory.ParseArg(p, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		args = args.With(p, v)
	}
	if len(errs) > 0 {
		return theory.Value{}, errs
	}
	return q.EvalContext(ctx, args, exact)
}

// evalRowFunc is evalRow; a test replaces it to check that a panic costs
// one row.
var evalRowFunc = evalRow

// safeEval evaluates one row, turning a panic into that row's error so
// that the rows already computed, and those after, are kept.
func safeEval(ctx context.Context, q theory.Quantity, cells []string, exact bool) (v theory.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = theory.Value{}, fmt.Errorf("internal error (a bug; please report it): %v", r)
		}
	}()
	return evalRowFunc(ctx, q, cells, exact)
}

// cellErrors are the errors of the malformed cells of a row, reported
// together ("a: … ; theta: …"); errors.As finds each *theory.ArgError.
type cellErrors []error

func (e cellErrors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e cellErrors) Unwrap() []error { return e }

// Run reads the CSV table from r, evaluates every row (exactly if exact is
// set) and writes the result table to w, streaming. It returns the number
// of rows that failed. The error is non-nil for an input that cannot be
// processed at all (wrapping ErrUsage: empty input, a malformed header, no
// quantity column) or for an I/O error reading r or writing w; the rows
// written up to then stay written.
func Run(r io.Reader, w io.Writer, exact bool) (failed int, err error) {
	return RunContext(context.Background(), r, w, exact)
}

// RunContext is Run that stops when ctx is done: the rows written so far
// stay written (and flushed), the row being computed is abandoned, and
// the error is ctx's.
func RunContext(ctx context.Context, r io.Reader, w io.Writer, exact bool) (failed int, err error) {
	rr := newRowReader(r)
	header, rowErr, err := rr.next()
	if err == io.EOF {
		return 0, badInput("empty input (want a header row with a quantity column)")
	}
	if err != nil {
		return 0, err
	}
	if rowErr != nil {
		return 0, badInput("malformed header: %v", rowErr)
	}
	l, err := parseHeader(header)
	if err != nil {
		return 0, err
	}

	cw := csv.NewWriter(w)
	if err := cw.Write(l.header); err != nil {
		return 0, err
	}
	out := make([]string, len(l.header))
	cells := make([]string, len(params))

	for {
		if !rr.buffered() {
			// The next read may block: show what we have.
			cw.Flush()
			if err := cw.Error(); err != nil {
				return failed, err
			}
		}
		if err := ctx.Err(); err != nil {
			cw.Flush()
			return failed, err
		}
		rec, rowErr, rerr := rr.next()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			cw.Flush()
			return failed, rerr
		}
		if rowErr == nil && len(rec) != l.nfields {
			rowErr = fmt.Errorf("line %d: the row has %d fields, the header %d", rr.line, len(rec), l.nfields)
		}

		// Pass-through cells (empty where the row is short).
		for j, i := range l.keep {
			if i < len(rec) {
				out[j] = rec[i]
			} else {
				out[j] = ""
			}
		}
		var v theory.Value
		if rowErr == nil {
			for p, i := range l.params {
				if i >= 0 {
					cells[p] = rec[i]
				} else {
					cells[p] = ""
				}
			}
			if q, ok := l.quantMap[strings.TrimSpace(rec[l.quantity])]; ok {
				v, rowErr = safeEval(ctx, q, cells, exact)
			} else {
				rowErr = unknownQuantity(rec[l.quantity])
			}
		}
		if err := ctx.Err(); err != nil { // the row was abandoned, not failed
			cw.Flush()
			return failed, err
		}
		k := len(l.keep)
		if rowErr != nil {
			failed++
			out[k], out[k+1], out[k+2], out[k+3] = "", "", rowErr.Error(), ""
		} else {
			out[k], out[k+1], out[k+2], out[k+3] = FormatValue(v), FormatLog10(v), "", v.Warning()
		}
		if err := cw.Write(out); err != nil {
			return failed, err
		}
	}
	cw.Flush()
	return failed, cw.Error()
}
