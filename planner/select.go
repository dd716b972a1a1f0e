package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// bindSelect binds one SELECT: FROM, WHERE, GROUP BY / aggregates, HAVING, the select
// list, DISTINCT, ORDER BY and LIMIT, in SQL's logical order.
func (b *Binder) bindSelect(sel *pg.SelectStmt) (Node, error) {
	if sel.WithClause != nil && b.st.withDone != sel {
		return b.bindWith(sel) // cte.go
	}
	if sel.Op != pg.SetOperation_SETOP_NONE && sel.Op != pg.SetOperation_SET_OPERATION_UNDEFINED {
		return b.bindSetOp(sel) // setop.go
	}
	if len(sel.ValuesLists) > 0 {
		return b.bindValues(sel)
	}
	if sel.IntoClause != nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "SELECT INTO is not supported; use CREATE TABLE AS")
	}
	input, err := b.bindFrom(sel.FromClause)
	if err != nil {
		return nil, err
	}
	in := newScope(input.Columns())
	ws, err := b.newWinScope(sel) // window_bind.go
	if err != nil {
		return nil, err
	}

	if sel.WhereClause != nil {
		if b.containsAgg(sel.WhereClause) {
			return nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in WHERE").WithPosition(b.pos(b.aggLocation(sel.WhereClause)))
		}
		if err := b.noWindows(sel.WhereClause, "WHERE"); err != nil {
			return nil, err
		}
		cond, err := b.expr(sel.WhereClause, in)
		if err != nil {
			return nil, err
		}
		if cond, err = b.whereCond(cond, "WHERE", sel.WhereClause); err != nil {
			return nil, err
		}
		input = &Filter{Input: input, Cond: cond}
	}

	targets, err := b.expandTargets(sel.TargetList, in)
	if err != nil {
		return nil, err
	}
	// Set-returning functions in the select list expand the rows first (unnest.go).
	if input, in, err = b.srfTargets(targets, input, in); err != nil {
		return nil, err
	}

	// Aggregation: GROUP BY, or an aggregate anywhere in the select list, HAVING or ORDER BY.
	aggregated := len(sel.GroupClause) > 0 || sel.HavingClause != nil
	for _, t := range targets {
		if t.node != nil && b.containsAgg(t.node) {
			aggregated = true
		}
	}
	for _, sb := range sel.SortClause {
		if b.containsAgg(sb.GetSortBy().Node) {
			aggregated = true
		}
	}
	// Window calls in the select list and ORDER BY are bound over the FROM/WHERE scope, or
	// over the aggregate's output in an aggregated query.
	ws.input = in
	outScope := &scope{cols: in.cols, win: ws}
	if aggregated {
		a := &aggScope{input: in}
		for _, g := range sel.GroupClause {
			if err := b.noWindows(g, "GROUP BY"); err != nil {
				return nil, err
			}
		}
		if err := b.noWindows(sel.HavingClause, "HAVING"); err != nil {
			return nil, err
		}
		if err := b.bindGroupBy(sel.GroupClause, targets, a); err != nil {
			return nil, err
		}
		if sel.GroupDistinct {
			a.distinctSets()
		}
		ws.input = &scope{agg: a}
		outScope = &scope{cols: nil, agg: a, win: ws}
		// Bind everything that reads the aggregate's output before building the node, so
		// that all aggregates are known.
		for i := range targets {
			if targets[i].node == nil {
				// An expanded * column: it must be grouped.
				e := targets[i].expr
				gi := a.groupIndex(e)
				if gi < 0 {
					return nil, sqlerr.New(sqlerr.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", targets[i].name)
				}
				targets[i].expr = &ColumnRef{Index: gi, Name: targets[i].name, T: e.Type()}
				continue
			}
			if targets[i].expr, err = b.expr(targets[i].node, outScope); err != nil {
				return nil, err
			}
		}
		var having Expr
		if sel.HavingClause != nil {
			h, err := b.expr(sel.HavingClause, outScope)
			if err != nil {
				return nil, err
			}
			if having, err = b.whereCond(h, "HAVING", sel.HavingClause); err != nil {
				return nil, err
			}
		}
		sortKeys, err := b.bindOrderBy(sel.SortClause, targets, outScope)
		if err != nil {
			return nil, err
		}
		node := a.aggregateNode(input) // grouping_sets.go
		if having != nil {
			node = &Filter{Input: node, Cond: having}
		}
		if node, err = b.applyWindows(ws, node, targets, sortKeys); err != nil {
			return nil, err
		}
		return b.finishSelect(sel, node, targets, sortKeys)
	}

	for i := range targets {
		if targets[i].node != nil {
			if targets[i].expr, err = b.expr(targets[i].node, outScope); err != nil {
				return nil, err
			}
		}
	}
	sortKeys, err := b.bindOrderBy(sel.SortClause, targets, outScope)
	if err != nil {
		return nil, err
	}
	if input, err = b.applyWindows(ws, input, targets, sortKeys); err != nil {
		return nil, err
	}
	return b.finishSelect(sel, input, targets, sortKeys)
}

