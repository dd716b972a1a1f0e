package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// orderKey is a bound ORDER BY key: either a select-list entry (target >= 0) or an
// expression to compute as a hidden column.
type orderKey struct {
	target     int
	expr       Expr
	desc       bool
	nullsFirst bool
	loc        int32
}

// bindOrderBy binds ORDER BY keys as PostgreSQL does: an integer constant is a select-list
// ordinal, a bare name matches an output column name first, anything else is an expression
// over the query's input (or aggregate) scope.
func (b *Binder) bindOrderBy(list []*pg.Node, targets []target, s *scope) ([]orderKey, error) {
	var keys []orderKey
	for _, n := range list {
		sb := n.GetSortBy()
		k := orderKey{target: -1, loc: exprLocation(sb.Node), desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC}
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "ORDER BY ... USING is not supported").WithPosition(b.pos(sb.Location))
		}
		// PostgreSQL sorts NULLs as larger than every value: last ascending, first descending.
		k.nullsFirst = k.desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			k.nullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			k.nullsFirst = false
		}
		if c := sb.Node.GetAConst(); c != nil && c.GetIval() != nil {
			i := int(c.GetIval().Ival)
			if i < 1 || i > len(targets) {
				return nil, sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %d is not in select list", i).WithPosition(b.pos(c.Location))
			}
			k.target = i - 1
			keys = append(keys, k)
			continue
		}
		if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetAStar() == nil {
			name := strings.ToLower(strVal(cr.Fields[0]))
			match := -1
			for i, t := range targets {
				if strings.ToLower(t.name) == name {
					if match >= 0 && targets[match].expr.String() != t.expr.String() {
						return nil, sqlerr.New(sqlerr.AmbiguousColumn, "ORDER BY %q is ambiguous", name).WithPosition(b.pos(cr.Location))
					}
					if match < 0 {
						match = i
					}
				}
			}
			if match >= 0 {
				k.target = match
				keys = append(keys, k)
				continue
			}
		}
		e, err := b.expr(sb.Node, s)
		if err != nil {
			return nil, err
		}
		for i, t := range targets {
			if t.expr != nil && t.expr.String() == e.String() {
				k.target = i
				break
			}
		}
		k.expr = e
		keys = append(keys, k)
	}
	return keys, nil
}
