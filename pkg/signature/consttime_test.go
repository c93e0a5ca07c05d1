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
// takes (Verify, Parse, mac and Key.Verify here; the listener, which must
// go through a Key made by signature.NewKey or through Verify) compares it with the expected MAC only through hmac.Equal, never
// with ==, bytes.Equal or the like, which return at the first differing
// byte and so tell a patient attacker how much of a guess was right.
//
// A timing test is not used: the difference is nanoseconds, drowned by
// scheduling noise on a shared 2-core CI machine, so it would either be
// flaky or pass whatever the code does. Reading the code cannot be fooled
// by noise.
func TestVerifyIsConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	funcs := funcDecls(parseDir(t, fset, "."))
	for _, name := range []string{"Verify", "Key.Verify"} {
		fn := funcs[name]
		if fn == nil {
			t.Fatalf("no func %s in pkg/signature", name)
		}
		if !callsHMACEqual(fn) {
			t.Errorf("%s does not compare with hmac.Equal", name)
		}
	}
	for _, name := range []string{"Verify", "Parse", "mac", "Key.Verify", "Key.mac"} {
		fn := funcs[name]
		if fn == nil {
			t.Errorf("no func %s in pkg/signature", name)
			continue
		}
		for _, bad := range variableTimeComparisons(fset, fn) {
			t.Errorf("%s: %s", name, bad)
		}
	}
	checkListenerVerifiesThroughKey(t, fset)
}

// funcDecls indexes the functions of files by name, and the methods on a
// pointer receiver as Type.Method.
func funcDecls(files []*ast.File) map[string]*ast.FuncDecl {
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			switch {
			case !ok:
			case fn.Recv == nil:
				funcs[fn.Name.Name] = fn
			case len(fn.Recv.List) == 1:
				if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
					if id, ok := star.X.(*ast.Ident); ok {
						funcs[id.Name+"."+fn.Name.Name] = fn
					}
				}
			}
		}
	}
	return funcs
}

// callsHMACEqual reports whether fn calls hmac.Equal anywhere.
func callsHMACEqual(fn *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && callName(call) == "hmac.Equal" {
			found = true
		}
		return true
	})
	return found
}

// checkListenerVerifiesThroughKey holds pkg/listener to verifying through
// a Key (or Verify), never signing and comparing itself.
func checkListenerVerifiesThroughKey(t *testing.T, fset *token.FileSet) {
	t.Helper()
	usesVerify, usesKey, makesKey := false, false, false
	for _, f := range parseDir(t, fset, filepath.Join("..", "listener")) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch name := callName(call); {
			case name == "signature.Verify":
				usesVerify = true
			case name == "signature.NewKey":
				makesKey = true
			case strings.HasSuffix(selectorName(call), "key.Verify"):
				usesVerify, usesKey = true, true
			case name == "signature.Sign" || name == "hmac.New" || name == "bytes.Equal" || name == "subtle.ConstantTimeCompare":
				t.Errorf("%s: pkg/listener calls %s; verify deliveries with signature.Verify", fset.Position(call.Pos()), callName(call))
			}
			return true
		})
	}
	if !usesVerify {
		t.Errorf("pkg/listener never verifies through signature.Verify or a Key")
	}
	if usesKey && !makesKey {
		t.Errorf("pkg/listener verifies through a key it did not make with signature.NewKey")
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

// selectorName renders a call's function as a dotted path, like h.key.Verify.
func selectorName(call *ast.CallExpr) string {
	var parts []string
	for e := call.Fun; e != nil; {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			parts = append([]string{x.Sel.Name}, parts...)
			e = x.X
		case *ast.Ident:
			parts = append([]string{x.Name}, parts...)
			e = nil
		default:
			e = nil
		}
	}
	return strings.Join(parts, ".")
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
