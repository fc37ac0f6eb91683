package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkHelloLikelihood times one Compute of the default likelihood
// (htm.core's hello benchmark uses the defaults) on a stream of sin(x)
// values with noisy raw scores, cycling over 5000 records; s/5000steps is
// the figure to compare with htm.core's 0.135 s.
func BenchmarkHelloLikelihood(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	values, raws := make([]float64, 5000), make([]float64, 5000)
	for i := range values {
		values[i] = math.Sin(0.01 * float64(i))
		raws[i] = 0.3 * r.Float64()
	}
	l, err := NewLikelihood(DefaultLikelihoodParams())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := l.Compute(values[i%5000], raws[i%5000]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*5000, "s/5000steps")
}
