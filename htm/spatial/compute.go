package spatial

import (
	"fmt"
	"math"
	"slices"

	"github.com/dendritic/dendritic/sdr"
)

// Compute runs one step of the pooler: it computes the overlaps of the
// columns with input, selects the active columns into active, and, if
// learn is true, adapts the synapses of the active columns, the duty
// cycles and the boost factors. input must have NumInputs bits and active
// NumColumns bits (their dimensions do not matter); they may not be the
// same SDR. Once active has grown its buffers, Compute allocates nothing.
func (s *SpatialPooler) Compute(input *sdr.SDR, learn bool, active *sdr.SDR) error {
	if input == nil || active == nil {
		return fmt.Errorf("%w: nil SDR", ErrInput)
	}
	if input == active {
		return fmt.Errorf("%w: input and output are the same SDR", ErrInput)
	}
	if input.Size() != s.numInputs || active.Size() != s.numColumns {
		return fmt.Errorf("%w: input has %d bits and output %d, want %d and %d",
			ErrInput, input.Size(), active.Size(), s.numInputs, s.numColumns)
	}
	s.iteration++
	unboosted := s.p.GlobalInhibition && s.p.BoostStrength == 0
	s.step = step{active: input.Sparse(), learn: learn, histNow: unboosted}
	if learn {
		s.learnIteration++
		// Duty cycles: moving averages over min(period, learning steps).
		period := float64(min(uint64(s.p.DutyCyclePeriod), s.learnIteration))
		s.step.a, s.step.b = (period-1)/period, 1/period
		// The winners will have an overlap of at least the cut of global
		// inhibition, which moves slowly: the columns from one below the
		// last cut are the candidates.
		s.step.guess = max(s.minOverlap, s.lastCut-1)
	}
	s.run(phaseOverlap)
	switch {
	case !s.p.GlobalInhibition:
		s.inhibitLocal()
	case !unboosted:
		s.inhibitGlobalBoosted()
	default:
		s.threshold()
	}
	s.step.given = !unboosted
	if learn {
		for _, i := range s.step.active {
			s.inDelta[i] = s.inc
		}
	}
	if learn || unboosted {
		s.run(phaseLearn)
	}
	if learn {
		for _, i := range s.step.active {
			s.inDelta[i] = -s.dec
		}
	}
	if unboosted {
		s.gatherWinners()
	}
	if learn {
		s.learnTail()
	}
	s.step = step{}
	return active.SetSparse(s.winners)
}

// overlapPart counts, for every column of part p, its connected synapses
// with an active input: one increment per (active input, connected
// column), from the part's lists. Under global inhibition without
// boosting, it then takes the histogram of the part's overlaps.
func (s *SpatialPooler) overlapPart(p int) {
	pt := &s.parts[p]
	ov := s.overlaps
	clear(ov[pt.lo:pt.hi])
	countOverlaps(ov, s.revCol, s.partRev(p), s.step.active)
	switch {
	case s.step.learn:
		s.overlapDutyCycles(p)
	case s.step.histNow:
		pt.maxOv = histogram(ov[pt.lo:pt.hi], pt.hist)
	}
}

// countOverlaps adds to ov[c] one for every (active input i, column c in
// the list rev[i]). A function of its own, so that nothing else competes
// for registers in the innermost loop (inlined, it reloads a spilled
// pointer at every increment).
//
//go:noinline
func countOverlaps(ov []int32, revCol []uint32, rev []revList, active []uint32) {
	for _, i := range active {
		l := rev[i]
		for _, c := range revCol[l.start : l.start+l.n] {
			ov[c]++
		}
	}
}

