package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// bindGroupBy binds GROUP BY items over the aggregate's input. As in PostgreSQL, an integer
// constant is a select-list ordinal and a bare name that is not an input column may name a
// select-list entry.
func (b *Binder) bindGroupBy(list []*pg.Node, targets []target, a *aggScope) error {
	for _, n := range list {
		if n.GetGroupingSet() != nil {
			return sqlerr.New(sqlerr.FeatureNotSupported, "GROUPING SETS, ROLLUP and CUBE are not supported yet").WithPosition(b.pos(n.GetGroupingSet().Location))
		}
		item := n
		if c := n.GetAConst(); c != nil && c.GetIval() != nil {
			i := int(c.GetIval().Ival)
			if i < 1 || i > len(targets) {
				return sqlerr.New(sqlerr.InvalidColumnReference, "GROUP BY position %d is not in select list", i).WithPosition(b.pos(c.Location))
			}
			if targets[i-1].node == nil {
				a.addGroup(targets[i-1].expr)
				continue
			}
			item = targets[i-1].node
		} else if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			name := strings.ToLower(strVal(cr.Fields[0]))
			if _, err := a.input.resolve("", name, 0); err != nil {
				for _, t := range targets {
					if strings.ToLower(t.name) == name && t.node != nil {
						item = t.node
						break
					}
				}
			}
		}
		if b.containsAgg(item) {
			return sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY").WithPosition(b.pos(exprLocation(item)))
		}
		e, err := b.expr(item, a.input)
		if err != nil {
			return err
		}
		a.addGroup(e)
	}
	return nil
}

// addGroup adds a grouping expression unless an equal one is there.
func (a *aggScope) addGroup(e Expr) {
	if a.groupIndex(e) < 0 {
		a.groups = append(a.groups, e)
	}
}
