package theory

import (
	"context"
	"math/big"
)

// Value is the result of a quantity, either fast (a Float) or exact (a
// 256-bit big.Float, or an exact integer).
type Value struct {
	fast   Float
	exact  *big.Float
	digits int  // significant digits printed in the fast mode; 0 means 17
	prob   bool // the quantity is a probability (or an approximation of one)
}

// Digits returns the number of significant digits that Text prints: 25
// for an exact value; for a fast value 17, the round-trip form of the
// float64 nearest the exact value, except for quantities whose fast form
// carries a larger stated error (union-fp-exact), which print only the
// digits that bound guarantees.
func (v Value) Digits() int {
	switch {
	case v.exact != nil:
		return 25
	case v.digits > 0:
		return v.digits
	}
	return 17
}

// AboveOne reports whether v is a probability-valued quantity whose value
// exceeds 1: an approximation or bound (fp-leading, neuron-bound) used
// where it fails. Such a value is not a probability.
func (v Value) AboveOne() bool {
	if !v.prob {
		return false
	}
	if v.exact != nil {
		return v.exact.Cmp(big.NewFloat(1)) > 0
	}
	return v.fast.Cmp(One) > 0
}

// Warning returns "" or, for a value that AboveOne reports, why it is not
// a probability.
func (v Value) Warning() string {
	if v.AboveOne() {
		return "the value exceeds 1: an approximation or bound of a probability that fails here, not a probability"
	}
	return ""
}

// Exact reports whether v came from the exact mode.
func (v Value) Exact() bool { return v.exact != nil }

// IsZero reports whether v is exactly 0.
func (v Value) IsZero() bool {
	if v.exact != nil {
		return v.exact.Sign() == 0
	}
	return v.fast.IsZero()
}

// Float returns v as a Float (rounded to 53 bits if exact).
func (v Value) Float() Float {
	if v.exact != nil {
		return FloatFromBig(v.exact)
	}
	return v.fast
}

// Big returns v as a *big.Float.
func (v Value) Big() *big.Float {
	if v.exact != nil {
		return v.exact
	}
	return v.fast.Big()
}

// Float64 returns v as a float64 (0 below the float64 range).
func (v Value) Float64() float64 { return v.Float().Float64() }

// Log10 returns the base-10 logarithm of v (-Inf for 0).
func (v Value) Log10() float64 {
	if v.exact != nil {
		return log10Big(v.exact)
	}
	return v.fast.Log10()
}

// Text formats v in decimal scientific notation with Digits significant
// digits, and "0" only for an exact zero.
func (v Value) Text() string {
	if v.exact != nil {
		return formatBig(v.exact, 25)
	}
	return v.fast.Text(v.Digits())
}

// String is Text.
func (v Value) String() string { return v.Text() }

// Quantity describes one quantity of the theory, as named on the command
// line (`dendritic calc QUANTITY`).
type Quantity struct {
	Name     string                                    // CLI name, e.g. "fp"
	Equation string                                    // equation id of the paper spec, e.g. "E2"
	Params   []Param                                   // required parameters, in canonical order
	Summary  string                                    // one line
	count    bool                                      // a count or size, not a probability
	digits   func(p []int) int                         // fast-mode digits, if fewer than 17
	fast     func(st *stopper, p []int) (Value, error) // st: see stopper
	exact    func(st *stopper, p []int) (Value, error)
}

func fastOf(f func(st *stopper, p []int) (Float, error)) func(*stopper, []int) (Value, error) {
	return func(st *stopper, p []int) (Value, error) {
		x, err := f(st, p)
		return Value{fast: x}, err
	}
}

func exactOf(f func(st *stopper, p []int) (*big.Float, error)) func(*stopper, []int) (Value, error) {
	return func(st *stopper, p []int) (Value, error) {
		x, err := f(st, p)
		return Value{exact: x}, err
	}
}

