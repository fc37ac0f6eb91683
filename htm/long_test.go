package htm

import (
	"flag"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

var (
	long          = flag.Bool("long", false, "run the long-running checks (TestLongRandom)")
	longSteps     = flag.Int("long.steps", 1_000_000, "steps of TestLongRandom")
	longWindow    = flag.Int("long.window", 100_000, "steps per reported window of TestLongRandom")
	longMaxSegsFl = flag.Int("long.maxsegments", 65536, "Params.MaxSegments of TestLongRandom (0: only htm.core's per-cell bound, which allows 16.7M segments)")
)

// TestLongRandom runs the default TM (2048 × 32, 40 active columns,
// learning on) on uniformly random input, the worst case for growth: every
// column bursts and every step creates 40 segments of 20 synapses. It
// reports the time per step, the store's size and the heap in windows,
// and checks that time and memory per step stop growing once the bound
// (MaxSegments) is reached. Run it with
//
//	go test ./htm -run TestLongRandom -long -v -timeout 0
//
// (-long.steps, -long.window, -long.maxsegments change the run).
func TestLongRandom(t *testing.T) {
	if !*long || testing.Short() {
		t.Skip("long-running; enable with -long")
	}
	p := DefaultParams()
	p.MaxSegments = *longMaxSegsFl
	tm := mustNew(t, p)
	rng := rand.New(rand.NewPCG(21, 21))
	pool := make([][]uint32, 1<<14)
	for i := range pool {
		pool[i] = randomColumns(rng, 2048, 40)
	}
	window := *longWindow
	var perStep []float64
	var heap []uint64
	var ms runtime.MemStats
	t.Logf("%17s %10s %10s %11s %9s %6s", "steps", "µs/step", "segments", "synapses", "heap MB", "GCs")
	for start := 0; start < *longSteps; start += window {
		t0 := time.Now()
		for range window {
			if err := tm.Compute(pool[rng.IntN(len(pool))], true); err != nil {
				t.Fatal(err)
			}
		}
		us := float64(time.Since(t0).Microseconds()) / float64(window)
		runtime.ReadMemStats(&ms)
		perStep = append(perStep, us)
		heap = append(heap, ms.HeapInuse)
		c := tm.Connections()
		t.Logf("%8d–%8d %10.1f %10d %11d %9.1f %6d", start, start+window, us, c.NumSegments(), c.NumSynapses(),
			float64(ms.HeapInuse)/(1<<20), ms.NumGC)
	}
	if err := tm.Connections().CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	if p.MaxSegments == 0 || len(perStep) < 4 {
		return
	}
	// Once the bound is reached (it is after 1638 steps for 65536 segments),
	// later windows must not be slower or larger than the early ones beyond
	// the noise of a shared machine.
	early := slices.Clone(perStep[1:3])
	slices.Sort(early)
	for i, us := range perStep[1:] {
		if us > 3*early[0] {
			t.Errorf("window %d: %.1f µs/step, more than 3× the early %.1f", i+1, us, early[0])
		}
		if heap[i+1] > heap[1]*3/2 {
			t.Errorf("window %d: heap %d MB, more than 1.5× the early %d MB", i+1, heap[i+1]>>20, heap[1]>>20)
		}
	}
}
