package theory

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

// Params holds the integer parameters of a quantity by name: "n", "a",
// "s", "theta", "b", "patterns", "noise", "segments". A name that is
// absent is not given.
type Params map[string]int

// ParamNames lists every parameter name in the canonical order of the
// batch CSV schema.
var ParamNames = []string{"n", "a", "s", "theta", "b", "patterns", "noise", "segments"}

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
	Name     string            // CLI name, e.g. "fp"
	Equation string            // equation id of the paper spec, e.g. "E2"
	Params   []string          // required parameters, in order
	Summary  string            // one line
	count    bool              // a count or size, not a probability
	digits   func(p []int) int // fast-mode digits, if fewer than 17
	fast     func(p []int) (Value, error)
	exact    func(p []int) (Value, error)
}

func fastOf(f func(p []int) (Float, error)) func([]int) (Value, error) {
	return func(p []int) (Value, error) {
		x, err := f(p)
		return Value{fast: x}, err
	}
}

func exactOf(f func(p []int) (*big.Float, error)) func([]int) (Value, error) {
	return func(p []int) (Value, error) {
		x, err := f(p)
		return Value{exact: x}, err
	}
}

var quantities = []Quantity{
	{Name: "overlap-count", Equation: "E1", Params: []string{"n", "a", "s", "b"},
		Summary: "C(s,b)·C(n−s,a−b): patterns overlapping s synapses in exactly b cells", count: true,
		fast: fastOf(func(p []int) (Float, error) { return OverlapCount(p[0], p[1], p[2], p[3]) }),
		exact: func(p []int) (Value, error) {
			z, err := OverlapCountBig(p[0], p[1], p[2], p[3])
			if err != nil {
				return Value{}, err
			}
			return Value{exact: new(big.Float).SetInt(z)}, nil
		}},
	{Name: "match", Equation: "E2a", Params: []string{"n", "a"},
		Summary: "1/C(n,a): a random pattern equals a given one",
		fast:    fastOf(func(p []int) (Float, error) { return Match(p[0], p[1]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return MatchBig(p[0], p[1]) })},
	{Name: "fp", Equation: "E2", Params: []string{"n", "a", "s", "theta"},
		Summary: "false match of one segment: P(overlap ≥ θ)",
		fast:    fastOf(func(p []int) (Float, error) { return FP(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return FPBig(p[0], p[1], p[2], p[3]) })},
	{Name: "fn", Equation: "E3", Params: []string{"a", "s", "theta", "noise"},
		Summary: "false negative when noise replaces v of the a active cells",
		fast:    fastOf(func(p []int) (Float, error) { return FN(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return FNBig(p[0], p[1], p[2], p[3]) })},
	{Name: "union-synapses", Equation: "E4", Params: []string{"n", "s", "patterns"},
		Summary: "expected distinct synapses n(1−(1−s/n)^M) of a union of M patterns", count: true,
		fast: fastOf(func(p []int) (Float, error) {
			x, err := UnionSynapses(p[0], p[1], p[2])
			return NewFloat(x), err
		}),
		exact: func(p []int) (Value, error) {
			r, err := UnionSynapsesRat(p[0], p[1], p[2])
			if err != nil {
				return Value{}, err
			}
			return Value{exact: new(big.Float).SetPrec(exactPrec).SetRat(r)}, nil
		}},
	{Name: "union-fp", Equation: "E4", Params: []string{"n", "a", "s", "theta", "patterns"},
		Summary: "false match of a union of M patterns, paper's method (s → round(s_M))",
		fast:    fastOf(func(p []int) (Float, error) { return UnionFP(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return UnionFPBig(p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "union-fp-exact", Equation: "E4", Params: []string{"n", "a", "s", "theta", "patterns"},
		Summary: "false match of a union of M patterns over the exact union-size distribution",
		digits:  func(p []int) int { return UnionFPMixDigits(p[2], p[4]) },
		fast:    fastOf(func(p []int) (Float, error) { return UnionFPMix(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return UnionFPMixBig(p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "union-allbits", Equation: "E4", Params: []string{"n", "a", "patterns"},
		Summary: "2015 paper: (1−(1−a/n)^M)^a, a pattern inside a union of M",
		fast:    fastOf(func(p []int) (Float, error) { return UnionAllBits(p[0], p[1], p[2]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return UnionAllBitsBig(p[0], p[1], p[2]) })},
	{Name: "neuron", Equation: "E5", Params: []string{"n", "a", "s", "theta", "segments"},
		Summary: "false positive of a neuron with m segments: 1−(1−P)^m",
		fast:    fastOf(func(p []int) (Float, error) { return Neuron(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return NeuronBig(p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "neuron-bound", Equation: "E5", Params: []string{"n", "a", "s", "theta", "segments"},
		Summary: "union bound m·P on the neuron's false positive",
		fast:    fastOf(func(p []int) (Float, error) { return NeuronBound(p[0], p[1], p[2], p[3], p[4]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return NeuronBoundBig(p[0], p[1], p[2], p[3], p[4]) })},
	{Name: "fp-binomial", Equation: "E6", Params: []string{"n", "a", "s", "theta"},
		Summary: "binomial approximation of E2 (p = a/n)",
		fast:    fastOf(func(p []int) (Float, error) { return FPBinomial(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return FPBinomialBig(p[0], p[1], p[2], p[3]) })},
	{Name: "fp-leading", Equation: "E6", Params: []string{"n", "a", "s", "theta"},
		Summary: "leading-term scaling law C(s,θ)(a/n)^θ",
		fast:    fastOf(func(p []int) (Float, error) { return FPLeading(p[0], p[1], p[2], p[3]) }),
		exact:   exactOf(func(p []int) (*big.Float, error) { return FPLeadingBig(p[0], p[1], p[2], p[3]) })},
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

// Eval computes the named quantity from its parameters, in the exact mode
// if exact is true. A missing parameter, an unknown quantity or invalid
// values give an error; the value is then the zero Value.
func Eval(name string, p Params, exact bool) (Value, error) {
	q, ok := Lookup(name)
	if !ok {
		return Value{}, fmt.Errorf("theory: unknown quantity %q (known: %s)", name, strings.Join(QuantityNames(), ", "))
	}
	return q.Eval(p, exact)
}

// Eval computes q from its parameters; see the package function Eval.
func (q Quantity) Eval(p Params, exact bool) (Value, error) {
	args := make([]int, len(q.Params))
	var missing []string
	for i, name := range q.Params {
		v, ok := p[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		if v > math.MaxInt32*1024 || v < -math.MaxInt32*1024 {
			return Value{}, fmt.Errorf("theory: %s: %s = %d is out of range", q.Name, name, v)
		}
		args[i] = v
	}
	if len(missing) > 0 {
		return Value{}, fmt.Errorf("theory: %s needs %s (missing: %s)", q.Name, strings.Join(q.Params, ", "), strings.Join(missing, ", "))
	}
	var v Value
	var err error
	if exact {
		v, err = q.exact(args)
	} else {
		v, err = q.fast(args)
		if q.digits != nil {
			v.digits = q.digits(args)
		}
	}
	v.prob = !q.count
	return v, err
}
