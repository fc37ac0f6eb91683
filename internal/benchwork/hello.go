package benchwork

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/htm/anomaly"
	"github.com/dendritic/dendritic/htm/encoder"
	"github.com/dendritic/dendritic/htm/spatial"
	"github.com/dendritic/dendritic/sdr"
)

// The "hello" suite mirrors the stages of htm.core's benchmark_hotgym
// (src/examples/hello/HelloSPTP.cpp), timed separately over 5000 steps:
// an RDSE of 1000 bits at 20 % sparsity and radius 0.03 encodes sin(x),
// x += 0.01 per step, and 1 % of the active input bits are moved by noise
// each step; a spatial pooler of 2048 columns with htm.core's defaults and
// global inhibition learns online; a temporal memory of 2048 columns × 8
// cells learns on the pooler's output; the anomaly likelihood (htm.core's
// defaults) scores a raw anomaly stream. htm.core 2.2.0 on the project's
// machine: SP (global) 0.49 s, TM 3.26 s, likelihood 0.135 s per 5000
// steps.
//
// The raw anomaly fed to the likelihood is that of the SP output against
// the previous step's output (anomaly.Raw), a stand-in with the same range
// and rhythm as the TM's; the likelihood costs nearly the same whatever
// the scores.

// helloSteps is the length of an episode of the hello workload.
const helloSteps = 5000

// helloUnit is the unit of the hello cases: seconds per episode.
const helloUnit = "s/5000steps"

// helloRDSE is the encoder of the hello workload.
func helloRDSE() (*encoder.RDSE, error) {
	return encoder.NewRDSE(HelloRDSEParams())
}

// helloEncodeEpisode encodes the 5000 steps into inputs (which must hold
// 5000 SDRs of 1000 bits), noise included.
func helloEncodeEpisode(enc *encoder.RDSE, rng *rand.Rand, inputs []*sdr.SDR) error {
	x := 0.0
	for _, in := range inputs {
		if err := enc.Encode(math.Sin(x), in); err != nil {
			return err
		}
		if err := in.AddNoise(HelloNoise, rng); err != nil {
			return err
		}
		x += 0.01
	}
	return nil
}

