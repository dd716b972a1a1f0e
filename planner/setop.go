package planner

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Union concatenates its inputs: UNION ALL. Every input has the union's column types, in
// order; the output takes its names from the first (left-most) query. UNION without ALL is
// an Aggregate grouping by every column over a Union.
type Union struct {
	Branches []Node
	Cols     []Column
}

func (n *Union) Columns() []Column { return n.Cols }
func (n *Union) Inputs() []Node    { return n.Branches }
func (n *Union) String() string    { return fmt.Sprintf("Union inputs=%d", len(n.Branches)) }

// SetOpKind is INTERSECT or EXCEPT.
type SetOpKind uint8

const (
	// Intersect keeps the left's rows that the right has too.
	Intersect SetOpKind = iota
	// Except keeps the left's rows that the right does not have.
	Except
)

func (k SetOpKind) String() string {
	if k == Except {
		return "except"
	}
	return "intersect"
}

// SetOp is INTERSECT or EXCEPT of two inputs with the same column types. Rows are compared
// whole, with NULLs equal to each other. Without All the output has no duplicates; with All
// a row the left has l times and the right r times is output min(l, r) times (INTERSECT
// ALL) or max(l - r, 0) times (EXCEPT ALL). The executor hashes the right side and streams
// the left.
type SetOp struct {
	Kind        SetOpKind
	All         bool
	Left, Right Node
	Cols        []Column
}

func (n *SetOp) Columns() []Column { return n.Cols }
func (n *SetOp) Inputs() []Node    { return []Node{n.Left, n.Right} }
func (n *SetOp) String() string {
	return fmt.Sprintf("SetOp op=%s, all=%t", n.Kind, n.All)
}

// setOpName is the SQL keyword of a set operation, for error messages.
func setOpName(op pg.SetOperation) string {
	switch op {
	case pg.SetOperation_SETOP_INTERSECT:
		return "INTERSECT"
	case pg.SetOperation_SETOP_EXCEPT:
		return "EXCEPT"
	}
	return "UNION"
}

// bindSetOp binds UNION / INTERSECT / EXCEPT with the ORDER BY and LIMIT that apply to
// the whole result. As in PostgreSQL, ORDER BY may name only output columns (by name or
// position), and nested set operations bind left to right, each resolving its column types
// from its two sides.
func (b *Binder) bindSetOp(sel *pg.SelectStmt) (Node, error) {
	node, err := b.setOpTree(sel)
	if err != nil {
		return nil, err
	}
	if len(sel.SortClause) == 0 && sel.LimitCount == nil && sel.LimitOffset == nil {
		return node, nil
	}
	cols := node.Columns()
	targets := make([]target, len(cols))
	for i, c := range cols {
		targets[i] = target{expr: &ColumnRef{Index: i, Name: c.Name, T: c.Type}, name: c.Name}
	}
	for _, n := range sel.SortClause {
		sb := n.GetSortBy()
		if c := sb.Node.GetAConst(); c != nil && c.GetIval() != nil {
			continue
		}
		if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetAStar() == nil {
			continue
		}
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
			WithDetail("Only result column names can be used, not expressions or functions.").
			WithHint("Add the expression/function to every SELECT, or move the UNION into a FROM clause.").
			WithPosition(b.pos(leftmostLocation(sb.Node)))
	}
	keys, err := b.bindOrderBy(sel.SortClause, targets, newScope(cols))
	if err != nil {
		return nil, err
	}
	return b.finishSelect(sel, node, targets, keys)
}

