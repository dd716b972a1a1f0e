// Package archtest checks that imports follow the layers of DESIGN.md: sql → planner → exec →
// formats/objstore, catalog below the planner, and the front doors (pgwire, httpapi) over
// engine. An import that goes the wrong way fails the build's tests.
package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/quarrydb/quarry/"

// forbidden lists, for each package (by its path below the module), the Quarry packages it
// must not import, directly or indirectly.
var forbidden = map[string][]string{
	"sqlerr":   {"types", "objstore", "catalog", "formats", "function", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"types":    {"objstore", "catalog", "formats", "function", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"objstore": {"catalog", "formats", "function", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"formats":  {"catalog", "function", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"catalog":  {"formats", "function", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"function": {"catalog", "formats", "sql", "planner", "exec", "engine", "pgwire", "httpapi"},
	"sql":      {"catalog", "formats", "function", "planner", "exec", "engine", "pgwire", "httpapi"},
	"planner":  {"exec", "engine", "pgwire", "httpapi"},
	"exec":     {"sql", "engine", "pgwire", "httpapi"},
	"engine":   {"pgwire", "httpapi"},
	"pgwire":   {"httpapi"},
	"httpapi":  {"pgwire"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(p.ImportPath, module)
		layer := strings.SplitN(rel, "/", 2)[0]
		bad, ok := forbidden[layer]
		if !ok {
			continue
		}
		checked++
		for _, d := range p.Deps {
			if !strings.HasPrefix(d, module) {
				continue
			}
			dl := strings.SplitN(strings.TrimPrefix(d, module), "/", 2)[0]
			for _, b := range bad {
				if dl == b {
					t.Errorf("%s imports %s: %s is below %s in the layers of DESIGN.md", rel, strings.TrimPrefix(d, module), layer, b)
				}
			}
		}
	}
	if checked < len(forbidden) {
		t.Errorf("checked %d packages, expected at least %d: did a layer move?", checked, len(forbidden))
	}
}
