package explore

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive headless Chromium against a loopback server.
// They skip when no browser is installed, unless DENDRITIC_REQUIRE_BROWSER
// is set (as .ci/run sets it, after installing Chromium), and in -short
// mode (the race run of CI). DENDRITIC_SCREENSHOTS=DIR writes the
// screenshots of the README there.

var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

func findBrowser(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if p := os.Getenv("DENDRITIC_CHROME"); p != "" {
		return p
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("no Chromium found (looked for %s on PATH and $DENDRITIC_CHROME); install chromium to run the browser tests", strings.Join(browserNames, ", "))
	if os.Getenv("DENDRITIC_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// page is one browser tab on a test server, collecting console errors.
type page struct {
	t    *testing.T
	ctx  context.Context
	srv  *Server
	base string
	mu   sync.Mutex
	errs []string
}

func newPage(t *testing.T) *page {
	path := findBrowser(t)
	s := New(Options{})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	s.opts.Hosts = LoopbackHosts(ts.Listener)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	p := &page{t: t, ctx: ctx, srv: s, base: ts.URL}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				p.mu.Lock()
				p.errs = append(p.errs, m.String()+" "+m.URL)
				p.mu.Unlock()
			}
		}
	}()
	return p
}

func (p *page) run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// get runs one action that returns a value.
func grab[T any](p *page, a chromedp.Action[T]) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, a)
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

func evalJS[T any](p *page, js string) T {
	p.t.Helper()
	return grab(p, chromedp.Evaluate[T](js))
}

// redraws returns how many full redraws the page has finished.
func (p *page) redraws() int {
	return evalJS[int](p, `window.explore && window.explore.stats.ready ? window.explore.stats.redraws.length : 0`)
}

// waitRedraw waits until the page has finished more than n redraws.
func (p *page) waitRedraw(n int) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for p.redraws() <= n {
		if time.Now().After(deadline) {
			p.t.Fatalf("no redraw after %d in 20 s (errors: %v, state %s)", n, p.errs, evalJS[string](p, `JSON.stringify([window.explore.state, window.explore.stats, document.getElementById("status").textContent, document.getElementById("plot-fp-theta").textContent])`))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *page) load(query string) {
	p.t.Helper()
	p.run(chromedp.Navigate(p.base + "/?" + query))
	p.waitRedraw(0)
}

// marked returns the data-value of the current-point marker of a plot.
func (p *page) marked(plot string) (x int, value string) {
	p.t.Helper()
	attrs := grab(p, chromedp.Attributes(chromedp.CSS("#plot-"+plot+" circle.current")))
	x, _ = strconv.Atoi(attrs["data-x"])
	return x, attrs["data-value"]
}

func (p *page) noErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.errs {
		p.t.Errorf("browser: %s", e)
	}
}

