package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

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
// global inhibition learns online; the anomaly likelihood (htm.core's
// defaults) scores a raw anomaly stream. htm.core 2.2.0 on the project's
// machine: SP (global) 0.49 s, likelihood 0.135 s per 5000 steps.
//
// Until a temporal memory is registered here, the raw anomaly fed to the
// likelihood is that of the SP output against the previous step's output
// (anomaly.Raw), a stand-in with the same range and rhythm; the likelihood
// costs nearly the same whatever the scores.
const helloSteps = 5000

// helloRDSE is the encoder of the hello workload.
func helloRDSE() (*encoder.RDSE, error) {
	return encoder.NewRDSE(encoder.RDSEParams{Size: 1000, Sparsity: 0.2, Radius: 0.03, Seed: 1})
}

// helloEncodeEpisode encodes the 5000 steps into inputs (which must hold
// 5000 SDRs of 1000 bits), noise included.
func helloEncodeEpisode(enc *encoder.RDSE, rng *rand.Rand, inputs []*sdr.SDR) error {
	x := 0.0
	for _, in := range inputs {
		if err := enc.Encode(math.Sin(x), in); err != nil {
			return err
		}
		if err := in.AddNoise(0.01, rng); err != nil {
			return err
		}
		x += 0.01
	}
	return nil
}

// helloInputs returns the 5000 noisy encodings of the workload.
func helloInputs() ([]*sdr.SDR, error) {
	enc, err := helloRDSE()
	if err != nil {
		return nil, err
	}
	inputs := make([]*sdr.SDR, helloSteps)
	for i := range inputs {
		if inputs[i], err = sdr.New(1000); err != nil {
			return nil, err
		}
	}
	return inputs, helloEncodeEpisode(enc, rand.New(rand.NewPCG(1, 2)), inputs)
}

// benchEpisodes runs prepare (untimed) then run (timed) repeatedly, for at
// least 3 episodes and until about a second has been spent or 25 episodes
// have run, and returns the median time of run in seconds.
func benchEpisodes(prepare func() error, run func() error) (float64, error) {
	var times []float64
	var total time.Duration
	for len(times) < 3 || (total < time.Second && len(times) < 25) {
		if err := prepare(); err != nil {
			return 0, err
		}
		t0 := time.Now()
		if err := run(); err != nil {
			return 0, err
		}
		d := time.Since(t0)
		total += d
		times = append(times, d.Seconds())
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

func init() {
	registerBench(benchCase{
		Name: "hello/encode", Suite: "hello", Unit: "s/5000steps",
		Run: func() (float64, error) {
			enc, err := helloRDSE()
			if err != nil {
				return 0, err
			}
			inputs := make([]*sdr.SDR, helloSteps)
			for i := range inputs {
				if inputs[i], err = sdr.New(1000); err != nil {
					return 0, err
				}
			}
			var rng *rand.Rand
			return benchEpisodes(
				func() error { rng = rand.New(rand.NewPCG(1, 2)); return nil },
				func() error { return helloEncodeEpisode(enc, rng, inputs) })
		},
	})
	registerBench(benchCase{
		Name: "hello/sp-global", Suite: "hello", Unit: "s/5000steps",
		Run: func() (float64, error) {
			inputs, err := helloInputs()
			if err != nil {
				return 0, err
			}
			out, err := sdr.New(2048)
			if err != nil {
				return 0, err
			}
			var sp *spatial.SpatialPooler
			return benchEpisodes(
				func() (err error) {
					sp, err = spatial.New(spatial.DefaultParams([]int{1000}, []int{2048}))
					return err
				},
				func() error {
					for _, in := range inputs {
						if err := sp.Compute(in, true, out); err != nil {
							return err
						}
					}
					return nil
				})
		},
	})
	registerBench(benchCase{
		Name: "hello/likelihood", Suite: "hello", Unit: "s/5000steps",
		Run: func() (float64, error) {
			inputs, err := helloInputs()
			if err != nil {
				return 0, err
			}
			sp, err := spatial.New(spatial.DefaultParams([]int{1000}, []int{2048}))
			if err != nil {
				return 0, err
			}
			prev, _ := sdr.New(2048)
			out, _ := sdr.New(2048)
			raws := make([]float64, helloSteps)
			for i, in := range inputs {
				if err := sp.Compute(in, true, out); err != nil {
					return 0, err
				}
				if raws[i], err = anomaly.Raw(out, prev); err != nil {
					return 0, err
				}
				prev, out = out, prev
			}
			var like *anomaly.Likelihood
			return benchEpisodes(
				func() (err error) {
					like, err = anomaly.NewLikelihood(anomaly.DefaultLikelihoodParams())
					return err
				},
				func() error {
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
				})
		},
	})
}
