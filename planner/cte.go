package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
)

// bindState is the binder's state for the features bound around the core clauses: the
// WITH queries in scope, the views being expanded, and the set-operation leaf whose untyped
// literals stay untyped until the set operation unifies its sides.
type bindState struct {
	// ctes holds the WITH clauses around the query being bound, outermost first. A CTE's
	// name is visible to the later CTEs of its clause, to the clause's query and to
	// everything nested in them (subqueries in FROM and in expressions), but not inside a
	// view's definition.
	ctes []*cteFrame
	// withDone is the statement whose WITH clause is in ctes already, so that bindSelect,
	// called again for it, goes on to the query itself.
	withDone *pg.SelectStmt
	// views holds the qualified names of the views being expanded, outermost first, to
	// stop a view that reads itself.
	views []string
	// keepUnknown is a set operation's leaf SELECT: finishSelect leaves its untyped
	// literals (NULL, 'text') untyped, as PostgreSQL does, so that `SELECT NULL UNION
	// SELECT 1` resolves the NULL to integer.
	keepUnknown *pg.SelectStmt
}

// cteFrame is one WITH clause: its queries, bound, in order of definition.
type cteFrame struct {
	defs []*cteDef
}

// cteDef is one bound WITH query. An inlined one's plan is shared by every reference:
// plan nodes are immutable, so the rules and the executor treat each reference as its own
// subtree. A materialized one (shared set, plan_cte.go) is computed once, and each
// reference is a CteScan of it.
type cteDef struct {
	name   string
	node   Node
	shared *CTE
}

// Codes of the errors of this file (PostgreSQL's).
const (
	codeDuplicateAlias     = "42712" // duplicate_alias
	codeInvalidRecursion   = "42P19" // invalid_recursion
	codeInvalidObjectDef   = "42P17" // invalid_object_definition
	codeWindowingError     = "42P20" // windowing_error
	codeInvalidFrameOffset = "22013" // invalid_preceding_or_following_size
	codeNullNotAllowed     = "22004" // null_value_not_allowed
)

// bindWith binds a statement's WITH clause, then the statement with the clause's queries
// in scope. A CTE referenced once is inlined as a derived table; one referenced more than
// once, or AS MATERIALIZED, is computed once (materializeCTE, plan_cte.go).
func (b *Binder) bindWith(sel *pg.SelectStmt) (Node, error) {
	wc := sel.WithClause
	if wc.Recursive {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "WITH RECURSIVE is not supported yet").WithPosition(b.pos(wc.Location))
	}
	frame := &cteFrame{}
	b.st.ctes = append(b.st.ctes, frame)
	defer func() { b.st.ctes = b.st.ctes[:len(b.st.ctes)-1] }()
	for i, n := range wc.Ctes {
		c := n.GetCommonTableExpr()
		if c == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "WITH item not supported")
		}
		name := strings.ToLower(c.Ctename)
		for _, d := range frame.defs {
			if d.name == name {
				return nil, sqlerr.New(codeDuplicateAlias, "WITH query name %q specified more than once", name).WithPosition(b.pos(c.Location))
			}
		}
		q := c.Ctequery.GetSelectStmt()
		if q == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "data-modifying statements in WITH are not supported").WithPosition(b.pos(c.Location))
		}
		if c.SearchClause != nil || c.CycleClause != nil {
			return nil, sqlerr.New(sqlerr.SyntaxError, "WITH query %q does not have a RECURSIVE term", name).WithPosition(b.pos(c.Location))
		}
		node, err := b.bindSelect(q)
		if err != nil {
			return nil, err
		}
		if cols := names(c.Aliascolnames); len(cols) > 0 {
			if visible := visibleCount(node); len(cols) > visible {
				return nil, sqlerr.New(sqlerr.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", name, visible, len(cols)).WithPosition(b.pos(c.Location))
			}
			if node, err = requalify(node, name, cols); err != nil {
				return nil, err
			}
		}
		d := &cteDef{name: name, node: node}
		if materializeCTE(node, c.Ctematerialized, cteRefCount(sel, i, name)) {
			d.shared = &CTE{Name: name, Plan: node}
		}
		frame.defs = append(frame.defs, d)
	}
	prev := b.st.withDone
	b.st.withDone = sel
	defer func() { b.st.withDone = prev }()
	return b.bindSelect(sel)
}

// cteRef resolves an unqualified table name to the nearest WITH query of that name. ok is
// false when no CTE in scope has the name.
func (b *Binder) cteRef(rv *pg.RangeVar) (n Node, ok bool, err error) {
	if rv.Schemaname != "" || rv.Catalogname != "" {
		return nil, false, nil
	}
	name := strings.ToLower(rv.Relname)
	for i := len(b.st.ctes) - 1; i >= 0; i-- {
		for _, d := range b.st.ctes[i].defs {
			if d.name != name {
				continue
			}
			alias := name
			var colNames []string
			if rv.Alias != nil {
				alias = strings.ToLower(rv.Alias.Aliasname)
				colNames = names(rv.Alias.Colnames)
			}
			out, err := requalify(d.node, alias, colNames)
			if err != nil {
				return nil, true, b.errAt(err, rv.Location)
			}
			if d.shared != nil {
				cols := out.Columns()
				return &CteScan{CTE: d.shared, Alias: alias, Keep: identity(len(cols)), Cols: cols}, true, nil
			}
			return out, true, nil
		}
	}
	return nil, false, nil
}

// visibleCount is the number of columns of n a * or a column alias list sees.
func visibleCount(n Node) int {
	v := 0
	for _, c := range n.Columns() {
		if !c.Hidden && !c.QualifiedOnly {
			v++
		}
	}
	return v
}