func (p *page) screenshot(name string) {
	dir := os.Getenv("DENDRITIC_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf := grab(p, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestBrowserSliderValue loads the page, moves the θ slider with the
// keyboard from 10 to 12 and reads the plotted value of the marked point:
// fp(n=10000, a=64, s=24, θ=12) = 4.0415971227765702e-21 (issue 11; E2,
// docs/paper-spec.md F1 gives 4.0416e−21) within 1e-12 relative. It also
// checks the CSV and SVG exports of that plot (catching the download),
// and times the redraws that follow slider steps (performance.now() from the
// input event to the last plot drawn) and logs them for
// docs/BENCHMARKS.md.
func TestBrowserSliderValue(t *testing.T) {
	p := newPage(t)
	p.load("n=10000&a=64&s=24&theta=10")
	p.screenshot("explore-desktop.png")
	before := p.redraws()
	p.run(chromedp.Focus(chromedp.ID("rng_theta")), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	deadline := time.Now().Add(20 * time.Second)
	for {
		p.waitRedraw(before)
		if x, _ := p.marked("fp-theta"); x == 12 {
			break
		}
		before = p.redraws()
		if time.Now().After(deadline) {
			t.Fatal("θ never reached 12")
		}
	}
	_, v := p.marked("fp-theta")
	got, err := strconv.ParseFloat(v, 64)
	const want = 4.0415971227765702e-21
	if err != nil || math.Abs(got-want) > 1e-12*want {
		t.Fatalf("plotted fp at θ=12: %q, want %v", v, want)
	}
	readout := grab(p, chromedp.Text(chromedp.CSS("#plot-fp-theta .readout")))
	if !strings.Contains(readout, "4.0415971227765702e-21") {
		t.Errorf("read-out %q", readout)
	}
	cli := grab(p, chromedp.Text(chromedp.ID("cli")))

	// Export: catch the download the CSV and SVG buttons make.
	type file struct{ Name, Text string }
	evalJS[bool](p, `window.download = (name, type, text) => { window.lastDownload = {Name: name, Text: text}; }; true`)
	p.run(chromedp.Click(chromedp.CSS("#plot-fp-theta .plot-tools button:nth-child(2)")))
	csv := evalJS[file](p, `window.lastDownload`)
	if csv.Name != "fp-vs-theta.csv" || !strings.HasPrefix(csv.Text, "θ,fp\n") || !strings.Contains(csv.Text, "\n12,4.0415971227765702e-21\n") {
		t.Errorf("CSV export %s: %.200q", csv.Name, csv.Text)
	}
	p.run(chromedp.Click(chromedp.CSS("#plot-fp-theta .plot-tools button:nth-child(1)")))
	svg := evalJS[file](p, `window.lastDownload`)
	if svg.Name != "fp-vs-theta.svg" || !strings.HasPrefix(svg.Text, "<svg") || !strings.Contains(svg.Text, `xmlns="http://www.w3.org/2000/svg"`) ||
		!strings.Contains(svg.Text, `data-value="4.0415971227765702e-21"`) {
		t.Errorf("SVG export %s: %.200q", svg.Name, svg.Text)
	}
	if !strings.Contains(cli, "dendritic calc fp --n 10000 --a 64 --s 24 --theta 12") {
		t.Errorf("CLI line %q", cli)
	}

	// Redraw times: step θ up and down, one step at a time.
	p.run(chromedp.Focus(chromedp.ID("rng_theta"))) // the export clicks moved the focus
	var times, draws []float64
	for i := range 20 {
		key := kb.ArrowLeft
		if i%2 == 1 {
			key = kb.ArrowRight
		}
		n := p.redraws()
		p.run(chromedp.KeyEvent(key))
		p.waitRedraw(n)
		times = append(times, evalJS[float64](p, `window.explore.stats.last`))
		draws = append(draws, evalJS[float64](p, `window.explore.stats.lastDraw`))
	}
	slices.Sort(times)
	slices.Sort(draws)
	t.Logf("slider step to redrawn page (%d steps): median %.1f ms, max %.1f ms; drawing alone: median %.1f ms, max %.1f ms",
		len(times), times[len(times)/2], times[len(times)-1], draws[len(draws)/2], draws[len(draws)-1])
	p.noErrors()
}

// TestBrowserURLState changes the state, reloads from the URL and gets
// the same state and the same plotted value.
func TestBrowserURLState(t *testing.T) {
	p := newPage(t)
	p.load("n=20000&a=128&s=30&theta=14&noise=20&patterns=5&segments=300&max_fp=1e-12&grid=paper-2018&sim_kind=fn")
	state1 := evalJS[string](p, `JSON.stringify(window.explore.state)`)
	href := evalJS[string](p, `location.href`)
	_, v1 := p.marked("fp-theta")
	p.run(chromedp.Navigate(href))
	p.waitRedraw(0)
	state2 := evalJS[string](p, `JSON.stringify(window.explore.state)`)
	_, v2 := p.marked("fp-theta")
	if state1 != state2 || v1 != v2 || !strings.Contains(state1, `"theta":14`) || !strings.Contains(state1, `"max_fp":"1e-12"`) || !strings.Contains(state1, `"grid":"paper-2018"`) {
		t.Errorf("before reload %s (%s), after %s (%s)", state1, v1, state2, v2)
	}

	// Choosing the preset F1 sets its point and the URL.
	n := p.redraws()
	evalJS[bool](p, `(() => { const s = document.getElementById("preset"); s.value = "0"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitRedraw(n)
	href = evalJS[string](p, `location.search`)
	if _, v := p.marked("fp-theta"); v != "4.0415971227765702e-21" || !strings.Contains(href, "n=10000&a=64&s=24&theta=12") {
		t.Errorf("preset F1: plotted %s, URL %s", v, href)
	}
	p.noErrors()
}

// TestBrowserSimulation starts a simulation and cancels it: the server's
// job ends; then a small one runs to its result, drawn over the theory.
func TestBrowserSimulation(t *testing.T) {
	p := newPage(t)
	p.load("n=100000&a=2000&s=25&theta=15&patterns=40&sim_kind=union&sim_samples=1e8")
	p.run(chromedp.Click(chromedp.ID("sim_start")))
	waitText := func(sel, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := grab(p, chromedp.Text(chromedp.ID(sel)))
			if strings.Contains(s, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %q, want %q", sel, s, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitText("sim_status", "running")
	if n := p.srv.RunningJobs(); n != 1 {
		t.Fatalf("%d jobs running on the server, want 1", n)
	}
	p.run(chromedp.Click(chromedp.ID("sim_cancel")))
	waitText("sim_status", "cancelled")
	waitJobs(t, p.srv, 0)

	p.load("n=500&a=64&s=24&theta=12&sim_kind=fp&sim_samples=2e5")
	p.run(chromedp.Click(chromedp.ID("sim_start")))
	waitText("sim_status", "estimate")
	p.run(chromedp.WaitVisible(chromedp.CSS("#plot-fp-theta rect.sim-mark")))
	p.screenshot("explore-simulation.png")
	p.noErrors()
}

// TestBrowserNarrow checks that at 400 px nothing is wider than the
// window (no horizontal scrolling).
func TestBrowserNarrow(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(400, 860, chromedp.EmulateScale(1), chromedp.EmulateMobile))
	p.load("n=10000&a=64&s=24&theta=12")
	type widths struct {
		ScrollWidth, InnerWidth int
		Wide                    []string
	}
	res := evalJS[widths](p, `(() => {
		const w = window.innerWidth, wide = [];
		for (const e of document.querySelectorAll("body *")) {
			const r = e.getBoundingClientRect();
			if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) wide.push(e.tagName + "#" + e.id + "." + e.className.baseVal + e.className);
		}
		return {ScrollWidth: document.documentElement.scrollWidth, InnerWidth: w, Wide: wide.slice(0, 10)};
	})()`)
	if res.InnerWidth != 400 || res.ScrollWidth > res.InnerWidth || len(res.Wide) > 0 {
		t.Errorf("at %d px: scroll width %d, elements beyond the window: %v", res.InnerWidth, res.ScrollWidth, res.Wide)
	}
	if n := evalJS[int](p, `document.querySelectorAll("input[type=range]").length`); n < 7 {
		t.Errorf("%d sliders", n)
	}
	p.screenshot("explore-phone.png")
	p.noErrors()
}