// overlapDutyCycles updates the overlap duty cycles of part p, d ← d·a +
// b·[overlap ≥ minOverlap] (s.step.a, s.step.b), and records their
// largest and smallest value. In the same pass it multiplies the active
// duty cycles by a (learnPart adds the winners' b), takes the histogram
// of the overlaps (as histogram does, in two interleaved halves) and lists
// the columns of overlap ≥ s.step.guess, the candidates for winning.
func (s *SpatialPooler) overlapDutyCycles(p int) {
	pt := &s.parts[p]
	a, b := s.step.a, s.step.b
	add := [2]float64{0, b}
	// The overlap duty cycles are never −0 or NaN (d·a + 0 is +0 for
	// d = −0), so that their bits order them as integers (branch-free min
	// and max).
	maxBits, minBits := int64(0), int64(math.Float64bits(math.Inf(1)))
	minOv := s.minOverlap
	ov := s.overlaps[pt.lo:pt.hi]
	od, ad := s.overlapDuty[pt.lo:pt.hi][:len(ov)], s.activeDuty[pt.lo:pt.hi][:len(ov)]
	lo, guess := uint32(pt.lo), s.step.guess
	cand := pt.cand[:len(ov)]
	nc := 0
	h := pt.hist[:s.maxPool+1]
	clear(h)
	for j, o := range ov {
		h[o]++
		var hit, c int
		if o >= minOv {
			hit = 1
		}
		if o >= guess {
			c = 1
		}
		cand[nc] = lo + uint32(j)
		nc += c
		od[j] = float64(od[j]*a) + add[hit] // the conversion forbids a fused multiply-add
		ad[j] *= a
	}
	for _, d := range od { // a pass of its own: fewer registers to spill
		bits := int64(math.Float64bits(d))
		maxBits, minBits = max(maxBits, bits), min(minBits, bits)
	}
	mx := int32(0)
	for v, n := range h {
		if n != 0 {
			mx = int32(v)
		}
	}
	pt.maxOv, pt.nCand = mx, nc
	pt.maxDuty, pt.minDuty = math.Float64frombits(uint64(maxBits)), math.Float64frombits(uint64(minBits))
}

// inhibitGlobal selects the numActive columns of highest overlap (ties to
// the lower tie rank), among those with overlap ≥ minOverlap, from the
// overlaps, into s.winners (increasing), on the calling goroutine: the
// steps Compute shares with the workers, one part after the other.
func (s *SpatialPooler) inhibitGlobal() {
	for p := range s.parts {
		pt := &s.parts[p]
		pt.maxOv = histogram(s.overlaps[pt.lo:pt.hi], pt.hist)
	}
	s.threshold()
	for p := range s.parts {
		s.extractWinners(p)
	}
	s.gatherWinners()
}

// threshold sets s.step.key from the parts' histograms, so that exactly
// the numActive best columns with overlap ≥ minOverlap (or all of them,
// if fewer) have overlap<<32 | ^tieRank ≥ key. With T the overlap at
// which the count of better columns reaches numActive, the columns above
// T win, and of those at T the ones of lowest tie rank, found by walking
// the columns in tie-rank order (from the end nearer the cut).
func (s *SpatialPooler) threshold() {
	ov, minOv := s.overlaps, s.minOverlap
	hist := s.hist
	maxOv := int32(0)
	for p := range s.parts {
		maxOv = max(maxOv, s.parts[p].maxOv)
	}
	clear(hist[:maxOv+1])
	for p := range s.parts {
		pt := &s.parts[p]
		for v, n := range pt.hist[:pt.maxOv+1] {
			hist[v] += n
		}
	}
	k := int32(s.numActive)
	// Threshold T: fewer than k columns above T, at least k at or above.
	cum, t := int32(0), int32(-1)
	for v := maxOv; v >= minOv; v-- {
		if cum+hist[v] >= k {
			t = v
			break
		}
		cum += hist[v]
	}
	switch need, m := k-cum, hist[max(t, 0)]; {
	case t < 0: // fewer than k eligible columns: all of them
		s.step.key = uint64(minOv) << 32
	case need == m: // every column at T fits
		s.step.key = uint64(t) << 32
	case need <= m-need: // the need columns at T of lowest tie rank
		for r, c := range s.order {
			if ov[c] == t {
				if need--; need == 0 {
					s.step.key = uint64(t)<<32 | uint64(^uint32(r))
					break
				}
			}
		}
	default: // all but the m−need columns at T of highest tie rank
		skip := m - need
		for r := len(s.order) - 1; r >= 0; r-- {
			if ov[s.order[r]] == t {
				if skip == 0 {
					s.step.key = uint64(t)<<32 | uint64(^uint32(r))
					break
				}
				skip--
			}
		}
	}
	s.lastCut = int32(s.step.key >> 32)
}

