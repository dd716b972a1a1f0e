package planner

import (
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// scope is the set of names visible to an expression: the output columns of the plan node
// it is evaluated over. An aggregate scope (agg != nil) binds the select list and HAVING of
// an aggregated query against the Aggregate node's output.
type scope struct {
	cols []Column
	agg  *aggScope
	// win collects window calls where they are allowed: the select list and ORDER BY
	// (window_bind.go).
	win *winScope
}

func newScope(cols []Column) *scope { return &scope{cols: cols} }

// resolve finds a column by optional qualifier and name (both already lower-cased). It
// returns 42703 for an unknown column and 42702 for an ambiguous one.
func (s *scope) resolve(qual, name string, pos int) (int, error) {
	found := -1
	for i, c := range s.cols {
		if c.Hidden || (c.QualifiedOnly && qual == "") {
			continue
		}
		if strings.ToLower(c.Name) != name {
			continue
		}
		if qual != "" && strings.ToLower(c.Table) != qual {
			continue
		}
		if found >= 0 {
			return -1, sqlerr.New(sqlerr.AmbiguousColumn, "column reference %q is ambiguous", name).WithPosition(pos)
		}
		found = i
	}
	if found < 0 {
		if qual != "" {
			for _, c := range s.cols {
				if strings.ToLower(c.Table) == qual {
					return -1, sqlerr.New(sqlerr.UndefinedColumn, "column %s.%s does not exist", qual, name).WithPosition(pos)
				}
			}
			return -1, sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table %q", qual).WithPosition(pos)
		}
		return -1, sqlerr.New(sqlerr.UndefinedColumn, "column %q does not exist", name).WithPosition(pos)
	}
	return found, nil
}

// aggScope collects the aggregates of a query while its select list, HAVING and ORDER BY are
// bound, and maps grouped expressions to the Aggregate node's output columns.
type aggScope struct {
	input   *scope // the scope of the Aggregate's input (FROM + WHERE)
	groups  []Expr
	aggs    []AggCall
	aggKeys []string // String() of each aggregate, to reuse identical ones
	// sets are the grouping sets (positions in groups) of GROUP BY ROLLUP, CUBE or
	// GROUPING SETS; nil for a plain GROUP BY. With sets, the Aggregate's output has the
	// set number after the keys (grouping_sets.go).
	sets [][]int
}

// nkeys is the number of the Aggregate's key columns, the set number included.
func (a *aggScope) nkeys() int {
	if a.sets != nil {
		return len(a.groups) + 1
	}
	return len(a.groups)
}

// groupIndex returns the output column of a group expression equal to e, or -1.
func (a *aggScope) groupIndex(e Expr) int {
	key := e.String()
	for i, g := range a.groups {
		if g.String() == key {
			return i
		}
	}
	return -1
}

// addAgg registers an aggregate call (or finds an identical one) and returns a reference to
// its output column.
func (a *aggScope) addAgg(c AggCall) *ColumnRef {
	key := c.String()
	for i, k := range a.aggKeys {
		if k == key {
			return &ColumnRef{Index: a.nkeys() + i, Name: c.Name, T: a.aggs[i].Sig.Ret}
		}
	}
	a.aggs = append(a.aggs, c)
	a.aggKeys = append(a.aggKeys, key)
	return &ColumnRef{Index: a.nkeys() + len(a.aggs) - 1, Name: c.Name, T: c.Sig.Ret}
}

// columns returns the Aggregate node's output columns.
func (a *aggScope) columns() []Column {
	out := make([]Column, 0, a.nkeys()+len(a.aggs))
	for _, g := range a.groups {
		c := Column{Name: "?column?", Type: g.Type()}
		if r, ok := g.(*ColumnRef); ok {
			c.Name = r.Name
			c.Table = a.input.cols[r.Index].Table
		}
		out = append(out, c)
	}
	if a.sets != nil {
		out = append(out, Column{Name: GroupIdColumn, Type: types.Int32T})
	}
	for _, g := range a.aggs {
		out = append(out, Column{Name: g.Name, Type: g.Sig.Ret})
	}
	return out
}

var _ = types.BoolT
