package signature

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyIsConstantTime reads the source: the path a received signature
// takes (Verify, Parse, mac here; the listener, which must go through
// Verify) compares it with the expected MAC only through hmac.Equal, never
// with ==, bytes.Equal or the like, which return at the first differing
// byte and so tell a patient attacker how much of a guess was right.
//
// A timing test is not used: the difference is nanoseconds, drowned by
// scheduling noise on a shared 2-core CI machine, so it would either be
// flaky or pass whatever the code does. Reading the code cannot be fooled
// by noise.
func TestVerifyIsConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range parseDir(t, fset, ".") {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	verify := funcs["Verify"]
	if verify == nil {
		t.Fatal("no func Verify in pkg/signature")
	}
	hmacOnMAC := false
	ast.Inspect(verify, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && callName(call) == "hmac.Equal" {
			for _, arg := range call.Args {
				if c, ok := arg.(*ast.CallExpr); ok && callName(c) == "mac" {
					hmacOnMAC = true
				}
			}
		}
		return true
	})
	if !hmacOnMAC {
		t.Errorf("Verify does not compare with hmac.Equal(…, mac(…))")
	}
	for _, name := range []string{"Verify", "Parse", "mac"} {
		fn := funcs[name]
		if fn == nil {
			t.Errorf("no func %s in pkg/signature", name)
			continue
		}
		for _, bad := range variableTimeComparisons(fset, fn) {
			t.Errorf("%s: %s", name, bad)
		}
	}

	// The listener must verify through Verify, never sign and compare itself.
	usesVerify := false
	for _, f := range parseDir(t, fset, filepath.Join("..", "listener")) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch callName(call) {
			case "signature.Verify":
				usesVerify = true
			case "signature.Sign", "hmac.New", "bytes.Equal", "subtle.ConstantTimeCompare":
				t.Errorf("%s: pkg/listener calls %s; verify deliveries with signature.Verify", fset.Position(call.Pos()), callName(call))
			}
			return true
		})
	}
	if !usesVerify {
		t.Errorf("pkg/listener never calls signature.Verify")
	}
}

// variableTimeComparisons lists comparisons in fn that can stop early on
// secret-dependent data: == and != between two non-constant operands, and
// the standard library's early-exit comparisons.
func variableTimeComparisons(fset *token.FileSet, fn *ast.FuncDecl) []string {
	var bad []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.BinaryExpr:
			if (e.Op == token.EQL || e.Op == token.NEQ) && !constant(e.X) && !constant(e.Y) {
				bad = append(bad, fset.Position(e.Pos()).String()+": compares two values with "+e.Op.String())
			}
		case *ast.CallExpr:
			switch callName(e) {
			case "bytes.Equal", "bytes.Compare", "strings.Compare", "strings.EqualFold", "bytes.EqualFold", "slices.Equal", "reflect.DeepEqual":
				bad = append(bad, fset.Position(e.Pos()).String()+": calls "+callName(e))
			}
		}
		return true
	})
	return bad
}

// constant reports whether e is a literal, nil, or a named sentinel
// (exported, such as ErrMissing): comparing against one leaks nothing
// about the secret.
func constant(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return v.Name == "nil" || ast.IsExported(v.Name)
	}
	return false
}

func callName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}
