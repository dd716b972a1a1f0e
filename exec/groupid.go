package exec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// groupIdOp runs planner.GroupId: each input batch comes out once per grouping set, its key
// columns outside the set replaced by NULLs and the set number appended. The other columns
// are the input's arrays, shared, so a set costs only its NULL and number columns. It is
// not a pipeline breaker, and one copy runs in every worker's pipeline.
type groupIdOp struct {
	input  Operator
	node   *planner.GroupId
	fctx   *function.Context
	schema *arrow.Schema
	// nulled[s] marks the input columns set s replaces by NULLs.
	nulled [][]bool
	cur    arrow.Record // the batch being expanded, owned
	set    int          // the next set of cur to emit
	// Batches are mostly of one size, so the NULL columns (per input column) and the set
	// numbers (per set) of the largest batch so far are kept and sliced for every batch.
	nulls map[int]arrow.Array
	ids   map[int]arrow.Array
}

func newGroupIdOp(input Operator, node *planner.GroupId, fctx *function.Context) *groupIdOp {
	nin := len(node.Input.Columns())
	nulled := make([][]bool, len(node.Sets))
	for s, set := range node.Sets {
		nulled[s] = make([]bool, nin)
		for _, k := range node.Keys {
			nulled[s][k] = true
		}
		for _, p := range set {
			nulled[s][node.Keys[p]] = false
		}
	}
	return &groupIdOp{input: input, node: node, fctx: fctx, schema: SchemaOf(node.Columns()), nulled: nulled}
}

func (g *groupIdOp) Schema() *arrow.Schema { return g.schema }

func (g *groupIdOp) Open(ctx context.Context) error {
	g.set = 0
	return g.input.Open(ctx)
}

func (g *groupIdOp) Close() error {
	if g.cur != nil {
		g.cur.Release()
		g.cur = nil
	}
	for _, m := range []map[int]arrow.Array{g.nulls, g.ids} {
		for k, a := range m {
			a.Release()
			delete(m, k)
		}
	}
	return g.input.Close()
}

// cachedPrefix returns the first n rows of the cached array cache[k], first building it (with
// build) when it is missing or shorter than n. The caller releases the result.
func cachedPrefix(cache map[int]arrow.Array, k, n int, build func(n int) arrow.Array) arrow.Array {
	a, ok := cache[k]
	if !ok || a.Len() < n {
		if ok {
			a.Release()
		}
		a = build(n)
		cache[k] = a
	}
	return array.NewSlice(a, 0, int64(n))
}

func (g *groupIdOp) Next(ctx context.Context) (arrow.Record, error) {
	for g.cur == nil || g.set == len(g.nulled) {
		if g.cur != nil {
			g.cur.Release()
			g.cur = nil
		}
		rec, err := g.input.Next(ctx)
		if err != nil {
			return nil, err
		}
		if rec.NumRows() == 0 || len(g.nulled) == 0 {
			rec.Release()
			continue
		}
		g.cur, g.set = rec, 0
	}
	s := g.set
	g.set++
	return g.expand(g.cur, s)
}

// expand returns rec as grouping set s sees it.
func (g *groupIdOp) expand(rec arrow.Record, s int) (arrow.Record, error) {
	n := int(rec.NumRows())
	alloc := g.fctx.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if g.nulls == nil {
		g.nulls, g.ids = map[int]arrow.Array{}, map[int]arrow.Array{}
	}
	cols := make([]arrow.Array, 0, g.schema.NumFields())
	for c, null := range g.nulled[s] {
		if null {
			dt := g.schema.Field(c).Type
			cols = append(cols, cachedPrefix(g.nulls, c, n, func(n int) arrow.Array { return array.MakeArrayOfNull(alloc, dt, n) }))
			continue
		}
		a := rec.Column(c)
		a.Retain()
		cols = append(cols, a)
	}
	cols = append(cols, cachedPrefix(g.ids, s, n, func(n int) arrow.Array {
		b := array.NewInt32Builder(alloc)
		defer b.Release()
		b.Reserve(n)
		for i := 0; i < n; i++ {
			b.UnsafeAppend(int32(s))
		}
		return b.NewArray()
	}))
	out := array.NewRecord(g.schema, cols, int64(n))
	releaseAll(cols)
	return out, nil
}
