package sqllogictest

import (
	"context"
	"path/filepath"
	"testing"
)

// TestScripts runs Quarry's own scripts, testdata/slt/*.slt at the module root, on the engine:
// every record must pass and none may be skipped. With -slt.pg they run on PostgreSQL as well,
// which checks that their expected values are PostgreSQL's.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(moduleRoot(t), "testdata", "slt", "*.slt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/slt")
	}
	type side struct {
		name string
		open func(context.Context) (DB, error)
	}
	sides := []side{{"quarry", engineDB}}
	if *pgURL != "" {
		sides = append(sides, side{"postgres", pgDB})
	}
	for _, path := range files {
		for _, s := range sides {
			t.Run(s.name+"/"+filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				rep, err := RunFile(t.Context(), path, s.open, Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Log(rep.Summary())
				if rep.Failed > 0 {
					t.Errorf("%s\n%s", rep.Summary(), rep.Failures(0))
				}
				if rep.Skipped > 0 {
					t.Errorf("%d records skipped: Quarry's own scripts use only statements Quarry offers", rep.Skipped)
				}
				if rep.Passed == 0 {
					t.Error("no record ran")
				}
			})
		}
	}
}