// extractWinners writes the winners of part p (s.step.key), increasing,
// to winBuf from the part's first column, and returns them.
func (s *SpatialPooler) extractWinners(p int) []uint32 {
	pt := &s.parts[p]
	lo := uint32(pt.lo)
	ov := s.overlaps[pt.lo:pt.hi]
	rank, w := s.tieRank[pt.lo:pt.hi][:len(ov)], s.winBuf[pt.lo:pt.hi][:len(ov)]
	key := s.step.key
	n := 0
	for j, o := range ov {
		w[n] = lo + uint32(j)
		var f int
		if uint64(o)<<32|uint64(^rank[j]) >= key {
			f = 1
		}
		n += f
	}
	pt.nWin = n
	return w[:n]
}

// gatherWinners copies the parts' winners to s.winners.
func (s *SpatialPooler) gatherWinners() {
	w := s.winners[:0]
	for p := range s.parts {
		pt := &s.parts[p]
		w = append(w, s.winBuf[pt.lo:pt.lo+pt.nWin]...)
	}
	s.winners = w
}

// histogram writes to h the histogram of the overlaps ov and returns their
// maximum. h holds four interleaved histograms (to avoid a chain of stores
// to the same counter), summed into the first quarter.
func histogram(ov []int32, h []int32) int32 {
	m := len(h)
	clear(h)
	h0, h1, h2, h3 := h[:m/4], h[m/4:m/2], h[m/2:3*m/4], h[3*m/4:]
	i := 0
	for ; i+4 <= len(ov); i += 4 {
		h0[ov[i]]++
		h1[ov[i+1]]++
		h2[ov[i+2]]++
		h3[ov[i+3]]++
	}
	for ; i < len(ov); i++ {
		h0[ov[i]]++
	}
	h1, h2, h3 = h1[:len(h0)], h2[:len(h0)], h3[:len(h0)]
	mx := int32(0)
	for v := range h0 {
		h0[v] += h1[v] + h2[v] + h3[v]
		if h0[v] != 0 {
			mx = int32(v)
		}
	}
	return mx
}

// better reports whether column a beats column b: a higher boosted
// overlap, or an equal one and a lower tie rank.
func (s *SpatialPooler) better(a, b uint32) bool {
	x, y := s.boosted[a], s.boosted[b]
	return x > y || (x == y && s.tieRank[a] < s.tieRank[b])
}

// inhibitGlobalBoosted selects the numActive columns of highest boosted
// overlap by quickselect.
func (s *SpatialPooler) inhibitGlobalBoosted() {
	cand := s.cand[:0]
	for c, o := range s.overlaps {
		if o >= s.minOverlap {
			s.boosted[c] = float64(o) * s.boost[c]
			cand = append(cand, uint32(c))
		} else {
			s.boosted[c] = 0
		}
	}
	if len(cand) > s.numActive {
		s.selectTop(cand, s.numActive)
		cand = cand[:s.numActive]
		slices.Sort(cand)
	}
	s.winners = append(s.winners[:0], cand...)
}

