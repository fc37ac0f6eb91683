package htmdetect

import (
	"math/rand/v2"
	"testing"

	"github.com/dendritic/dendritic/nab"
)

// BenchmarkProbationEnd times the one row that ends the probationary period
// of numenta-gmean-cad-peaks-cal at the longest period it takes
// (MaxReplayProbation): that row replays the whole period through the
// memory, so it is the slowest request the service can receive for this
// detector. "sine" is a daily sine without a shift; "noise" is uniform in
// [0, 100] (PCG(1, 2)), which grows many more segments. The earlier rows are
// untimed. Run with -benchtime 1x: an op is about 1 s (sine) and 13 s (noise).
func BenchmarkProbationEnd(b *testing.B) {
	const p = MaxReplayProbation
	for _, c := range []string{"sine", "noise"} {
		b.Run(c, func(b *testing.B) {
			s := synthetic(p, -1)
			if c == "noise" {
				rng := rand.New(rand.NewPCG(1, 2))
				for i := range s.Values {
					s.Values[i] = 100 * rng.Float64()
				}
			}
			info := seriesInfo(s)
			info.Probation = p
			fac, err := nab.Lookup(NameNumentaCalPeaks, NumentaSeed)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				b.StopTimer()
				d, err := fac(info)
				if err != nil {
					b.Fatal(err)
				}
				for i := range p - 1 {
					if _, err := d.Score(s.Timestamps[i], s.Values[i]); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if _, err := d.Score(s.Timestamps[p-1], s.Values[p-1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
