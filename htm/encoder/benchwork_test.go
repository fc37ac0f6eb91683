package encoder_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkHelloEncode is the case hello/encode of `dendritic bench`, one
// op per episode: the input stage of the hello workload: an RDSE of 1000
// bits at 20 % sparsity and radius 0.03 encodes sin(x), x += 0.01, for
// 5000 steps, and 1 % of the active bits are moved by noise each step. It
// lives in the external test package because internal/benchwork imports
// encoder.
func BenchmarkHelloEncode(b *testing.B) { benchwork.BenchEpisode(b, benchwork.HelloEncode) }