// newSDRs returns count empty SDRs of size cells.
func newSDRs(count, size int) ([]*sdr.SDR, error) {
	out := make([]*sdr.SDR, count)
	for i := range out {
		var err error
		if out[i], err = sdr.New(size); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// helloInputs returns the 5000 noisy encodings of the workload.
func helloInputs() ([]*sdr.SDR, error) {
	enc, err := helloRDSE()
	if err != nil {
		return nil, err
	}
	inputs, err := newSDRs(helloSteps, 1000)
	if err != nil {
		return nil, err
	}
	return inputs, helloEncodeEpisode(enc, rand.New(rand.NewPCG(1, 2)), inputs)
}

// helloSP returns the spatial pooler of the workload: 1000 inputs, 2048
// columns, htm.core's defaults (global inhibition).
func helloSP() (*spatial.SpatialPooler, error) {
	return spatial.New(HelloSPParams())
}

// helloColumns returns the spatial pooler's active columns for the 5000
// steps of the hello workload (the SP learning, as in HelloSPGlobal).
func helloColumns() ([][]uint32, error) {
	inputs, err := helloInputs()
	if err != nil {
		return nil, err
	}
	sp, err := helloSP()
	if err != nil {
		return nil, err
	}
	out, err := sdr.New(2048)
	if err != nil {
		return nil, err
	}
	cols := make([][]uint32, len(inputs))
	for i, in := range inputs {
		if err := sp.Compute(in, true, out); err != nil {
			return nil, err
		}
		cols[i] = append([]uint32(nil), out.Sparse()...)
	}
	return cols, nil
}

// helloTMParams are htm.core's TemporalMemory defaults with 8 cells per
// column, as HelloSPTP.cpp constructs it.
func helloTMParams() htm.Params {
	p := htm.DefaultParams()
	p.NumColumns = 2048
	p.CellsPerColumn = 8
	return p
}

// HelloEncode is the input stage: the RDSE encodes the 5000 values and
// adds the noise, into SDRs allocated once.
func HelloEncode() (Episode, error) {
	enc, err := helloRDSE()
	if err != nil {
		return Episode{}, err
	}
	inputs, err := newSDRs(helloSteps, 1000)
	if err != nil {
		return Episode{}, err
	}
	var rng *rand.Rand
	return Episode{Unit: helloUnit,
		Prepare: func() error { rng = rand.New(rand.NewPCG(1, 2)); return nil },
		Run:     func() error { return helloEncodeEpisode(enc, rng, inputs) },
	}, nil
}

// HelloSPGlobal is the spatial pooler stage: a fresh pooler learns on the
// 5000 encoded inputs (computed once, untimed).
func HelloSPGlobal() (Episode, error) {
	inputs, err := helloInputs()
	if err != nil {
		return Episode{}, err
	}
	out, err := sdr.New(2048)
	if err != nil {
		return Episode{}, err
	}
	var sp *spatial.SpatialPooler
	return Episode{Unit: helloUnit,
		Prepare: func() (err error) { sp, err = helloSP(); return err },
		Run: func() error {
			return each(inputs, func(in *sdr.SDR) error { return sp.Compute(in, true, out) })
		},
	}, nil
}

// HelloTM is the temporal memory stage: a fresh TM (helloTMParams) learns
// on the pooler's 5000 outputs (computed once, untimed).
func HelloTM() (Episode, error) {
	cols, err := helloColumns()
	if err != nil {
		return Episode{}, err
	}
	var tm *htm.TemporalMemory
	return Episode{Unit: helloUnit,
		Prepare: func() (err error) { tm, err = htm.New(helloTMParams()); return err },
		Run: func() error {
			return each(cols, func(c []uint32) error { return tm.Compute(c, true) })
		},
	}, nil
}

// HelloLikelihood is the likelihood stage: a fresh anomaly likelihood
// scores the 5000 steps (values sin(x), raw anomaly of the pooler's
// output against the previous step's, computed once, untimed).
func HelloLikelihood() (Episode, error) {
	inputs, err := helloInputs()
	if err != nil {
		return Episode{}, err
	}
	sp, err := helloSP()
	if err != nil {
		return Episode{}, err
	}
	sdrs, err := newSDRs(2, 2048)
	if err != nil {
		return Episode{}, err
	}
	prev, out := sdrs[0], sdrs[1]
	raws := make([]float64, helloSteps)
	for i, in := range inputs {
		if err := sp.Compute(in, true, out); err != nil {
			return Episode{}, err
		}
		if raws[i], err = anomaly.Raw(out, prev); err != nil {
			return Episode{}, err
		}
		prev, out = out, prev
	}
	var like *anomaly.Likelihood
	return Episode{Unit: helloUnit,
		Prepare: func() (err error) {
			like, err = anomaly.NewLikelihood(anomaly.DefaultLikelihoodParams())
			return err
		},
		Run: func() error {
			for i, raw := range raws {
				l, err := like.Compute(math.Sin(0.01*float64(i)), raw)
				if err != nil {
					return err
				}
				if !(l >= 0 && l <= 1) {
					return fmt.Errorf("likelihood %v", l)
				}
			}
			return nil
		},
	}, nil
}

// each calls f on the elements of xs in order and returns the first error.
func each[T any](xs []T, f func(T) error) error {
	for _, x := range xs {
		if err := f(x); err != nil {
			return err
		}
	}
	return nil
}

// median returns a Case.Run that builds the episode and returns its
// median time in seconds.
func median(e func() (Episode, error)) func() (float64, error) {
	return func() (float64, error) {
		ep, err := e()
		if err != nil {
			return 0, err
		}
		return ep.Median()
	}
}

func init() {
	register(Case{Name: "hello/encode", Suite: "hello", Unit: helloUnit, Run: median(HelloEncode)})
	register(Case{Name: "hello/sp-global", Suite: "hello", Unit: helloUnit, Run: median(HelloSPGlobal)})
	register(Case{Name: "hello/tm", Suite: "hello", Unit: helloUnit, Run: median(HelloTM)})
	register(Case{Name: "hello/likelihood", Suite: "hello", Unit: helloUnit, Run: median(HelloLikelihood)})
}
