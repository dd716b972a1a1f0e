package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// joinExpr binds `a [kind] JOIN b {ON cond | USING (cols)}`, NATURAL and CROSS joins. The
// ON condition stays whole in Cond; the rule PushFiltersIntoJoins later splits it into
// equi-keys, conditions on one side (pushed below the join) and a residual.
func (b *Binder) joinExpr(j *pg.JoinExpr) (Node, error) {
	left, err := b.fromItem(j.Larg)
	if err != nil {
		return nil, err
	}
	right, err := b.fromItem(j.Rarg)
	if err != nil {
		return nil, err
	}
	var kind JoinKind
	switch j.Jointype {
	case pg.JoinType_JOIN_INNER:
		kind = InnerJoin
	case pg.JoinType_JOIN_LEFT:
		kind = LeftJoin
	case pg.JoinType_JOIN_RIGHT:
		kind = RightJoin
	case pg.JoinType_JOIN_FULL:
		kind = FullJoin
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "join type %s is not supported", j.Jointype)
	}
	lcols, rcols := left.Columns(), right.Columns()
	all := append(append([]Column(nil), lcols...), rcols...)
	var node Node
	using := names(j.UsingClause)
	if j.IsNatural {
		using = naturalColumns(lcols, rcols)
	}
	switch {
	case j.IsNatural || len(using) > 0:
		node, err = b.joinUsing(kind, left, right, using)
		if err != nil {
			return nil, err
		}
	case j.Quals != nil:
		cond, err := b.expr(j.Quals, newScope(all))
		if err != nil {
			return nil, err
		}
		if cond, err = b.whereCond(cond, "JOIN/ON", j.Quals); err != nil {
			return nil, err
		}
		if hasSubquery(cond) {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "subqueries in JOIN ... ON are not supported yet").WithPosition(b.pos(exprLocation(j.Quals)))
		}
		node = &Join{Kind: kind, Left: left, Right: right, Cond: cond}
	default:
		node = &Join{Kind: kind, Left: left, Right: right}
	}
	if j.Alias != nil {
		return requalify(node, strings.ToLower(j.Alias.Aliasname), names(j.Alias.Colnames))
	}
	return node, nil
}

// naturalColumns returns the column names both sides have, in the left's order.
func naturalColumns(lcols, rcols []Column) []string {
	var out []string
	for _, l := range lcols {
		if l.Hidden || l.QualifiedOnly {
			continue
		}
		for _, r := range rcols {
			if !r.Hidden && !r.QualifiedOnly && strings.EqualFold(l.Name, r.Name) {
				out = append(out, strings.ToLower(l.Name))
				break
			}
		}
	}
	return out
}

// joinUsing binds a join on equal named columns. As in PostgreSQL, the output has one
// merged column per USING name first (the left's value, the right's for a RIGHT join,
// COALESCE of both for a FULL join), then the other columns of each side; the sides' own
// copies stay reachable by qualified name only.
func (b *Binder) joinUsing(kind JoinKind, left, right Node, using []string) (Node, error) {
	lcols, rcols := left.Columns(), right.Columns()
	ls, rs := newScope(lcols), newScope(rcols)
	nl := len(lcols)
	var conds []Expr
	var merged []Expr
	var mergedCols []Column
	lused, rused := map[int]bool{}, map[int]bool{}
	for _, name := range using {
		name = strings.ToLower(name)
		li, err := ls.resolve("", name, 0)
		if err != nil {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q specified in USING clause does not exist in left table", name)
		}
		ri, err := rs.resolve("", name, 0)
		if err != nil {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q specified in USING clause does not exist in right table", name)
		}
		if lused[li] {
			return nil, sqlerr.New(sqlerr.DuplicateColumn, "column name %q appears more than once in USING clause", name)
		}
		lused[li], rused[ri] = true, true
		l := &ColumnRef{Index: li, Name: lcols[li].Name, T: lcols[li].Type}
		r := &ColumnRef{Index: nl + ri, Name: rcols[ri].Name, T: rcols[ri].Type}
		eq, err := b.binary("=", l, r, -1)
		if err != nil {
			return nil, err
		}
		conds = append(conds, eq)
		var m Expr = l
		switch kind {
		case RightJoin:
			m = r
		case FullJoin:
			t, args, err := b.unify([]Expr{l, r}, "JOIN/USING", -1)
			if err != nil {
				return nil, err
			}
			m = &Coalesce{Args: args, T: t}
		}
		merged = append(merged, m)
		mergedCols = append(mergedCols, Column{Name: lcols[li].Name, Type: m.Type()})
	}
	var cond Expr
	switch len(conds) {
	case 0:
	case 1:
		cond = conds[0]
	default:
		cond = &BoolOp{And: true, Args: conds}
	}
	join := &Join{Kind: kind, Left: left, Right: right, Cond: cond}
	exprs := append([]Expr(nil), merged...)
	cols := append([]Column(nil), mergedCols...)
	var tail []Expr
	var tailCols []Column
	for i, c := range lcols {
		ref := &ColumnRef{Index: i, Name: c.Name, T: c.Type}
		if lused[i] {
			c.QualifiedOnly = true
			tail, tailCols = append(tail, ref), append(tailCols, c)
			continue
		}
		exprs, cols = append(exprs, ref), append(cols, c)
	}
	for i, c := range rcols {
		ref := &ColumnRef{Index: nl + i, Name: c.Name, T: c.Type}
		if rused[i] {
			c.QualifiedOnly = true
			tail, tailCols = append(tail, ref), append(tailCols, c)
			continue
		}
		exprs, cols = append(exprs, ref), append(cols, c)
	}
	return &Project{Input: join, Exprs: append(exprs, tail...), Cols: append(cols, tailCols...)}, nil
}

