package dendrite

import (
	"math/rand/v2"
	"testing"
)

// benchStore builds segs segments of syn synapses each onto a population of
// inputs cells (uniform random inputs, permanences uniform in [0, 1)), with
// 100 segments per cell.
func benchStore(tb testing.TB, segs, syn, inputs int) *Connections {
	c, err := New(Config{NumCells: (segs + 99) / 100, NumInputs: inputs, ConnectedPermanence: 0.5})
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	buf := make([]Synapse, 0, syn)
	var p []uint32
	for i := range segs {
		p, _ = RandomPattern(p, inputs, syn, rng)
		buf = buf[:0]
		for _, in := range p {
			buf = append(buf, Synapse{in, rng.Float32()})
		}
		if _, err := c.CreateSegmentWith(uint32(i/100), buf); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// BenchmarkComputeActivity measures the reverse-index kernel on the same
// kind of store (250 000 segments × 40 synapses onto 65536 inputs) with
// 2 % of the inputs active: it touches only the ~2 % of synapses onto
// active inputs. Gsyn/s counts those.
func BenchmarkComputeActivity(b *testing.B) {
	const segs, syn, inputs = 250_000, 40, 65536
	c := benchStore(b, segs, syn, inputs)
	rng := rand.New(rand.NewPCG(7, 8))
	active, _ := RandomPattern(nil, inputs, inputs/50, rng)
	touched := 0
	for _, a := range active {
		touched += len(c.revList(a))
	}
	var act Activity
	b.ReportAllocs()
	for b.Loop() {
		if err := c.ComputeActivity(&act, active); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(touched)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gsyn/s")
}

// BenchmarkComputeActivityOverTM measures ComputeActivityOver as a
// temporal memory of 2048 columns × 32 cells uses it under random input:
// 65536 segments of 20 synapses (onto cells of 20 distinct random
// columns), and 40 whole columns active (1280 cells, ~25 000 reverse-index
// entries), with the TM's thresholds (13 connected, 10 potential).
func BenchmarkComputeActivityOverTM(b *testing.B) {
	const cols, k, segs, syn = 2048, 32, 65536, 20
	c, err := New(Config{NumCells: cols * k, ConnectedPermanence: 0.5, MaxSynapsesPerSegment: 255})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	buf := make([]Synapse, syn)
	var p []uint32
	for range segs {
		p, _ = RandomPattern(p, cols, syn, rng)
		for j, col := range p {
			buf[j] = Synapse{col*k + uint32(rng.IntN(k)), 0.2 + 0.6*rng.Float32()}
		}
		if _, err := c.CreateSegmentWith(uint32(rng.IntN(cols*k)), buf); err != nil {
			b.Fatal(err)
		}
	}
	var inputs [][]uint32
	for range 64 {
		p, _ = RandomPattern(p, cols, 40, rng)
		var in []uint32
		for _, col := range p {
			for cell := col * k; cell < (col+1)*k; cell++ {
				in = append(in, cell)
			}
		}
		inputs = append(inputs, in)
	}
	touched := 0
	for _, in := range inputs {
		for _, a := range in {
			touched += len(c.revList(a))
		}
	}
	var act Activity
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := c.ComputeActivityOver(&act, inputs[i%len(inputs)], 13, 10); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(touched)/float64(len(inputs)), "entries/op")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/(float64(touched)/float64(len(inputs))), "ns/entry")
}
