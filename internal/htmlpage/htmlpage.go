// Package htmlpage holds the skeleton and the style sheet of the project's
// self-contained HTML reports (packages report, nabreport and sequences):
// one page, no script, its figures inlined as SVG.
//
// A page is an html/template: Page wraps the body a package writes in the
// shared document (doctype, head, style sheet), and InlineSVG prepares a
// gonum/plot SVG for the page.
package htmlpage

import (
	"bytes"
	"html/template"
	"strings"
)

// Style holds the shared rules for the body, the headings, the figures and
// the tables.
const Style = `body { font-family: Georgia, "Times New Roman", serif; max-width: 60em; margin: 1.5em auto; padding: 0 1em; color: #111; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.92em; color: #333; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; vertical-align: top; }
th { background: #f2f2f2; } td.l, th.l { text-align: left; }
`

// NoteStyle holds the shared rules for notes (class "note") and code.
const NoteStyle = `.note { font-size: 0.9em; color: #444; } code { font-size: 0.92em; }
`

// Page is an HTML page template.
type Page struct {
	// Title is the template text of the <title> element, such as
	// "{{.Title}}".
	Title string
	// CSS holds the page's own style rules, each line ending in a newline.
	// The style sheet is Style, CSS, NoteStyle, then CSSAfter.
	CSS, CSSAfter string
	// Body is the template text of the <body> element, ending in a newline.
	Body string
	// Funcs are the functions the template text may call.
	Funcs template.FuncMap
}

// Source returns the template text of the whole document.
func (p Page) Source() string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + p.Title + `</title>
<style>
` + Style + p.CSS + NoteStyle + p.CSSAfter + `</style>
</head>
<body>
` + p.Body + `</body>
</html>
`
}

// Render parses the page as an html/template and executes it with data.
func (p Page) Render(data any) ([]byte, error) {
	t, err := template.New("page").Funcs(p.Funcs).Parse(p.Source())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// InlineSVG strips the XML prolog of a gonum/plot SVG so that it can sit
// inside HTML, and gives its text a font fallback: Liberation Serif is
// metric-compatible with Times New Roman, the fallback where it is not
// installed. The SVG is trusted: it must come from gonum/plot drawing the
// program's own data.
func InlineSVG(svg []byte) template.HTML {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	s = strings.ReplaceAll(s, "font-family:Liberation Serif;", "font-family:'Liberation Serif','Times New Roman',Times,serif;")
	return template.HTML(s)
}