// crossJoin joins the items of a FROM list. Their WHERE conditions become join conditions
// through the rule PushFiltersIntoJoins.
func crossJoin(items []Node) Node {
	n := items[0]
	for _, r := range items[1:] {
		n = &Join{Kind: InnerJoin, Left: n, Right: r}
	}
	return n
}

// joinCondition returns the conjunction of conds (nil for none).
func joinCondition(conds []Expr) Expr {
	switch len(conds) {
	case 0:
		return nil
	case 1:
		return conds[0]
	}
	var flat []Expr
	for _, c := range conds {
		flat = append(flat, conjuncts(c)...)
	}
	return &BoolOp{And: true, Args: flat}
}

// splitJoinCond sorts the conjuncts of a join condition over left ++ right columns (nl
// left columns) into equi-key pairs (an `=` with one side over each input), and the rest.
// Key expressions are returned over their own input's columns.
func splitJoinCond(cond Expr, nl int) (lkeys, rkeys []Expr, rest []Expr) {
	if cond == nil {
		return nil, nil, nil
	}
	for _, c := range conjuncts(cond) {
		if l, r, ok := equiPair(c, nl); ok {
			lkeys, rkeys = append(lkeys, l), append(rkeys, r)
			continue
		}
		rest = append(rest, c)
	}
	return lkeys, rkeys, rest
}

// equiPair recognizes `l = r` with l over the left columns only and r over the right
// columns only (or the other way round), both hashable.
func equiPair(c Expr, nl int) (Expr, Expr, bool) {
	call, ok := c.(*Call)
	if !ok || call.Name != "=" || len(call.Args) != 2 {
		return nil, nil, false
	}
	a, b := call.Args[0], call.Args[1]
	if !hashable(a.Type()) || !a.Type().Equal(b.Type()) {
		return nil, nil, false
	}
	sa, sb := sideOf(a, nl), sideOf(b, nl)
	switch {
	case sa == sideLeft && sb == sideRight:
		return a, shift(b, -nl), true
	case sa == sideRight && sb == sideLeft:
		return b, shift(a, -nl), true
	}
	return nil, nil, false
}

// hashable reports whether values of t can be join keys: equal values have one encoding.
func hashable(t types.T) bool {
	switch t.Kind {
	case types.Bool, types.Int16, types.Int32, types.Int64, types.Date, types.Timestamp,
		types.TimestampTZ, types.Time, types.Varchar, types.Decimal, types.Float32, types.Float64:
		return true
	}
	return false
}

type side uint8

const (
	sideNone  side = 0 // reads no column
	sideLeft  side = 1
	sideRight side = 2
	sideBoth  side = 3
)

// sideOf says which inputs of a join an expression over left ++ right columns reads.
// Volatile expressions count as both, so they are never moved.
func sideOf(e Expr, nl int) side {
	s := sideNone
	Walk(e, func(x Expr) bool {
		switch c := x.(type) {
		case *ColumnRef:
			if c.Index < nl {
				s |= sideLeft
			} else {
				s |= sideRight
			}
		case *OuterRef, *Subquery:
			s = sideBoth
		case *Call:
			if c.Volatility == function.Volatile {
				s = sideBoth
			}
		}
		return true
	})
	return s
}

// shift moves every column index of e by d.
func shift(e Expr, d int) Expr {
	if d == 0 {
		return e
	}
	return Rewrite(e, func(x Expr) Expr {
		if c, ok := x.(*ColumnRef); ok {
			n := *c
			n.Index += d
			return &n
		}
		return x
	})
}
