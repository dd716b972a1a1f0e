package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// A text table is sized from its bytes over an estimated row width; a missing location is
// unknown rather than an error.
func TestTableStats(t *testing.T) {
	ctx := context.Background()
	mem := objstore.NewMemStore()
	stores := objstore.NewRegistry()
	stores.Register("mem", mem)
	// 1000 rows of "12345,abc\n" (10 bytes).
	if err := mem.Put(ctx, "mem://b/t/part-0.csv", strings.NewReader(strings.Repeat("12345,abc\n", 1000))); err != nil {
		t.Fatal(err)
	}
	env := &Env{Stores: stores, Formats: formats.NewRegistry(csv.New()), Funcs: joinEnv().Funcs, Workers: 1, Stats: &Stats{}}
	st := NewTableStats(ctx, env)
	scan := &planner.Scan{Database: "d", Table: "t", Location: "mem://b/t/", Format: "csv",
		DataColumns: []formats.Column{{Name: "a", Type: types.Int32T}, {Name: "b", Type: types.VarcharT}}}
	rows, ok := st.TableRows(scan)
	// The guess is 33 bytes a row (6 + 25 and two delimiters): about 300 rows.
	if !ok || rows < 100 || rows > 2000 {
		t.Errorf("rows = %v, %v; want a few hundred", rows, ok)
	}
	if env.Stats.Files != 0 {
		t.Errorf("sizing counted %d files as read by the query", env.Stats.Files)
	}
	missing := *scan
	missing.Table, missing.Location = "gone", ""
	if _, ok := st.TableRows(&missing); ok {
		t.Error("a table without a location has a size")
	}
}
