package exec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// unnestOp runs planner.Unnest: each input batch becomes the rows of its arrays' elements,
// the input columns repeated once per element. Not a pipeline breaker.
type unnestOp struct {
	input  Operator
	node   *planner.Unnest
	arrays []evaluator
	fctx   *function.Context
	schema *arrow.Schema
}

func newUnnestOp(input Operator, node *planner.Unnest, fctx *function.Context) (*unnestOp, error) {
	arrays, err := compileAll(node.Arrays, fctx)
	if err != nil {
		return nil, err
	}
	return &unnestOp{input: input, node: node, arrays: arrays, fctx: fctx, schema: SchemaOf(node.Columns())}, nil
}

func (u *unnestOp) Schema() *arrow.Schema          { return u.schema }
func (u *unnestOp) Open(ctx context.Context) error { return u.input.Open(ctx) }
func (u *unnestOp) Close() error                   { return u.input.Close() }

func (u *unnestOp) Next(ctx context.Context) (arrow.Record, error) {
	for {
		rec, err := u.input.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := u.expand(rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

// expand builds the output rows of one input batch.
func (u *unnestOp) expand(rec arrow.Record) (arrow.Record, error) {
	lists := make([]array.ListLike, len(u.arrays))
	for i, e := range u.arrays {
		a, err := e.eval(rec)
		if err != nil {
			for _, l := range lists[:i] {
				l.Release()
			}
			return nil, err
		}
		l, ok := a.(array.ListLike)
		if !ok {
			a.Release()
			for _, l := range lists[:i] {
				l.Release()
			}
			return nil, sqlerr.New(sqlerr.InternalError, "unnest: not a list array")
		}
		lists[i] = l
	}
	defer func() {
		for _, l := range lists {
			l.Release()
		}
	}()
	// rows[k] is the input row of output row k; elems[j][k] the position of its element in
	// array j's values, or -1 for NULL (past the end of a shorter array).
	var rows []int
	elems := make([][]int64, len(lists))
	var ords []int64
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		longest := int64(0)
		for _, l := range lists {
			if l.IsNull(i) {
				continue
			}
			start, end := l.ValueOffsets(i)
			longest = max(longest, end-start)
		}
		for k := int64(0); k < longest; k++ {
			rows = append(rows, i)
			for j, l := range lists {
				pos := int64(-1)
				if !l.IsNull(i) {
					if start, end := l.ValueOffsets(i); start+k < end {
						pos = start + k
					}
				}
				elems[j] = append(elems[j], pos)
			}
			ords = append(ords, k+1)
		}
	}
	alloc := u.fctx.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	cols := make([]arrow.Array, 0, len(u.schema.Fields()))
	release := func() {
		for _, c := range cols {
			c.Release()
		}
	}
	for c := 0; c < int(rec.NumCols()); c++ {
		t, err := takeRows(alloc, rec.Column(c), rows)
		if err != nil {
			release()
			return nil, err
		}
		cols = append(cols, t)
	}
	for j, l := range lists {
		t, err := takeOrNull(alloc, l.ListValues(), elems[j])
		if err != nil {
			release()
			return nil, err
		}
		cols = append(cols, t)
	}
	if u.node.Ordinality {
		b := array.NewInt64Builder(alloc)
		b.AppendValues(ords, nil)
		cols = append(cols, b.NewArray())
		b.Release()
	}
	out := array.NewRecord(u.schema, cols, int64(len(rows)))
	release()
	return out, nil
}

// takeOrNull gathers positions idx of a, NULL where idx is -1.
func takeOrNull(alloc memory.Allocator, a arrow.Array, idx []int64) (arrow.Array, error) {
	b := array.NewInt64Builder(alloc)
	defer b.Release()
	b.Reserve(len(idx))
	for _, p := range idx {
		if p < 0 {
			b.AppendNull()
		} else {
			b.UnsafeAppend(p)
		}
	}
	indices := b.NewArray()
	defer indices.Release()
	return compute.TakeArray(compute.WithAllocator(context.Background(), alloc), a, indices)
}
