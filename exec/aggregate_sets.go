package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
)

// addGlobalSets creates the groups of the empty grouping sets of an aggregation by
// grouping sets (planner.Aggregate.GlobalSets): every key NULL but the last, the set
// number. Like a global aggregate's one group they exist before any row arrives, so that
// GROUP BY ROLLUP (a) over no rows still yields its total row, as in PostgreSQL. Every
// partial table has them, and merging unites them by key.
func (t *aggTable) addGlobalSets() error {
	sets := t.node.GlobalSets
	nk := len(t.node.GroupBy)
	if nk == 0 {
		return sqlerr.New(sqlerr.InternalError, "grouping sets without a set number key")
	}
	alloc := t.fctx.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	cols := make([]arrow.Array, nk)
	defer releaseAll(cols)
	for c := 0; c < nk-1; c++ {
		cols[c] = array.MakeArrayOfNull(alloc, t.node.GroupBy[c].Type().Arrow(), len(sets))
	}
	b := array.NewInt32Builder(alloc)
	b.AppendValues(sets, nil)
	cols[nk-1] = b.NewArray()
	b.Release()
	ids := make([]uint32, len(sets))
	rowKeys := make([][]byte, len(sets))
	return t.groupRows(cols, ids, rowKeys)
}
