package paper

import (
	"fmt"
	"html/template"
	"runtime/debug"
	"slices"
	"strings"
)

// equation is one equation of the model as the page writes it out: the
// formula (HTML, trusted: the package's own constants) and what it
// assumes beyond the model's common assumptions.
type equation struct {
	ID, Name    string
	Formula     template.HTML
	Assumptions string
}

// modelAssumptions are the assumptions every equation shares (paper spec
// §1, "Model").
var modelAssumptions = []string{
	"Activity is a binary vector of n cells of which exactly a are active; a random pattern is uniform over all C(n, a) such vectors and independent of the segment.",
	"A dendritic segment is a set of s distinct presynaptic cells, every synapse binary (weight 1).",
	"A hard threshold: the segment fires (a localised NMDA spike) exactly when at least θ of its s synapses see active cells.",
}

// equations are E1–E7 of the paper spec (docs/paper-spec.md §2).
var equations = []equation{
	{"E1", "overlap set", "|Ω<sub>n</sub>(a, s, b)| = C(s, b) · C(n − s, a − b)",
		"Counts the patterns that hit exactly b of the s synapses; C(x, k) = 0 when k < 0 or k > x."},
	{"E2", "false match of one segment", "P<sub>fp</sub>(n, a, s, θ) = Σ<sub>b=θ…s</sub> C(s, b) · C(n − s, a − b) / C(n, a)",
		"The upper tail of the hypergeometric overlap of a random pattern with the segment; the segment's synapses may have been formed on another pattern (subsampling)."},
	{"E3", "false negative under noise", "P<sub>fn</sub>(a, s, θ, v) = Σ<sub>b=s−θ+1…s</sub> C(s, b) · C(a − s, v − b) / C(a, v)",
		"The segment's s synapses sit on s of the a cells of a learned pattern; noise switches off v of the a cells, chosen uniformly, and switches on v cells that cannot touch the segment. n does not enter. Any v ≤ s − θ is tolerated with certainty: this, and only this, is the sense of \"s = 2θ gives 50 % noise tolerance\"; with random noise replacing half the active cells the miss rate is large (see T1C)."},
	{"E4", "union of M patterns on one segment", "s<sub>M</sub> = n · (1 − (1 − s/n)<sup>M</sup>); the paper's plug-in P<sub>fp</sub>(n, a, round(s<sub>M</sub>), θ); the exact mixture Σ<sub>u</sub> P(|union| = u) · P<sub>fp</sub>(n, a, u, θ)",
		"Each of M patterns contributes s synapses chosen uniformly and independently; coinciding synapses merge; θ is unchanged. The plug-in replaces the random union size by its rounded mean; the mixture averages E2 over the exact distribution of the union size."},
	{"E5", "neuron of m segments", "P = 1 − (1 − P<sub>fp</sub>)<sup>m</sup> ≤ m · P<sub>fp</sub>",
		"The m segments are independent; the neuron fires falsely if any segment does. m · P<sub>fp</sub> is the union bound of the 2015 paper."},
	{"E6", "scaling laws", "P<sub>fp</sub> ≈ Σ<sub>b≥θ</sub> C(s, b) p<sup>b</sup> (1 − p)<sup>s−b</sup>, p = a/n; for fixed a, P<sub>fp</sub> ≈ C(s, θ) (a/n)<sup>θ</sup>; for θ = s/2, P<sub>fp</sub> ≈ (4p)<sup>s/2</sup> / √(πs/2)",
		"The binomial approximation of E2 for n ≫ s, a (synapses independently active with probability a/n): the error falls like n<sup>−θ</sup> at fixed a, tends to a constant at fixed sparsity, and falls exponentially in s only while p < 1/4."},
	{"E7", "optimal-threshold statistic", "for each θ = 3…24: the median (and mean, st. dev., min, max) of P<sub>fp</sub>(n, a, s, θ) over a grid of (n, a/n, s)",
		"The paper's grid: n = 10000, 30000, …, 190000; sparsity 0.5 %, 1 %, …, 3 %, a = round(sparsity · n); s = 20, 25, …, 50 (420 configurations; θ > s gives exact zeros). It is a false-positive statistic only: the code makes no joint false-positive/false-negative optimisation."},
}

// claim is one of the paper's headline claims (paper spec §7), in short.
type claim struct{ ID, Text string }

