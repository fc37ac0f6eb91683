package sequences

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/dendritic/dendritic/dendrite"
	"github.com/dendritic/dendritic/htm"
	"github.com/dendritic/dendritic/theory"
)

// FalsePredictionQuery describes a temporal-memory layer for the theory of
// false predictions (E2, E5 of Ahmad & Hawkins 2016). A distal segment is
// a pattern detector of Synapses connected synapses onto the
// n = Columns × CellsPerColumn cells of the layer, of which ActiveCells
// are active; it fires (and its cell predicts) when at least Threshold of
// them see active cells. A column is predicted when any segment of any of
// its cells fires, so a column with SegmentsPerColumn segments is a
// "neuron" of that many segments (E5).
type FalsePredictionQuery struct {
	Columns           int     `json:"columns"`
	CellsPerColumn    int     `json:"cells_per_column"`
	ActiveCells       int     `json:"active_cells"`        // a
	Synapses          int     `json:"synapses"`            // s
	Threshold         int     `json:"threshold"`           // θ
	SegmentsPerColumn float64 `json:"segments_per_column"` // m (a mean, so not necessarily whole)
}

// FalsePrediction is the theory's answer to a FalsePredictionQuery, for an
// input pattern that is uniformly random over the layer's cells and
// independent of the segments.
type FalsePrediction struct {
	Query FalsePredictionQuery `json:"query"`
	// Segment is E2, P_fp(n, a, s, θ): one segment fires falsely.
	Segment theory.Float `json:"segment"`
	// Column is E5, 1 − (1 − P_fp)^m: a column is falsely predicted,
	// the predicted false-prediction rate per column and step.
	Column theory.Float `json:"column"`
	// FalseColumns is the expected number of falsely predicted columns
	// per step, Columns × Column.
	FalseColumns float64 `json:"false_columns"`
}

// PredictFalsePrediction evaluates the theory for q. The column's
// probability is E5, 1 − (1 − P)^m, computed as theory.Neuron does
// (−expm1(m·log1p(−P)), or m·P below the float64 range) but for a real m.
func PredictFalsePrediction(q FalsePredictionQuery) (FalsePrediction, error) {
	if q.Columns < 1 || q.CellsPerColumn < 1 || !(q.SegmentsPerColumn >= 0) || math.IsInf(q.SegmentsPerColumn, 0) {
		return FalsePrediction{}, fmt.Errorf("sequences: invalid layer %+v", q)
	}
	n := q.Columns * q.CellsPerColumn
	seg, err := theory.FP(n, q.ActiveCells, q.Synapses, q.Threshold)
	if err != nil {
		return FalsePrediction{}, err
	}
	col := neuron(seg, q.SegmentsPerColumn)
	return FalsePrediction{Query: q, Segment: seg, Column: col, FalseColumns: float64(q.Columns) * col.Float64()}, nil
}

// neuron is E5 for a segment probability p and m segments.
func neuron(p theory.Float, m float64) theory.Float {
	if x := p.Float64(); x > 1e-300 {
		return theory.NewFloat(-math.Expm1(m * math.Log1p(-x)))
	}
	return p.MulFloat64(m)
}

// ParametricQuery is the query for a temporal memory with parameters p
// from its parameters alone: segments of s = MaxNewSynapseCount synapses
// (the synapses of one learned transition) and θ = ActivationThreshold,
// with a active cells and m segments per column.
func ParametricQuery(p htm.Params, a int, segmentsPerColumn float64) FalsePredictionQuery {
	return FalsePredictionQuery{
		Columns: p.NumColumns, CellsPerColumn: p.CellsPerColumn, ActiveCells: a,
		Synapses: p.MaxNewSynapseCount, Threshold: p.ActivationThreshold,
		SegmentsPerColumn: segmentsPerColumn,
	}
}

// Census summarises the segments of a temporal memory's store: the
// structure the theory needs beyond the parameters.
type Census struct {
	Columns        int `json:"columns"`
	CellsPerColumn int `json:"cells_per_column"`
	Segments       int `json:"segments"`
	Synapses       int `json:"synapses"`
	// Connected counts the connected synapses of all segments.
	Connected int `json:"connected"`
	// MeanSynapses and MeanConnected are per segment;
	// SegmentsPerColumn and SegmentsPerCell are means.
	MeanSynapses      float64 `json:"mean_synapses"`
	MeanConnected     float64 `json:"mean_connected"`
	SegmentsPerColumn float64 `json:"segments_per_column"`
	SegmentsPerCell   float64 `json:"segments_per_cell"`
	// Able counts the segments with at least ActivationThreshold
	// connected synapses (the only ones that can ever fire), and
	// MeanConnectedAble is their mean number of connected synapses.
	Able              int     `json:"able"`
	MeanConnectedAble float64 `json:"mean_connected_able"`
	// ConnectedHist[s] is the number of segments with s connected
	// synapses.
	ConnectedHist []int `json:"connected_hist"`

	byColumn [][]uint16 // connected synapses of each segment, by column
}

