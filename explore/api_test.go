package explore

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dendritic/dendritic/theory"
)

// get serves one request and returns its status and body.
func get(t *testing.T, s *Server, target string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, b
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %.200s: %v", b, err)
	}
	return v
}

type jsonNumber struct {
	Value string   `json:"value"`
	Log10 *float64 `json:"log10"`
}

// checkNumber compares an API number with theory's value to the last
// digit: the same decimal string and the same log10.
func checkNumber(t *testing.T, what string, got jsonNumber, want theory.Value) {
	t.Helper()
	if got.Value != want.Text() {
		t.Errorf("%s: value %q, theory %q", what, got.Value, want.Text())
	}
	switch l := want.Log10(); {
	case want.IsZero():
		if got.Log10 != nil {
			t.Errorf("%s: log10 %v for an exact 0, want null", what, *got.Log10)
		}
	case got.Log10 == nil || *got.Log10 != l:
		t.Errorf("%s: log10 %v, theory %v", what, got.Log10, l)
	}
}

// TestValueEqualsTheory asks /api/value for every quantity, in both modes,
// at points that include one far below the float64 range, and compares
// with the theory package.
func TestValueEqualsTheory(t *testing.T) {
	s := New(Options{})
	cases := []map[string]int{
		{"n": 10000, "a": 64, "s": 24, "theta": 12, "b": 12, "noise": 16, "patterns": 8, "segments": 100},
		{"n": 200000, "a": 2000, "s": 20, "theta": 10, "b": 10, "noise": 1000, "patterns": 3, "segments": 7},
		{"n": 1024, "a": 2, "s": 2, "theta": 2, "b": 2, "noise": 1, "patterns": 1, "segments": 1},
	}
	for _, p := range cases {
		for _, q := range theory.Quantities() {
			for _, exact := range []bool{false, true} {
				v := url.Values{"q": {q.Name}}
				given := map[string]int{}
				for _, tp := range q.Params {
					v.Set(tp.String(), strconv.Itoa(p[tp.String()]))
					given[tp.String()] = p[tp.String()]
				}
				if exact {
					v.Set("exact", "true")
				}
				code, body := get(t, s, "/api/value?"+v.Encode())
				want, err := theory.Eval(q.Name, argsOf(given), exact)
				if err != nil {
					if code != http.StatusBadRequest {
						t.Errorf("%s: theory says %v, the API %d %s", v.Encode(), err, code, body)
					}
					continue
				}
				if code != http.StatusOK {
					t.Errorf("%s: %d %s", v.Encode(), code, body)
					continue
				}
				r := decode[struct {
					Quantity, Equation string
					Exact              bool
					jsonNumber
				}](t, body)
				if r.Quantity != q.Name || r.Equation != q.Equation || r.Exact != exact {
					t.Errorf("%s: header %+v", v.Encode(), r)
				}
				checkNumber(t, v.Encode(), r.jsonNumber, want)
			}
		}
	}
}

// TestKnownValue pins the value the browser test reads: fp(n=10000, a=64,
// s=24, θ=12) = 4.0415971227765702e-21 (E2; docs/paper-spec.md F1 and C3
// give 4.0416e−21, issue 11 the 17 digits).
func TestKnownValue(t *testing.T) {
	code, body := get(t, New(Options{}), "/api/value?q=fp&n=10000&a=64&s=24&theta=12")
	r := decode[jsonNumber](t, body)
	if code != 200 || r.Value != "4.0415971227765702e-21" {
		t.Fatalf("got %d %s", code, body)
	}
}

// TestTinyValue checks that a value far below 1e-308 keeps its digits and
// its log10: 1/C(200000, 2000) ≈ 6.5e-4863 (E2a; theory's package doc).
func TestTinyValue(t *testing.T) {
	_, body := get(t, New(Options{}), "/api/value?q=match&n=200000&a=2000")
	r := decode[jsonNumber](t, body)
	if !strings.HasSuffix(r.Value, "e-4863") || r.Log10 == nil || *r.Log10 > -4862 || *r.Log10 < -4863 {
		t.Fatalf("got %s", body)
	}
}

type curveJSON struct {
	Quantity, X, Scale string
	Params             map[string]int
	Points             []struct {
		X int
		jsonNumber
		Error string
	}
}

