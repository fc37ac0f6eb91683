package paper

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/internal/htmlpage"
)

// agreementRow is one simulated point in the agreement table.
type agreementRow struct {
	Figure, Series, Params, Kind, Method string
	Samples, Hits, Simulated, CI, Theory string
	Z, Expected, PValue, Verdict         string
	Status                               string // "pass", "fail", "uninformative" or "missing"
	informative                          bool   // judged by z
}

type figureView struct {
	*Figure
	SVG   template.HTML
	Links template.HTML
}

type tableView struct {
	*Table
	Links template.HTML
}

type pageView struct {
	*Report
	FigureViews []figureView
	TableViews  []tableView
	Equations   []equation
	Assumptions []string
	Claims      []claim
	Rows        []agreementRow // informative: judged by |z|
	SmallRows   []agreementRow // exact binomial test or not informative
	Selection   string
}

func (r *Report) agreementRows() []agreementRow {
	var rows []agreementRow
	for _, j := range simJobs(r) {
		p := j.p
		row := agreementRow{
			Figure: j.fig.ID, Series: p.Series, Params: paramString(p.Params),
			Kind: p.SimKind, Method: p.SimMethod, Theory: p.TheoryText, Status: "missing",
			Samples: fmt.Sprint(p.simSamples), Verdict: "not simulated",
		}
		// A missing point is placed by the hits it would expect.
		expected := float64(p.simSamples) * p.theoryF.Float64()
		row.informative = p.SimMethod == MethodImportance || expected >= InformativeHits
		if p.Simulated != nil {
			row.Samples = fmt.Sprint(*p.Samples)
			row.Hits = fmt.Sprint(*p.Hits)
			row.Simulated = fmtSig(*p.Simulated, 6)
			if p.CI95 != nil {
				row.CI = fmt.Sprintf("[%s, %s]", fmtSig(p.CI95[0], 4), fmtSig(p.CI95[1], 4))
			}
			row.Z = "undefined"
			if p.Z != nil {
				row.Z = fmt.Sprintf("%.2f", *p.Z)
			}
			row.informative = p.Test == TestZ
			if p.ExpectedHits != nil {
				expected = *p.ExpectedHits
			}
			if p.PValue != nil {
				row.PValue = fmtSig(*p.PValue, 3)
			}
			row.Verdict = p.Verdict
			switch p.Verdict {
			case VerdictAgree:
				row.Status = "pass"
			case VerdictDisagree:
				row.Status = "fail"
			default:
				row.Status = "uninformative"
			}
		}
		if p.SimMethod != MethodImportance {
			row.Expected = fmtSig(expected, 3)
		}
		rows = append(rows, row)
	}
	return rows
}

func (r *Report) html(svgs map[string][]byte) ([]byte, error) {
	v := pageView{Report: r, Selection: "all figures and tables", Equations: equations, Assumptions: modelAssumptions, Claims: claims}
	for _, row := range r.agreementRows() {
		if row.informative {
			v.Rows = append(v.Rows, row)
		} else {
			v.SmallRows = append(v.SmallRows, row)
		}
	}
	if len(r.Options.Only) > 0 {
		v.Selection = strings.Join(r.Options.Only, ", ")
	}
	for _, f := range r.Figures {
		simulated := slices.ContainsFunc(f.Points, func(p *Point) bool { return p.SimKind != "" })
		v.FigureViews = append(v.FigureViews, figureView{Figure: f, SVG: htmlpage.InlineSVG(svgs[f.ID], f.ID+". "+f.Title, f.Caption),
			Links: r.linksHTML(f.ID, simulated)})
	}
	for _, t := range r.Tables {
		v.TableViews = append(v.TableViews, tableView{Table: t, Links: r.linksHTML(t.ID, false)})
	}
	page := htmlpage.Page{Title: "{{.Title}}", CSS: pageCSS, CSSAfter: pageCSSAfter, Body: pageBody, Funcs: template.FuncMap{
		"zlimit":   func() string { return fmt.Sprint(ZLimit) },
		"alpha":    func() string { return fmtSig(Alpha, 3) },
		"infohits": func() string { return fmt.Sprint(InformativeHits) },
		"minhits":  func() string { return fmt.Sprint(MinExpectedHits) },
		"minp":     func(a Agreement) string { return fmtSig(a.MinPValue, 3) },
		"concerns": r.concernsHTML,
		"revision": revision,
		"points":   func() string { return PointsFile },
		"maxz": func(a Agreement) string {
			if a.MaxAbsZ == math.MaxFloat64 {
				return "undefined"
			}
			return fmt.Sprintf("%.2f", a.MaxAbsZ)
		},
	}}
	return page.Render(v)
}

