package exec

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// applyOp runs planner.Apply: for every input row it binds the subquery to the row, plans
// and runs it, and appends its value to the row. A nested loop, for the few correlated
// subqueries the planner cannot turn into joins; each run is closed before the next, so
// memory stays at one input batch and one subquery result.
type applyOp struct {
	input  Operator
	node   *planner.Apply
	env    Env
	alloc  memory.Allocator
	schema *arrow.Schema
}

func newApplyOp(input Operator, node *planner.Apply, env *Env) *applyOp {
	e := *env
	e.Analyze = nil // the per-row plans are not part of the EXPLAIN tree
	e.Workers = 1
	alloc := env.Alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	return &applyOp{input: input, node: node, env: e, alloc: alloc, schema: SchemaOf(node.Columns())}
}

func (a *applyOp) Schema() *arrow.Schema          { return a.schema }
func (a *applyOp) Open(ctx context.Context) error { return a.input.Open(ctx) }
func (a *applyOp) Close() error                   { return a.input.Close() }

func (a *applyOp) Next(ctx context.Context) (arrow.Record, error) {
	rec, err := a.input.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	col, err := a.values(ctx, rec)
	if err != nil {
		return nil, err
	}
	defer col.Release()
	cols := append(append([]arrow.Array(nil), rec.Columns()...), col)
	return array.NewRecord(a.schema, cols, rec.NumRows()), nil
}

// values computes the subquery's value for every row of rec.
func (a *applyOp) values(ctx context.Context, rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	parts := make([]arrow.Array, 0, n)
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	row := make([]arrow.Array, rec.NumCols())
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for c := range row {
			row[c] = array.NewSlice(rec.Column(c), int64(i), int64(i+1))
		}
		v, err := a.run(ctx, row)
		for _, r := range row {
			r.Release()
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, v)
	}
	if n == 0 {
		return array.MakeArrayOfNull(a.alloc, a.node.T.Arrow(), 0), nil
	}
	return array.Concatenate(parts, a.alloc)
}

// run runs the subquery for one row and returns its value as a one-element array.
func (a *applyOp) run(ctx context.Context, row []arrow.Array) (arrow.Array, error) {
	sub, err := a.node.Bind(row)
	if err != nil {
		return nil, err
	}
	plan, err := planner.Optimize(sub, planner.DefaultRules())
	if err != nil {
		return nil, err
	}
	op, err := Build(plan, &a.env)
	if err != nil {
		return nil, err
	}
	defer op.Close()
	if err := op.Open(ctx); err != nil {
		return nil, err
	}
	var value arrow.Array // scalar: the one row's value
	rows := 0
	anyTrue, anyFalse, anyNull := false, false, false
	defer func() {
		if value != nil {
			value.Release()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := op.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		m := int(b.NumRows())
		if m > 0 && a.node.Kind == planner.ScalarSubquery {
			if rows+m > 1 {
				b.Release()
				return nil, sqlerr.New(sqlerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
			value = array.NewSlice(b.Column(0), 0, 1)
		}
		if m > 0 && (a.node.Kind == planner.AnySubquery || a.node.Kind == planner.AllSubquery) {
			c := b.Column(0).(*array.Boolean)
			for j := 0; j < m; j++ {
				switch {
				case c.IsNull(j):
					anyNull = true
				case c.Value(j):
					anyTrue = true
				default:
					anyFalse = true
				}
			}
		}
		rows += m
		b.Release()
	}
	if a.node.Kind == planner.ScalarSubquery {
		if value == nil {
			return array.MakeArrayOfNull(a.alloc, a.node.T.Arrow(), 1), nil
		}
		v := value
		value = nil
		return v, nil
	}
	bb := array.NewBooleanBuilder(a.alloc)
	defer bb.Release()
	switch a.node.Kind {
	case planner.ExistsSubquery:
		bb.Append(rows > 0)
	case planner.AnySubquery:
		switch {
		case anyTrue:
			bb.Append(true)
		case anyNull:
			bb.AppendNull()
		default:
			bb.Append(false)
		}
	case planner.AllSubquery:
		switch {
		case anyFalse:
			bb.Append(false)
		case anyNull:
			bb.AppendNull()
		default:
			bb.Append(true)
		}
	}
	return bb.NewArray(), nil
}