var quantities = []Quantity{
	{Name: "overlap-count", Equation: "E1", Params: []Param{ParamN, ParamA, ParamS, ParamB},
		Summary: "C(s,b)·C(n−s,a−b): patterns overlapping s synapses in exactly b cells", count: true,
		fast: fastOf(func(_ *stopper, p []int) (Float, error) { return OverlapCount(p[0], p[1], p[2], p[3]) }),
		exact: func(_ *stopper, p []int) (Value, error) {
			z, err := OverlapCountBig(p[0], p[1], p[2], p[3])
			if err != nil {
				return Value{}, err
			}
			return Value{exact: new(big.Float).SetInt(z)}, nil
		}},
	{Name: "match", Equation: "E2a", Params: []Param{ParamN, ParamA},
		Summary: "1/C(n,a): a random pattern equals a given one",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return Match(p[0], p[1]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return matchBig(st, p[0], p[1]) })},
	{Name: "fp", Equation: "E2", Params: []Param{ParamN, ParamA, ParamS, ParamTheta},
		Summary: "false match of one segment: P(overlap ≥ θ)",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return FP(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return fpBig(st, p[0], p[1], p[2], p[3]) })},
	{Name: "fn", Equation: "E3", Params: []Param{ParamA, ParamS, ParamTheta, ParamNoise},
		Summary: "false negative when noise replaces v of the a active cells",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return FN(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return fnBig(st, p[0], p[1], p[2], p[3]) })},
	{Name: "union-synapses", Equation: "E4", Params: []Param{ParamN, ParamS, ParamPatterns},
		Summary: "expected distinct synapses n(1−(1−s/n)^M) of a union of M patterns", count: true,
		fast: fastOf(func(_ *stopper, p []int) (Float, error) {
			x, err := UnionSynapses(p[0], p[1], p[2])
			return NewFloat(x), err
		}),
		exact: func(_ *stopper, p []int) (Value, error) {
			r, err := UnionSynapsesRat(p[0], p[1], p[2])
			if err != nil {
				return Value{}, err
			}
			return Value{exact: new(big.Float).SetPrec(exactPrec).SetRat(r)}, nil
		}},
	{Name: "union-fp", Equation: "E4", Params: []Param{ParamN, ParamA, ParamS, ParamTheta, ParamPatterns},
		Summary: "false match of a union of M patterns, paper's method (s → round(s_M))",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return UnionFP(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return unionFPBig(st, p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "union-fp-exact", Equation: "E4", Params: []Param{ParamN, ParamA, ParamS, ParamTheta, ParamPatterns},
		Summary: "false match of a union of M patterns over the exact union-size distribution",
		digits:  func(p []int) int { return UnionFPMixDigits(p[2], p[4]) },
		fast:    fastOf(func(st *stopper, p []int) (Float, error) { return unionFPMix(st, p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return unionFPMixBig(st, p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "union-allbits", Equation: "E4", Params: []Param{ParamN, ParamA, ParamPatterns},
		Summary: "2015 paper: (1−(1−a/n)^M)^a, a pattern inside a union of M",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return UnionAllBits(p[0], p[1], p[2]) }),
		exact:   exactOf(func(_ *stopper, p []int) (*big.Float, error) { return UnionAllBitsBig(p[0], p[1], p[2]) })},
	{Name: "neuron", Equation: "E5", Params: []Param{ParamN, ParamA, ParamS, ParamTheta, ParamSegments},
		Summary: "false positive of a neuron with m segments: 1−(1−P)^m",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return Neuron(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return neuronBig(st, p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "neuron-bound", Equation: "E5", Params: []Param{ParamN, ParamA, ParamS, ParamTheta, ParamSegments},
		Summary: "union bound m·P on the neuron's false positive",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return NeuronBound(p[0], p[1], p[2], p[3], p[4]) }),
		exact: exactOf(func(st *stopper, p []int) (*big.Float, error) {
			return neuronBoundBig(st, p[0], p[1], p[2], p[3], p[4])
		})},
	{Name: "fp-binomial", Equation: "E6", Params: []Param{ParamN, ParamA, ParamS, ParamTheta},
		Summary: "binomial approximation of E2 (p = a/n)",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return FPBinomial(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(st *stopper, p []int) (*big.Float, error) { return fpBinomialBig(st, p[0], p[1], p[2], p[3]) })},
	{Name: "fp-leading", Equation: "E6", Params: []Param{ParamN, ParamA, ParamS, ParamTheta},
		Summary: "leading-term scaling law C(s,θ)(a/n)^θ",
		fast:    fastOf(func(_ *stopper, p []int) (Float, error) { return FPLeading(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(_ *stopper, p []int) (*big.Float, error) { return FPLeadingBig(p[0], p[1], p[2], p[3]) })},
}

// Quantities returns every quantity, in a stable order.
func Quantities() []Quantity {
	return append([]Quantity(nil), quantities...)
}

// Lookup returns the quantity with the given CLI name.
func Lookup(name string) (Quantity, bool) {
	for _, q := range quantities {
		if q.Name == name {
			return q, true
		}
	}
	return Quantity{}, false
}

// QuantityNames returns the CLI names of all quantities.
func QuantityNames() []string {
	names := make([]string, len(quantities))
	for i, q := range quantities {
		names[i] = q.Name
	}
	return names
}

// Eval computes the named quantity from its arguments, in the exact mode
// if exact is true. An unknown quantity, or arguments that fail
// Quantity.CheckArgs, give an *ArgError; values outside the model (a > n,
// …) an error from the quantity's function. The value is then the zero
// Value.
func Eval(name string, args Args, exact bool) (Value, error) {
	q, ok := Lookup(name)
	if !ok {
		return Value{}, &ArgError{Quantity: name, Err: ErrUnknown}
	}
	return q.Eval(args, exact)
}

// Eval computes q from its arguments; see the package function Eval.
func (q Quantity) Eval(args Args, exact bool) (Value, error) {
	return q.eval(nil, args, exact)
}

// eval is Eval whose long loops end with st's error once st stops.
func (q Quantity) eval(st *stopper, args Args, exact bool) (Value, error) {
	if err := q.CheckArgs(args); err != nil {
		return Value{}, err
	}
	p := make([]int, len(q.Params))
	for i, name := range q.Params {
		p[i] = args.v[name]
	}
	var v Value
	var err error
	if exact {
		v, err = q.exact(st, p)
	} else {
		v, err = q.fast(st, p)
		if q.digits != nil {
			v.digits = q.digits(p)
		}
	}
	v.prob = !q.count
	return v, err
}

// EvalContext is Eval that ends with ctx's error soon after ctx is done:
// the long loops (the exact-mode sums, the union-size chains) poll ctx
// every 1024 terms or transitions, so the computation itself stops, in
// the caller's goroutine, and leaves nothing running.
func (q Quantity) EvalContext(ctx context.Context, args Args, exact bool) (Value, error) {
	if err := ctx.Err(); err != nil {
		return Value{}, err
	}
	st := newStopper(ctx)
	v, err := q.eval(st, args, exact)
	if e := st.failed(); e != nil {
		return Value{}, e
	}
	return v, err
}