// setOpTree binds a set operation without its own ORDER BY and LIMIT.
func (b *Binder) setOpTree(sel *pg.SelectStmt) (Node, error) {
	left, err := b.setOpInput(sel.Larg)
	if err != nil {
		return nil, err
	}
	right, err := b.setOpInput(sel.Rarg)
	if err != nil {
		return nil, err
	}
	opName := setOpName(sel.Op)
	lcols, rcols := left.Columns(), right.Columns()
	if len(lcols) != len(rcols) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "each %s query must have the same number of columns", opName)
	}
	want := make([]types.T, len(lcols))
	cols := make([]Column, len(lcols))
	for i := range lcols {
		t, ok := function.CommonType(lcols[i].Type, rcols[i].Type)
		if !ok {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "%s types %s and %s cannot be matched", opName, lcols[i].Type, rcols[i].Type)
		}
		want[i] = t
		cols[i] = Column{Name: lcols[i].Name, Type: t}
	}
	if left, err = b.castColumns(left, want); err != nil {
		return nil, err
	}
	if right, err = b.castColumns(right, want); err != nil {
		return nil, err
	}
	switch sel.Op {
	case pg.SetOperation_SETOP_UNION:
		// UNION ALL chains flatten into one n-ary Union.
		var inputs []Node
		for _, in := range []Node{left, right} {
			if u, ok := in.(*Union); ok {
				inputs = append(inputs, u.Branches...)
			} else {
				inputs = append(inputs, in)
			}
		}
		var node Node = &Union{Branches: inputs, Cols: cols}
		if !sel.All {
			node = distinct(node)
		}
		return node, nil
	case pg.SetOperation_SETOP_INTERSECT:
		return &SetOp{Kind: Intersect, All: sel.All, Left: left, Right: right, Cols: cols}, nil
	}
	return &SetOp{Kind: Except, All: sel.All, Left: left, Right: right, Cols: cols}, nil
}

// setOpInput binds one side of a set operation. A nested set operation without ORDER BY,
// LIMIT or WITH of its own is bound as part of the tree (so UNION ALL chains flatten); any
// other side is a query of its own whose untyped literals stay untyped for the set
// operation to resolve (unless its DISTINCT, ORDER BY or GROUP BY resolved them).
func (b *Binder) setOpInput(sel *pg.SelectStmt) (Node, error) {
	nested := sel.Op != pg.SetOperation_SETOP_NONE && sel.Op != pg.SetOperation_SET_OPERATION_UNDEFINED
	if nested && sel.WithClause == nil && len(sel.SortClause) == 0 && sel.LimitCount == nil && sel.LimitOffset == nil {
		return b.setOpTree(sel)
	}
	prev := b.st.keepUnknown
	b.st.keepUnknown = nil
	if len(sel.DistinctClause) == 0 && len(sel.SortClause) == 0 && len(sel.GroupClause) == 0 {
		// DISTINCT, ORDER BY and GROUP BY resolve a column's type (to text) first, as in
		// PostgreSQL.
		b.st.keepUnknown = sel
	}
	defer func() { b.st.keepUnknown = prev }()
	return b.bindSelect(sel)
}

// distinct removes duplicate rows: an Aggregate grouping by every column.
func distinct(n Node) Node {
	cols := n.Columns()
	groups := make([]Expr, len(cols))
	for i, c := range cols {
		groups[i] = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
	}
	return &Aggregate{Input: n, GroupBy: groups, Cols: cols}
}

// castColumns converts n's output columns to the types want. A Project on top absorbs the
// casts, so that untyped literals fold into typed ones.
func (b *Binder) castColumns(n Node, want []types.T) (Node, error) {
	cols := n.Columns()
	same := true
	for i, c := range cols {
		if !c.Type.Equal(want[i]) {
			same = false
		}
	}
	if same {
		return n, nil
	}
	exprs := make([]Expr, len(cols))
	out := make([]Column, len(cols))
	p, isProject := n.(*Project)
	input := n
	if isProject {
		input = p.Input
	}
	for i, c := range cols {
		var e Expr = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
		if isProject {
			e = p.Exprs[i]
		}
		if !c.Type.Equal(want[i]) {
			var err error
			if e, err = b.cast(e, want[i], false, -1); err != nil {
				return nil, err
			}
		}
		exprs[i] = e
		out[i] = c
		out[i].Type = want[i]
	}
	return &Project{Input: input, Exprs: exprs, Cols: out}, nil
}

// leftmostLocation is where an expression starts, for error positions: an operator's
// location is the operator's, PostgreSQL points at its left operand.
func leftmostLocation(n *pg.Node) int32 {
	if a := n.GetAExpr(); a != nil && a.Lexpr != nil {
		if l := leftmostLocation(a.Lexpr); l >= 0 && (a.Location < 0 || l < a.Location) {
			return l
		}
	}
	return exprLocation(n)
}
