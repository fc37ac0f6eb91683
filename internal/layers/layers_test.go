package layers

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/dendritic/dendritic"

// root is the module root, two directories above this package.
const root = "../.."

// layer is one row of ARCHITECTURE.md's layer table: a rank and the package
// patterns in it ("htm/..." matches htm's sub-packages, not htm itself).
type layer struct {
	rank     int
	patterns []string
}

// rowRE matches a row of the layer table: | 3 | `sim`, `dendrite` | … |
var rowRE = regexp.MustCompile("^\\|\\s*([0-9]+)\\s*\\|([^|]*)\\|")

// readLayers parses the table under the heading "## Layers" of ARCHITECTURE.md.
func readLayers(t *testing.T) []layer {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatalf("the layer table lives in ARCHITECTURE.md at the module root: %v", err)
	}
	defer f.Close()
	var out []layer
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Layers"
			continue
		}
		if !in {
			continue
		}
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rank, _ := strconv.Atoi(m[1])
		var pats []string
		for _, cell := range strings.Split(m[2], ",") {
			cell = strings.Trim(strings.TrimSpace(cell), "`")
			if cell != "" {
				pats = append(pats, cell)
			}
		}
		out = append(out, layer{rank, pats})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 5 {
		t.Fatalf("ARCHITECTURE.md: found %d rows in the table under \"## Layers\"; the table is missing or malformed", len(out))
	}
	return out
}

// rankOf returns the layer of a package path relative to the module root.
func rankOf(layers []layer, pkg string) (int, bool) {
	for _, l := range layers {
		for _, p := range l.patterns {
			if p == pkg || (strings.HasSuffix(p, "/...") && strings.HasPrefix(pkg, strings.TrimSuffix(p, "...")) && pkg != strings.TrimSuffix(p, "/...")) {
				return l.rank, true
			}
		}
	}
	return 0, false
}

// imports returns, for every package directory of the module, the module
// packages its non-test files import.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	pkgs := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		if _, ok := pkgs[rel]; !ok {
			pkgs[rel] = nil
		}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if ip == module || strings.HasPrefix(ip, module+"/") {
				pkgs[rel] = append(pkgs[rel], strings.TrimPrefix(strings.TrimPrefix(ip, module), "/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestLayers(t *testing.T) {
	layers := readLayers(t)
	pkgs := imports(t)
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages under %s; is the walk broken?", len(pkgs), root)
	}
	checked := 0
	for pkg, ims := range pkgs {
		r, ok := rankOf(layers, pkg)
		if !ok {
			t.Errorf("package %s is in no layer: add it to the table under \"## Layers\" in ARCHITECTURE.md", pkg)
			continue
		}
		for _, im := range ims {
			if strings.HasPrefix(im, "cmd/") {
				t.Errorf("%s imports the command %s: nothing imports cmd", pkg, im)
				continue
			}
			ir, ok := rankOf(layers, im)
			if !ok {
				continue // reported for the imported package itself
			}
			checked++
			if ir >= r {
				t.Errorf("%s (layer %d) imports %s (layer %d): a package may import only lower layers (ARCHITECTURE.md)", pkg, r, im, ir)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no import was checked")
	}
}

// TestRankOf checks the pattern rules the table relies on.
func TestRankOf(t *testing.T) {
	ls := []layer{{1, []string{"sdr"}}, {4, []string{"htm", "htm/..."}}, {9, []string{"cmd/..."}}}
	for _, c := range []struct {
		pkg  string
		rank int
		ok   bool
	}{
		{"sdr", 1, true}, {"htm", 4, true}, {"htm/spatial", 4, true}, {"htmdetect", 0, false},
		{"cmd/dendritic", 9, true}, {"cmd", 0, false}, {"sdrx", 0, false},
	} {
		r, ok := rankOf(ls, c.pkg)
		if r != c.rank || ok != c.ok {
			t.Errorf("rankOf(%q) = %d, %v; want %d, %v", c.pkg, r, ok, c.rank, c.ok)
		}
	}
}
