package btm_test

import (
	"testing"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkStepWork is the case btm/step-2048x32 of `dendritic bench`
// (internal/benchwork imports btm, so it lives in the external test
// package): NAB's parameters, a learned repeating sequence of 100 inputs.
func BenchmarkStepWork(b *testing.B) { benchwork.Bench(b, benchwork.BTMStep) }
