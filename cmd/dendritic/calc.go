package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/batch"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	registerLegacy(command{
		name:    "calc",
		summary: "compute a quantity of the theory (E1–E6), or a CSV table of them",
		run:     runCalc,
	})
}

// calcFlagHelp describes each parameter flag.
var calcFlagHelp = map[string]string{
	"n":        "population size `N` (cells)",
	"a":        "`A` active cells in a pattern",
	"s":        "`S` synapses on the segment",
	"theta":    "NMDA threshold `T` (synapses needed to fire)",
	"b":        "exact overlap `B` (overlap-count)",
	"patterns": "`M` patterns stored in a union",
	"noise":    "`V` active cells replaced by noise (fn)",
	"segments": "`K` segments on the neuron",
}

const calcSynopsis = `usage: dendritic calc QUANTITY --n N --a A --s S --theta T [--b B] [--patterns M]
                      [--noise V] [--segments K] [--exact] [--format text|json|csv]
       dendritic calc --batch FILE|- [--exact]
`

// calcUsage prints the full help: synopsis, quantities and flags.
func calcUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, calcSynopsis+`
Computes one quantity, or with --batch every row of a CSV table (header with
a quantity column and parameter columns n,a,s,theta,b,patterns,noise,segments;
other columns pass through; value,log10,error are appended) to stdout.
Integers may be written as 2e5. Fast values carry 17 significant digits,
--exact values 25.

`)
	calcQuantities(w)
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// calcQuantities lists the quantities with their parameters and summaries.
func calcQuantities(w io.Writer) {
	fmt.Fprintln(w, "Quantities:")
	for _, q := range theory.Quantities() {
		fmt.Fprintf(w, "  %s\n", calcQuantityLine(q))
	}
}

func calcQuantityLine(q theory.Quantity) string {
	return fmt.Sprintf("%-15s %-4s %-29s %s", q.Name, q.Equation, strings.Join(q.Params, " "), q.Summary)
}

func runCalc(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calc", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed below, with the usage
	params := make([]*cliutil.IntFlag, len(theory.ParamNames))
	for i, name := range theory.ParamNames {
		params[i] = new(cliutil.IntFlag)
		fs.Var(params[i], name, calcFlagHelp[name])
	}
	exact := fs.Bool("exact", false, "exact arithmetic (math/big), 25 significant digits")
	format := fs.String("format", "text", "output `format`: text, json or csv")
	batchFile := fs.String("batch", "", "compute every row of the CSV `file` (- for stdin); writes CSV")

	// The quantity may stand anywhere among the flags: parse, take one
	// positional argument, parse the rest.
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			calcUsage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "dendritic calc: %v\n\n%s\nRun 'dendritic calc -h' for the flags and quantities.\n", err, calcSynopsis)
		return exitUsage
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	// usageErr reports a usage error with the synopsis and the list of
	// quantities (or only the line of one quantity, if q is not nil).
	usageErr := func(q *theory.Quantity, format string, a ...any) int {
		fmt.Fprintf(stderr, "dendritic calc: "+format+"\n\n", a...)
		if q != nil {
			fmt.Fprintf(stderr, "  %s\n", calcQuantityLine(*q))
			return exitUsage
		}
		fmt.Fprint(stderr, calcSynopsis+"\n")
		calcQuantities(stderr)
		return exitUsage
	}

	if given["batch"] {
		if len(positional) > 0 {
			return usageErr(nil, "--batch takes no quantity (the table names one per row), got %q", positional[0])
		}
		for i, name := range theory.ParamNames {
			if params[i].IsSet {
				return usageErr(nil, "--batch takes no parameter flags (the table gives them), got --%s", name)
			}
		}
		if given["format"] && *format != "csv" {
			return usageErr(nil, "--batch writes CSV; --format %s is not available", *format)
		}
		return calcBatch(*batchFile, *exact, stdout, stderr)
	}

	switch *format {
	case "text", "json", "csv":
	default:
		return usageErr(nil, "unknown --format %q (want text, json or csv)", *format)
	}
	if len(positional) == 0 {
		return usageErr(nil, "no quantity given")
	}
	if len(positional) > 1 {
		return usageErr(nil, "one quantity at a time (got %s); use --batch for many", strings.Join(positional, " "))
	}
	q, ok := theory.Lookup(positional[0])
	if !ok {
		return usageErr(nil, "unknown quantity %q", positional[0])
	}
	p := theory.Params{}
	for i, name := range theory.ParamNames {
		if params[i].IsSet {
			p[name] = params[i].V
		}
	}
	if err := batch.CheckParams(q, p); err != nil {
		return usageErr(&q, "%v", calcFlagNames(err.Error()))
	}

	v, err := q.Eval(p, *exact)
	if *format == "csv" {
		return calcWriteCSV(stdout, stderr, q, p, v, err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dendritic calc: %v\n", err)
		return 1
	}
	switch *format {
	case "json":
		calcWriteJSON(stdout, q, p, v)
	default:
		calcWriteText(stdout, q, p, v)
	}
	return 0
}

