package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// maxGroupingSets is PostgreSQL's limit on the grouping sets of one GROUP BY.
const maxGroupingSets = 4096

// SQLSTATEs PostgreSQL gives the limits of grouping sets and GROUPING().
const (
	codeStatementTooComplex = "54001"
	codeTooManyArguments    = "54023"
)

// bindGroupBy binds GROUP BY items over the aggregate's input. As in PostgreSQL, an integer
// constant is a select-list ordinal and a bare name that is not an input column may name a
// select-list entry.
//
// Each item stands for a list of grouping sets (a plain expression for one set of itself;
// ROLLUP, CUBE and GROUPING SETS for theirs) and the query groups by the cross product of
// the items' lists, as PostgreSQL expands them. A result of more than one set is kept in
// a.sets; a single set is an ordinary GROUP BY.
func (b *Binder) bindGroupBy(list []*pg.Node, targets []target, a *aggScope) error {
	sets := [][]int{{}}
	hasSets := false
	for _, n := range list {
		var item [][]int
		if gs := n.GetGroupingSet(); gs != nil {
			hasSets = true
			var err error
			if item, err = b.groupingSet(gs, targets, a); err != nil {
				return err
			}
		} else {
			g, err := b.bindGroupItem(n, targets, a)
			if err != nil {
				return err
			}
			item = [][]int{{g}}
		}
		if len(sets)*len(item) > maxGroupingSets {
			return sqlerr.New(codeStatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets).WithPosition(b.pos(exprLocation(n)))
		}
		next := make([][]int, 0, len(sets)*len(item))
		for _, s := range sets {
			for _, t := range item {
				next = append(next, unionSet(s, t))
			}
		}
		sets = next
	}
	if hasSets && len(sets) > 1 {
		a.sets = sets
	}
	return nil
}

// groupingSet expands ROLLUP, CUBE or GROUPING SETS into its list of sets (positions in
// a.groups).
func (b *Binder) groupingSet(gs *pg.GroupingSet, targets []target, a *aggScope) ([][]int, error) {
	switch gs.Kind {
	case pg.GroupingSetKind_GROUPING_SET_EMPTY:
		return [][]int{{}}, nil
	case pg.GroupingSetKind_GROUPING_SET_SIMPLE:
		set, err := b.groupElement(gs.Content, targets, a)
		return [][]int{set}, err
	case pg.GroupingSetKind_GROUPING_SET_SETS:
		var out [][]int
		for _, n := range gs.Content {
			if inner := n.GetGroupingSet(); inner != nil {
				sets, err := b.groupingSet(inner, targets, a)
				if err != nil {
					return nil, err
				}
				out = append(out, sets...)
			} else {
				set, err := b.groupElement([]*pg.Node{n}, targets, a)
				if err != nil {
					return nil, err
				}
				out = append(out, set)
			}
			if len(out) > maxGroupingSets {
				return nil, sqlerr.New(codeStatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets).WithPosition(b.pos(gs.Location))
			}
		}
		return out, nil
	}
	// ROLLUP and CUBE: each element is an expression or a parenthesized list of them.
	elems := make([][]int, len(gs.Content))
	for i, n := range gs.Content {
		if n.GetGroupingSet() != nil {
			return nil, sqlerr.New(sqlerr.SyntaxError, "ROLLUP and CUBE take expressions or lists of them, not grouping sets").WithPosition(b.pos(gs.Location))
		}
		set, err := b.groupElement([]*pg.Node{n}, targets, a)
		if err != nil {
			return nil, err
		}
		elems[i] = set
	}
	if gs.Kind == pg.GroupingSetKind_GROUPING_SET_ROLLUP {
		// ROLLUP (e1, ..., en) is (e1, ..., en), (e1, ..., en-1), ..., ().
		out := make([][]int, 0, len(elems)+1)
		for k := len(elems); k >= 0; k-- {
			var set []int
			for _, e := range elems[:k] {
				set = unionSet(set, e)
			}
			out = append(out, set)
		}
		return out, nil
	}
	if len(elems) > 30 || 1<<len(elems) > maxGroupingSets {
		return nil, sqlerr.New(codeStatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets).WithPosition(b.pos(gs.Location))
	}
	// CUBE: every subset, the full one first and the empty one last, as PostgreSQL orders
	// them.
	n := len(elems)
	out := make([][]int, 0, 1<<n)
	for mask := (1 << n) - 1; mask >= 0; mask-- {
		var set []int
		for i := 0; i < n; i++ {
			if mask&(1<<(n-1-i)) != 0 {
				set = unionSet(set, elems[i])
			}
		}
		out = append(out, set)
	}
	return out, nil
}

// groupElement binds one element of a grouping set: an expression, or a parenthesized list
// (a RowExpr in pg_query's tree) that groups by all of its expressions together.
func (b *Binder) groupElement(ns []*pg.Node, targets []target, a *aggScope) ([]int, error) {
	var set []int
	for _, n := range ns {
		if row := n.GetRowExpr(); row != nil && row.RowFormat == pg.CoercionForm_COERCE_IMPLICIT_CAST {
			inner, err := b.groupElement(row.Args, targets, a)
			if err != nil {
				return nil, err
			}
			set = unionSet(set, inner)
			continue
		}
		g, err := b.bindGroupItem(n, targets, a)
		if err != nil {
			return nil, err
		}
		set = unionSet(set, []int{g})
	}
	return set, nil
}

// bindGroupItem binds one grouping expression and returns its position in a.groups.
func (b *Binder) bindGroupItem(n *pg.Node, targets []target, a *aggScope) (int, error) {
	item := n
	if c := n.GetAConst(); c != nil && c.GetIval() != nil {
		i := int(c.GetIval().Ival)
		if i < 1 || i > len(targets) {
			return 0, sqlerr.New(sqlerr.InvalidColumnReference, "GROUP BY position %d is not in select list", i).WithPosition(b.pos(c.Location))
		}
		if targets[i-1].node == nil {
			return a.addGroup(targets[i-1].expr), nil
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
		return 0, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY").WithPosition(b.pos(b.aggLocation(item)))
	}
	e, err := b.expr(item, a.input)
	if err != nil {
		return 0, err
	}
	return a.addGroup(e), nil
}

// addGroup adds a grouping expression unless an equal one is there, and returns its
// position.
func (a *aggScope) addGroup(e Expr) int {
	if i := a.groupIndex(e); i >= 0 {
		return i
	}
	a.groups = append(a.groups, e)
	return len(a.groups) - 1
}

// unionSet returns the positions of s followed by those of t not in s, in a new slice.
func unionSet(s, t []int) []int {
	out := make([]int, len(s), len(s)+len(t))
	copy(out, s)
	for _, x := range t {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
