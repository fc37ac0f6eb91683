package paper

import (
	"context"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// TestModelSection checks that the page writes out every equation and
// claim, and that captions and corrections link to them.
func TestModelSection(t *testing.T) {
	r, err := Build(context.Background(), Options{Only: []string{"F1", "T1C"}})
	if err != nil {
		t.Fatal(err)
	}
	page, err := r.html(map[string][]byte{"F1": []byte("<svg></svg>")})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	want := []string{`id="model"`, "uniform over all C(n, a)", "binary (weight 1)", "hard threshold",
		`href="#eq-E2">E2</a>`, `href="#claim-C3">C3</a>`, `href="#correction-1">1</a>`, `Concerns <a href="#F1">F1</a>`,
		`<svg role="img"><title>F1. Effect of n`}
	for _, e := range equations {
		want = append(want, `id="eq-`+e.ID+`"`)
	}
	for _, c := range claims {
		want = append(want, `id="claim-`+c.ID+`"`)
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if len(equations) != 7 || len(claims) != 9 {
		t.Errorf("%d equations, %d claims; want E1–E7 and C1–C9", len(equations), len(claims))
	}
	// Every figure and table has its cross-links.
	for _, id := range IDs() {
		if len(itemLinks[id].Eqs) == 0 {
			t.Errorf("%s cites no equation", id)
		}
	}
}

// TestUnionCorrection checks the added correction 9 and F3's union panel.
func TestUnionCorrection(t *testing.T) {
	for _, sim := range []Simulator{nil, &fakeSim{}} {
		o := smallOptions(sim)
		o.Only = []string{"F3"}
		r, err := Build(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		c := r.Corrections[len(r.Corrections)-1]
		if c.Item != 9 || len(c.Values) == 0 {
			t.Fatalf("last correction %+v, want item 9 with values", c)
		}
		want := "largest relative difference"
		if sim != nil {
			want = "z against the plug-in"
		}
		if !strings.Contains(c.Values[0].What, want) {
			t.Errorf("correction 9 value %q lacks %q", c.Values[0].What, want)
		}
		svg, err := r.Figure("F3").renderSVG()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), "union panel") {
			t.Error("F3 has no union panel")
		}
	}
}

// TestF7Context checks F7's NMDA band, the false-negative cost of each θ
// (E3 at a = 128, s = 30, v = 32: 2.2e-12 at θ = 8 and 5.9e-4 at θ = 16,
// claim C7 of docs/paper-spec.md §7) and the published medians.
func TestF7Context(t *testing.T) {
	r, err := Build(context.Background(), Options{Only: []string{"F7"}})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Figure("F7")
	if f.band == nil || f.band.from != 8 || f.band.to != 20 {
		t.Errorf("NMDA band %+v, want 8–20", f.band)
	}
	for _, c := range []struct {
		theta int
		want  string
	}{{8, "2.2e-12"}, {16, "5.9e-04"}} {
		p := f.Find("fn-cost", theory.Args{}.With(theory.ParamTheta, c.theta))
		if p == nil || p.theoryF.Text(2) != c.want {
			t.Errorf("fn cost at θ = %d: %v, want %s", c.theta, p, c.want)
		}
	}
	if p := f.Find("median-2016", theory.Args{}.With(theory.ParamTheta, 9)); p == nil || p.Published == nil || *p.Published != 2.04e-9 {
		t.Errorf("published median at θ = 9: %+v", p)
	}
	if !strings.Contains(f.Caption, "median of false positives only") || !strings.Contains(f.Series[0].Label, "median") {
		t.Errorf("F7 does not say it plots a median false-positive statistic: %q", f.Caption)
	}
}

// TestCaptionsAndFooter checks that captions state their numbers (C3's
// 1.09e-3 at n = 300, a = 64, docs/paper-spec.md §7), the "50 %" caveat
// (E3 = 0.411 at a = 2000, s = 20, θ = 10, v = 1000: spec §2, 0.4115), and
// that the page links its data and names its command.
func TestCaptionsAndFooter(t *testing.T) {
	r, err := Build(context.Background(), Options{Only: []string{"F1", "T1C"}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Figure("F1").Caption; !strings.Contains(c, "1.09 × 10⁻³ at n = 300") || !strings.Contains(c, "claim C3") {
		t.Errorf("F1 caption lacks its numbers: %q", c)
	}
	if c := r.Table("T1C").Caption; !strings.Contains(c, "worst-case sense") || !strings.Contains(c, "0.411") {
		t.Errorf("T1C caption lacks the 50 %% caveat: %q", c)
	}
	page, err := r.html(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`href="report.json"`, "<code>dendritic paper --out DIR --no-sim --seed 5 --only F1,T1C</code>", "from dendritic "} {
		if !strings.Contains(string(page), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(string(page), `href="points.jsonl"`) {
		t.Error("a theory-only page links points.jsonl")
	}
}