// TakeCensus reads the segments of a temporal memory's store (a layer of
// columns × cellsPerColumn cells), counting a synapse as connected as the
// store does; threshold is the activation threshold.
func TakeCensus(c *dendrite.Connections, cellsPerColumn, threshold int) (*Census, error) {
	if cellsPerColumn < 1 || c.NumCells()%cellsPerColumn != 0 {
		return nil, fmt.Errorf("sequences: %d cells per column for %d cells", cellsPerColumn, c.NumCells())
	}
	cs := &Census{Columns: c.NumCells() / cellsPerColumn, CellsPerColumn: cellsPerColumn}
	cs.byColumn = make([][]uint16, cs.Columns)
	var syn []dendrite.Synapse
	ableSum := 0
	for cell := 0; cell < c.NumCells(); cell++ {
		for _, s := range c.SegmentsOf(uint32(cell)) {
			var err error
			if syn, err = c.Synapses(syn[:0], s); err != nil {
				return nil, err
			}
			con := 0
			for _, y := range syn {
				if c.IsConnected(y.Permanence) {
					con++
				}
			}
			cs.Segments++
			cs.Synapses += len(syn)
			cs.Connected += con
			for len(cs.ConnectedHist) <= con {
				cs.ConnectedHist = append(cs.ConnectedHist, 0)
			}
			cs.ConnectedHist[con]++
			if con >= threshold {
				cs.Able++
				ableSum += con
			}
			col := cell / cellsPerColumn
			cs.byColumn[col] = append(cs.byColumn[col], uint16(con))
		}
	}
	if cs.Segments > 0 {
		cs.MeanSynapses = float64(cs.Synapses) / float64(cs.Segments)
		cs.MeanConnected = float64(cs.Connected) / float64(cs.Segments)
	}
	if cs.Able > 0 {
		cs.MeanConnectedAble = float64(ableSum) / float64(cs.Able)
	}
	cs.SegmentsPerColumn = float64(cs.Segments) / float64(cs.Columns)
	cs.SegmentsPerCell = float64(cs.Segments) / float64(c.NumCells())
	return cs, nil
}

// FalseRates returns the theory's false-firing rates of the census'
// segments for a uniformly random pattern of a active cells of the layer
// and threshold θ, segment by segment (each with its own number of
// connected synapses, E2) rather than from mean parameters: the mean
// probability that a segment fires, and the mean probability that a
// column is predicted, 1 − Π (1 − P_fp(s_i)) over the column's segments
// (E5 with unequal segments, assuming them independent).
func (cs *Census) FalseRates(a, theta int) (segment, column float64, err error) {
	return cs.falseRates(cs.Columns*cs.CellsPerColumn, a, theta)
}

// FalseRatesColumns is FalseRates for an input of a active columns with
// all their cells active (a bursting input), treating each segment as a
// detector of s distinct columns: E2 over the columns, P_fp(Columns, a, s,
// θ). It is exact for a segment whose connected synapses lie in distinct
// columns, which is how a segment learns one transition (one winner cell
// per column).
func (cs *Census) FalseRatesColumns(a, theta int) (segment, column float64, err error) {
	return cs.falseRates(cs.Columns, a, theta)
}

func (cs *Census) falseRates(n, a, theta int) (segment, column float64, err error) {
	p := make([]float64, len(cs.ConnectedHist))
	for s := range p {
		if s > n {
			return 0, 0, fmt.Errorf("sequences: a segment of %d connected synapses in a population of %d", s, n)
		}
		f, err := theory.FP(n, a, s, theta)
		if err != nil {
			return 0, 0, err
		}
		p[s] = f.Float64()
	}
	for s, k := range cs.ConnectedHist {
		segment += float64(k) * p[s]
	}
	if cs.Segments > 0 {
		segment /= float64(cs.Segments)
	}
	for _, segs := range cs.byColumn {
		logMiss := 0.0
		for _, s := range segs {
			logMiss += math.Log1p(-p[s])
		}
		column += -math.Expm1(logMiss)
	}
	return segment, column / float64(cs.Columns), nil
}