// pageCSS holds the report's own style rules: the agreement table's
// statuses, then the corrections.
const (
	pageCSS = `tr.pass td.z { background: #d8f0d8; } tr.fail td.z { background: #f6cccc; } tr.missing td, tr.uninformative td { color: #888; }
`
	pageCSSAfter = `.correction { margin-bottom: 1.4em; } .published { color: #8a1c1c; } .corrected { color: #135e13; }
.links { font-size: 0.85em; color: #444; margin-top: -0.4em; } .formula { margin: 0.2em 0; font-size: 1.02em; }
dl.eqs dd { margin: 0 0 0.8em 1.5em; } dl.eqs dd p { margin: 0.15em 0; }
`
)

const pageBody = `<h1>{{.Title}}</h1>
<p>Source: {{.Source}}. Theory values are exact (math/big), computed by package <code>theory</code>
when this page was generated. Options: {{.Selection}}; {{.Options.Samples}} samples per direct Monte Carlo point,
{{.Options.ISSamples}} per importance-sampled point, seed {{.Options.Seed}}.
{{if not .Options.Simulated}}No simulator was attached: every simulated value is empty.{{end}}
{{if not .Complete}}<strong>The run was interrupted: some simulations are missing.</strong>{{end}}</p>
<p>Data: <a href="report.json">report.json</a> (everything on this page){{if .Options.Simulated}}, <a href="{{points}}">{{points}}</a>
(one line per finished simulation){{end}}, and a CSV beside each figure and table.</p>
<ul>
<li><a href="#model">Model and equations</a></li>
{{range .FigureViews}}<li><a href="#{{.ID}}">{{.ID}}. {{.Title}}</a></li>
{{end}}{{range .Tables}}<li><a href="#{{.ID}}">{{.Title}}</a></li>
{{end}}<li><a href="#agreement">Theory against simulation</a></li>
<li><a href="#corrections">Corrections to the published figures</a></li>
</ul>

<h2 id="model">Model and equations</h2>
<p>The theory of the paper (as reconstructed in the project's <code>docs/paper-spec.md</code>, §1–2) rests on three
assumptions, shared by every equation below:</p>
<ul>
{{range .Assumptions}}<li>{{.}}</li>
{{end}}</ul>
<p>C(x, k) is the binomial coefficient. Every value on this page is computed from these formulas by package
<code>theory</code>: exactly (math/big), except where a caption says otherwise.</p>
<dl class="eqs">
{{range .Equations}}<dt id="eq-{{.ID}}"><strong>{{.ID}}</strong> ({{.Name}})</dt>
<dd><p class="formula">{{.Formula}}</p><p class="note">{{.Assumptions}}</p></dd>
{{end}}</dl>
<p>The paper's headline claims (spec §7), which the captions name where a figure or table checks them:</p>
<ul class="claims">
{{range .Claims}}<li id="claim-{{.ID}}"><strong>{{.ID}}.</strong> {{.Text}}</li>
{{end}}</ul>

<h2>Figures</h2>
{{range .FigureViews}}
<section id="{{.ID}}">
<h3>{{.ID}}. {{.Title}}</h3>
<figure>
{{.SVG}}
<figcaption>{{.Caption}} Files: {{range $i, $f := .Files}}{{if $i}}, {{end}}<a href="{{$f}}">{{$f}}</a>{{end}}.</figcaption>
</figure>
{{if .Links}}<p class="links">{{.Links}}</p>{{end}}
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</section>
{{end}}

<h2>Tables</h2>
{{range .TableViews}}
<section id="{{.ID}}">
<h3>{{.Title}}</h3>
<p class="note">{{.Caption}} (<a href="{{.File}}">{{.File}}</a>)</p>
{{if .Links}}<p class="links">{{.Links}}</p>{{end}}
<table>
<tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</section>
{{end}}

<h2 id="agreement">Theory against simulation</h2>
<p>{{.Agreement.Simulated}} of {{.Agreement.Requested}} requested points simulated: {{.Agreement.Agree}} agree with theory,
{{.Agreement.Disagree}} do not, {{.Agreement.NotInformative}} are not informative.
A direct Monte Carlo point of N samples expects E = N·p/d hits if the theory value p is right (d the design effect
of shared segments, at least 1). The test depends on E:</p>
<ul>
<li><strong>E ≥ {{infohits}}</strong> (informative; and every importance-sampled point): z = (simulated − theory)/se, the point
agrees when |z| ≤ {{zlimit}}. For direct Monte Carlo se = √(p(1−p)·d/N), the standard error the estimate has if p is
right; for importance sampling se is the simulator's standard error. {{.Agreement.ZTested}} points; largest
|z| = {{maxz .Agreement}}.</li>
<li><strong>{{minhits}} ≤ E &lt; {{infohits}}</strong>: the normal approximation is poor at such counts, so the two-sided exact
binomial test of the observed hits decides (the probability under Binomial(N/d, p) of every outcome no more likely
than the one observed: the method of R's <code>binom.test</code>; Agresti, <em>Categorical Data Analysis</em>, 3rd ed.,
2013, §1.4). The point agrees when the p-value is at least {{alpha}}, the two-sided level of |z| ≤ {{zlimit}}.
{{.Agreement.ExactTested}} points tested; smallest p-value {{minp .Agreement}}.</li>
<li><strong>E &lt; {{minhits}}</strong>, including a theory value of exactly 0: <em>not informative</em>: zero hits (or one) is the
likely outcome whether or not the theory is right, so the point cannot confirm it. It is still tested exactly and
counted as a disagreement if the test rejects (a hit of an impossible event, or far too many hits).</li>
</ul>
<h3 id="agreement-informative">Informative points (E ≥ {{infohits}}, or importance sampling)</h3>
{{if .Rows}}<table>
<tr><th>figure</th><th>z</th><th class="l">series</th><th class="l">parameters</th><th>kind</th><th>method</th><th>samples</th><th>expected hits</th><th>hits</th><th>simulated</th><th>95% CI</th><th>theory</th></tr>
{{range .Rows}}<tr class="{{.Status}}"><td><a href="#{{.Figure}}">{{.Figure}}</a></td><td class="z">{{.Z}}</td><td class="l">{{.Series}}</td><td class="l">{{.Params}}</td><td>{{.Kind}}</td><td>{{.Method}}</td><td>{{.Samples}}</td><td>{{.Expected}}</td><td>{{.Hits}}</td><td>{{.Simulated}}</td><td>{{.CI}}</td><td>{{.Theory}}</td></tr>
{{end}}</table>{{else}}<p>No informative point was requested.</p>{{end}}
<h3 id="agreement-small">Small counts (E &lt; {{infohits}}): exact test, or not informative</h3>
{{if .SmallRows}}<table>
<tr><th>figure</th><th>exact p</th><th class="l">verdict</th><th class="l">series</th><th class="l">parameters</th><th>kind</th><th>samples</th><th>expected hits</th><th>hits</th><th>theory</th><th>z (for reference)</th></tr>
{{range .SmallRows}}<tr class="{{.Status}}"><td><a href="#{{.Figure}}">{{.Figure}}</a></td><td class="z">{{.PValue}}</td><td class="l">{{.Verdict}}</td><td class="l">{{.Series}}</td><td class="l">{{.Params}}</td><td>{{.Kind}}</td><td>{{.Samples}}</td><td>{{.Expected}}</td><td>{{.Hits}}</td><td>{{.Theory}}</td><td>{{.Z}}</td></tr>
{{end}}</table>{{else}}<p>No point has fewer than {{infohits}} expected hits.</p>{{end}}

<h2 id="corrections">Corrections to the published figures</h2>
<p>Items 1–8 are those of the paper spec §10; item 9 (the paper's union method) was found by this report's simulations. The published values are quoted; every corrected value is computed by package
<code>theory</code> when this page is generated.</p>
{{range .Corrections}}
<div class="correction" id="correction-{{.Item}}">
<h3>{{.Item}}. {{.Title}}</h3>
<p class="published"><strong>Published:</strong> {{.Published}}</p>
<p class="corrected"><strong>Corrected:</strong> {{.Corrected}}</p>
<p class="note">{{.Explanation}} {{concerns .Item}}</p>
<table>
<tr><th class="l">value</th><th>published</th><th>computed</th></tr>
{{range .Values}}<tr><td class="l">{{.What}}</td><td>{{.Published}}</td><td>{{.Text}}</td></tr>
{{end}}</table>
</div>
{{end}}

<footer>
<p class="note">Generated by <code>{{.Command}}</code> from dendritic {{revision}}, {{.Options.Samples}} samples per direct point, seed {{.Options.Seed}}.</p>
</footer>
`
