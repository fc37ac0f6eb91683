package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command stays thin (issue 8, ARCHITECTURE.md): at most maxCodeLines
// code lines (non-blank, non-comment, non-test) in the package, no file
// over maxFileLines lines, no function over maxFuncLines lines. Logic that
// would break these belongs in the library.
const (
	maxCodeLines = 1500
	maxFileLines = 300
	maxFuncLines = 80
)

func TestCommandStaysThin(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	code, checked := 0, 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
		if len(lines) > maxFileLines {
			t.Errorf("%s: %d lines, more than %d", name, len(lines), maxFileLines)
		}
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "//") {
				code++
			}
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok {
				if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line; n > maxFuncLines {
					t.Errorf("%s: func %s spans %d lines, more than %d", name, fn.Name.Name, n, maxFuncLines)
				}
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no source files found: the test must run in the package directory")
	}
	if code > maxCodeLines {
		t.Errorf("%d code lines in %d files, more than %d", code, checked, maxCodeLines)
	}
}
