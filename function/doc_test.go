package function

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/types"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files (docs/functions.md)")

// TestFunctionsDoc keeps docs/functions.md in step with the registry: with -rewrite it
// writes the file, otherwise it fails when the file is stale.
func TestFunctionsDoc(t *testing.T) {
	path := filepath.Join("..", "docs", "functions.md")
	want := New().Markdown()
	if *rewrite {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./function -run TestFunctionsDoc -rewrite)", err)
	}
	if string(got) != want {
		t.Fatal("docs/functions.md is stale: run go test ./function -run TestFunctionsDoc -rewrite")
	}
}

// TestRegistry checks every entry: documented, lower-case, and alias lookups work.
func TestRegistry(t *testing.T) {
	r := New()
	for _, f := range r.uniqueFuncs() {
		if f.Doc == "" || len(f.Signatures) == 0 || f.Bind == nil {
			t.Errorf("%s: missing doc, signatures or binder", f.Name)
		}
		if f.Name != strings.ToLower(f.Name) {
			t.Errorf("%s: name not lower case", f.Name)
		}
	}
	for alias, name := range map[string]string{"CEILING": "ceil", "substring": "substr", "every": "bool_and", "any_value": "arbitrary",
		"!=": "<>", "extract": "date_part", "current_timestamp": "now", "position": "strpos", "pow": "power", "truncate": "trunc"} {
		if f := r.Lookup(alias); f == nil || f.Name != name {
			t.Errorf("Lookup(%q) = %v, want %s", alias, f, name)
		}
	}
	if r.Lookup("no_such_function") != nil {
		t.Error("unknown name found")
	}
	if len(r.All()) < 100 {
		t.Errorf("only %d names", len(r.All()))
	}
	// Binders reject wrong arities rather than panicking.
	for _, f := range r.uniqueFuncs() {
		for n := 0; n <= 4; n++ {
			args := make([]types.T, n)
			for i := range args {
				args[i] = types.JSONT
			}
			f.Bind(args)
		}
	}
}
