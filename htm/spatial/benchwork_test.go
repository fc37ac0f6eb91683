package spatial_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkHelloSPGlobal is the case hello/sp-global of `dendritic bench`,
// one op per episode: the hello workload's spatial pooler (1000 inputs,
// 2048 columns, htm.core's defaults, global inhibition) learning on the
// 5000 encoded inputs from fresh; compare s/5000steps with htm.core's 0.49
// s. It lives in the external test package because internal/benchwork
// imports spatial.
func BenchmarkHelloSPGlobal(b *testing.B) { benchwork.BenchEpisode(b, benchwork.HelloSPGlobal) }
