package art

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/internal/shareddata"
	"github.com/dendritic/dendritic/nab"
)

// A variant is one fuzzy-ART detector run over NAB, in the order the
// variants were tried (docs/BENCHMARKS.md, "Fuzzy ART"), with its recorded
// sweep scores over the whole corpus (standard, low FP, low FN), as this
// test printed them when the variant was run.
type variant struct {
	name   string
	params func(nab.FileInfo) Params
	want   [3]float64
}

// edit returns NABParams for the file, changed by f, with NAB's likelihood
// and spatial rule if like.
func edit(like bool, f func(*Params, nab.FileInfo)) func(nab.FileInfo) Params {
	return func(i nab.FileInfo) Params {
		p := NABParams(i.Min, i.Max, i.Probation)
		if like {
			p.Likelihood, p.SpatialTolerance = nabLikelihood(i.Probation), nab.NumentaSpatialTolerance
		}
		f(&p, i)
		return p
	}
}

func b1w16(p *Params) { p.Block, p.Window = 1, 16 }

var variants = []variant{
	{"art-raw", edit(false, func(*Params, nab.FileInfo) {}), [3]float64{2.1723, 2.1723, 2.3103}},
	{"art-likelihood", edit(true, func(*Params, nab.FileInfo) {}), [3]float64{52.2234, 51.2631, 54.0685}},
	{"art-b1", edit(true, func(p *Params, _ nab.FileInfo) { p.Block = 1 }), [3]float64{53.7513, 52.6203, 55.6618}},
	{"art-b4", edit(true, func(p *Params, _ nab.FileInfo) { p.Block = 4 }), [3]float64{52.2321, 51.3420, 54.0743}},
	{"art-b1-w16", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p) }), [3]float64{54.3654, 53.0285, 56.3585}},
	{"art-created", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created = true }),
		[3]float64{58.0185, 54.3482, 62.8170}},
	{"art-created-raw", edit(false, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created = true }),
		[3]float64{0, 0, 0}},
	{"art-created-rest", edit(false, func(p *Params, i nab.FileInfo) { b1w16(p); p.Created, p.rest = true, i.Probation/5 }),
		[3]float64{43.2886, 0, 59.3189}},
	{"art-created-graded", edit(false, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created, p.graded = true, true }),
		[3]float64{3.3728, 2.9209, 3.6853}},
	{"art-created-graded-rest", edit(false, func(p *Params, i nab.FileInfo) {
		b1w16(p)
		p.Created, p.graded, p.rest = true, true, i.Probation/5
	}), [3]float64{45.5020, 25.0418, 59.7518}},
	{"art-multi", edit(true, func(p *Params, _ nab.FileInfo) {
		b1w16(p)
		p.MaxCategories = 256
		for k := range 8 {
			p.Vigilances = append(p.Vigilances, 1-0.5/float64(int(1)<<k)) // 1 − ρ = 0.5, 0.25, … 0.0039
		}
	}), [3]float64{54.3887, 52.0014, 56.7080}},
	{"art-multi4", edit(true, func(p *Params, _ nab.FileInfo) {
		b1w16(p)
		p.MaxCategories, p.Vigilances = 1024, []float64{0.6, 0.8, 0.9, 0.95}
	}), [3]float64{59.9237, 55.8362, 63.2250}},
	{"art-created-rho80", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created, p.Vigilance = true, 0.8 }),
		[3]float64{59.3392, 55.8695, 62.8353}},
	{"art-created-rho95", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created, p.Vigilance = true, 0.95 }),
		[3]float64{58.2861, 52.8294, 63.7428}},
	{"art-created-w8", edit(true, func(p *Params, _ nab.FileInfo) { p.Block, p.Window, p.Created = 1, 8, true }),
		[3]float64{62.8505, 56.5568, 67.7624}},
	{"art-created-slow", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created, p.Learning = true, 0.5 }),
		[3]float64{61.1219, 54.6845, 65.1970}},
	{"art-shape", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Created, p.Shape = true, true }),
		[3]float64{51.6384, 50.7471, 53.7248}},
	{"art-shape-w8", edit(true, func(p *Params, _ nab.FileInfo) { p.Block, p.Window, p.Created, p.Shape = 1, 8, true, true }),
		[3]float64{55.4750, 52.6234, 57.9603}},
	{"art-shape-rho80", edit(true, func(p *Params, _ nab.FileInfo) {
		b1w16(p)
		p.Created, p.Shape, p.Vigilance = true, true, 0.8
	}), [3]float64{52.8694, 51.0519, 55.0739}},
	{"art-shape-novelty", edit(true, func(p *Params, _ nab.FileInfo) { b1w16(p); p.Shape = true }),
		[3]float64{56.2242, 54.5477, 58.4598}},
}

func nabRoot(t *testing.T) string {
	t.Helper()
	return shareddata.NAB(t)
}

// detectCorpus runs a detector over the corpus with nab.Run (one file per
// core) into dir (a temporary directory if dir is empty) and returns its
// scores.
func detectCorpus(t *testing.T, c *nab.Corpus, dir, name string, fac nab.DetectorFactory) map[string][]float64 {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	if _, err := nab.Run(context.Background(), c, dir, name, fac, nab.RunOptions{Redo: true}); err != nil {
		t.Fatal(err)
	}
	scores, err := nab.LoadResults(dir, name, c)
	if err != nil {
		t.Fatal(err)
	}
	return scores
}

