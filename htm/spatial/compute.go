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
	s.computeOverlaps(input.Sparse())
	switch {
	case !s.p.GlobalInhibition:
		s.inhibitLocal()
	case s.p.BoostStrength > 0:
		s.inhibitGlobalBoosted()
	default:
		s.inhibitGlobal()
	}
	if learn {
		s.learnIteration++
		s.learn(input.Words())
	}
	return active.SetSparse(s.winners)
}

// computeOverlaps counts, for every column, its connected synapses with
// an active input: one increment per (active input, connected column).
func (s *SpatialPooler) computeOverlaps(active []uint32) {
	ov := s.overlaps
	clear(ov)
	for _, i := range active {
		st := s.revStart[i]
		for _, c := range s.revCol[st : st+s.revLen[i]] {
			ov[c]++
		}
	}
}

// inhibitGlobal selects the numActive columns of highest overlap (ties to
// the lower tie rank), among those with overlap ≥ minOverlap, from a
// histogram of the overlaps. The winners come out increasing.
func (s *SpatialPooler) inhibitGlobal() {
	ov, minOv := s.overlaps, s.minOverlap
	k := int32(s.numActive)
	hist, maxOv := s.histogram()
	// Threshold T: fewer than k columns above T, at least k at or above.
	cum, t := int32(0), int32(-1)
	for v := maxOv; v >= minOv; v-- {
		if cum+hist[v] >= k {
			t = v
			break
		}
		cum += hist[v]
	}
	w := s.winners[:cap(s.winners)]
	n := 0
	switch {
	case t < 0: // fewer than k eligible columns: all of them
		n = appendAtLeast(w, ov, minOv)
	case k-cum == hist[t]: // every column at T fits
		n = appendAtLeast(w, ov, t)
	default: // the k−cum columns at T of lowest tie rank
		cand := s.cand[:cap(s.cand)]
		m := 0
		rank := s.tieRank[:len(ov)]
		for c, o := range ov {
			cand[m] = rank[c]
			if o == t {
				m++
			}
		}
		r := kthSmallest(cand[:m], int(k-cum))
		for c, o := range ov {
			w[n] = uint32(c)
			var f int
			if o > t || (o == t && rank[c] <= r) {
				f = 1
			}
			n += f
		}
	}
	s.winners = w[:n]
}

// histogram returns the histogram of the overlaps, and their maximum.
// Four interleaved histograms avoid a chain of stores to the same counter.
func (s *SpatialPooler) histogram() ([]int32, int32) {
	h := s.hist
	m := len(h)
	clear(h)
	h0, h1, h2, h3 := h[:m/4], h[m/4:m/2], h[m/2:3*m/4], h[3*m/4:]
	ov := s.overlaps
	var m0, m1, m2, m3 int32
	i := 0
	for ; i+4 <= len(ov); i += 4 {
		a, b, c, d := ov[i], ov[i+1], ov[i+2], ov[i+3]
		h0[a]++
		h1[b]++
		h2[c]++
		h3[d]++
		m0, m1, m2, m3 = max(m0, a), max(m1, b), max(m2, c), max(m3, d)
	}
	for ; i < len(ov); i++ {
		h0[ov[i]]++
		m0 = max(m0, ov[i])
	}
	mx := max(m0, m1, m2, m3)
	for v := int32(0); v <= mx; v++ {
		h0[v] += h1[v] + h2[v] + h3[v]
	}
	return h0, mx
}