// ableQuery is the parametric query from the census' able segments: s =
// their mean connected synapses, m = their number per column.
func (cs *Census) ableQuery(p htm.Params, a int) FalsePredictionQuery {
	q := ParametricQuery(p, a, float64(cs.Able)/float64(cs.Columns))
	q.Synapses = int(math.Round(cs.MeanConnectedAble))
	return q
}

// Rate is a measured rate: Count events out of Trials, gathered in Units
// independent units (probes, or steps of a run) of many trials each. The
// trials of one unit are not independent — segments created at the same
// step sample the same winner cells, so they fire together — and the 95%
// interval is therefore the ratio estimator's over the units (normal
// approximation, clipped to [0, 1]); DesignEffect is the variance it finds
// over that of independent trials. With no event at all it is the Wilson
// interval of independent trials.
type Rate struct {
	Count        int     `json:"count"`
	Trials       int     `json:"trials"`
	Units        int     `json:"units"`
	Rate         float64 `json:"rate"`
	Lo95         float64 `json:"lo95"`
	Hi95         float64 `json:"hi95"`
	DesignEffect float64 `json:"design_effect,omitempty"`
}

const z95 = 1.959963984540054

// rateOf computes the Rate of units with k[i] events out of n[i] trials.
func rateOf(k, n []int) Rate {
	r := Rate{Units: len(k)}
	for i := range k {
		r.Count += k[i]
		r.Trials += n[i]
	}
	if r.Trials == 0 {
		return r
	}
	N := float64(r.Trials)
	p := float64(r.Count) / N
	r.Rate = p
	if r.Count == 0 || len(k) < 2 {
		den := 1 + z95*z95/N
		mid := (p + z95*z95/(2*N)) / den
		half := z95 * math.Sqrt(p*(1-p)/N+z95*z95/(4*N*N)) / den
		r.Lo95, r.Hi95 = max(0, mid-half), min(1, mid+half)
		if r.Count == 0 {
			r.Lo95 = 0
		}
		return r
	}
	// Ratio estimator: Var(p̂) ≈ Σ (k_i − p·n_i)² / (u(u−1)·n̄²).
	u := float64(len(k))
	nbar := N / u
	ss := 0.0
	for i := range k {
		d := float64(k[i]) - p*float64(n[i])
		ss += d * d
	}
	se := math.Sqrt(ss/(u*(u-1))) / nbar
	r.Lo95, r.Hi95 = max(0, p-z95*se), min(1, p+z95*se)
	if b := p * (1 - p) / N; b > 0 {
		r.DesignEffect = se * se / b
	}
	return r
}

// InRun compares the false predictions made during the high-order run with
// the theory.
type InRun struct {
	// Condition names the steps measured; Steps is their number.
	Condition string `json:"condition"`
	Steps     int    `json:"steps"`
	// MeanActiveCells is the mean number of active cells at those steps
	// (the a of the theory), PredictedColumns the predicted columns in all.
	MeanActiveCells  float64 `json:"mean_active_cells"`
	PredictedColumns int     `json:"predicted_columns"`
	// Measured counts the predicted columns that were not active at the
	// next step, out of the columns not active at the next step.
	Measured Rate `json:"measured"`
	// Parametric is the theory from the parameters (s =
	// MaxNewSynapseCount) and the mean number of segments per column;
	// ParametricAble the same from the segments that can fire (s their
	// mean connected synapses, m their number per column); CensusRate the
	// theory over the actual segments (Census.FalseRates); all at a =
	// round(MeanActiveCells). ColumnLevelRate, set for the bursting
	// condition only, is Census.FalseRatesColumns at a = ActiveBits.
	Parametric      FalsePrediction `json:"parametric"`
	ParametricAble  FalsePrediction `json:"parametric_able"`
	CensusRate      float64         `json:"census_rate"`
	ColumnLevelRate *float64        `json:"column_level_rate,omitempty"`
}