// TestCurveEqualsTheory checks every point of curves on linear and log
// scales against theory, and that the marked x is included.
func TestCurveEqualsTheory(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct {
		query  string
		fixed  map[string]int
		points int // expected count
	}{
		{"q=fp&x=theta&lo=1&hi=24&n=10000&a=64&s=24", map[string]int{"n": 10000, "a": 64, "s": 24}, 24},
		{"q=fp&x=n&lo=64&hi=1000000&scale=log&points=50&mark=10000&a=64&s=24&theta=12", map[string]int{"a": 64, "s": 24, "theta": 12}, 51},
		{"q=fn&x=noise&lo=0&hi=128&points=20&mark=38&a=128&s=30&theta=12", map[string]int{"a": 128, "s": 30, "theta": 12}, 21},
		{"q=union-fp-exact&x=patterns&lo=1&hi=19&n=10000&a=200&s=25&theta=15", map[string]int{"n": 10000, "a": 200, "s": 25, "theta": 15}, 19},
		{"q=neuron&x=segments&lo=1&hi=1000000&scale=log&points=30&n=10000&a=64&s=24&theta=12", map[string]int{"n": 10000, "a": 64, "s": 24, "theta": 12}, 30},
	} {
		code, body := get(t, s, "/api/curve?"+tc.query)
		if code != 200 {
			t.Errorf("%s: %d %s", tc.query, code, body)
			continue
		}
		c := decode[curveJSON](t, body)
		if len(c.Points) != tc.points {
			t.Errorf("%s: %d points, want %d", tc.query, len(c.Points), tc.points)
		}
		prev := -1
		for _, p := range c.Points {
			if p.X <= prev {
				t.Errorf("%s: x not increasing at %d", tc.query, p.X)
			}
			prev = p.X
			args := map[string]int{c.X: p.X}
			for k, v := range tc.fixed {
				args[k] = v
			}
			want, err := theory.Eval(c.Quantity, argsOf(args), false)
			if err != nil {
				if p.Error == "" {
					t.Errorf("%s x=%d: theory error %v, API none", tc.query, p.X, err)
				}
				continue
			}
			checkNumber(t, tc.query, p.jsonNumber, want)
		}
	}
}

// TestCurveXs checks the spacing of curve abscissae.
func TestCurveXs(t *testing.T) {
	if xs := curveXs(1, 5, 10, false); len(xs) != 5 || xs[0] != 1 || xs[4] != 5 {
		t.Errorf("all integers: %v", xs)
	}
	xs := curveXs(1, 1_000_000, 7, true)
	want := []int{1, 10, 100, 1000, 10000, 100000, 1000000}
	if len(xs) != len(want) {
		t.Fatalf("log: %v", xs)
	}
	for i := range want {
		if xs[i] != want[i] {
			t.Errorf("log: %v, want %v", xs, want)
		}
	}
}

// TestDesignEqualsTheory compares /api/design with theory.DesignSegment.
func TestDesignEqualsTheory(t *testing.T) {
	code, body := get(t, New(Options{}), "/api/design?n=10000&a=64&noise_frac=0.25&max_fp=1e-9&max_fn=1e-3&max_s=40")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	d, err := theory.DesignSegment(theory.DesignSpec{N: 10000, A: 64, Noise: 0.25, MaxFP: 1e-9, MaxFN: 1e-3, MaxS: 40})
	if err != nil {
		t.Fatal(err)
	}
	type pt struct {
		S, Theta int
		FP, FN   jsonNumber
	}
	r := decode[struct {
		Feasible       bool
		MinS           int `json:"min_s"`
		NoiseCells     int `json:"noise_cells"`
		Best, Frontier []pt
	}](t, body)
	if r.Feasible != d.Feasible || r.MinS != d.MinS || r.NoiseCells != d.V || len(r.Best) != len(d.Best) || len(r.Frontier) != len(d.Frontier) {
		t.Fatalf("API %+v\ntheory %+v", r, d)
	}
	for i, p := range d.Frontier {
		g := r.Frontier[i]
		if g.S != p.S || g.Theta != p.Theta || g.FP.Value != p.FP.String() || g.FN.Value != p.FN.String() {
			t.Errorf("frontier %d: API %+v, theory %+v", i, g, p)
		}
	}
}

// TestThresholdsEqualTheory compares /api/thresholds with theory.Thresholds.
func TestThresholdsEqualTheory(t *testing.T) {
	s := New(Options{})
	for _, grid := range []string{"paper", "paper-2018"} {
		code, body := get(t, s, "/api/thresholds?grid="+grid)
		if code != 200 {
			t.Fatalf("%d %s", code, body)
		}
		g, _ := theory.GridByName(grid)
		want, err := theory.Thresholds(g)
		if err != nil {
			t.Fatal(err)
		}
		r := decode[struct {
			Stats []struct {
				Theta                         int
				Mean, Stdev, Min, Max, Median jsonNumber
			}
		}](t, body)
		if len(r.Stats) != len(want) {
			t.Fatalf("%s: %d rows, want %d", grid, len(r.Stats), len(want))
		}
		for i, w := range want {
			g := r.Stats[i]
			if g.Theta != w.Theta || g.Median.Value != w.Median.String() || g.Mean.Value != w.Mean.String() ||
				g.Min.Value != w.Min.String() || g.Max.Value != w.Max.String() || g.Stdev.Value != w.Stdev.String() {
				t.Errorf("%s θ=%d: API %+v, theory %+v", grid, w.Theta, g, w)
			}
		}
	}
}

