package sdr_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkOverlap2048 is the case sdr/overlap-2048 of `dendritic bench`:
// the overlap of two 2048-cell SDRs with 40 active cells each, the paper's
// typical dendrite input; it must not allocate. It lives in the external
// test package because internal/benchwork imports sdr.
func BenchmarkOverlap2048(b *testing.B) { benchwork.Bench(b, benchwork.Overlap2048) }
