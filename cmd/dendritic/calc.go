package main

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/dendritic/dendritic/theory"
)

func init() {
	register(&cli.Command{
		Name:    "calc",
		Summary: "compute a quantity of the theory (E1–E6), or a CSV table of them",
		Args:    "QUANTITY",
		Doc: `Computes one quantity (its parameters as flags), or with --batch FILE|- every
row of a CSV table (header with a quantity column and parameter columns
` + strings.Join(batch.Columns()[1:], ",") + `; other columns pass through;
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

// calcQuantities lists the quantities with their parameters and summaries.
func calcQuantities(w io.Writer) {
	fmt.Fprintln(w, "Quantities:")
	for _, q := range theory.Quantities() {
		names := make([]string, len(q.Params))
		for i, p := range q.Params {
			names[i] = p.String()
		}
		fmt.Fprintf(w, "  %-15s %-4s %-29s %s\n", q.Name, q.Equation, strings.Join(names, " "), q.Summary)
	}
}

func calcFlags(fs *flag.FlagSet) cli.Run {
	params := paramFlags(fs, nil, func(theory.Param) string { return "" })
	exact := fs.Bool("exact", false, "exact arithmetic (math/big), 25 significant digits")
	format := cli.Format(fs, "text", "json", "csv")
	batchFile := fs.String("batch", "", "compute every row of the CSV `file` (- for stdin); writes CSV")
	return func(ctx context.Context, env *cli.Env) error {
		args := params.args()
		if env.Given("batch") {
			if len(env.Args) > 0 {
				return cli.Usagef("--batch takes no quantity (the table names one per row), got %q", env.Args[0])
			}
			if given := args.Given(); len(given) > 0 {
				return cli.Usagef("--batch takes no parameter flags (the table gives them), got --%s", given[0])
			}
			if env.Given("format") && *format != "csv" {
				return cli.Usagef("--batch writes CSV; --format %s is not available", *format)
			}
			return calcBatch(ctx, *batchFile, *exact, env.Stdout)
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
		n, hasN := args.Get(theory.ParamN)
		if hasN && !slices.Contains(q.Params, theory.ParamN) {
			args = args.Without(theory.ParamN) // fn: accepted, as simulate fn needs it; checked below
		}
		if err := q.CheckArgs(args); err != nil {
			return argUsage(err)
		}
		a, _ := args.Get(theory.ParamA)
		noise, _ := args.Get(theory.ParamNoise)
		if hasN && !args.Has(theory.ParamN) && a+noise > n {
			return fmt.Errorf("%s: a + noise = %d exceeds n = %d (the noise cells are drawn from the n − a inactive ones)",
				q.Name, a+noise, n)
		}
		v, err := q.EvalContext(ctx, args, *exact)
		if *format == "csv" {
			return batch.WriteRow(env.Stdout, q, args, v, err)
		}
		if err != nil {
			return err
		}
		if *format == "json" {
			calcWriteJSON(env.Stdout, q, args, v)
		} else {
			calcWriteText(env.Stdout, q, args, v)
		}
		return nil
	}
}

// calcParamList formats the parameters of q as "n=10000, a=64, …".
func calcParamList(q theory.Quantity, p theory.Args) string {
	parts := make([]string, len(q.Params))
	for i, name := range q.Params {
		v, _ := p.Get(name)
		parts[i] = name.String() + "=" + strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}

func calcWriteText(w io.Writer, q theory.Quantity, p theory.Args, v theory.Value) {
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

func calcWriteJSON(w io.Writer, q theory.Quantity, p theory.Args, v theory.Value) {
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
		x, _ := p.Get(pn)
		fmt.Fprintf(&b, "%q:%d", pn.String(), x)
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
func calcBatch(ctx context.Context, file string, exact bool, stdout io.Writer) error {
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
	failed, err := batch.RunContext(ctx, in, stdout, exact)
	var ie *batch.InputError
	switch {
	case errors.As(err, &ie):
		return fmt.Errorf("%s: %w", name, ie.Err)
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	case failed > 0:
		return fmt.Errorf("%s: %d row(s) failed (see the error column)", name, failed)
	}
	return nil
}