// ProbeRow is the response of the trained store to random inputs at one
// threshold.
type ProbeRow struct {
	Kind      string `json:"kind"`
	Threshold int    `json:"threshold"`
	// ActiveCells is a, the number of active cells of each probe.
	ActiveCells int `json:"active_cells"`
	// SegmentRate and ColumnRate are measured: the fraction of segments
	// with at least Threshold active connected synapses, and of columns
	// holding such a segment.
	SegmentRate float64 `json:"segment_rate"`
	ColumnRate  Rate    `json:"column_rate"`
	// CensusSegment and CensusColumn are the theory over the actual
	// segments (Census.FalseRates); ColumnLevelSegment and
	// ColumnLevelColumn the column-level theory
	// (Census.FalseRatesColumns, the right model for bursting probes);
	// ParametricColumn is E5 with s = MaxNewSynapseCount and m = mean
	// segments per column, ParametricAbleColumn E5 from the segments that
	// can fire.
	CensusSegment        float64 `json:"census_segment"`
	CensusColumn         float64 `json:"census_column"`
	ColumnLevelSegment   float64 `json:"column_level_segment"`
	ColumnLevelColumn    float64 `json:"column_level_column"`
	ParametricColumn     float64 `json:"parametric_column"`
	ParametricAbleColumn float64 `json:"parametric_able_column"`
}

// Theory is the comparison of the network's false predictions with the
// theory.
type Theory struct {
	// Step is the step at which the census and the probes were taken
	// (the end of the high-order run).
	Step   int        `json:"step"`
	Census *Census    `json:"census"`
	InRun  []InRun    `json:"in_run"`
	Probes []ProbeRow `json:"probes"`
}

// Conditions of the in-run measurement.
const (
	CondNovelNoise = "after a novel noise symbol"
	CondPredicted  = "after a correctly predicted element inside a sequence"
)

type inRunAcc struct {
	steps, predicted int
	activeSum        float64
	falseCols, opps  []int // per step
}

// runHighOrder continues the clean stream from the shared prefix, measuring
// false predictions from SwitchAt on, then takes the census and probes the
// store.
func (e *env) runHighOrder(ctx context.Context, tm *htm.TemporalMemory, c *Curve, prefix []Score) (*Theory, error) {
	cfg := e.cfg
	acc := map[string]*inRunAcc{CondNovelNoise: {}, CondPredicted: {}}
	var pred []uint32
	r := &runState{e: e, m: tm, stream: e.clean, scores: slices.Clone(prefix)}
	r.after = func(t int) error {
		if t+1 >= len(e.clean) {
			return nil
		}
		el := e.clean[t]
		var a *inRunAcc
		switch {
		case el.Noise() && e.novel[t]:
			a = acc[CondNovelNoise]
		case !el.Noise() && !el.Last && tm.Anomaly() == 0:
			a = acc[CondPredicted]
		default:
			return nil
		}
		next := e.enc.Code(e.clean[t+1].Category)
		pred = tm.PredictedColumns(pred[:0])
		a.steps++
		a.activeSum += float64(len(tm.ActiveCells()))
		a.predicted += len(pred)
		a.falseCols = append(a.falseCols, len(pred)-intersectCount(pred, next))
		a.opps = append(a.opps, cfg.TM.NumColumns-len(next))
		return nil
	}
	err := r.run(ctx, cfg.SwitchAt, cfg.Steps)
	r.finish(c)
	if err != nil {
		return nil, err
	}
	th := &Theory{Step: cfg.Steps}
	p := cfg.TM
	if th.Census, err = TakeCensus(tm.Connections(), p.CellsPerColumn, p.ActivationThreshold); err != nil {
		return nil, err
	}
	for _, cond := range []string{CondNovelNoise, CondPredicted} {
		a := acc[cond]
		row := InRun{Condition: cond, Steps: a.steps, PredictedColumns: a.predicted, Measured: rateOf(a.falseCols, a.opps)}
		if a.steps > 0 {
			row.MeanActiveCells = a.activeSum / float64(a.steps)
		}
		na := int(math.Round(row.MeanActiveCells))
		if row.Parametric, err = PredictFalsePrediction(ParametricQuery(p, na, th.Census.SegmentsPerColumn)); err != nil {
			return nil, err
		}
		if row.ParametricAble, err = PredictFalsePrediction(th.Census.ableQuery(p, na)); err != nil {
			return nil, err
		}
		if _, row.CensusRate, err = th.Census.FalseRates(na, p.ActivationThreshold); err != nil {
			return nil, err
		}
		if cond == CondNovelNoise {
			_, r, err := th.Census.FalseRatesColumns(cfg.ActiveBits, p.ActivationThreshold)
			if err != nil {
				return nil, err
			}
			row.ColumnLevelRate = &r
		}
		th.InRun = append(th.InRun, row)
	}
	if cfg.Probes > 0 {
		if th.Probes, err = probe(ctx, tm.Connections(), th.Census, cfg); err != nil {
			return nil, err
		}
	}
	return th, nil
}