// sweep returns the sweep scores of the three profiles over the whole
// corpus and over its halves A (the files at even positions in corpus
// order) and B (odd positions): variants were compared on A, B was kept
// to check whether a choice made on A carries over.
func sweep(t *testing.T, root string, c *nab.Corpus, scores map[string][]float64) (all, a, b [3]float64) {
	t.Helper()
	profiles, _, err := nab.DefaultProfiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != 3 {
		t.Fatalf("%d profiles, want NAB's 3", len(profiles))
	}
	var halves [3][]*nab.File
	for i, f := range c.Files {
		halves[0] = append(halves[0], f)
		halves[1+i%2] = append(halves[1+i%2], f)
	}
	var out [3][3]float64
	for h, files := range halves {
		sub, err := nab.NewCorpus(files)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]float64{}
		for _, f := range files {
			m[f.Name] = scores[f.Name]
		}
		sc, err := nab.NewScorer(sub, m)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range profiles {
			r, err := sc.Sweep(p)
			if err != nil {
				t.Fatal(err)
			}
			out[h][k] = r.Normalized
		}
	}
	return out[0], out[1], out[2]
}

func format(all, a, b [3]float64) string {
	return fmt.Sprintf("all %.4f %.4f %.4f | A %.4f %.4f %.4f | B %.4f %.4f %.4f",
		all[0], all[1], all[2], a[0], a[1], a[2], b[0], b[1], b[2])
}

// TestVariantsNAB repeats the corpus runs of the variants recorded in
// docs/BENCHMARKS.md ("Fuzzy ART") and checks their scores: about four
// minutes on two cores for all of them (the art-shape variants take 50 s
// each: they make a category on most rows), so it runs only when DENDRITIC_NAB_VARIANTS
// is "all" or names variants. With DENDRITIC_ART_OUT=DIR it also writes
// their results into DIR, as 'dendritic nab run' does, for 'nab score' and
// 'nab report'.
func TestVariantsNAB(t *testing.T) {
	which := os.Getenv("DENDRITIC_NAB_VARIANTS")
	var run []variant
	for _, v := range variants {
		if which == "all" || slices.Contains(strings.Split(which, ","), v.name) {
			run = append(run, v)
		}
	}
	if len(run) == 0 {
		t.Skip("set DENDRITIC_NAB_VARIANTS=all (or names of art-… variants) to run them over the corpus")
	}
	root := nabRoot(t)
	c, err := nab.LoadCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	out := os.Getenv("DENDRITIC_ART_OUT") // if set, the results are written there too
	for _, v := range run {
		scores := detectCorpus(t, c, out, v.name, factory(v.params))
		all, a, b := sweep(t, root, c, scores)
		t.Logf("%-24s %s", v.name, format(all, a, b))
		for k := range all {
			if math.Abs(all[k]-v.want[k]) > 5e-5 {
				t.Errorf("%s: profile %d scores %.4f, recorded %.4f", v.name, k, all[k], v.want[k])
			}
		}
	}
}

// TestMaxWithNumenta repeats the row-by-row maximum of numenta's final
// scores and art-b1-w16's (docs/BENCHMARKS.md, "Fuzzy ART"): numenta's
// results are read from the directories (one per seed, as 'dendritic nab
// run --detector numenta --seed S --out DIR' writes them) listed in
// DENDRITIC_NUMENTA_RESULTS; seed 42's directory is checked against the
// numenta scores pinned in htmdetect and the maximum against the record.
func TestMaxWithNumenta(t *testing.T) {
	dirs := os.Getenv("DENDRITIC_NUMENTA_RESULTS")
	if dirs == "" {
		t.Skip("set DENDRITIC_NUMENTA_RESULTS to directories of numenta runs (comma-separated)")
	}
	root := nabRoot(t)
	c, err := nab.LoadCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(variants, func(v variant) bool { return v.name == "art-b1-w16" })
	art := detectCorpus(t, c, "", variants[i].name, factory(variants[i].params))
	for dir := range strings.SplitSeq(dirs, ",") {
		num, err := nab.LoadResults(dir, "numenta", c)
		if err != nil {
			t.Fatal(err)
		}
		both := map[string][]float64{}
		for name, s := range art {
			m := make([]float64, len(s))
			for i := range s {
				m[i] = max(s[i], num[name][i])
			}
			both[name] = m
		}
		nAll, nA, nB := sweep(t, root, c, num)
		mAll, mA, mB := sweep(t, root, c, both)
		t.Logf("numenta %s: %s", dir, format(nAll, nA, nB))
		t.Logf("max     %s: %s", dir, format(mAll, mA, mB))
		// numenta at seed 42 (htmdetect's headline test) and the maximum
		// with it, as recorded.
		if math.Abs(nAll[0]-70.2922) < 5e-5 {
			want := [3]float64{70.6188, 63.7789, 74.9528}
			for k := range want {
				if math.Abs(mAll[k]-want[k]) > 5e-5 {
					t.Errorf("max at seed 42: profile %d scores %.4f, recorded %.4f", k, mAll[k], want[k])
				}
			}
		}
	}
}
