package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// orderInsensitive are the aggregates whose result cannot depend on the order of their
// input; ORDER BY inside them is accepted, as PostgreSQL accepts sum(x ORDER BY y), and
// dropped, so they keep their streaming two-phase form.
var orderInsensitive = map[string]bool{
	"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"bool_and": true, "bool_or": true, "every": true, "bit_and": true, "bit_or": true,
	"count_if": true, "approx_distinct": true,
}

// aggOrder binds the ORDER BY of an aggregate call (string_agg(x, ',' ORDER BY y DESC))
// over the aggregate's input and appends its keys to call.Args (see AggCall.Order). With
// DISTINCT, PostgreSQL requires every key to be one of the arguments.
func (b *Binder) aggOrder(fc *pg.FuncCall, call *AggCall, a *aggScope) error {
	if len(fc.AggOrder) == 0 {
		sortDistinct(call)
		return nil
	}
	var keys []Expr
	var order []AggOrder
	for _, n := range fc.AggOrder {
		sb := n.GetSortBy()
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return sqlerr.New(sqlerr.FeatureNotSupported, "ORDER BY ... USING is not supported").WithPosition(b.pos(sb.Location))
		}
		if b.containsAgg(sb.Node) {
			return sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(b.pos(b.aggLocation(sb.Node)))
		}
		if containsWindow(sb.Node) {
			return sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot contain window function calls").WithPosition(b.pos(exprLocation(sb.Node)))
		}
		e, err := b.expr(sb.Node, a.input)
		if err != nil {
			return err
		}
		o := AggOrder{Desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC}
		// NULLs sort as larger than every value: last ascending, first descending.
		o.NullsFirst = o.Desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			o.NullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			o.NullsFirst = false
		}
		if call.Distinct && !isArgument(e, call.Args) {
			return sqlerr.New(sqlerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list").WithPosition(b.pos(exprLocation(sb.Node)))
		}
		keys = append(keys, e)
		order = append(order, o)
	}
	if orderInsensitive[call.Name] {
		return nil
	}
	call.Args = append(call.Args[:len(call.Args):len(call.Args)], keys...)
	call.Order = order
	return nil
}

// sortedDistinct are the aggregates whose DISTINCT form PostgreSQL computes over its
// sorted arguments, which shows in their result: array_agg(DISTINCT x) is in ascending
// order with one NULL last, string_agg(DISTINCT s, ',') in ascending order.
var sortedDistinct = map[string]bool{"array_agg": true, "string_agg": true}

// sortDistinct gives a DISTINCT call of a sortedDistinct aggregate without ORDER BY the
// implicit ORDER BY of its first argument, so it runs as PostgreSQL's does. Other
// DISTINCT calls keep function.Distinct, which needs no order of its types.
func sortDistinct(call *AggCall) {
	if !sortedDistinct[call.Name] || len(call.Args) == 0 {
		return
	}
	switch call.Args[0].Type().Kind {
	case types.Bool, types.Int16, types.Int32, types.Int64, types.Float32, types.Float64,
		types.Decimal, types.Date, types.Time, types.Timestamp, types.TimestampTZ,
		types.Varchar, types.Bytea, types.Interval:
	default:
		return
	}
	call.Args = append(call.Args[:len(call.Args):len(call.Args)], call.Args[0])
	call.Order = []AggOrder{{}}
}

// isArgument reports whether e is one of args (or what one of them casts).
func isArgument(e Expr, args []Expr) bool {
	key := e.String()
	for _, a := range args {
		if a.String() == key {
			return true
		}
		if c, ok := a.(*Cast); ok && c.Arg.String() == key {
			return true
		}
	}
	return false
}
