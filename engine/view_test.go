package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueries runs the data-driven files under testdata/queries end to end: set
// operations, WITH queries, views and window functions over CSV tables in a fresh root.
// Expected results are PostgreSQL 15's for the same statements. Directives:
//
//	csv PATH   write the input as the file $ROOT/PATH
//	exec       run the statements; the output is what a client sees
//
// Run with -rewrite to update the expected outputs.
func TestQueries(t *testing.T) {
	paths, err := filepath.Glob("testdata/queries/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			root := t.TempDir()
			te := openTestEngine(t, root, nil)
			defer te.close()
			runDataDriven(t, path, func(directive, input string) string {
				switch {
				case strings.HasPrefix(directive, "csv "):
					file := filepath.Join(root, filepath.FromSlash(strings.TrimSpace(strings.TrimPrefix(directive, "csv "))))
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(input+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					return "ok\n"
				case directive == "exec":
					out := te.run(t, strings.ReplaceAll(input, "$ROOT", filepath.ToSlash(root)))
					return strings.ReplaceAll(out, filepath.ToSlash(root), "$ROOT")
				}
				t.Fatalf("unknown directive %q", directive)
				return ""
			})
		})
	}
}

func TestViewQueryText(t *testing.T) {
	cases := []struct{ stmt, want string }{
		{"CREATE VIEW v AS SELECT 1", "SELECT 1"},
		{"create or replace view db.v (a, b) as\n  select x as a, y as b from t;", "select x as a, y as b from t"},
		{`CREATE VIEW "as" AS /* AS */ WITH w AS (SELECT 1) SELECT * FROM w`, "/* AS */ WITH w AS (SELECT 1) SELECT * FROM w"},
		{"CREATE VIEW v AS (SELECT 1) UNION SELECT 2 ;", "(SELECT 1) UNION SELECT 2"},
	}
	for _, c := range cases {
		got, err := viewQueryText(c.stmt)
		if err != nil || got != c.want {
			t.Errorf("viewQueryText(%q) = %q, %v; want %q", c.stmt, got, err, c.want)
		}
	}
	if _, err := viewQueryText("CREATE VIEW v"); err == nil {
		t.Error("no error for a CREATE VIEW without AS")
	}
}

func FuzzViewQueryText(f *testing.F) {
	for _, s := range []string{"CREATE VIEW v AS SELECT 1", "CREATE VIEW v (a) AS SELECT 'as' AS a", "CREATE VIEW v AS", "AS", "CREATE VIEW ((( AS x", "CREATE VIEW v AS SELECT $$AS$$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stmt string) {
		text, err := viewQueryText(stmt)
		if err == nil && !strings.Contains(stmt, text) {
			t.Errorf("viewQueryText(%q) = %q, not part of the statement", stmt, text)
		}
	})
}
