package nabreport

import (
	"fmt"
	"html/template"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/internal/htmlpage"
)

type boardRow struct {
	Detector, Standard, LowFP, LowFN, Source, Note string
	Ours, HTM                                      bool
	sort                                           float64
}

type oursRow struct {
	Detector   string
	Scores     []string // per profile
	Thresholds []string
	TP, FP, FN int // standard profile
	Raw        string
	Published  string // the published scores of the detector it reproduces
}

type fileRow struct {
	ID, File                 string
	Rows, Probation, Windows int
	Score                    string
	TP, FP, FN               int
	Plotted                  bool
}

type seriesView struct {
	ID, File, Caption string
	SVG               template.HTML
}

type pageView struct {
	Title, Data, Results, Created, Machine string
	Notes                                  []string
	Profiles                               []string
	Ours                                   []oursRow
	Board                                  []boardRow
	Plotted                                string
	Threshold                              string
	Files                                  []fileRow
	Series                                 []seriesView
	Selection                              string
	Points                                 int
	Detectors                              []string
	Categories                             []categoryRow
}

func anchor(file string) string {
	r := strings.NewReplacer("/", "-", ".csv", "", " ", "-")
	return "s-" + r.Replace(file)
}

// HTML renders the page.
func (r *Report) HTML() ([]byte, error) {
	o := r.Options
	v := pageView{
		Title: "dendritic on the Numenta Anomaly Benchmark (NAB v1.1)",
		Data:  o.Data, Results: o.Results, Created: r.Created.Format("2006-01-02 15:04 UTC"),
		Machine: fmt.Sprintf("%s %s/%s, %d CPUs", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		Notes:   o.Notes, Plotted: r.Plotted, Points: o.Points,
		Selection: "all series",
	}
	if len(o.Series) > 0 {
		v.Selection = "series matching " + strings.Join(o.Series, ", ")
	}
	for _, p := range o.Profiles {
		v.Profiles = append(v.Profiles, p.Name)
	}
	var ours []boardRow
	for _, d := range r.Scores {
		row := oursRow{Detector: d.Detector, Published: publishedFor(d.Detector)}
		v.Detectors = append(v.Detectors, d.Detector)
		for _, res := range d.Results {
			row.Scores = append(row.Scores, fmtScore(res.Normalized))
			row.Thresholds = append(row.Thresholds, fmt.Sprintf("%.6g", res.Threshold))
		}
		std := d.Results[0]
		row.TP, row.FP, row.FN = std.TP, std.FP, std.FN
		row.Raw = fmt.Sprintf("%.4f", std.Raw)
		v.Ours = append(v.Ours, row)
		if len(d.Results) >= 3 {
			ours = append(ours, boardRow{
				Detector: "dendritic " + d.Detector + " (this report)",
				Standard: row.Scores[0], LowFP: row.Scores[1], LowFN: row.Scores[2],
				Source: "results in " + o.Results + ", thresholds by NAB's sweep", Ours: true,
				HTM: strings.HasPrefix(d.Detector, "htm"), sort: d.Results[0].Normalized,
			})
		}
		if d.Detector == r.Plotted {
			v.Threshold = row.Thresholds[0]
		}
	}
	for _, p := range Scoreboard {
		v.Board = append(v.Board, boardRow{Detector: p.Detector, Standard: p.Standard, LowFP: p.LowFP, LowFN: p.LowFN,
			Source: p.Source, Note: p.Note, HTM: p.HTM, sort: p.Sort})
	}
	v.Board = append(v.Board, ours...) // after the published rows they tie with
	slices.SortStableFunc(v.Board, func(a, b boardRow) int {
		switch {
		case a.sort > b.sort:
			return -1
		case a.sort < b.sort:
			return 1
		}
		return 0
	})
	v.Categories = r.categoryRows(0)
	plotted := map[string]bool{}
	for _, s := range r.Series {
		plotted[s.File.Name] = true
	}
	for _, d := range r.Scores {
		if d.Detector != r.Plotted {
			continue
		}
		for i, f := range o.Corpus.Files {
			fs := d.Results[0].Files[i]
			v.Files = append(v.Files, fileRow{ID: anchor(f.Name), File: f.Name, Rows: f.Len(), Probation: f.Probation(),
				Windows: len(f.Windows), Score: fmt.Sprintf("%.3f", fs.Score), TP: fs.TP, FP: fs.FP, FN: fs.FN, Plotted: plotted[f.Name]})
		}
	}
	for _, s := range r.Series {
		svg, err := renderSeries(s, r.Plotted, o.Points)
		if err != nil {
			return nil, fmt.Errorf("nabreport: %s: %w", s.File.Name, err)
		}
		f := s.File
		capt := fmt.Sprintf("%d rows, %s … %s; probationary period %d rows (grey); %s (orange). "+
			"Standard profile at θ = %.6g: file score %.3f, %d TP / %d FP / %d FN rows.",
			f.Len(), f.Timestamps[0].Format("2006-01-02 15:04"), f.Timestamps[f.Len()-1].Format("2006-01-02 15:04"),
			f.Probation(), windowsText(f), s.Threshold, s.Score.Score, s.Score.TP, s.Score.FP, s.Score.FN)
		v.Series = append(v.Series, seriesView{ID: anchor(f.Name), File: f.Name, Caption: capt, SVG: htmlpage.InlineSVG(svg, "Series "+f.Name, capt)})
	}
	page := htmlpage.Page{Title: "{{.Title}}", CSS: pageCSS, Body: pageBody}
	return page.Render(v)
}

func fmtScore(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.2f", x)
}

// pageCSS holds the page's own style rules: this report's rows of the
// scoreboard, and the HTM detectors.
const pageCSS = `tr.ours td { background: #e3eefa; font-weight: bold; } tr.htm td.l:first-child { font-style: italic; }
`

const pageBody = `<h1>{{.Title}}</h1>
<p>Corpus: <code>{{.Data}}</code>. Results: <code>{{.Results}}</code>. Generated {{.Created}} ({{.Machine}}).
Scores are normalised as in NAB (null detector 0, perfect 100); for every detector and profile the threshold is
NAB v1.1's corpus-wide sweep (every distinct score and 1.1; the best corpus score, ties to the highest threshold).</p>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}
<ul>
<li><a href="#scores">Scores of this report's detectors</a></li>
<li><a href="#scoreboard">Beside the published scoreboard</a></li>
<li><a href="#categories">Per category</a></li>
<li><a href="#files">Per file ({{.Plotted}})</a></li>
<li><a href="#series">Series ({{.Selection}})</a></li>
</ul>

<h2 id="scores">Scores</h2>
<table>
<tr><th class="l">detector</th>{{range .Profiles}}<th>{{.}}</th>{{end}}<th class="l">published (standard / low FP / low FN)</th>{{range .Profiles}}<th>θ {{.}}</th>{{end}}<th>raw (standard)</th><th>TP</th><th>FP</th><th>FN</th></tr>
{{range .Ours}}<tr><td class="l">{{.Detector}}</td>{{range .Scores}}<td>{{.}}</td>{{end}}<td class="l">{{.Published}}</td>{{range .Thresholds}}<td>{{.}}</td>{{end}}<td>{{.Raw}}</td><td>{{.TP}}</td><td>{{.FP}}</td><td>{{.FN}}</td></tr>
{{end}}</table>
<p class="note">TP, FP and FN count rows after each file's probationary period under the standard profile (a window
counts once, at its earliest detection; the score weighs detections by their position).</p>

<h2 id="scoreboard">Beside the published scoreboard</h2>
<table>
<tr><th class="l">detector</th><th>standard</th><th>reward low FP</th><th>reward low FN</th><th class="l">source</th><th class="l">note</th></tr>
{{range .Board}}<tr class="{{if .Ours}}ours{{end}}{{if .HTM}} htm{{end}}"><td class="l">{{.Detector}}</td><td>{{.Standard}}</td><td>{{.LowFP}}</td><td>{{.LowFN}}</td><td class="l">{{.Source}}</td><td class="l">{{.Note}}</td></tr>
{{end}}</table>
<p class="note">Published rows as compiled in the project's <code>docs/benchmarks.md</code> §1.4, each with its
source (numenta/NAB at commit ea702d7, htm-community/NAB at 08f002e); HTM detectors in italics. The published
scores were made with the thresholds stored in NAB's <code>config/thresholds.json</code> (found by the pre-2019
hill-climbing optimiser); this report's rows use the sweep, which can only score as high or higher on the same
results (numenta: 70.10 / 63.21 / 74.32 with the sweep; numentaTM: 64.55 / 56.67 / 69.38). The like-for-like
references for a standard temporal memory are numentaTM (64.6 / 56.7 / 69.2) and htm.core (63.1 / 58.8 / 66.2); the
70.1 headline used NuPIC's backtracking temporal memory.</p>

<h2 id="categories">Per category</h2>
<p class="note">Standard profile, each detector at its corpus-wide threshold. A category's score is the sum of its files'
scores, normalised as NAB normalises the corpus but with the category's own anchors (null detector −1 per window,
perfect +1 per window); a category without windows has none (—). The published scoreboard gives corpus totals only.</p>
<table>
<tr><th class="l">category</th><th>files</th><th>windows</th>{{range .Detectors}}<th>{{.}}</th>{{end}}</tr>
{{range .Categories}}<tr><td class="l">{{.Category}}</td><td>{{.Files}}</td><td>{{.Windows}}</td>{{range .Scores}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>

<h2 id="files">Per file: {{.Plotted}}</h2>
<p class="note">Standard profile, θ = {{.Threshold}}. P is the probationary period (rows not scored).</p>
<table>
<tr><th class="l">file</th><th>rows</th><th>P</th><th>windows</th><th>score</th><th>TP</th><th>FP</th><th>FN</th></tr>
{{range .Files}}<tr><td class="l">{{if .Plotted}}<a href="#{{.ID}}">{{.File}}</a>{{else}}{{.File}}{{end}}</td><td>{{.Rows}}</td><td>{{.Probation}}</td><td>{{.Windows}}</td><td>{{.Score}}</td><td>{{.TP}}</td><td>{{.FP}}</td><td>{{.FN}}</td></tr>
{{end}}</table>

<h2 id="series">Series</h2>
<p class="note">Each series is drawn by row index (some files repeat timestamps or have gaps), reduced to at most
{{.Points}} buckets of rows, each keeping its minimum and maximum so that spikes remain visible. Detections (red dots,
at most one per bucket) are the rows after the probationary period whose {{.Plotted}} score reaches the standard
threshold (dashed).</p>
{{range .Series}}
<section id="{{.ID}}">
<figure>
{{.SVG}}
<figcaption>{{.File}}: {{.Caption}}</figcaption>
</figure>
</section>
{{end}}
`
