package anomaly_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkHelloLikelihood is the case hello/likelihood of `dendritic
// bench`, one op per episode: the default anomaly likelihood (htm.core's
// hello benchmark uses the defaults) scoring the 5000 steps of the hello
// workload from fresh; compare s/5000steps with htm.core's 0.135 s. It
// lives in the external test package because internal/benchwork imports
// anomaly.
func BenchmarkHelloLikelihood(b *testing.B) { benchwork.BenchEpisode(b, benchwork.HelloLikelihood) }
