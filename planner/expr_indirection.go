package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// indirection binds a subscript, `(current_schemas(true))[1]` or `prattrs[s]`: each [i]
// becomes a call of array_subscript (1-based, NULL outside the array). Slices ([1:2]) and
// field selection ((f(x)).n) are not supported yet.
func (b *Binder) indirection(ind *pg.A_Indirection, s *scope) (Expr, error) {
	e, err := b.expr(ind.Arg, s)
	if err != nil {
		return nil, err
	}
	for _, step := range ind.Indirection {
		idx := step.GetAIndices()
		if idx == nil || idx.IsSlice || idx.Uidx == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "only array subscripts [i] are supported here")
		}
		if e.Type().Kind != types.Array {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", e.Type())
		}
		i, err := b.expr(idx.Uidx, s)
		if err != nil {
			return nil, err
		}
		if e, err = b.call("array_subscript", []Expr{e, i}, -1); err != nil {
			return nil, err
		}
	}
	return e, nil
}
