package spatial

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/dendritic/dendritic/sdr"
)

// workerParams are poolers of at least 3·256 columns (so that 3 workers
// get 3 parts) covering global inhibition with and without boosting, a
// stimulus threshold, and local inhibition in one and two dimensions.
func workerParams() map[string]Params {
	global := DefaultParams([]int{1000}, []int{1024})
	boosted := global
	boosted.BoostStrength = 2
	boosted.StimulusThreshold = 2
	local := DefaultParams([]int{600}, []int{800})
	local.GlobalInhibition = false
	local.BoostStrength = 1
	local.StimulusThreshold = 1
	local2D := DefaultParams([]int{30, 30}, []int{32, 32})
	local2D.GlobalInhibition = false
	local2D.PotentialRadius = 4
	local2D.NumActiveColumnsPerInhArea = 4
	local2D.LocalAreaDensity = 0
	nab := nabParams(454)
	nab.ColumnDims = []int{1024}
	return map[string]Params{"global": global, "boosted": boosted, "local": local, "local-2D": local2D, "nab": nab}
}

// TestWorkersBitIdentical: 1, 2 and 3 workers give the same winners at
// every step and the same learned state (the saved bytes) after 300
// learning steps and 20 inference steps; so does changing the worker
// count in the middle of a run and restoring a saved pooler.
func TestWorkersBitIdentical(t *testing.T) {
	steps := 300
	if testing.Short() {
		steps = 100
	}
	for name, p := range workerParams() {
		t.Run(name, func(t *testing.T) {
			steps := steps
			if !p.GlobalInhibition { // local inhibition is slow
				steps /= 2
			}
			n := 1
			for _, d := range p.InputDims {
				n *= d
			}
			r := rand.New(rand.NewPCG(7, 8))
			inputs := make([]*sdr.SDR, steps+20)
			for i := range inputs {
				inputs[i] = newSDR(t, n)
				if err := inputs[i].Randomize(0.1, r); err != nil {
					t.Fatal(err)
				}
			}
			var ref [][]uint32
			var refState []byte
			for _, workers := range []int{1, 2, 3, -1} {
				s := mustNew(t, p)
				set := func(w int) {
					if err := s.SetWorkers(w); err != nil {
						t.Fatal(err)
					}
					if got := s.Workers(); got != w {
						t.Fatalf("SetWorkers(%d): Workers() = %d", w, got)
					}
				}
				if workers > 0 {
					set(workers)
				}
				out := newSDR(t, p.ColumnDims...)
				var got [][]uint32
				for i, in := range inputs {
					if workers < 0 { // 3, then 1, 2, and a restored pooler with 3
						switch i {
						case 0:
							set(3)
						case steps / 4:
							set(1)
						case steps / 2:
							set(2)
						case 3 * steps / 4:
							data, err := s.MarshalBinary()
							if err != nil {
								t.Fatal(err)
							}
							if err := s.UnmarshalBinary(data); err != nil {
								t.Fatal(err)
							}
							if s.Workers() != 2 {
								t.Fatalf("UnmarshalBinary changed the workers to %d", s.Workers())
							}
							set(3)
						}
					}
					if err := s.Compute(in, i < steps, out); err != nil {
						t.Fatal(err)
					}
					got = append(got, slices.Clone(out.Sparse()))
				}
				checkInvariants(t, s)
				state, err := s.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref, refState = got, state
					continue
				}
				for i := range got {
					if !slices.Equal(got[i], ref[i]) {
						t.Fatalf("workers %d, step %d: winners %v,\nwant %v", workers, i, got[i], ref[i])
					}
				}
				if !bytes.Equal(state, refState) {
					t.Fatalf("workers %d: the learned state differs", workers)
				}
			}
		})
	}
}

