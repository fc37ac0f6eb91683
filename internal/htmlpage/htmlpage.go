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
// the tables. A page stays readable at 400 px: a table sits in a box of
// class "scroll" and an inlined figure in one of class "plot", which
// scroll sideways inside the page; below 40em the figure keeps a width of
// 38em (about 0.9 of its drawn size), so that its text stays near the
// size it was drawn at instead of shrinking with the screen.
const Style = `body { font-family: Georgia, "Times New Roman", serif; max-width: 60em; margin: 1.5em auto; padding: 0 1em; color: #111; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
figure { margin: 1em 0; } figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.92em; color: #333; }
.plot, .scroll { overflow-x: auto; max-width: 100%; }
@media (max-width: 40em) { .plot svg { max-width: none; width: 38em; } body { padding: 0 0.5em; } }
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

// Source returns the template text of the whole document. Every table of
// the body is put in a box of class "scroll" (see Style), so that a wide
// table scrolls inside the page instead of widening it.
func (p Page) Source() string {
	body := strings.ReplaceAll(p.Body, "<table", `<div class="scroll"><table`)
	body = strings.ReplaceAll(body, "</table>", "</table></div>")
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
` + body + `</body>
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
// inside HTML, gives its text a font fallback (Liberation Serif is
// metric-compatible with Times New Roman, the fallback where it is not
// installed; plotkit's tick font "Go" falls back to the same serif faces),
// and, when title is not empty, names the figure for screen readers: a
// role="img" on the <svg> element and, as its first children, <title> and
// (when desc is not empty) <desc>, both escaped. The result sits in a box
// of class "plot" (see Style). The SVG is trusted: it
// must come from gonum/plot drawing the program's own data.
func InlineSVG(svg []byte, title, desc string) template.HTML {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	s = strings.ReplaceAll(s, "font-family:Liberation Serif;", "font-family:"+serifStack+";")
	s = strings.ReplaceAll(s, "font-family:Go;", "font-family:"+serifStack+";")
	if title != "" && strings.HasPrefix(s, "<svg") {
		if end := strings.IndexByte(s, '>'); end > 0 && s[end-1] != '/' {
			head := "<title>" + template.HTMLEscapeString(title) + "</title>"
			if desc != "" {
				head += "<desc>" + template.HTMLEscapeString(desc) + "</desc>"
			}
			s = `<svg role="img"` + s[len("<svg"):end+1] + head + s[end+1:]
		}
	}
	if s == "" {
		return ""
	}
	return template.HTML(`<div class="plot">` + s + `</div>`)
}

// serifStack is the font list the inlined figures' text is drawn in.
const serifStack = "'Liberation Serif','Times New Roman',Times,serif"
