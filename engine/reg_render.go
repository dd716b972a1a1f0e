package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// Result columns of the reg* types (regclass, regtype, ...) reach clients as names, as
// PostgreSQL's output functions print them; inside the engine they are OIDs, so that they
// join and compare as numbers. The names depend on the session (search path, catalog), which
// pgwire does not have, so the engine renders those columns to text on their way out and
// reports them with types.RenderedReg: text values under the reg* type's OID.

// clientType is the type a client is told for a result column of type t.
func clientType(t types.T) types.T {
	if t.NamedReg() {
		return types.RenderedReg(t)
	}
	return t
}

// renderRegRows wraps rows so that the named reg* columns of cols arrive as text; rows are
// returned unchanged when there are none.
func renderRegRows(rows Rows, cols []types.T, fctx *function.Context) (Rows, error) {
	kernels := make([]function.Kernel, len(cols))
	any := false
	for i, t := range cols {
		if !t.NamedReg() {
			continue
		}
		k, err := function.Cast(t, types.VarcharT, false)
		if err != nil {
			return nil, err
		}
		kernels[i], any = k, true
	}
	if !any {
		return rows, nil
	}
	return &regRows{Rows: rows, kernels: kernels, fctx: fctx}, nil
}

type regRows struct {
	Rows
	kernels []function.Kernel
	fctx    *function.Context
}

func (r *regRows) Next(ctx context.Context) (arrow.Record, error) {
	rec, err := r.Rows.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	cols := make([]arrow.Array, rec.NumCols())
	fields := make([]arrow.Field, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		fields[i] = rec.Schema().Field(i)
		if i >= len(r.kernels) || r.kernels[i] == nil {
			cols[i] = rec.Column(i)
			cols[i].Retain()
			continue
		}
		out, err := r.kernels[i](r.fctx, []arrow.Array{rec.Column(i)}, n)
		if err != nil {
			return nil, err
		}
		cols[i] = out
		fields[i].Type = out.DataType()
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(n)), nil
}

// nodeTypes are the types of a plan's output columns.
func nodeTypes(node interface{ Columns() []planner.Column }) []types.T {
	cols := node.Columns()
	out := make([]types.T, len(cols))
	for i, c := range cols {
		out[i] = c.Type
	}
	return out
}
