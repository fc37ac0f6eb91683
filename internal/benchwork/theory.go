package benchwork

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/batch"
	"github.com/dendritic/dendritic/theory"
)

// The cases of the theory package and of the batch path. Each runs
// testing.Benchmark (about 1 s) and reports the time per operation.

// fpSet is a fixed set of realistic (n, a, s, θ) with s in 20..100: the
// populations of the paper's figures and tables at 0.5–2 % activity.
var fpSet = func() [][4]int {
	var set [][4]int
	for _, na := range [][2]int{{2048, 40}, {10000, 64}, {10000, 200}, {16000, 320}, {100000, 2000}, {200000, 2000}} {
		for _, s := range []int{20, 24, 32, 40, 64, 100} {
			for _, th := range []int{s / 4, s / 2, 3 * s / 4} {
				set = append(set, [4]int{na[0], na[1], s, th})
			}
		}
	}
	return set
}()

// fnSet holds (a, s, θ, noise) of the noise tables of the paper (a=128,
// s=30) and of the "why neurons" example, at several thresholds and noise
// levels.
var fnSet = func() [][4]int {
	var set [][4]int
	for _, th := range []int{8, 12, 16} {
		for _, v := range []int{19, 32, 45, 64, 102} {
			set = append(set, [4]int{128, 30, th, v})
		}
	}
	set = append(set, [4]int{2000, 20, 10, 1000}, [4]int{40, 20, 10, 20}, [4]int{64, 24, 12, 32})
	return set
}()

// batchInput is a CSV table of rows fp rows cycling over fpSet, the input
// of internal/batch.
func batchInput(rows int) string {
	var b strings.Builder
	b.WriteString("id,quantity,n,a,s,theta\n")
	for i := range rows {
		p := fpSet[i%len(fpSet)]
		fmt.Fprintf(&b, "r%d,fp,%d,%d,%d,%d\n", i, p[0], p[1], p[2], p[3])
	}
	return b.String()
}

// cycle runs f on the sets' entries in turn, one per operation.
func cycle(b *testing.B, set [][4]int, f func(p [4]int) error) error {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := f(set[i]); err != nil {
			return err
		}
		if i++; i == len(set) {
			i = 0
		}
	}
	return nil
}

// repeat runs f once per operation.
func repeat(b *testing.B, f func() error) error {
	b.ReportAllocs()
	for b.Loop() {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// FPFast: one fast E2 (theory.FP) per operation, cycling over fpSet.
func FPFast(b *testing.B) error {
	return cycle(b, fpSet, func(p [4]int) error {
		_, err := theory.FP(p[0], p[1], p[2], p[3])
		return err
	})
}

// FNFast: one fast E3 (theory.FN) per operation, cycling over fnSet.
func FNFast(b *testing.B) error {
	return cycle(b, fnSet, func(p [4]int) error {
		_, err := theory.FN(p[0], p[1], p[2], p[3])
		return err
	})
}

// FPExact200000: exact E2 (theory.FPBig) at n=200000, a=2000, s=20, θ=10.
func FPExact200000(b *testing.B) error {
	return repeat(b, func() error {
		_, err := theory.FPBig(200000, 2000, 20, 10)
		return err
	})
}

// UnionFPExactFast: E4's mixture (theory.UnionFPMix) at n=10000, a=200,
// s=25, θ=15, m=19.
func UnionFPExactFast(b *testing.B) error {
	return repeat(b, func() error {
		_, err := theory.UnionFPMix(10000, 200, 25, 15, 19)
		return err
	})
}

// Batch10000: batchInput(10000) through batch.Run (fast mode), one table
// per operation; a failed row is an error.
func Batch10000(b *testing.B) error {
	in := batchInput(10000)
	b.SetBytes(int64(len(in)))
	return repeat(b, func() error {
		failed, err := batch.Run(strings.NewReader(in), io.Discard, false)
		if err == nil && failed > 0 {
			err = fmt.Errorf("%d rows failed", failed)
		}
		return err
	})
}

func init() {
	register(Case{Name: "theory/fp-fast", Suite: "theory", Unit: "ns/value",
		Run: perOp(FPFast, 1)})
	register(Case{Name: "theory/fp-exact-200000", Suite: "theory", Unit: "ms/value",
		Run: perOp(FPExact200000, 1e6)})
	register(Case{Name: "theory/fn-fast", Suite: "theory", Unit: "ns/value",
		Run: perOp(FNFast, 1)})
	register(Case{Name: "theory/union-fp-exact-fast", Suite: "theory", Unit: "µs/value",
		Run: perOp(UnionFPExactFast, 1e3)})
	register(Case{Name: "theory/batch-10000", Suite: "theory", Unit: "ms",
		Run: perOp(Batch10000, 1e6)})
}
