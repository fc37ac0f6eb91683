package dendrite_test

import (
	"fmt"
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkComputeActivityDense measures the forward kernel on the store
// of the case dendrite/activity of `dendritic bench` (250 000 segments ×
// 40 synapses onto 65536 inputs, 2 % active), and on 10^6 segments, on 1
// and 2 workers. The metric Gsyn/s counts synapse checks per second. It
// lives in the external test package because internal/benchwork imports
// dendrite.
func BenchmarkComputeActivityDense(b *testing.B) {
	for _, segs := range []int{250_000, 1_000_000} {
		c, bitmap, err := benchwork.ActivityStore(segs)
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("segments=%d/workers=%d", segs, w), func(b *testing.B) {
				benchwork.Bench(b, benchwork.DenseActivity(c, bitmap, w))
				b.ReportMetric(float64(c.NumSynapses())*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gsyn/s")
			})
		}
	}
}