// intersectCount returns |a ∩ b| of two sorted lists.
func intersectCount(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Probe kinds.
const (
	ProbeBursting = "bursting"
	ProbeUniform  = "uniform"
)

// probe presents cfg.Probes random inputs of each kind to the store, without
// learning, and counts the segments and columns that reach each threshold
// from 2 to ActivationThreshold. A "bursting" probe is ActiveBits random
// columns with all their cells active, the form of an unexpected input; a
// "uniform" probe is as many cells drawn uniformly from the whole layer,
// the theory's assumption.
func probe(ctx context.Context, conns *dendrite.Connections, cs *Census, cfg Config) ([]ProbeRow, error) {
	p := cfg.TM
	k := p.CellsPerColumn
	a := cfg.ActiveBits * k
	maxTheta := p.ActivationThreshold
	var rows []ProbeRow
	for ki, kind := range []string{ProbeBursting, ProbeUniform} {
		rng := derive(cfg.Seed, streamProbe, float64(ki))
		segHist := make([]int, maxTheta+2)
		// colCount[θ][i]: columns of probe i with a segment reaching θ.
		colCount := make([][]int, maxTheta+2)
		for i := range colCount {
			colCount[i] = make([]int, cfg.Probes)
		}
		trials := make([]int, cfg.Probes)
		for i := range trials {
			trials[i] = p.NumColumns
		}
		colMax := make([]uint8, p.NumColumns)
		var touchedCols []uint32
		var act dendrite.Activity
		var cells, cols []uint32
		for pi := range cfg.Probes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var err error
			if kind == ProbeBursting {
				if cols, err = dendrite.RandomPattern(cols, p.NumColumns, cfg.ActiveBits, rng); err != nil {
					return nil, err
				}
				cells = cells[:0]
				for _, col := range cols {
					for i := range k {
						cells = append(cells, col*uint32(k)+uint32(i))
					}
				}
			} else if cells, err = dendrite.RandomPattern(cells, p.NumColumns*k, a, rng); err != nil {
				return nil, err
			}
			if err := conns.ComputeActivity(&act, cells); err != nil {
				return nil, err
			}
			for _, s := range act.Touched() {
				con := min(act.Connected(s), maxTheta+1)
				if con == 0 {
					continue
				}
				segHist[con]++
				cell, _ := conns.CellOf(s)
				col := cell / uint32(k)
				if colMax[col] == 0 {
					touchedCols = append(touchedCols, col)
				}
				colMax[col] = max(colMax[col], uint8(con))
			}
			for _, col := range touchedCols {
				for th := 1; th <= int(colMax[col]); th++ {
					colCount[th][pi]++
				}
				colMax[col] = 0
			}
			touchedCols = touchedCols[:0]
		}
		for theta := 2; theta <= maxTheta; theta++ {
			segN := 0
			for c := theta; c < len(segHist); c++ {
				segN += segHist[c]
			}
			row := ProbeRow{Kind: kind, Threshold: theta, ActiveCells: a,
				SegmentRate: float64(segN) / float64(cfg.Probes*max(1, cs.Segments)),
				ColumnRate:  rateOf(colCount[theta], trials)}
			var err error
			if row.CensusSegment, row.CensusColumn, err = cs.FalseRates(a, theta); err != nil {
				return nil, err
			}
			if row.ColumnLevelSegment, row.ColumnLevelColumn, err = cs.FalseRatesColumns(cfg.ActiveBits, theta); err != nil {
				return nil, err
			}
			q := ParametricQuery(p, a, cs.SegmentsPerColumn)
			q.Threshold = theta
			fp, err := PredictFalsePrediction(q)
			if err != nil {
				return nil, err
			}
			row.ParametricColumn = fp.Column.Float64()
			q = cs.ableQuery(p, a)
			q.Threshold = theta
			if fp, err = PredictFalsePrediction(q); err != nil {
				return nil, err
			}
			row.ParametricAbleColumn = fp.Column.Float64()
			rows = append(rows, row)
		}
	}
	return rows, nil
}
