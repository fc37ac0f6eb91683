package nabreport

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dendritic/dendritic/nab"
)

// testCorpus is two generated files with windows, and results of three
// detectors: null, random and "spike" (which fires at the start of every
// window and scores 100).
func testCorpus(t *testing.T) (*nab.Corpus, string) {
	t.Helper()
	mk := func(name string, n int, ws []nab.Window) *nab.File {
		s := &nab.Series{}
		for i := range n {
			s.Timestamps = append(s.Timestamps, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*5*time.Minute))
			s.Values = append(s.Values, 10+math.Sin(float64(i)/20))
		}
		return &nab.File{Name: name, Series: s, Windows: ws}
	}
	c, err := nab.NewCorpus([]*nab.File{
		mk("catA/first.csv", 3000, []nab.Window{{Start: 1000, End: 1100}, {Start: 2000, End: 2050}}),
		mk("catB/second.csv", 800, []nab.Window{{Start: 500, End: 560}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := nab.Run(ctx, c, dir, "null", nab.NullDetector, nab.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := nab.Run(ctx, c, dir, "random", nab.RandomDetector(1), nab.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	spike := func(info nab.FileInfo) (nab.Detector, error) {
		f := c.File(info.Name)
		i := 0
		return nab.DetectorFunc(func(time.Time, float64) (float64, error) {
			defer func() { i++ }()
			for _, w := range f.Windows {
				if i == w.Start {
					return 1, nil
				}
			}
			return 0, nil
		}), nil
	}
	if _, err := nab.Run(ctx, c, dir, "spike", spike, nab.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	return c, dir
}

func TestBuildWrite(t *testing.T) {
	c, dir := testCorpus(t)
	r, err := Build(Options{Corpus: c, Data: "generated", Results: dir, Plot: "spike", Notes: []string{"a note"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Scores) != 3 || r.Scores[0].Detector != "null" || r.Scores[2].Detector != "spike" {
		t.Fatalf("detectors %+v", r.Scores)
	}
	for k, want := range []float64{0, 100, 100, 100} {
		if k == 0 {
			for _, res := range r.Scores[0].Results {
				if res.Normalized != want {
					t.Errorf("null %s: %v", res.Profile.Name, res.Normalized)
				}
			}
			continue
		}
		if got := r.Scores[2].Results[k-1].Normalized; math.Abs(got-want) > 1e-9 {
			t.Errorf("spike %s: %v, want %v", r.Scores[2].Results[k-1].Profile.Name, got, want)
		}
	}
	if len(r.Series) != 2 {
		t.Fatalf("%d series", len(r.Series))
	}
	out := filepath.Join(t.TempDir(), "rep")
	if err := r.Write(out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{
		"<svg", "catA/first.csv", "catB/second.csv", "a note",
		"dendritic spike (this report)", "NumentaTM HTM", "70.1011", "64.5535", "63.0814", "ARTime",
		`href="#s-catA-first"`, `id="s-catB-second"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(html, "<svg"); n != 2 {
		t.Errorf("%d SVGs, want 2", n)
	}
	if strings.Contains(html, "<?xml") || strings.Contains(html, "<script") {
		t.Error("page has an XML prolog or a script")
	}
	// The scoreboard is sorted by standard score, ours in place.
	iPerfect := strings.Index(html, ">Perfect<")
	iSpike := strings.Index(html, "dendritic spike (this report)")
	iART := strings.Index(html, ">ARTime<")
	iNull := strings.Index(html, "dendritic null (this report)")
	if !(iPerfect < iSpike && iSpike < iART && iART < iNull) {
		t.Errorf("scoreboard order: perfect %d, spike %d, ARTime %d, null %d", iPerfect, iSpike, iART, iNull)
	}
	var js scoresJSON
	b, _ := os.ReadFile(filepath.Join(out, "scores.json"))
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if js.Detectors["spike"]["standard"].Score != 100 || js.Detectors["null"]["reward_low_FN_rate"].Score != 0 {
		t.Errorf("scores.json: %+v", js.Detectors)
	}
}

func TestBuildOptions(t *testing.T) {
	c, dir := testCorpus(t)
	r, err := Build(Options{Corpus: c, Results: dir, Detectors: []string{"random"}, Series: []string{"second"}, Points: 50})
	if err != nil {
		t.Fatal(err)
	}
	if r.Plotted != "random" || len(r.Series) != 1 || r.Series[0].File.Name != "catB/second.csv" {
		t.Errorf("plotted %s, series %d", r.Plotted, len(r.Series))
	}
	for name, o := range map[string]Options{
		"no corpus":      {Results: dir},
		"missing dir":    {Corpus: c, Results: filepath.Join(dir, "nope")},
		"bad detector":   {Corpus: c, Results: dir, Detectors: []string{"nope"}},
		"plot unscored":  {Corpus: c, Results: dir, Detectors: []string{"null"}, Plot: "random"},
		"no such series": {Corpus: c, Results: dir, Series: []string{"zzz"}},
		"few points":     {Corpus: c, Results: dir, Points: 3},
	} {
		if _, err := Build(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestMinMax(t *testing.T) {
	y := make([]float64, 1000)
	y[517] = 9
	y[518] = -4
	xy := minMax(y, 10)
	if len(xy) > 20 {
		t.Fatalf("%d points", len(xy))
	}
	var sawMax, sawMin bool
	for _, p := range xy {
		sawMax = sawMax || (p.X == 517 && p.Y == 9)
		sawMin = sawMin || (p.X == 518 && p.Y == -4)
	}
	if !sawMax || !sawMin {
		t.Errorf("spikes lost: %v", xy)
	}
	if got := minMax(y[:15], 10); len(got) != 15 {
		t.Errorf("short series reduced to %d points", len(got))
	}
	det := detections([]float64{1, 1, 0, 0.7, 0.8, 0.2}, 2, 0.5, 100)
	if len(det) != 2 || det[0].X != 3 || det[1].X != 4 {
		t.Errorf("detections %v", det)
	}
}

// TestCategories checks the per-category scores: the null detector scores
// 0 and the perfect "spike" detector 100 in every category (NAB's anchors),
// and the numenta detector is shown beside its published scores.
func TestCategories(t *testing.T) {
	c, dir := testCorpus(t)
	r, err := Build(Options{Corpus: c, Data: "generated", Results: dir, Plot: "spike"})
	if err != nil {
		t.Fatal(err)
	}
	rows := r.categoryRows(0)
	if len(rows) != 2 || rows[0].Category != "catA" || rows[1].Category != "catB" {
		t.Fatalf("categories %+v", rows)
	}
	for _, row := range rows {
		if row.Files != 1 || row.Windows == 0 || len(row.Scores) != 3 || row.Scores[0] != "0.00" || row.Scores[2] != "100.00" {
			t.Errorf("category %+v: want null 0.00 and spike 100.00", row)
		}
	}
	if got := publishedFor("numenta"); !strings.Contains(got, "70.1011 / 63.1168 / 74.3202") {
		t.Errorf("publishedFor(numenta) = %q", got)
	}
	if got := publishedFor("htm"); got != "" {
		t.Errorf("publishedFor(htm) = %q, want none (no published run of this detector)", got)
	}
	page, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `id="categories"`) {
		t.Error("page has no per-category table")
	}
}