// selectTop reorders x so that its first k elements are the k best columns
// (by better), by quickselect with median-of-three pivots.
func (s *SpatialPooler) selectTop(x []uint32, k int) {
	lo, hi := 0, len(x)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// Order x[lo], x[mid], x[hi] best first, and use the median.
		if s.better(x[mid], x[lo]) {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if s.better(x[hi], x[lo]) {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if s.better(x[hi], x[mid]) {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for s.better(x[i], pivot) {
				i++
			}
			for s.better(pivot, x[j]) {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		// Now x[lo..j] are at least as good as pivot, x[i..hi] no better.
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// localDensity returns the density of winners in a neighbourhood of the
// given size under local inhibition.
func (s *SpatialPooler) localDensity() float64 {
	if s.p.NumActiveColumnsPerInhArea > 0 {
		return math.Min(0.5, float64(s.p.NumActiveColumnsPerInhArea)/float64(boxSize(s.p.ColumnDims, s.inhRadius)))
	}
	return s.p.LocalAreaDensity
}

// inhibitLocal makes a column active when fewer than round(density·
// |neighbourhood|) (at least 1) columns of its neighbourhood beat it.
func (s *SpatialPooler) inhibitLocal() {
	for c, o := range s.overlaps {
		if o >= s.minOverlap {
			s.boosted[c] = float64(o) * s.boost[c]
		} else {
			s.boosted[c] = 0
		}
	}
	density := s.localDensity()
	w := s.winners[:0]
	for c := range s.numColumns {
		if s.overlaps[c] < s.minOverlap {
			continue
		}
		s.colGrid.unflatten(c)
		s.nbuf = s.colGrid.appendBox(s.nbuf[:0], s.inhRadius)
		quota := max(1, int(math.Floor(density*float64(len(s.nbuf))+0.5)))
		beaten := 0
		for _, j := range s.nbuf {
			if j != c && s.better(uint32(j), uint32(c)) {
				if beaten++; beaten >= quota {
					break
				}
			}
		}
		if beaten < quota {
			w = append(w, uint32(c))
		}
	}
	s.winners = w
}

// learnPart does the learning of part p: it takes the part's winners
// (from s.step.key under global inhibition without boosting, else from
// s.winners), and, when learning, counts them active, adapts their
// synapses to the input, raises them to StimulusThreshold and, under
// global inhibition with boosting, updates the part's boost factors.
func (s *SpatialPooler) learnPart(p int) {
	pt := &s.parts[p]
	var win []uint32
	switch {
	case !s.step.learn:
		s.extractWinners(p)
		return
	case s.step.given:
		lo, _ := slices.BinarySearch(s.winners, uint32(pt.lo))
		hi, _ := slices.BinarySearch(s.winners, uint32(pt.hi))
		win = s.winners[lo:hi]
	case s.step.guess <= int32(s.step.key>>32): // every winner is a candidate
		win = s.filterCandidates(p)
	default:
		win = s.extractWinners(p)
	}
	for _, c := range win {
		s.activeDuty[c] += s.step.b
	}
	if s.p.BoostStrength > 0 && s.p.GlobalInhibition {
		beta := s.p.BoostStrength
		for c := pt.lo; c < pt.hi; c++ {
			s.boost[c] = math.Exp(-beta * (s.activeDuty[c] - s.density))
		}
	}
	th := s.connected
	perm, potIdx, inDelta := s.perm, s.potIdx, s.inDelta
	tog := pt.toggled
	rev := s.partRev(p)
	for _, c := range win {
		lo, hi := s.potStart[c], s.potStart[c+1]
		n := adaptColumn(perm[lo:hi], potIdx[lo:hi], inDelta, th, tog)
		for _, k := range tog[:n] {
			if syn := lo + k; perm[syn] >= th {
				s.connect(rev, c, syn)
			} else {
				s.disconnect(rev, c, syn)
			}
		}
		if s.p.StimulusThreshold > 0 {
			s.raiseToThreshold(rev, int(c))
		}
	}
}

// negZero is −0: x + negZero is x for every x, −0 included.
var negZero = math.Copysign(0, -1)

// filterCandidates writes the winners of part p (s.step.key) among its
// candidates to winBuf from the part's first column, and returns them.
func (s *SpatialPooler) filterCandidates(p int) []uint32 {
	pt := &s.parts[p]
	ov, rank := s.overlaps, s.tieRank[:len(s.overlaps)]
	w := s.winBuf[pt.lo:pt.hi]
	cand := pt.cand[:min(pt.nCand, len(w))]
	key := s.step.key
	n := 0
	for _, c := range cand {
		w[n] = c
		var f int
		if uint64(ov[c])<<32|uint64(^rank[c]) >= key {
			f = 1
		}
		n += f
	}
	pt.nWin = n
	return w[:n]
}

// learnTail finishes a learning step after learnPart: it bumps the
// permanences of the columns that rarely see any input, updates the boost
// factors under local inhibition and, periodically, the local inhibition
// state.
func (s *SpatialPooler) learnTail() {
	periodic := s.learnIteration%updatePeriod == 0
	if s.p.GlobalInhibition {
		maxDuty, minDuty := 0.0, math.Inf(1)
		for p := range s.parts {
			maxDuty = max(maxDuty, s.parts[p].maxDuty)
			minDuty = min(minDuty, s.parts[p].minDuty)
		}
		if limit := s.p.MinPctOverlapDutyCycles * maxDuty; limit > 0 && minDuty < limit {
			for p, pt := range s.parts {
				rev := s.partRev(p)
				for c := pt.lo; c < pt.hi; c++ {
					if s.overlapDuty[c] < limit {
						s.raiseAll(rev, c, s.bump)
					}
				}
			}
		}
		return
	}
	if periodic || s.learnIteration == 1 {
		s.updateLocalMinDuty()
	}
	for p, pt := range s.parts {
		rev := s.partRev(p)
		for c := pt.lo; c < pt.hi; c++ {
			if s.overlapDuty[c] < s.minOverlapDuty[c] {
				s.raiseAll(rev, c, s.bump)
			}
		}
	}
	if s.p.BoostStrength > 0 {
		s.updateBoosts()
	}
	if periodic {
		s.updateInhibitionRadius()
	}
}

// updateLocalMinDuty sets each column's minimum overlap duty cycle to
// MinPctOverlapDutyCycles times the largest in its neighbourhood.
func (s *SpatialPooler) updateLocalMinDuty() {
	for c := range s.numColumns {
		s.colGrid.unflatten(c)
		s.nbuf = s.colGrid.appendBox(s.nbuf[:0], s.inhRadius)
		m := 0.0
		for _, j := range s.nbuf {
			m = max(m, s.overlapDuty[j])
		}
		s.minOverlapDuty[c] = s.p.MinPctOverlapDutyCycles * m
	}
}

// updateBoosts sets b = exp(−β·(a − â)) for every column under local
// inhibition, with â the mean active duty cycle of the column's
// neighbourhood (learnPart does global inhibition, where â is the target
// density).
func (s *SpatialPooler) updateBoosts() {
	beta := s.p.BoostStrength
	for c := range s.numColumns {
		s.colGrid.unflatten(c)
		s.nbuf = s.colGrid.appendBox(s.nbuf[:0], s.inhRadius)
		sum := 0.0
		for _, j := range s.nbuf {
			sum += s.activeDuty[j]
		}
		s.boost[c] = math.Exp(-beta * (s.activeDuty[c] - sum/float64(len(s.nbuf))))
	}
}

// updateInhibitionRadius sets the local inhibition radius from the mean
// span of the columns' connected synapses (in inputs, averaged over the
// dimensions and over the columns with a connected synapse), converted to
// columns: r = max(1, round((span·columns/inputs − 1)/2)).
func (s *SpatialPooler) updateInhibitionRadius() {
	dims := s.p.InputDims
	nd := len(dims)
	lo, hi := make([]int, nd), make([]int, nd)
	total, counted := 0.0, 0
	for c := range s.numColumns {
		if s.connCount[c] == 0 {
			continue
		}
		for k := range nd {
			lo[k], hi[k] = math.MaxInt, -1
		}
		for syn := s.potStart[c]; syn < s.potStart[c+1]; syn++ {
			if s.perm[syn] < s.connected {
				continue
			}
			x := int(s.potIdx[syn])
			for k := nd - 1; k >= 0; k-- {
				v := x % dims[k]
				x /= dims[k]
				lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
			}
		}
		span := 0.0
		for k := range nd {
			span += float64(hi[k] - lo[k] + 1)
		}
		total += span / float64(nd)
		counted++
	}
	ratio := 0.0
	for k := range nd {
		ratio += float64(s.p.ColumnDims[k]) / float64(dims[k])
	}
	ratio /= float64(nd)
	r := 1
	if counted > 0 {
		r = max(1, int(math.Floor((float64(total/float64(counted)*ratio)-1)/2+0.5)))
	}
	s.inhRadius = min(r, slices.Max(s.p.ColumnDims))
}

// adaptColumn applies the Hebbian rule to the permanences pp of one
// column's synapses from inputs ii: it adds inDelta[i] (SynPermActiveInc
// for an active input i, −SynPermInactiveDec otherwise) and clips to
// [0, 1]. It writes to tog the positions whose connection state (≥ th)
// changed and returns their number; tog must hold len(pp) entries.
func adaptColumn(pp []float32, ii []uint32, inDelta []float32, th float32, tog []uint32) int {
	ii = ii[:len(pp)]
	tog = tog[:len(pp)]
	n := 0
	for k, old := range pp {
		v := old + inDelta[ii[k]]
		// Clip as max(min(v, 1), 0) does, on the bits: a negative v or −0
		// has a negative int32 pattern and becomes +0, and the patterns of
		// non-negative floats are ordered as the floats.
		b := min(max(int32(math.Float32bits(v)), 0), one32)
		v = math.Float32frombits(uint32(b))
		pp[k] = v
		if (old >= th) != (v >= th) {
			tog[n] = uint32(k)
			n++
		}
	}
	return n
}

// one32 is the bit pattern of float32(1).
const one32 = 0x3f800000
