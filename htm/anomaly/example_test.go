package anomaly_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dendritic/dendritic/htm/anomaly"
)

// The anomaly score of NAB's Numenta detector for a stream whose raw
// anomaly scores are steady noise until, at record 1500, they jump:
// the likelihood is 0.5 during the probationary period, moderate on the
// noise, and close to 1 right after the jump.
func Example() {
	like, err := anomaly.NewLikelihood(anomaly.LikelihoodParams{LearningPeriod: 375, EstimationSamples: 375,
		HistoricWindowSize: 8640, ReestimationPeriod: 100, AveragingWindow: 10})
	if err != nil {
		panic(err)
	}
	spatial, _ := anomaly.NewSpatialRange(0.05)
	rng := rand.New(rand.NewPCG(1, 2))
	peak := 0.0
	for t := range 1510 {
		value := 50 + 10*rng.Float64() // the metric itself, within [50, 60]
		raw := 0.2 * rng.Float64()     // what the temporal memory failed to predict
		if t >= 1500 {
			raw = 0.9
		}
		l, err := like.Compute(value, raw)
		if err != nil {
			panic(err)
		}
		score := anomaly.LogLikelihood(l)
		if spatial.Check(value) {
			score = 1
		}
		switch {
		case t == 0:
			fmt.Printf("record 0: likelihood %.1f, score %.4f\n", l, score)
		case t == 1499:
			fmt.Printf("record 1499: score below 0.5: %v\n", score < 0.5)
		case t >= 1500:
			peak = max(peak, score)
		}
	}
	fmt.Printf("after the jump: score above 0.5: %v\n", peak > 0.5)
	// Output:
	// record 0: likelihood 0.5, score 0.0301
	// record 1499: score below 0.5: true
	// after the jump: score above 0.5: true
}
