package exec

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// valuesOp produces constant rows. It is not a pipeline breaker.
type valuesOp struct {
	node   *planner.Values
	fctx   *function.Context
	schema *arrow.Schema
	done   bool
}

func (v *valuesOp) Schema() *arrow.Schema { return v.schema }
func (v *valuesOp) Open(ctx context.Context) error {
	v.done = false
	return nil
}
func (v *valuesOp) Close() error { return nil }

func (v *valuesOp) Next(ctx context.Context) (arrow.Record, error) {
	if v.done {
		return nil, io.EOF
	}
	v.done = true
	n := len(v.node.Rows)
	one := array.NewRecord(arrow.NewSchema(nil, nil), nil, 1)
	defer one.Release()
	cols := make([]arrow.Array, len(v.node.Cols))
	for c := range cols {
		parts := make([]arrow.Array, n)
		for r := 0; r < n; r++ {
			ev, err := compile(v.node.Rows[r][c], v.fctx)
			if err != nil {
				return nil, err
			}
			a, err := ev.eval(one)
			if err != nil {
				return nil, err
			}
			parts[r] = a
		}
		cat, err := array.Concatenate(parts, v.fctx.Alloc)
		for _, p := range parts {
			p.Release()
		}
		if err != nil {
			return nil, err
		}
		cols[c] = cat
	}
	rec := array.NewRecord(v.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec, nil
}

// filterOp keeps rows where its condition is true. Not a pipeline breaker.
type filterOp struct {
	input Operator
	cond  evaluator
	fctx  *function.Context
}

func (f *filterOp) Schema() *arrow.Schema          { return f.input.Schema() }
func (f *filterOp) Open(ctx context.Context) error { return f.input.Open(ctx) }
func (f *filterOp) Close() error                   { return f.input.Close() }

func (f *filterOp) Next(ctx context.Context) (arrow.Record, error) {
	for {
		rec, err := f.input.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := applyFilter(f.fctx, rec, f.cond)
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

func applyFilter(fctx *function.Context, rec arrow.Record, cond evaluator) (arrow.Record, error) {
	mask, err := cond.eval(rec)
	if err != nil {
		return nil, err
	}
	defer mask.Release()
	return filterRecord(fctx.Alloc, rec, mask.(*array.Boolean))
}

// projectOp computes expressions. Not a pipeline breaker.
type projectOp struct {
	input  Operator
	exprs  []evaluator
	schema *arrow.Schema
}

func (p *projectOp) Schema() *arrow.Schema          { return p.schema }
func (p *projectOp) Open(ctx context.Context) error { return p.input.Open(ctx) }
func (p *projectOp) Close() error                   { return p.input.Close() }

func (p *projectOp) Next(ctx context.Context) (arrow.Record, error) {
	rec, err := p.input.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	cols := make([]arrow.Array, len(p.exprs))
	for i, e := range p.exprs {
		a, err := e.eval(rec)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = a
	}
	out := array.NewRecord(p.schema, cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out, nil
}

// limitOp skips offset rows and passes count rows (count < 0: all). It stops reading its
// input as soon as the limit is reached.
type limitOp struct {
	input         Operator
	count, offset int64
	seen, emitted int64
}

func (l *limitOp) Schema() *arrow.Schema { return l.input.Schema() }
func (l *limitOp) Open(ctx context.Context) error {
	l.seen, l.emitted = 0, 0
	return l.input.Open(ctx)
}
func (l *limitOp) Close() error { return l.input.Close() }

func (l *limitOp) Next(ctx context.Context) (arrow.Record, error) {
	for {
		if l.count >= 0 && l.emitted >= l.count {
			return nil, io.EOF
		}
		rec, err := l.input.Next(ctx)
		if err != nil {
			return nil, err
		}
		n := rec.NumRows()
		start := int64(0)
		if l.seen < l.offset {
			start = l.offset - l.seen
			if start > n {
				start = n
			}
		}
		l.seen += n
		end := n
		if l.count >= 0 && end-start > l.count-l.emitted {
			end = start + l.count - l.emitted
		}
		if end <= start {
			rec.Release()
			continue
		}
		out := rec.NewSlice(start, end)
		rec.Release()
		l.emitted += end - start
		return out, nil
	}
}