func TestSetWorkers(t *testing.T) {
	s := mustNew(t, DefaultParams([]int{100}, []int{1024}))
	for _, n := range []int{-1, MaxWorkers + 1} {
		if err := s.SetWorkers(n); !errors.Is(err, ErrInput) {
			t.Errorf("SetWorkers(%d): %v", n, err)
		}
	}
	if err := s.SetWorkers(0); err != nil || s.Workers() != min(runtime.GOMAXPROCS(0), 2) {
		t.Errorf("default: %d workers, %v", s.Workers(), err)
	}
	if err := s.SetWorkers(MaxWorkers); err != nil || s.Workers() != 4 {
		t.Errorf("1024 columns: %d workers, want 4 (256 columns each), %v", s.Workers(), err)
	}
	small := mustNew(t, DefaultParams([]int{100}, []int{300}))
	if err := small.SetWorkers(2); err != nil || small.Workers() != 1 {
		t.Errorf("300 columns: %d workers, want 1, %v", small.Workers(), err)
	}
	var zero SpatialPooler
	if err := zero.SetWorkers(2); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("zero value: %v", err)
	}
}

// TestWorkersEnd: the helper goroutines end when their pooler is garbage
// collected.
func TestWorkersEnd(t *testing.T) {
	tm := func() *team {
		s := mustNew(t, DefaultParams([]int{100}, []int{2048}))
		if err := s.SetWorkers(4); err != nil {
			t.Fatal(err)
		}
		in, out := newSDR(t, 100), newSDR(t, 2048)
		_ = in.Randomize(0.2, rand.New(rand.NewPCG(1, 1)))
		if err := s.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
		if s.team == nil || s.team.running.Load() != 3 {
			t.Fatal("4 workers without 3 helpers")
		}
		return s.team
	}()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		if tm.running.Load() == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d helpers still running after the pooler was collected", tm.running.Load())
}

// TestCandidatesFallBack: learning on inputs whose density jumps (so that
// the cut of global inhibition falls by more than one from one step to
// the next, and the candidates from the last cut miss winners), the
// winners still are the brute-force ones, with 1 and 2 workers.
func TestCandidatesFallBack(t *testing.T) {
	for _, workers := range []int{1, 2} {
		s := mustNew(t, DefaultParams([]int{1000}, []int{1024}))
		if err := s.SetWorkers(workers); err != nil {
			t.Fatal(err)
		}
		in, out := newSDR(t, 1000), newSDR(t, 1024)
		r := rand.New(rand.NewPCG(3, 3))
		fellBack := 0
		for i := range 200 {
			density := []float64{0.4, 0.02, 0.2, 0.05}[i%4]
			if err := in.Randomize(density, r); err != nil {
				t.Fatal(err)
			}
			lastCut := s.lastCut
			if err := s.Compute(in, true, out); err != nil {
				t.Fatal(err)
			}
			if max(s.minOverlap, lastCut-1) > s.lastCut {
				fellBack++
			}
			if want := bruteWinners(s, s.numActive); !slices.Equal(out.Sparse(), want) {
				t.Fatalf("workers %d, step %d: winners %v,\nwant %v", workers, i, out.Sparse(), want)
			}
		}
		if fellBack < 50 {
			t.Errorf("workers %d: the candidates missed winners at %d steps of 200, want ≥ 50", workers, fellBack)
		}
	}
}

// TestTeamSuspended: while the team is suspended (its helpers did too
// little) the caller does every part, with the same results, and
// publishes phases to the helpers again afterwards.
func TestTeamSuspended(t *testing.T) {
	p := DefaultParams([]int{1000}, []int{1024})
	ref, s := mustNew(t, p), mustNew(t, p)
	if err := ref.SetWorkers(1); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWorkers(2); err != nil {
		t.Fatal(err)
	}
	in, out, want := newSDR(t, 1000), newSDR(t, 1024), newSDR(t, 1024)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 200 {
		if err := in.Randomize(0.1, r); err != nil {
			t.Fatal(err)
		}
		gen := uint64(0)
		if s.team != nil {
			if i == 50 {
				s.team.suspended = 100 // 50 steps of two phases
			}
			gen = s.team.state.Load() >> 32
		}
		suspended := s.team != nil && s.team.suspended > 0
		if err := s.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
		if err := ref.Compute(in, true, want); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out.Sparse(), want.Sparse()) {
			t.Fatalf("step %d (suspended %v): winners %v,\nwant %v", i, suspended, out.Sparse(), want.Sparse())
		}
		if g := s.team.state.Load() >> 32; suspended != (g == gen) {
			t.Fatalf("step %d: suspended %v, generation %d → %d", i, suspended, gen, g)
		}
	}
	a, _ := s.MarshalBinary()
	b, _ := ref.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("the learned state differs")
	}
}
