package paper

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/dendritic/dendritic/internal/htmlpage"
)

// agreementRow is one simulated point in the agreement table.
type agreementRow struct {
	Figure, Series, Params, Kind, Method string
	Samples, Hits, Simulated, CI, Theory string
	Z                                    string
	Status                               string // "pass", "fail" or "missing"
}

type figureView struct {
	*Figure
	SVG template.HTML
}

type pageView struct {
	*Report
	FigureViews []figureView
	Rows        []agreementRow
	Selection   string
}

func (r *Report) agreementRows() []agreementRow {
	var rows []agreementRow
	for _, j := range simJobs(r) {
		p := j.p
		row := agreementRow{
			Figure: j.fig.ID, Series: p.Series, Params: paramString(p.Params),
			Kind: p.SimKind, Method: p.SimMethod, Theory: p.TheoryText, Status: "missing",
			Samples: fmt.Sprint(p.simSamples),
		}
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
			row.Status = "fail"
			if *p.Agree {
				row.Status = "pass"
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (r *Report) html(svgs map[string][]byte) ([]byte, error) {
	v := pageView{Report: r, Rows: r.agreementRows(), Selection: "all figures and tables"}
	if len(r.Options.Only) > 0 {
		v.Selection = strings.Join(r.Options.Only, ", ")
	}
	for _, f := range r.Figures {
		v.FigureViews = append(v.FigureViews, figureView{Figure: f, SVG: htmlpage.InlineSVG(svgs[f.ID], f.ID+". "+f.Title, f.Caption)})
	}
	page := htmlpage.Page{Title: "{{.Title}}", CSS: pageCSS, CSSAfter: pageCSSAfter, Body: pageBody, Funcs: template.FuncMap{
		"zlimit": func() string { return fmt.Sprint(ZLimit) },
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
	pageCSS = `tr.pass td.z { background: #d8f0d8; } tr.fail td.z { background: #f6cccc; } tr.missing td { color: #888; }
`
	pageCSSAfter = `.correction { margin-bottom: 1.4em; } .published { color: #8a1c1c; } .corrected { color: #135e13; }
`
)

const pageBody = `<h1>{{.Title}}</h1>
<p>Source: {{.Source}}. Theory values are exact (math/big), computed by package <code>theory</code>
when this page was generated. Options: {{.Selection}}; {{.Options.Samples}} samples per direct Monte Carlo point,
{{.Options.ISSamples}} per importance-sampled point, seed {{.Options.Seed}}.
{{if not .Options.Simulated}}No simulator was attached: every simulated value is empty.{{end}}
{{if not .Complete}}<strong>The run was interrupted: some simulations are missing.</strong>{{end}}</p>
<ul>
{{range .FigureViews}}<li><a href="#{{.ID}}">{{.ID}}. {{.Title}}</a></li>
{{end}}{{range .Tables}}<li><a href="#{{.ID}}">{{.Title}}</a></li>
{{end}}<li><a href="#agreement">Theory against simulation</a></li>
<li><a href="#corrections">Corrections to the published figures</a></li>
</ul>

<h2>Figures</h2>
{{range .FigureViews}}
<section id="{{.ID}}">
<h3>{{.ID}}. {{.Title}}</h3>
<figure>
{{.SVG}}
<figcaption>{{.Caption}} Files: {{range $i, $f := .Files}}{{if $i}}, {{end}}<a href="{{$f}}">{{$f}}</a>{{end}}.</figcaption>
</figure>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</section>
{{end}}

<h2>Tables</h2>
{{range .Tables}}
<section id="{{.ID}}">
<h3>{{.Title}}</h3>
<p class="note">{{.Caption}} (<a href="{{.File}}">{{.File}}</a>)</p>
<table>
<tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</section>
{{end}}

<h2 id="agreement">Theory against simulation</h2>
<p>{{.Agreement.Simulated}} of {{.Agreement.Requested}} requested points simulated; {{.Agreement.Agree}} agree with theory
(|z| ≤ {{zlimit}}), {{.Agreement.Disagree}} do not; largest |z| = {{maxz .Agreement}}.
z = (simulated − theory)/se. For direct Monte Carlo se = √(p(1−p)·d/N), the standard error the estimate has if
the theory value p is right (N samples, d the design effect of shared segments, at least 1); for importance
sampling se is the simulator's standard error.</p>
{{if .Rows}}<table>
<tr><th>figure</th><th class="l">series</th><th class="l">parameters</th><th>kind</th><th>method</th><th>samples</th><th>hits</th><th>simulated</th><th>95% CI</th><th>theory</th><th>z</th></tr>
{{range .Rows}}<tr class="{{.Status}}"><td>{{.Figure}}</td><td class="l">{{.Series}}</td><td class="l">{{.Params}}</td><td>{{.Kind}}</td><td>{{.Method}}</td><td>{{.Samples}}</td><td>{{.Hits}}</td><td>{{.Simulated}}</td><td>{{.CI}}</td><td>{{.Theory}}</td><td class="z">{{.Z}}</td></tr>
{{end}}</table>{{else}}<p>No simulated points were requested.</p>{{end}}

<h2 id="corrections">Corrections to the published figures</h2>
<p>Each item of the paper spec §10. The published values are quoted; every corrected value is computed by package
<code>theory</code> when this page is generated.</p>
{{range .Corrections}}
<div class="correction" id="correction-{{.Item}}">
<h3>{{.Item}}. {{.Title}}</h3>
<p class="published"><strong>Published:</strong> {{.Published}}</p>
<p class="corrected"><strong>Corrected:</strong> {{.Corrected}}</p>
<p class="note">{{.Explanation}}</p>
<table>
<tr><th class="l">value</th><th>published</th><th>computed</th></tr>
{{range .Values}}<tr><td class="l">{{.What}}</td><td>{{.Published}}</td><td>{{.Text}}</td></tr>
{{end}}</table>
</div>
{{end}}
`