var claims = []claim{
	{"C1", "A segment with s = θ = 10 sampling 2,000 of 200,000 active cells matches a random pattern with probability 9.8 × 10⁻²¹."},
	{"C2", "Doubling the synapses to s = 20 at θ = 10 raises it only to 1.65 × 10⁻¹⁵ (the text's 1.6 × 10⁻¹⁸ is corrected, item 4)."},
	{"C3", "At s = 24, θ = 12 and fixed a the error falls steeply with n (a = 64: 1.09 × 10⁻³ at n = 300, 4.04 × 10⁻²¹ at n = 10,000)."},
	{"C4", "Dense codes do not improve with n: a = n/2 stays near 0.58, a = n/4 near 0.007."},
	{"C5", "With θ = s/2 the error falls exponentially in s for sparse codes, but only slowly at 25 % activity (2.7 × 10⁻³ at s = 30)."},
	{"C6", "A segment storing a union of patterns (n = 10,000, a = 200, s = 25, θ = 15) stays below 10⁻⁵ up to M = 8 and below 10⁻³ up to M = 12; at n = 1,000 it fails at once."},
	{"C7", "Noise (a = 128, s = 30): lower θ tolerates more noise, higher θ gives fewer false positives (at 25 % noise P_fn = 2.2 × 10⁻¹², 2.2 × 10⁻⁷, 5.9 × 10⁻⁴ for θ = 8, 12, 16)."},
	{"C8", "Simulations with 10⁸ random patterns per point agree with E2 and E3 within sampling error."},
	{"C9", "The median false-positive rate over generous parameters is 2.0 × 10⁻⁹ at θ = 9, 7.4 × 10⁻¹¹ at θ = 10 and 7.6 × 10⁻¹⁴ at θ = 12, about 1.4–2.2 decades per extra synapse of threshold: thresholds of about 8–20 synapses, as measured for NMDA spikes, suffice."},
}

// links are the equations a figure or table uses, the claims it checks
// and the corrections (spec §10 items, and the added ones) that concern
// it.
type links struct {
	Eqs, Claims []string
	Corrections []int
}

var itemLinks = map[string]links{
	"F1":  {[]string{"E2", "E6"}, []string{"C3", "C4"}, []int{1, 2, 3}},
	"F2":  {[]string{"E2", "E6"}, []string{"C5"}, nil},
	"F3":  {[]string{"E4", "E2"}, []string{"C6"}, []int{3, 9}},
	"F4":  {[]string{"E4"}, nil, nil},
	"F5":  {[]string{"E2"}, []string{"C8"}, []int{5}},
	"F6":  {[]string{"E3"}, []string{"C7", "C8"}, []int{3, 8}},
	"F7":  {[]string{"E7", "E2", "E3"}, []string{"C9"}, []int{6}},
	"E5":  {[]string{"E5", "E2"}, nil, nil},
	"T1B": {[]string{"E2"}, []string{"C1"}, []int{3}},
	"T1C": {[]string{"E2", "E3"}, []string{"C2"}, []int{7}},
	"T1D": {[]string{"E2"}, nil, []int{3}},
	"E7":  {[]string{"E7"}, []string{"C9"}, []int{6}},
}

// linksHTML writes the cross-links of figure or table id: its equations,
// claims and corrections (only those the report holds), and the agreement
// table when it has simulated points.
func (r *Report) linksHTML(id string, simulated bool) template.HTML {
	l := itemLinks[id]
	var out string
	add := func(label string, refs []string) {
		if len(refs) == 0 {
			return
		}
		if out != "" {
			out += " · "
		}
		out += label + ": " + strings.Join(refs, ", ")
	}
	var eqs, cls []string
	for _, e := range l.Eqs {
		eqs = append(eqs, `<a href="#eq-`+e+`">`+e+`</a>`)
	}
	for _, c := range l.Claims {
		cls = append(cls, `<a href="#claim-`+c+`">`+c+`</a>`)
	}
	var cors []string
	for _, c := range l.Corrections {
		if slices.ContainsFunc(r.Corrections, func(x Correction) bool { return x.Item == c }) {
			cors = append(cors, fmt.Sprintf(`<a href="#correction-%d">%d</a>`, c, c))
		}
	}
	add("Equations", eqs)
	add("checks claim", cls)
	add("corrections", cors)
	if simulated {
		add("simulated points", []string{`<a href="#agreement">agreement table</a>`})
	}
	return template.HTML(out)
}

// concernsHTML links correction item back to the figures and tables of
// the report that it concerns.
func (r *Report) concernsHTML(item int) template.HTML {
	var refs []string
	for _, id := range IDs() {
		if !slices.Contains(itemLinks[id].Corrections, item) || (r.Figure(id) == nil && r.Table(id) == nil) {
			continue
		}
		refs = append(refs, `<a href="#`+id+`">`+id+`</a>`)
	}
	if len(refs) == 0 {
		return ""
	}
	return template.HTML("Concerns " + strings.Join(refs, ", ") + ".")
}

// Command returns the paper command that rebuilds the report, from the
// options it records (DIR stands for the output directory).
func (r *Report) Command() string {
	o := r.Options
	c := "dendritic paper --out DIR"
	if !o.Simulated {
		c += " --no-sim"
	} else {
		c += fmt.Sprintf(" --samples %d --is-samples %d", o.Samples, o.ISSamples)
	}
	c += fmt.Sprintf(" --seed %d", o.Seed)
	if len(o.Only) > 0 {
		c += " --only " + strings.Join(o.Only, ",")
	}
	return c
}

// revision returns the source revision the running program was built
// from (the VCS stamp of its build information), or a note that it is
// unknown.
func revision() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " with uncommitted changes"
			}
		}
	}
	if rev == "" {
		return "unknown (built without a VCS stamp: go run, go test and -buildvcs=false leave it out; go build in a checkout adds it)"
	}
	return "commit " + rev + modified
}
