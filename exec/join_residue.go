package exec

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// joinResidueOp finishes the joins that output build rows: RIGHT and FULL joins (the
// unmatched build rows, NULL-padded on the left) and right semi and anti joins (the build
// rows that did, or did not, match). It passes its input's batches (the probe workers'
// output, gathered) through and, once the input is exhausted, so every probe has marked
// its matches, emits the build rows.
//
// It is a pipeline breaker for the build rows only: they come after the last probe batch.
type joinResidueOp struct {
	input  Operator
	build  *joinBuild
	node   *planner.Join
	fctx   *function.Context
	schema *arrow.Schema
	left   *arrow.Schema
	done   bool
	pos    int   // next build row to consider
	sel    []int // scratch
}

func newJoinResidueOp(input Operator, build *joinBuild, node *planner.Join, fctx *function.Context) *joinResidueOp {
	build.refs.Add(1)
	return &joinResidueOp{input: input, build: build, node: node, fctx: fctx,
		schema: SchemaOf(node.Columns()), left: SchemaOf(node.Left.Columns())}
}

func (r *joinResidueOp) Schema() *arrow.Schema          { return r.schema }
func (r *joinResidueOp) Open(ctx context.Context) error { return r.input.Open(ctx) }

func (r *joinResidueOp) Close() error {
	err := r.input.Close()
	if r.build != nil {
		r.build.release()
		r.build = nil
	}
	return err
}

func (r *joinResidueOp) Next(ctx context.Context) (arrow.Record, error) {
	if !r.done {
		rec, err := r.input.Next(ctx)
		if err != io.EOF {
			return rec, err
		}
		r.done = true
		if err := r.build.get(ctx); err != nil {
			return nil, err
		}
	}
	b := r.build
	for r.pos < b.rows {
		r.sel = r.sel[:0]
		want := uint32(0)
		if r.node.Kind == planner.RightSemiJoin {
			want = 1
		}
		for ; r.pos < b.rows && len(r.sel) < pairChunk; r.pos++ {
			if atomic.LoadUint32(&b.matched[r.pos]) == want {
				r.sel = append(r.sel, r.pos)
			}
		}
		if len(r.sel) == 0 {
			continue
		}
		rows, err := takeRecord(r.fctx.Alloc, b.rec, r.sel)
		if err != nil {
			return nil, err
		}
		if r.node.Kind.RightOnly() {
			out := array.NewRecord(r.schema, rows.Columns(), rows.NumRows())
			rows.Release()
			return out, nil
		}
		n := int(rows.NumRows())
		cols := make([]arrow.Array, 0, r.schema.NumFields())
		for _, f := range r.left.Fields() {
			cols = append(cols, array.MakeArrayOfNull(r.fctx.Alloc, f.Type, n))
		}
		cols = append(cols, rows.Columns()...)
		out := array.NewRecord(r.schema, cols, int64(n))
		releaseAll(cols[:r.left.NumFields()])
		rows.Release()
		return out, nil
	}
	return nil, io.EOF
}

// takeIdx gathers rows idx of a; an index of -1 gives NULL.
func takeIdx(alloc memory.Allocator, a arrow.Array, idx []int32) (arrow.Array, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if out, ok := fastTake(alloc, a, idx); ok { // take_typed.go
		return out, nil
	}
	ib := array.NewInt32Builder(alloc)
	ib.Reserve(len(idx))
	for _, i := range idx {
		if i < 0 {
			ib.UnsafeAppendBoolToBitmap(false)
		} else {
			ib.UnsafeAppend(i)
		}
	}
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	ctx := compute.WithAllocator(context.Background(), alloc)
	return compute.TakeArray(ctx, a, indices)
}
