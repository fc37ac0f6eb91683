package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

func mustNew(t testing.TB, p Params) *SpatialPooler {
	t.Helper()
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newSDR(t testing.TB, dims ...int) *sdr.SDR {
	t.Helper()
	s, err := sdr.New(dims...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkInvariants verifies the connection index against the permanences.
func checkInvariants(t testing.TB, s *SpatialPooler) {
	t.Helper()
	conn := make([]int32, s.numColumns)
	want := make([][]uint32, s.numInputs)
	for c := range s.numColumns {
		for syn := s.potStart[c]; syn < s.potStart[c+1]; syn++ {
			if s.perm[syn] >= s.connected {
				conn[c]++
				want[s.potIdx[syn]] = append(want[s.potIdx[syn]], uint32(c))
				if slot := s.synRev[syn]; s.revSyn[slot] != syn || s.revCol[slot] != uint32(c) {
					t.Fatalf("synapse %d: reverse slot %d holds %d/%d", syn, slot, s.revSyn[slot], s.revCol[slot])
				}
			}
		}
	}
	if !slices.Equal(conn, s.connCount) {
		t.Fatal("connected counts out of date")
	}
	for i := range s.numInputs {
		var got []uint32
		for p, pt := range s.parts {
			l := s.partRev(p)[i]
			end := uint32(len(s.revCol))
			if k := p*s.numInputs + i + 1; k < len(s.rev) {
				end = s.rev[k].start
			}
			if l.start+l.n > end {
				t.Fatalf("part %d, input %d: %d entries from %d overflow into %d", p, i, l.n, l.start, end)
			}
			for _, c := range s.revCol[l.start : l.start+l.n] {
				if int(c) < pt.lo || int(c) >= pt.hi {
					t.Fatalf("part %d [%d, %d), input %d: column %d", p, pt.lo, pt.hi, i, c)
				}
				got = append(got, c)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want[i]) {
			t.Fatalf("input %d: connected columns %v, want %v", i, got, want[i])
		}
	}
}

func TestParamsValidation(t *testing.T) {
	base := DefaultParams([]int{100}, []int{64})
	for name, mod := range map[string]func(*Params){
		"no input dims":     func(p *Params) { p.InputDims = nil },
		"zero column dim":   func(p *Params) { p.ColumnDims = []int{0} },
		"rank mismatch":     func(p *Params) { p.ColumnDims = []int{8, 8} },
		"huge":              func(p *Params) { p.InputDims = []int{MaxInputs, 2} },
		"radius":            func(p *Params) { p.PotentialRadius = -1 },
		"pct 0":             func(p *Params) { p.PotentialPct = 0 },
		"pct NaN":           func(p *Params) { p.PotentialPct = math.NaN() },
		"density and count": func(p *Params) { p.NumActiveColumnsPerInhArea = 5 },
		"density > 0.5":     func(p *Params) { p.LocalAreaDensity = 0.6 },
		"no density":        func(p *Params) { p.LocalAreaDensity = 0 },
		"negative count":    func(p *Params) { p.NumActiveColumnsPerInhArea = -1 },
		"stimulus":          func(p *Params) { p.StimulusThreshold = -1 },
		"inc":               func(p *Params) { p.SynPermActiveInc = 1.5 },
		"dec NaN":           func(p *Params) { p.SynPermInactiveDec = math.NaN() },
		"connected":         func(p *Params) { p.SynPermConnected = -0.1 },
		"min pct":           func(p *Params) { p.MinPctOverlapDutyCycles = 2 },
		"period":            func(p *Params) { p.DutyCyclePeriod = 0 },
		"boost":             func(p *Params) { p.BoostStrength = math.Inf(1) },
		"init mode":         func(p *Params) { p.InitPermanence = InitUniform + 1 },
	} {
		p := base.clone()
		mod(&p)
		if _, err := New(p); !errors.Is(err, ErrParams) {
			t.Errorf("%s: %v, want ErrParams", name, err)
		}
	}
}

func TestPotentialPools(t *testing.T) {
	// NAB's pooler: every pool is round(0.8·454) = 363 of the 454 inputs.
	s := mustNew(t, nabParams(454))
	for c := range s.numColumns {
		if n := s.potStart[c+1] - s.potStart[c]; n != 363 {
			t.Fatalf("column %d: pool of %d, want 363", c, n)
		}
	}
	// htm.core defaults, 1000 inputs → 2048 columns: radius 16 gives a
	// window of 33 inputs around the centre, 17 (round(16.5)) of them
	// potential; the window wraps around the ends.
	s = mustNew(t, DefaultParams([]int{1000}, []int{2048}))
	for _, c := range []int{0, 1, 1000, 2047} {
		pool, _, err := s.Synapses(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(pool) != 17 || !slices.IsSorted(pool) {
			t.Fatalf("column %d: pool %v", c, pool)
		}
		center := (2*c + 1) * 1000 / (2 * 2048)
		for _, i := range pool {
			d := (int(i) - center + 1000) % 1000
			if d > 16 && d < 1000-16 {
				t.Errorf("column %d (centre %d): input %d outside the radius", c, center, i)
			}
		}
	}
	// Without wrap-around the edge windows are clipped: column 0 of 2048
	// over 1000 inputs is centred on 0 and sees inputs 0..16 (17), of which
	// round(8.5) = 9.
	p := DefaultParams([]int{1000}, []int{2048})
	p.WrapAround = false
	s = mustNew(t, p)
	if pool, _, _ := s.Synapses(0); len(pool) != 9 || pool[len(pool)-1] > 16 {
		t.Errorf("clipped pool of column 0: %v", pool)
	}
	// 2-D: a 3×3 box (radius 1) in a 10×10 input, pct 1.
	p = DefaultParams([]int{10, 10}, []int{5, 5})
	p.PotentialRadius, p.PotentialPct = 1, 1
	s = mustNew(t, p)
	// Column (2, 3) is centred on input (⌊2.5·2⌋, ⌊3.5·2⌋) = (5, 7).
	pool, _, _ := s.Synapses(2*5 + 3)
	want := []uint32{46, 47, 48, 56, 57, 58, 66, 67, 68}
	if !slices.Equal(pool, want) {
		t.Errorf("2-D pool %v, want %v", pool, want)
	}
}

func TestInitialPermanences(t *testing.T) {
	// InitNearThreshold: each synapse connected with probability ½, within
	// 0.1 of the threshold.
	p := nabParams(454)
	p.InitPermanence = InitNearThreshold
	s := mustNew(t, p)
	connected := 0
	for _, v := range s.perm {
		if v < 0.1 || v > 0.3 {
			t.Fatalf("permanence %v outside [0.1, 0.3]", v)
		}
		if v >= 0.2 {
			connected++
		}
	}
	// 2048·363 = 743,424 Bernoulli trials, σ ≈ 431; allow 5σ.
	if d := float64(connected) - float64(len(s.perm))/2; math.Abs(d) > 5*431 {
		t.Errorf("%d of %d connected", connected, len(s.perm))
	}
	checkInvariants(t, s)
	if s.InhibitionRadius() != 0 {
		t.Errorf("global pooler has an inhibition radius")
	}

	// InitUniform (nabParams' own): uniform on [0, 1), so connected
	// with probability 1 − 0.2, and a tenth of the synapses in each tenth
	// of the range.
	s = mustNew(t, nabParams(454))
	if s.Params().InitPermanence != InitUniform {
		t.Fatalf("nabParams initialises with %v", s.Params().InitPermanence)
	}
	var deciles [10]int
	connected = 0
	for _, v := range s.perm {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("permanence %v outside [0, 1]", v)
		}
		deciles[min(9, int(v*10))]++
		if v >= 0.2 {
			connected++
		}
	}
	n := float64(len(s.perm))
	// σ = sqrt(n·0.8·0.2) ≈ 345 and sqrt(n·0.1·0.9) ≈ 259; allow 5σ.
	if d := float64(connected) - 0.8*n; math.Abs(d) > 5*345 {
		t.Errorf("%d of %d connected, want about 80 %%", connected, len(s.perm))
	}
	for k, c := range deciles {
		if d := float64(c) - n/10; math.Abs(d) > 5*259 {
			t.Errorf("%d permanences in [%v, %v), want about %v", c, float64(k)/10, float64(k+1)/10, n/10)
		}
	}
	checkInvariants(t, s)

	// At the threshold 0.5 both modes connect half the synapses, but
	// uniform permanences start much farther from the threshold.
	near := 0.0
	for _, mode := range []InitMode{InitNearThreshold, InitUniform} {
		p := nabParams(454)
		p.SynPermConnected = 0.5
		p.InitPermanence = mode
		s := mustNew(t, p)
		dist, conn := 0.0, 0
		for _, v := range s.perm {
			dist += math.Abs(float64(v) - 0.5)
			if v >= 0.5 {
				conn++
			}
		}
		dist /= float64(len(s.perm))
		if d := float64(conn) - float64(len(s.perm))/2; math.Abs(d) > 5*431 {
			t.Errorf("%v: %d of %d connected at threshold 0.5", mode, conn, len(s.perm))
		}
		want := map[InitMode]float64{InitNearThreshold: 0.05, InitUniform: 0.25}[mode]
		if math.Abs(dist-want) > 0.002 {
			t.Errorf("%v: mean distance to the threshold %v, want %v", mode, dist, want)
		}
		if mode == InitNearThreshold {
			near = dist
		} else if dist < 4*near {
			t.Errorf("uniform distance %v, near-threshold %v", dist, near)
		}
	}
}

// bruteWinners returns the k best columns by (boosted overlap desc, tie
// rank asc) among those with overlap ≥ minOverlap, increasing.
func bruteWinners(s *SpatialPooler, k int) []uint32 {
	var cols []uint32
	for c, o := range s.overlaps {
		if o >= s.minOverlap {
			cols = append(cols, uint32(c))
		}
	}
	key := func(c uint32) float64 { return float64(s.overlaps[c]) * s.boost[c] }
	sort.Slice(cols, func(i, j int) bool {
		a, b := cols[i], cols[j]
		return key(a) > key(b) || (key(a) == key(b) && s.tieRank[a] < s.tieRank[b])
	})
	cols = cols[:min(k, len(cols))]
	slices.Sort(cols)
	return cols
}

func TestGlobalInhibitionMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, boosted := range []bool{false, true} {
		p := DefaultParams([]int{200}, []int{300})
		p.PotentialRadius = 200
		p.StimulusThreshold = 2
		if boosted {
			p.BoostStrength = 2
		}
		s := mustNew(t, p)
		for trial := range 300 {
			maxOv := 1 + r.IntN(min(s.maxPool, 30))
			for c := range s.overlaps {
				s.overlaps[c] = int32(r.IntN(maxOv + 1))
			}
			if boosted {
				for c := range s.boost {
					s.boost[c] = 0.5 + r.Float64()
					if r.IntN(4) == 0 {
						s.boost[c] = 1 // ties of boosted overlaps
					}
				}
				s.inhibitGlobalBoosted()
			} else {
				s.inhibitGlobal()
			}
			want := bruteWinners(s, s.numActive)
			if !slices.Equal(s.winners, want) {
				t.Fatalf("boosted %v, trial %d: winners %v,\nwant %v", boosted, trial, s.winners, want)
			}
		}
	}
}

func TestComputeBasics(t *testing.T) {
	s := mustNew(t, DefaultParams([]int{1000}, []int{2048}))
	in, out := newSDR(t, 1000), newSDR(t, 2048)
	// No input, no active column.
	if err := s.Compute(in, true, out); err != nil || out.Sum() != 0 {
		t.Fatalf("empty input: %v active, %v", out.Sum(), err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	_ = in.Randomize(0.2, r)
	if err := s.Compute(in, false, out); err != nil {
		t.Fatal(err)
	}
	// round(0.05·2048) = 102 active columns.
	if out.Sum() != 102 {
		t.Errorf("%d active columns, want 102", out.Sum())
	}
	if all, learning := s.Iterations(); all != 2 || learning != 1 {
		t.Errorf("iterations %d, %d", all, learning)
	}
	for _, c := range []struct {
		in, out *sdr.SDR
	}{{nil, out}, {in, nil}, {newSDR(t, 999), out}, {in, newSDR(t, 2047)}} {
		if err := s.Compute(c.in, true, c.out); !errors.Is(err, ErrInput) {
			t.Errorf("bad sizes: %v", err)
		}
	}
	same := mustNew(t, DefaultParams([]int{64}, []int{64}))
	x := newSDR(t, 64)
	if err := same.Compute(x, true, x); !errors.Is(err, ErrInput) {
		t.Errorf("same SDR: %v", err)
	}
	if _, _, err := s.Synapses(2048); !errors.Is(err, ErrInput) {
		t.Errorf("Synapses(2048): %v", err)
	}
	if _, err := s.Connected(-1); !errors.Is(err, ErrInput) {
		t.Errorf("Connected(-1): %v", err)
	}
}

func TestDeterminism(t *testing.T) {
	run := func(seed uint64) [][]uint32 {
		p := DefaultParams([]int{300}, []int{512})
		p.Seed = seed
		s := mustNew(t, p)
		r := rand.New(rand.NewPCG(9, 9))
		in, out := newSDR(t, 300), newSDR(t, 512)
		var outs [][]uint32
		for range 200 {
			_ = in.Randomize(0.1, r)
			if err := s.Compute(in, true, out); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, slices.Clone(out.Sparse()))
		}
		return outs
	}
	a, b, c := run(1), run(1), run(2)
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("step %d differs with the same seed", i)
		}
	}
	if slices.EqualFunc(a, c, func(x, y []uint32) bool { return slices.Equal(x, y) }) {
		t.Error("another seed gave the same outputs")
	}
}

// TestLearning trains on a few random patterns and checks the properties
// the SP paper demonstrates: outputs become stable, distinct patterns keep
// distinct codes, and noisy inputs map close to the clean ones.
func TestLearning(t *testing.T) {
	p := DefaultParams([]int{400}, []int{1024})
	p.PotentialRadius = 400 // every column sees the whole input
	s := mustNew(t, p)
	r := rand.New(rand.NewPCG(2, 3))
	const np = 8
	pats := make([]*sdr.SDR, np)
	for i := range pats {
		pats[i] = newSDR(t, 400)
		_ = pats[i].Randomize(0.1, r)
	}
	out := newSDR(t, 1024)
	for range 100 {
		for _, p := range pats {
			if err := s.Compute(p, true, out); err != nil {
				t.Fatal(err)
			}
		}
	}
	checkInvariants(t, s)
	codes := make([]*sdr.SDR, np)
	noisy := newSDR(t, 400)
	for i, p := range pats {
		_ = s.Compute(p, false, out)
		codes[i] = out.Clone()
		_ = s.Compute(p, false, out)
		if !out.Equal(codes[i]) {
			t.Fatalf("pattern %d: output not stable", i)
		}
		// 20 % of the input bits moved: the code should keep most bits.
		_ = noisy.CopyFrom(p)
		_ = noisy.AddNoise(0.2, r)
		_ = s.Compute(noisy, false, out)
		// (Measured when written: 45–49 of 51.)
		if o, _ := out.Overlap(codes[i]); o < codes[i].Sum()*8/10 {
			t.Errorf("pattern %d: noisy code keeps %d of %d bits", i, o, codes[i].Sum())
		}
		for j := range i {
			if o, _ := codes[i].Overlap(codes[j]); o > codes[i].Sum()/3 {
				t.Errorf("patterns %d and %d share %d bits", i, j, o)
			}
		}
	}
	// Training raises the winners' overlap with their pattern.
	_ = s.Compute(pats[0], false, out)
	after := 0
	ov := s.Overlaps()
	for _, c := range out.Sparse() {
		after += int(ov[c])
	}
	fresh := mustNew(t, p)
	_ = fresh.Compute(pats[0], false, out)
	init := 0
	ov = fresh.Overlaps()
	for _, c := range out.Sparse() {
		init += int(ov[c])
	}
	if after <= init {
		t.Errorf("winners' overlap %d after training, %d before", after, init)
	}
}

func TestBoostingSpreadsActivity(t *testing.T) {
	used := func(boost float64) int {
		p := DefaultParams([]int{200}, []int{256})
		p.PotentialRadius = 200
		p.BoostStrength = boost
		p.DutyCyclePeriod = 50
		s := mustNew(t, p)
		r := rand.New(rand.NewPCG(4, 4))
		pats := make([]*sdr.SDR, 4)
		for i := range pats {
			pats[i] = newSDR(t, 200)
			_ = pats[i].Randomize(0.1, r)
		}
		out := newSDR(t, 256)
		seen := map[uint32]bool{}
		for step := range 400 {
			_ = s.Compute(pats[step%4], true, out)
			if step >= 200 {
				for _, c := range out.Sparse() {
					seen[c] = true
				}
			}
		}
		checkInvariants(t, s)
		return len(seen)
	}
	// Without boosting, 4 patterns × 13 winners settle on a fixed set; with
	// boosting, unused columns are boosted until they win, so many more
	// columns take part.
	plain, boosted := used(0), used(10)
	t.Logf("columns used: %d without boosting, %d with", plain, boosted)
	if boosted < 2*plain {
		t.Errorf("columns used: %d without boosting, %d with", plain, boosted)
	}
}

func TestBumpWeakColumns(t *testing.T) {
	// Columns whose pools only cover inputs [50, 100) never see the
	// active inputs [0, 50), so their overlap duty cycle stays 0 and their
	// permanences are bumped by SynPermConnected/10 every learning step.
	p := DefaultParams([]int{100}, []int{100})
	p.PotentialRadius = 5
	p.PotentialPct = 1
	s := mustNew(t, p)
	in, out := newSDR(t, 100), newSDR(t, 100)
	idx := make([]uint32, 50)
	for i := range idx {
		idx[i] = uint32(i)
	}
	_ = in.SetSparse(idx)
	_, before, _ := s.Synapses(80)
	for range 3 {
		_ = s.Compute(in, true, out)
	}
	_, after, _ := s.Synapses(80)
	for k := range before {
		want := min(before[k]+3*s.bump, 1)
		if math.Abs(float64(after[k]-want)) > 1e-6 {
			t.Fatalf("column 80 synapse %d: %v → %v, want %v", k, before[k], after[k], want)
		}
	}
	checkInvariants(t, s)
}

func TestStimulusThreshold(t *testing.T) {
	p := DefaultParams([]int{200}, []int{256})
	p.PotentialRadius = 200
	p.StimulusThreshold = 6
	s := mustNew(t, p)
	// Every column gets at least 6 connected synapses at construction.
	for c := range s.numColumns {
		if s.connCount[c] < 6 {
			t.Fatalf("column %d: %d connected", c, s.connCount[c])
		}
	}
	in, out := newSDR(t, 200), newSDR(t, 256)
	r := rand.New(rand.NewPCG(8, 8))
	for range 50 {
		_ = in.RandomizeCount(12, r)
		_ = s.Compute(in, true, out)
		ov := s.Overlaps()
		for _, c := range out.Sparse() {
			if ov[c] < 6 {
				t.Fatalf("column %d active with overlap %d", c, ov[c])
			}
		}
	}
	checkInvariants(t, s)
}

func TestLocalInhibition(t *testing.T) {
	p := DefaultParams([]int{32, 32}, []int{16, 16})
	p.GlobalInhibition = false
	p.PotentialRadius = 4
	p.LocalAreaDensity = 0.1
	s := mustNew(t, p)
	if s.InhibitionRadius() < 1 {
		t.Fatalf("inhibition radius %d", s.InhibitionRadius())
	}
	in, out := newSDR(t, 32, 32), newSDR(t, 16, 16)
	r := rand.New(rand.NewPCG(7, 7))
	for step := range 120 {
		_ = in.Randomize(0.15, r)
		if err := s.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
		if step%40 != 0 {
			continue
		}
		// Brute force: a column wins iff fewer than round(0.1·|hood|)
		// (≥ 1) neighbours beat it.
		ov := s.Overlaps()
		var want []uint32
		g := newGrid(p.ColumnDims, true)
		for c := range s.numColumns {
			if ov[c] < 1 {
				continue
			}
			g.unflatten(c)
			hood := g.appendBox(nil, s.InhibitionRadius())
			beat := 0
			for _, j := range hood {
				if j != c && s.better(uint32(j), uint32(c)) {
					beat++
				}
			}
			if beat < max(1, int(math.Floor(0.1*float64(len(hood))+0.5))) {
				want = append(want, uint32(c))
			}
		}
		if !slices.Equal(out.Sparse(), want) {
			t.Fatalf("step %d: winners %v,\nwant %v", step, out.Sparse(), want)
		}
	}
	checkInvariants(t, s)
	// The density of winners is near 10 %.
	if sp := out.Sparsity(); sp < 0.05 || sp > 0.2 {
		t.Errorf("local sparsity %v", sp)
	}
}

func TestComputeAllocs(t *testing.T) {
	for _, p := range []Params{DefaultParams([]int{1000}, []int{2048}), func() Params {
		p := DefaultParams([]int{300}, []int{512})
		p.BoostStrength = 1
		return p
	}()} {
		for _, workers := range []int{1, 2} {
			s := mustNew(t, p)
			if err := s.SetWorkers(workers); err != nil {
				t.Fatal(err)
			}
			in, out := newSDR(t, p.InputDims[0]), newSDR(t, p.ColumnDims[0])
			r := rand.New(rand.NewPCG(1, 1))
			_ = in.Randomize(0.2, r)
			_ = s.Compute(in, true, out)
			if a := testing.AllocsPerRun(50, func() {
				_ = in.AddNoise(0.05, r)
				_ = s.Compute(in, true, out)
			}); a != 0 {
				t.Errorf("%d workers: %v allocations per Compute", s.Workers(), a)
			}
		}
	}
}

func TestGridBox(t *testing.T) {
	g := newGrid([]int{5}, true)
	g.center[0] = 0
	if got := g.appendBox(nil, 1); !slices.Equal(got, []int{0, 1, 4}) {
		t.Errorf("wrapped box %v", got)
	}
	if got := g.appendBox(nil, 7); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("box wider than the grid %v", got)
	}
	g = newGrid([]int{3, 4}, false)
	g.unflatten(11) // (2, 3)
	if got := g.appendBox(nil, 1); !slices.Equal(got, []int{6, 7, 10, 11}) {
		t.Errorf("clipped 2-D box %v", got)
	}
	if boxSize([]int{3, 4}, 1) != 9 || boxSize([]int{3, 40}, 5) != 33 {
		t.Error("boxSize")
	}
}

// nabParams is the pooler of NAB's Numenta detector for inputSize inputs
// (htmdetect.NumentaSpatialParams, which imports this package; numbers from
// docs/benchmarks.md §1.5): htm.core's defaults changed to 40 active
// columns, whole-input pools of 80 %, slow learning and uniform initial
// permanences.
func nabParams(inputSize int) Params {
	p := DefaultParams([]int{inputSize}, []int{2048})
	p.PotentialRadius, p.PotentialPct = inputSize, 0.8
	p.LocalAreaDensity, p.NumActiveColumnsPerInhArea = 0, 40
	p.SynPermInactiveDec, p.SynPermActiveInc, p.SynPermConnected = 0.0005, 0.003, 0.2
	p.Seed, p.InitPermanence = 1956, InitUniform
	return p
}

// TestPoolWorkBounded: a configuration whose potential pools would cost
// columns × neighbourhood beyond MaxPoolWork is refused by validation,
// before New draws a pool (32768 inputs and columns took 28 s, and a
// configuration rejected afterwards cost 50 s and 6 GB).
func TestPoolWorkBounded(t *testing.T) {
	p := DefaultParams([]int{32768}, []int{32768})
	p.PotentialRadius = 32768
	if _, err := New(p); !errors.Is(err, ErrParams) || !strings.Contains(err.Error(), "neighbourhood") {
		t.Fatalf("New: %v, want the pool-work limit", err)
	}
	p.PotentialRadius = 16 // 32768 × 33: within the bound
	if _, _, err := p.validate(); err != nil {
		t.Errorf("radius 16: %v", err)
	}
}