// calcFlagNames turns the parameter names of a CheckParams message into
// flag names: "fp needs n, a (missing: a)" → "fp needs --n, --a (missing: --a)".
func calcFlagNames(msg string) string {
	head, tail, ok := strings.Cut(msg, " needs ")
	sep := " needs "
	if !ok {
		head, tail, ok = strings.Cut(msg, " takes only ")
		sep = " takes only "
	}
	if !ok {
		return msg
	}
	for _, name := range theory.ParamNames {
		tail = replaceWord(tail, name, "--"+name)
	}
	return head + sep + tail
}

// replaceWord replaces whole-word occurrences of old (delimited by
// anything but letters) by new.
func replaceWord(s, old, new string) string {
	isLetter := func(b byte) bool { return b >= 'a' && b <= 'z' || b == '-' }
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], old) && (i == 0 || !isLetter(s[i-1])) &&
			(i+len(old) == len(s) || !isLetter(s[i+len(old)])) {
			b.WriteString(new)
			i += len(old)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// calcParamList formats the parameters of q as "n=10000, a=64, …".
func calcParamList(q theory.Quantity, p theory.Params) string {
	parts := make([]string, len(q.Params))
	for i, name := range q.Params {
		parts[i] = name + "=" + strconv.Itoa(p[name])
	}
	return strings.Join(parts, ", ")
}

func calcWriteText(w io.Writer, q theory.Quantity, p theory.Params, v theory.Value) {
	mode := "fast, 17 digits"
	if v.Exact() {
		mode = "exact, 25 digits"
	}
	var log10 string
	if v.IsZero() {
		log10 = "exactly zero"
	} else {
		log10 = "log10 " + strconv.FormatFloat(v.Log10(), 'f', 6, 64)
	}
	fmt.Fprintf(w, "%s(%s) = %s   (%s; %s, %s)\n", q.Name, calcParamList(q, p), v.Text(), log10, q.Equation, mode)
}

func calcWriteJSON(w io.Writer, q theory.Quantity, p theory.Params, v theory.Value) {
	// Written by hand to keep the parameters in the quantity's order.
	var b strings.Builder
	name, _ := json.Marshal(q.Name)
	b.WriteString(`{"quantity":`)
	b.Write(name)
	b.WriteString(`,"params":{`)
	for i, pn := range q.Params {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", pn, p[pn])
	}
	b.WriteString(`},"value":`)
	val, _ := json.Marshal(v.Text())
	b.Write(val)
	b.WriteString(`,"log10":`)
	if l := v.Log10(); v.IsZero() || math.IsInf(l, 0) || math.IsNaN(l) {
		b.WriteString("null")
	} else {
		lj, _ := json.Marshal(l)
		b.Write(lj)
	}
	fmt.Fprintf(&b, `,"exact":%t}`, v.Exact())
	fmt.Fprintln(w, b.String())
}

// calcWriteCSV writes one row in the batch output schema: the canonical
// columns quantity,n,a,s,theta,b,patterns,noise,segments, then value,
// log10, error. An error is reported in the row and on stderr (status 1).
func calcWriteCSV(stdout, stderr io.Writer, q theory.Quantity, p theory.Params, v theory.Value, err error) int {
	cw := csv.NewWriter(stdout)
	cw.Write(append(batch.Columns(), batch.OutputColumns...))
	row := []string{q.Name}
	for _, name := range theory.ParamNames {
		if x, ok := p[name]; ok {
			row = append(row, strconv.Itoa(x))
		} else {
			row = append(row, "")
		}
	}
	status := 0
	if err != nil {
		row = append(row, "", "", err.Error())
		fmt.Fprintf(stderr, "dendritic calc: %v\n", err)
		status = 1
	} else {
		row = append(row, batch.FormatValue(v), batch.FormatLog10(v), "")
	}
	cw.Write(row)
	cw.Flush()
	return status
}

// calcBatch runs a CSV table through internal/batch.
func calcBatch(file string, exact bool, stdout, stderr io.Writer) int {
	var in io.Reader
	if file == "-" {
		in = os.Stdin
	} else {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintf(stderr, "dendritic calc: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	// batch.Run buffers its output and flushes it whenever the input has
	// nothing more ready, so results stream; no extra buffer here.
	failed, err := batch.Run(in, stdout, exact)
	switch {
	case errors.Is(err, batch.ErrUsage):
		fmt.Fprintf(stderr, "dendritic calc: %s: %v\n", calcFileName(file), strings.TrimPrefix(err.Error(), batch.ErrUsage.Error()+": "))
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "dendritic calc: %s: %v\n", calcFileName(file), err)
		return 1
	case failed > 0:
		fmt.Fprintf(stderr, "dendritic calc: %s: %d row(s) failed (see the error column)\n", calcFileName(file), failed)
		return 1
	}
	return 0
}

func calcFileName(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}
