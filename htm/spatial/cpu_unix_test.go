//go:build unix

package spatial_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/dendritic/dendritic/internal/benchwork"
)

// BenchmarkHelloSPGlobalCPU is BenchmarkHelloSPGlobal that also reports
// the CPU time of the process per episode (all threads, so the helpers'
// waiting counts too): on a loaded machine the wall time includes the
// time others held the cores, the CPU time mostly does not. Run it with
// -cpu 1,2 to compare one worker with two (the default is min(GOMAXPROCS,
// 2)).
func BenchmarkHelloSPGlobalCPU(b *testing.B) {
	ep, err := benchwork.HelloSPGlobal()
	if err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := ep.Prepare(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime(b)
		if err := ep.Run(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime(b) - c0
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/5000steps")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/5000steps")
}

// cpuTime returns the user and system CPU time of the process.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
