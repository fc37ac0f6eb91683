package theory_test

import (
	"errors"
	"fmt"

	"github.com/dendritic/dendritic/theory"
)

// The paper's central number: a segment of 24 synapses with threshold 12
// on a population of 10000 cells with 64 active. The published notebook
// printed 0 here (paper-spec §10.3).
func ExampleFP() {
	p, err := theory.FP(10000, 64, 24, 12)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Text(5))
	// Output: 4.0416e-21
}

// Exact arithmetic gives as many digits as you like.
func ExampleFPBig() {
	p, _ := theory.FPBig(200000, 2000, 20, 10)
	fmt.Println(p.Text('e', 24))
	// Output: 1.649898752007993384762601e-15
}

// Noise: with a = 128 and s = 30, θ trades false positives against false
// negatives (paper-spec C7, at 25% noise).
func ExampleFN() {
	for _, theta := range []int{8, 12, 16} {
		p, _ := theory.FN(128, 30, theta, 32)
		fmt.Printf("θ=%d: %s\n", theta, p.Text(2))
	}
	// Output:
	// θ=8: 2.2e-12
	// θ=12: 2.2e-07
	// θ=16: 5.9e-04
}

// Probabilities below the float64 range are carried, never rounded to 0.
func ExampleMatch() {
	p, _ := theory.Match(200000, 2000)
	fmt.Println(p.Text(4), p.Float64())
	// Output: 6.546e-4863 0
}

// The union property (paper-spec C6): 8 patterns of 25 synapses on one
// segment of a 10000-cell population with 200 active still give false
// matches below 1e-5.
func ExampleUnionFP() {
	p, _ := theory.UnionFP(10000, 200, 25, 15, 8)
	q, _ := theory.UnionFPMix(10000, 200, 25, 15, 8)
	fmt.Println("paper:", p.Text(4), "exact union size:", q.Text(4))
	// Output: paper: 9.753e-06 exact union size: 9.936e-06
}

// The optimal-threshold statistic (E7) over the paper's grid.
func ExampleThresholds() {
	stats, _ := theory.Thresholds(theory.PaperGrid())
	for _, st := range stats[6:8] {
		fmt.Printf("θ=%d median %s\n", st.Theta, st.Median.Text(3))
	}
	// Output:
	// θ=9 median 2.04e-09
	// θ=10 median 7.40e-11
}

// Design a segment: 30% noise, at most 1e-9 false matches and 1e-3
// misses, on a population of 200000 cells with 2000 active.
func ExampleDesignSegment() {
	d, _ := theory.DesignSegment(theory.DesignSpec{N: 200000, A: 2000, Noise: 0.3, MaxFP: 1e-9, MaxFN: 1e-3})
	for _, p := range d.Best {
		fmt.Printf("s=%d θ=%d fp=%s fn=%s\n", p.S, p.Theta, p.FP.Text(3), p.FN.Text(3))
	}
	// Output: s=19 θ=7 fp=4.49e-10 fn=5.82e-04
}

// A quantity by name, with typed arguments; the parameter table gives
// each parameter's meaning and bounds, and a mistake is a typed error.
// 4.0416e-21 is E2 at the paper's headline configuration (ExampleFP).
func ExampleEval() {
	args := theory.Args{}.With(theory.ParamN, 10000).With(theory.ParamA, 64).
		With(theory.ParamS, 24).With(theory.ParamTheta, 12)
	v, err := theory.Eval("fp", args, false)
	fmt.Println(v.Float().Text(5), err)

	info := theory.ParamTheta.Info()
	fmt.Printf("%s: %s, in [%d, %d] %s\n", info.Name, info.Meaning, info.Min, info.Max, info.Unit)

	_, err = theory.Eval("fp", args.Without(theory.ParamTheta), false)
	var ae *theory.ArgError
	if errors.As(err, &ae) && errors.Is(err, theory.ErrMissing) {
		fmt.Println(ae.Param, "|", err)
	}
	// Output:
	// 4.0416e-21 <nil>
	// theta: NMDA threshold (synapses needed to fire), in [0, 1099511627776] synapses
	// theta | fp needs n, a, s, theta (missing: theta)
}