// whereCond checks that a WHERE or HAVING condition is boolean.
func (b *Binder) whereCond(cond Expr, clause string, n *pg.Node) (Expr, error) {
	switch cond.Type().Kind {
	case types.Bool:
		return cond, nil
	case types.Unknown:
		return b.cast(cond, types.BoolT, false, exprLocation(n))
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s", clause, cond.Type()).WithPosition(b.pos(exprLocation(n)))
}

// target is one select-list entry.
type target struct {
	node *pg.Node // nil for columns expanded from *
	expr Expr
	name string
}

// expandTargets expands * and t.* and names every select-list entry. Entries from * are
// bound at once; the rest are bound later, once it is known whether the query aggregates.
func (b *Binder) expandTargets(list []*pg.Node, in *scope) ([]target, error) {
	var out []target
	for _, n := range list {
		rt := n.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			qual := ""
			if len(cr.Fields) >= 2 {
				qual = strings.ToLower(strVal(cr.Fields[len(cr.Fields)-2]))
			}
			matched := false
			for i, c := range in.cols {
				if c.Hidden || (qual == "" && c.QualifiedOnly) || (qual != "" && strings.ToLower(c.Table) != qual) {
					continue
				}
				matched = true
				out = append(out, target{expr: &ColumnRef{Index: i, Name: c.Name, T: c.Type}, name: c.Name})
			}
			if qual != "" && !matched {
				return nil, sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table %q", qual).WithPosition(b.pos(cr.Location))
			}
			if qual == "" && len(in.cols) == 0 {
				return nil, sqlerr.New(sqlerr.SyntaxError, "SELECT * with no tables specified is not valid").WithPosition(b.pos(cr.Location))
			}
			continue
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		out = append(out, target{node: rt.Val, name: name})
	}
	return out, nil
}

// figureColname names an unaliased select-list entry as PostgreSQL does.
func figureColname(n *pg.Node) string {
	switch {
	case n.GetColumnRef() != nil:
		f := n.GetColumnRef().Fields
		return strVal(f[len(f)-1])
	case n.GetFuncCall() != nil:
		return funcName(n.GetFuncCall())
	case n.GetTypeCast() != nil:
		if name := figureColname(n.GetTypeCast().Arg); name != "?column?" {
			return name
		}
		ns := names(n.GetTypeCast().TypeName.Names)
		return ns[len(ns)-1]
	case n.GetGroupingFunc() != nil:
		return "grouping"
	case n.GetSubLink() != nil:
		return sublinkColname(n.GetSubLink())
	case n.GetAArrayExpr() != nil:
		return "array"
	case n.GetRowExpr() != nil:
		return "row"
	case n.GetAIndirection() != nil:
		// The last field name, if any (`(c).f`), else the indirected expression's name:
		// `(current_schemas(true))[1]` is current_schemas.
		ind := n.GetAIndirection()
		name := ""
		for _, i := range ind.Indirection {
			if i.GetString_() != nil {
				name = i.GetString_().Sval
			}
		}
		if name != "" {
			return name
		}
		return figureColname(ind.Arg)
	case n.GetCaseExpr() != nil:
		return "case"
	case n.GetCoalesceExpr() != nil:
		return "coalesce"
	case n.GetMinMaxExpr() != nil:
		if n.GetMinMaxExpr().Op == pg.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case n.GetSqlvalueFunction() != nil:
		switch n.GetSqlvalueFunction().Op {
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return "current_date"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
			return "current_timestamp"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return "current_user"
		case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return "session_user"
		case pg.SQLValueFunctionOp_SVFOP_USER:
			return "user"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
			return "current_role"
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return "localtimestamp"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
			return "current_time"
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
			return "localtime"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return "current_schema"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return "current_catalog"
		}
	}
	return "?column?"
}

// sublinkColname names a subquery in a select list as PostgreSQL does: EXISTS is "exists",
// ARRAY(...) "array", a scalar subquery takes its own column's name.
func sublinkColname(l *pg.SubLink) string {
	switch l.SubLinkType {
	case pg.SubLinkType_EXISTS_SUBLINK:
		return "exists"
	case pg.SubLinkType_ARRAY_SUBLINK:
		return "array"
	case pg.SubLinkType_EXPR_SUBLINK:
		sel := l.Subselect.GetSelectStmt()
		for sel != nil && sel.Op != pg.SetOperation_SETOP_NONE && sel.Larg != nil {
			sel = sel.Larg
		}
		if sel == nil || len(sel.TargetList) == 0 {
			break
		}
		rt := sel.TargetList[0].GetResTarget()
		if rt == nil {
			break
		}
		if rt.Name != "" {
			return rt.Name
		}
		if rt.Val != nil && rt.Val.GetColumnRef() != nil && rt.Val.GetColumnRef().Fields[len(rt.Val.GetColumnRef().Fields)-1].GetAStar() != nil {
			break
		}
		return figureColname(rt.Val)
	}
	return "?column?"
}

// finishSelect builds Project (select list plus hidden sort keys), DISTINCT, Sort, Limit
// and the final Project that drops hidden columns.
func (b *Binder) finishSelect(sel *pg.SelectStmt, input Node, targets []target, keys []orderKey) (Node, error) {
	exprs := make([]Expr, 0, len(targets))
	cols := make([]Column, 0, len(targets))
	inCols := input.Columns()
	for _, t := range targets {
		exprs = append(exprs, t.expr)
		c := Column{Name: t.name, Type: t.expr.Type()}
		if r, ok := t.expr.(*ColumnRef); ok {
			c.Table = inCols[r.Index].Table
		}
		if c.Type.Kind == types.Unknown && sel != b.st.keepUnknown {
			// An untyped literal in the select list is text, as in PostgreSQL (a set
			// operation's sides keep theirs for the set operation to resolve).
			e, err := b.cast(t.expr, types.VarcharT, false, -1)
			if err != nil {
				return nil, err
			}
			exprs[len(exprs)-1] = e
			c.Type = types.VarcharT
		}
		cols = append(cols, c)
	}
	visible := len(exprs)
	sortKeys := make([]SortKey, len(keys))
	for i, k := range keys {
		idx := k.target
		if idx < 0 {
			if len(sel.DistinctClause) > 0 {
				return nil, sqlerr.New(sqlerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list").WithPosition(b.pos(k.loc))
			}
			idx = len(exprs)
			exprs = append(exprs, k.expr)
			cols = append(cols, Column{Name: "?sort?", Type: k.expr.Type(), Hidden: true})
		}
		sortKeys[i] = SortKey{Expr: &ColumnRef{Index: idx, Name: cols[idx].Name, T: cols[idx].Type}, Desc: k.desc, NullsFirst: k.nullsFirst}
	}
	var node Node = &Project{Input: input, Exprs: exprs, Cols: cols}
	if len(sel.DistinctClause) > 0 {
		if len(sel.DistinctClause) > 1 || sel.DistinctClause[0].GetNode() != nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DISTINCT ON is not supported yet")
		}
		groups := make([]Expr, len(cols))
		for i, c := range cols {
			groups[i] = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
		}
		node = &Aggregate{Input: node, GroupBy: groups, Cols: cols}
	}
	if len(sortKeys) > 0 {
		node = &Sort{Input: node, Keys: sortKeys}
	}
	if sel.LimitCount != nil || sel.LimitOffset != nil {
		count, err := b.limitValue(sel.LimitCount, -1)
		if err != nil {
			return nil, err
		}
		offset, err := b.limitValue(sel.LimitOffset, 0)
		if err != nil {
			return nil, err
		}
		node = &Limit{Input: node, Count: count, Offset: offset}
	}
	if visible < len(exprs) {
		final := make([]Expr, visible)
		for i := 0; i < visible; i++ {
			final[i] = &ColumnRef{Index: i, Name: cols[i].Name, T: cols[i].Type}
		}
		node = &Project{Input: node, Exprs: final, Cols: cols[:visible]}
	}
	return node, nil
}

// limitValue evaluates a LIMIT or OFFSET expression, which must be a constant.
func (b *Binder) limitValue(n *pg.Node, def int64) (int64, error) {
	if n == nil {
		return def, nil
	}
	if c := n.GetAConst(); c != nil && c.Isnull {
		return def, nil // LIMIT NULL / LIMIT ALL
	}
	e, err := b.expr(n, newScope(nil))
	if err != nil {
		return 0, err
	}
	e, err = b.cast(e, types.Int64T, false, exprLocation(n))
	if err != nil {
		return 0, err
	}
	lit, ok := e.(*Literal)
	if !ok {
		return 0, sqlerr.New(sqlerr.FeatureNotSupported, "LIMIT and OFFSET must be constants").WithPosition(b.pos(exprLocation(n)))
	}
	if lit.IsNull() {
		return def, nil
	}
	v := lit.Value.(interface{ Value(int) int64 }).Value(0)
	if v < 0 {
		return 0, sqlerr.New("2201W", "LIMIT must not be negative")
	}
	return v, nil
}

// exprLocation returns a node's location for error positions (-1 when unknown).
func exprLocation(n *pg.Node) int32 {
	switch {
	case n == nil:
		return -1
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetAExpr() != nil:
		return n.GetAExpr().Location
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Location
	case n.GetTypeCast() != nil:
		return n.GetTypeCast().Location
	case n.GetBoolExpr() != nil:
		return n.GetBoolExpr().Location
	case n.GetNullTest() != nil:
		return n.GetNullTest().Location
	case n.GetCaseExpr() != nil:
		return n.GetCaseExpr().Location
	}
	return -1
}
