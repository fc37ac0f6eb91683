package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/batch"
	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

func init() {
	register(&cli.Command{
		Name:    "calc",
		Summary: "compute a quantity of the theory (E1–E6), or a CSV table of them",
		Args:    "QUANTITY",
		Doc: `Computes one quantity (its parameters as flags), or with --batch FILE|- every
row of a CSV table (header with a quantity column and parameter columns
n,a,s,theta,b,patterns,noise,segments; other columns pass through;
value,log10,error,warning are appended) to stdout. Integers may be written
as 2e5. Fast values print the float64 nearest the exact value with 17
significant digits (union-fp-exact: the digits its error bound guarantees),
--exact values 25. A value above 1 of a probability (fp-leading,
neuron-bound) carries a warning. fn does not
depend on n; --n is accepted (as simulate fn needs it) and then must hold
a + noise ≤ n.`,
		Flags: calcFlags,
		Help:  calcQuantities,
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
	"noise":    "`V` active cells replaced by noise (fn; a count of cells)",
	"segments": "`K` segments on the neuron",
}

// calcQuantities lists the quantities with their parameters and summaries.
func calcQuantities(w io.Writer) {
	fmt.Fprintln(w, "Quantities:")
	for _, q := range theory.Quantities() {
		fmt.Fprintf(w, "  %-15s %-4s %-29s %s\n", q.Name, q.Equation, strings.Join(q.Params, " "), q.Summary)
	}
}

func calcFlags(fs *flag.FlagSet) cli.Run {
	params := make([]*cliutil.IntFlag, len(theory.ParamNames))
	for i, name := range theory.ParamNames {
		params[i] = cli.OptInt(fs, name, calcFlagHelp[name])
	}
	exact := fs.Bool("exact", false, "exact arithmetic (math/big), 25 significant digits")
	format := cli.Format(fs, "text", "json", "csv")
	batchFile := fs.String("batch", "", "compute every row of the CSV `file` (- for stdin); writes CSV")
	return func(ctx context.Context, env *cli.Env) error {
		if env.Given("batch") {
			if len(env.Args) > 0 {
				return cli.Usagef("--batch takes no quantity (the table names one per row), got %q", env.Args[0])
			}
			for i, name := range theory.ParamNames {
				if params[i].IsSet {
					return cli.Usagef("--batch takes no parameter flags (the table gives them), got --%s", name)
				}
			}
			if env.Given("format") && *format != "csv" {
				return cli.Usagef("--batch writes CSV; --format %s is not available", *format)
			}
			return calcBatch(*batchFile, *exact, env.Stdout)
		}
		switch len(env.Args) {
		case 0:
			return cli.Usagef("no quantity given")
		case 1:
		default:
			return cli.Usagef("one quantity at a time (got %s); use --batch for many", strings.Join(env.Args, " "))
		}
		q, ok := theory.Lookup(env.Args[0])
		if !ok {
			return cli.Usagef("unknown quantity %q (the list: dendritic calc -h)", env.Args[0])
		}
		p := theory.Params{}
		for i, name := range theory.ParamNames {
			if params[i].IsSet {
				p[name] = params[i].V
			}
		}
		n, hasN := p["n"]
		if hasN && !slices.Contains(q.Params, "n") {
			delete(p, "n") // fn: accepted, as simulate fn needs it; checked below
		}
		if err := batch.CheckParams(q, p); err != nil {
			return cli.Usagef("%v", calcFlagNames(err.Error()))
		}
		if _, ok := p["n"]; hasN && !ok && p["a"]+p["noise"] > n {
			return fmt.Errorf("%s: a + noise = %d exceeds n = %d (the noise cells are drawn from the n − a inactive ones)",
				q.Name, p["a"]+p["noise"], n)
		}
		v, err := q.Eval(p, *exact)
		if *format == "csv" {
			return batch.WriteRow(env.Stdout, q, p, v, err)
		}
		if err != nil {
			return err
		}
		if *format == "json" {
			calcWriteJSON(env.Stdout, q, p, v)
		} else {
			calcWriteText(env.Stdout, q, p, v)
		}
		return nil
	}
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
	mode := fmt.Sprintf("fast, %d digits", v.Digits())
	if v.Exact() {
		mode = fmt.Sprintf("exact, %d digits", v.Digits())
	}
	if w := v.Warning(); w != "" {
		mode += "; warning: " + w
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
	fmt.Fprintf(&b, `,"exact":%t,"digits":%d`, v.Exact(), v.Digits())
	if w := v.Warning(); w != "" {
		wj, _ := json.Marshal(w)
		b.WriteString(`,"warning":`)
		b.Write(wj)
	}
	b.WriteString("}")
	fmt.Fprintln(w, b.String())
}

// calcBatch runs a CSV table through internal/batch. A table that cannot
// be read, or a failed row, is exit status 1.
func calcBatch(file string, exact bool, stdout io.Writer) error {
	in, name := io.Reader(os.Stdin), "stdin"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in, name = f, file
	}
	// batch.Run buffers its output and flushes it whenever the input has
	// nothing more ready, so results stream; no extra buffer here.
	failed, err := batch.Run(in, stdout, exact)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), batch.ErrUsage.Error()+": "))
	case failed > 0:
		return fmt.Errorf("%s: %d row(s) failed (see the error column)", name, failed)
	}
	return nil
}