// TestParamsEndpoint checks that the page's table lists every model
// parameter with sane bounds and every preset validates.
func TestParamsEndpoint(t *testing.T) {
	s := New(Options{})
	code, body := get(t, s, "/api/params")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	r := decode[struct {
		Params  []Param
		Presets []Preset
	}](t, body)
	names := map[string]bool{}
	for _, p := range r.Params {
		names[p.Name] = true
		if p.Min > p.Default || p.Default > p.SliderMax || p.SliderMax > p.Max || p.Meaning == "" || p.Unit == "" {
			t.Errorf("param %+v: bounds or text", p)
		}
	}
	for _, n := range []string{"n", "a", "s", "theta", "noise", "patterns", "segments"} {
		if !names[n] {
			t.Errorf("param %s missing", n)
		}
	}
	for _, pr := range r.Presets {
		if pr.Params.Len() != 7 {
			t.Errorf("preset %s: %d parameters (%s), want 7", pr.Name, pr.Params.Len(), pr.Params)
		}
		for _, k := range pr.Params.Given() {
			v, _ := pr.Params.Get(k)
			if err := checkParam(k.String(), v); err != nil {
				t.Errorf("preset %s: %v", pr.Name, err)
			}
		}
		if _, err := theory.Eval("fp", pr.Params.Without(theory.ParamNoise).Without(theory.ParamPatterns).Without(theory.ParamSegments), false); err != nil {
			t.Errorf("preset %s: %v", pr.Name, err)
		}
	}
	if len(r.Presets) < 7 {
		t.Errorf("%d presets, want F1, F2, F3, F5, F6, cortical, htm.core", len(r.Presets))
	}
}

// TestBadInput sends bad requests of every kind: each gets its status
// with a JSON message, never a 500.
func TestBadInput(t *testing.T) {
	s := New(Options{MaxSamples: 1e6})
	long := "/api/value?q=fp&n=" + strings.Repeat("1", maxQueryLen)
	cases := []struct {
		target string
		status int
	}{
		{"/api/value", 400},
		{"/api/value?q=nope&n=1", 400},
		{"/api/value?q=fp&n=10000&a=64&s=24", 400},                       // missing θ
		{"/api/value?q=fp&n=10000&a=64&s=24&theta=12&x=1", 400},          // unknown parameter
		{"/api/value?q=fp&n=10000&n=2&a=64&s=24&theta=12", 400},          // twice
		{"/api/value?q=fp&n=1.5&a=64&s=24&theta=12", 400},                // not an integer
		{"/api/value?q=fp&n=-1&a=64&s=24&theta=12", 400},                 // below the table's bound
		{"/api/value?q=fp&n=1e99&a=64&s=24&theta=12", 400},               // huge
		{"/api/value?q=fp&n=10&a=64&s=24&theta=12", 400},                 // a > n (theory)
		{"/api/value?q=fp&n=10000&a=64&s=24&theta=12&exact=maybe", 400},  // bad bool
		{"/api/value?q=fp&n=100000&a=5000&s=5000&theta=12&exact=1", 400}, // exact too big
		{"/api/value?q=fp&n=%zz", 400},                                   // bad escape
		{"/api/value?Q=fp", 400},                                         // bad key
		{"/api/value?q=fp&" + strings.Repeat("k=1&", 30), 400},           // too many keys
		{long, 400},
		{"/api/value?q=fp&n=" + strings.Repeat("9", 70) + "&a=1&s=1&theta=1", 400}, // long value
		{"/api/curve?q=fp&n=10000&a=64&s=24", 400},                                 // no x
		{"/api/curve?q=fp&x=patterns&n=10000&a=64&s=24&theta=3", 400},              // x not a parameter of fp
		{"/api/curve?q=fp&x=theta&lo=10&hi=2&n=10000&a=64&s=24", 400},
		{"/api/curve?q=fp&x=theta&points=1000&n=10000&a=64&s=24", 400},
		{"/api/curve?q=fp&x=theta&scale=cubic&n=10000&a=64&s=24", 400},
		{"/api/curve?q=fp&x=theta&lo=0&scale=log&n=10000&a=64&s=24", 400},
		{"/api/curve?q=fp&x=n&lo=1&hi=10&n=10000&a=64&s=24&theta=3", 400},                            // no valid point
		{"/api/curve?q=union-fp-exact&x=patterns&lo=1&hi=1000&n=1000000&a=1000&s=1000&theta=3", 400}, // too much work
		{"/api/design?n=10000&a=64&noise_frac=2", 400},
		{"/api/design?n=10000&a=5000", 400},
		{"/api/design?n=10000&a=64&max_fp=0", 400},
		{"/api/design?n=10000&a=64&max_fp=nan", 400},
		{"/api/design?a=64", 400},
		{"/api/design?n=100&a=64&max_s=100", 400},
		{"/api/thresholds?grid=mine", 400},
		{"/api/sim?kind=magic&n=100&a=10&s=10&theta=5", 400},
		{"/api/sim?kind=fp&n=100&a=10&s=10&theta=5&samples=1e9", 400},
		{"/api/sim?kind=fp&n=100000000&a=10&s=10&theta=5", 400},
		{"/api/sim?kind=fp&n=100&a=10&s=10&theta=11", 400}, // θ > s (sim)
		{"/api/sim?kind=union&n=100&a=10&s=10&theta=5&method=importance&patterns=2", 400},
		{"/api/sim?kind=fp&n=100&a=10&s=10&theta=5&noise=3", 400},
		{"/api/sim?kind=fp&n=100&a=10&s=10&theta=5&samples=x", 400},
		{"/nope", 404},
		{"/assets/app.js", 404},
		{"/api/", 404},
		{"/../go.mod", 404},
	}
	for _, c := range cases {
		code, body := get(t, s, c.target)
		var e struct{ Error string }
		if code != c.status || json.Unmarshal(body, &e) != nil || e.Error == "" {
			t.Errorf("%.120s: %d %.200s, want %d with a JSON error", c.target, code, body, c.status)
		}
	}
}

