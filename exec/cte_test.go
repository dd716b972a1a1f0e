package exec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// countingSource is a source that counts how often it is opened.
type countingSource struct {
	source
	mu    sync.Mutex
	opens int
}

func (c *countingSource) Open(ctx context.Context) error {
	c.mu.Lock()
	c.opens++
	c.mu.Unlock()
	return nil
}

// A CTE read by several scans running at once is computed once, every scan reads all of
// its rows, and the last scan to close releases the buffered batches.
func TestCTEConcurrentScansRunOnce(t *testing.T) {
	rows := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		rows = append(rows, fmt.Sprintf("k%d=%d", i%7, i))
	}
	src := &countingSource{source: *newSource(rows, 64)}
	s := &sharedCTE{op: src}
	const readers = 8
	ops := make([]*cteScanOp, readers)
	for i := range ops {
		s.scans++
		ops[i] = &cteScanOp{cte: s, keep: []int{0, 1}, schema: kvSchema}
	}
	got := make([][]string, readers)
	var wg sync.WaitGroup
	for i := range ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = collect(t, ops[i]) // closes the scan
		}()
	}
	wg.Wait()
	if src.opens != 1 {
		t.Errorf("CTE plan opened %d times, want 1", src.opens)
	}
	for i, g := range got {
		if len(g) != len(rows) {
			t.Errorf("scan %d read %d rows, want %d", i, len(g), len(rows))
		}
	}
	if !src.closed || !s.released || s.batches != nil {
		t.Errorf("after the last scan closed: plan closed %v, released %v, %d batches held", src.closed, s.released, len(s.batches))
	}
	// A scan opened after the release fails instead of reading nothing.
	if err := ops[0].Open(context.Background()); err == nil {
		t.Error("reopened scan of a released CTE: no error")
	}
}

// Build makes one operator for a CTE's plan however many CteScans read it: a self-join of
// a CTE runs the CTE's plan once, and each scan sees the rows under its alias.
func TestCTEBuildOnce(t *testing.T) {
	lit := func(v int64) planner.Expr { return planner.NewLiteral(types.Int64T, v) }
	cte := &planner.CTE{Name: "c", Plan: &planner.Values{
		Cols: []planner.Column{{Name: "v", Type: types.Int64T}},
		Rows: [][]planner.Expr{{lit(1)}, {lit(2)}, {lit(3)}},
	}}
	scan := func(alias string) *planner.CteScan {
		return &planner.CteScan{CTE: cte, Alias: alias, Keep: []int{0}, Cols: []planner.Column{{Name: "v", Table: alias, Type: types.Int64T}}}
	}
	key := &planner.ColumnRef{Index: 0, Name: "v", T: types.Int64T}
	join := &planner.Join{Kind: planner.InnerJoin, Left: scan("x"), Right: scan("y"),
		LeftKeys: []planner.Expr{key}, RightKeys: []planner.Expr{key}}
	env := &Env{Funcs: fctx(), Workers: 4, Analyze: NewAnalysis()}
	op, err := Build(join, env)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, op)
	sort.Strings(got)
	if fmt.Sprint(got) != "[1|1 2|2 3|3]" {
		t.Errorf("self-join of the CTE: got %v", got)
	}
	st, ok := env.Analyze.Node(cte.Plan)
	if !ok || st.Copies != 1 || st.Opened != 1 || st.Rows != 3 {
		t.Errorf("CTE plan: %+v (measured %v), want one copy opened once, 3 rows", st, ok)
	}
	if out := ExplainAnalyze(join, env.Analyze); !containsLine(out, "CTE c") {
		t.Errorf("EXPLAIN ANALYZE shows no CTE block:\n%s", out)
	}
}

func containsLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
