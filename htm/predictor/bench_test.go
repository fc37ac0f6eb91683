package predictor

import (
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

// BenchmarkInferLearn times one Infer and one Learn at horizons 1 and 5 on
// the cells of a 2048×32 temporal memory (40 of 65536 active) with 130
// buckets, the NYC-taxi setting of Cui et al. (2016).
func BenchmarkInferLearn(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	pats := make([]*sdr.SDR, 200)
	for i := range pats {
		pats[i], _ = sdr.New(65536)
		_ = pats[i].RandomizeCount(40, r)
	}
	p := DefaultParams(65536, 1, 5)
	p.Alpha = 0.01
	pr, err := New(p)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		_ = pr.Learn(pats[i%200], (i*7)%130, float64(i))
	}
	var pdf []float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pred, err := pr.Infer(pats[i%200], 5, pdf)
		if err != nil {
			b.Fatal(err)
		}
		pdf = pred.PDF
		if err := pr.Learn(pats[i%200], (i*7)%130, float64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