// TestMethodsHostsHeaders checks the method and Host rules and the
// security headers of the page and the API.
func TestMethodsHostsHeaders(t *testing.T) {
	s := New(Options{Hosts: []string{"127.0.0.1:9"}})
	req := httptest.NewRequest(http.MethodPost, "/api/value", strings.NewReader("{}"))
	req.Host = "127.0.0.1:9"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
	req = httptest.NewRequest(http.MethodHead, "/api/sim?kind=fp&n=100&a=10&s=10&theta=5", nil)
	req.Host = "127.0.0.1:9"
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || s.RunningJobs() != 0 {
		t.Errorf("HEAD /api/sim: %d", rec.Code)
	}
	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = "attacker.example:9"
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d", rec.Code)
	}
	for path, ct := range assetTypes {
		req = httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = "127.0.0.1:9"
		rec = httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		h := rec.Header()
		if rec.Code != 200 || h.Get("Content-Type") != ct || h.Get("Content-Security-Policy") != csp ||
			h.Get("X-Content-Type-Options") != "nosniff" || rec.Body.Len() == 0 {
			t.Errorf("%s: %d %v", path, rec.Code, h)
		}
	}
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
}

// TestListen checks the loopback default and the warning for others.
func TestListen(t *testing.T) {
	ln, warn, err := Listen("")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if warn != "" || !strings.HasPrefix(URL(ln), "http://127.0.0.1:") || len(LoopbackHosts(ln)) == 0 {
		t.Errorf("default: warning %q, URL %s", warn, URL(ln))
	}
	ln2, warn, err := Listen("0.0.0.0:0")
	if err != nil {
		t.Skipf("cannot listen on 0.0.0.0 here: %v", err)
	}
	defer ln2.Close()
	if !strings.Contains(warn, "not a loopback") || LoopbackHosts(ln2) != nil {
		t.Errorf("0.0.0.0: warning %q, hosts %v", warn, LoopbackHosts(ln2))
	}
	if _, _, err := Listen("no-port"); err == nil || !strings.Contains(err.Error(), "HOST:PORT") {
		t.Errorf("bad address: %v", err)
	}
}

// TestAssetsSelfContained checks that the page refers to nothing outside
// the server: no absolute URL in any asset but the SVG namespace, and
// every script and style it loads is one the server serves.
func TestAssetsSelfContained(t *testing.T) {
	for path := range assetTypes {
		name := "assets" + path
		if path == "/" {
			name = "assets/index.html"
		}
		b, err := assets.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(b), "http://www.w3.org/2000/svg", "")
		for _, bad := range []string{"http://", "https://", "//cdn", "<script>", "style=", "onclick="} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	page, _ := assets.ReadFile("assets/index.html")
	for _, ref := range []string{`src="/plot.js"`, `src="/app.js"`, `href="/style.css"`} {
		if !strings.Contains(string(page), ref) {
			t.Errorf("index.html does not load %s", ref)
		}
	}
}