// appendAtLeast writes to w the columns whose overlap is at least t, and
// returns their number.
func appendAtLeast(w []uint32, ov []int32, t int32) int {
	n := 0
	for c, o := range ov {
		w[n] = uint32(c)
		var f int
		if o >= t {
			f = 1
		}
		n += f
	}
	return n
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

// kthSmallest returns the k-th smallest (1-based) of the distinct values x,
// reordering x.
func kthSmallest(x []uint32, k int) uint32 {
	lo, hi := 0, len(x)-1
	target := k - 1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for pivot < x[j] {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case target <= j:
			hi = j
		case target >= i:
			lo = i
		default:
			return x[target]
		}
	}
	return x[target]
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

// learn adapts the synapses of the winners to the input (dense words),
// then updates the duty cycles, bumps weak columns, and updates the boost
// factors and, periodically, the local inhibition state.
func (s *SpatialPooler) learn(words []uint64) {
	// delta[1] for a synapse from an active input, delta[0] otherwise.
	delta := [2]float32{-s.dec, s.inc}
	th := s.connected
	perm, potIdx := s.perm, s.potIdx
	tog := s.toggled
	for _, c := range s.winners {
		lo, hi := s.potStart[c], s.potStart[c+1]
		n := adaptColumn(perm[lo:hi], potIdx[lo:hi], words, delta, th, tog)
		for _, k := range tog[:n] {
			if syn := lo + k; perm[syn] >= th {
				s.connect(c, syn)
			} else {
				s.disconnect(c, syn)
			}
		}
		if s.p.StimulusThreshold > 0 {
			s.raiseToThreshold(int(c))
		}
	}

	// Duty cycles: moving averages over min(period, learning steps).
	period := float64(min(uint64(s.p.DutyCyclePeriod), s.learnIteration))
	a, b := (period-1)/period, 1/period
	add := [2]float64{0, b}
	maxDuty := 0.0
	minOv := s.minOverlap
	od, ad := s.overlapDuty, s.activeDuty[:len(s.overlapDuty)]
	for c, o := range s.overlaps[:len(od)] {
		var hit int
		if o >= minOv {
			hit = 1
		}
		d := float64(od[c]*a) + add[hit] // the conversion forbids a fused multiply-add
		od[c] = d
		if d > maxDuty {
			maxDuty = d
		}
		ad[c] *= a
	}
	for _, c := range s.winners {
		ad[c] += b
	}

	// Bump the permanences of columns that rarely see any input.
	periodic := s.learnIteration%updatePeriod == 0
	if s.p.GlobalInhibition {
		if minDuty := s.p.MinPctOverlapDutyCycles * maxDuty; minDuty > 0 {
			for c, d := range s.overlapDuty {
				if d < minDuty {
					s.raiseAll(c, s.bump)
				}
			}
		}
	} else {
		if periodic || s.learnIteration == 1 {
			s.updateLocalMinDuty()
		}
		for c, d := range s.overlapDuty {
			if d < s.minOverlapDuty[c] {
				s.raiseAll(c, s.bump)
			}
		}
	}

	if s.p.BoostStrength > 0 {
		s.updateBoosts()
	}
	if !s.p.GlobalInhibition && periodic {
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

// updateBoosts sets b = exp(−β·(a − â)) for every column, with â the
// target density (global) or the mean active duty cycle of the column's
// neighbourhood (local).
func (s *SpatialPooler) updateBoosts() {
	beta := s.p.BoostStrength
	if s.p.GlobalInhibition {
		for c, a := range s.activeDuty {
			s.boost[c] = math.Exp(-beta * (a - s.density))
		}
		return
	}
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
// column's synapses from inputs ii: +delta[1] for an active input (a set
// bit of words), +delta[0] for an inactive one, clipped to [0, 1]. It
// writes to tog the positions whose connection state (≥ th) changed and
// returns their number; tog must hold len(pp) entries.
func adaptColumn(pp []float32, ii []uint32, words []uint64, delta [2]float32, th float32, tog []uint32) int {
	ii = ii[:len(pp)]
	tog = tog[:len(pp)]
	n := 0
	for k, old := range pp {
		i := ii[k]
		v := old + delta[words[i>>6]>>(i&63)&1]
		v = max(min(v, 1), 0)
		pp[k] = v
		if (old >= th) != (v >= th) {
			tog[n] = uint32(k)
			n++
		}
	}
	return n
}
