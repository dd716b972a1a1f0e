package planner

import (
	"context"
	"errors"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
)

// Catalog is what the binder needs of the catalog.
type Catalog interface {
	GetTable(ctx context.Context, db, name string) (*catalog.Table, error)
}

// Binder binds one statement. It is not safe for concurrent use; make one per statement.
type Binder struct {
	ctx       context.Context
	cat       Catalog
	funcs     *function.Registry
	defaultDB string
	sql       string // the statement's text, for error positions
	fctx      *function.Context
	// outer holds the scopes of the queries around the subquery being bound, outermost
	// first, for correlated column references.
	outer []*scope
	// st is the state of WITH queries, view expansion and set operations (cte.go).
	st bindState
	// params binds $n references (params.go); nil outside prepared statements.
	params *Params
	// tryDepth is above 0 while the argument of TRY is bound (expr_try.go).
	tryDepth int
	// lazyDepth is above 0 while a CASE or COALESCE branch that may not be taken is bound
	// (expr_case_lazy.go).
	lazyDepth int
	// srfCols maps the set-returning calls of a select list to their Unnest columns
	// (unnest.go).
	srfCols map[*pg.FuncCall]int
}

// NewBinder returns a binder for a statement whose text is sql. defaultDB is the database
// unqualified table names resolve in (the session's search_path).
func NewBinder(ctx context.Context, cat Catalog, funcs *function.Registry, defaultDB, sql string, fctx *function.Context) *Binder {
	return &Binder{ctx: ctx, cat: cat, funcs: funcs, defaultDB: defaultDB, sql: sql, fctx: fctx}
}

// pos converts a pg_query byte location (0-based, -1 when unknown) to PostgreSQL's 1-based
// character position (0 when unknown).
func (b *Binder) pos(loc int32) int {
	if loc < 0 || int(loc) > len(b.sql) {
		return 0
	}
	return utf8.RuneCountInString(b.sql[:loc]) + 1
}

// errAt gives err a position when it is a coded error without one.
func (b *Binder) errAt(err error, loc int32) error {
	var e *sqlerr.Error
	if errors.As(err, &e) && e.Position == 0 && loc >= 0 {
		return e.WithPosition(b.pos(loc))
	}
	return err
}

// BindQuery binds a SELECT (or VALUES) statement into a logical plan whose visible columns
// are the query's result columns.
func (b *Binder) BindQuery(stmt *pg.SelectStmt) (Node, error) {
	rewriteExpandArray(stmt) // pg_expandarray.go
	n, err := b.bindSelect(stmt)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// strVal returns the string of a String node ("" otherwise).
func strVal(n *pg.Node) string {
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

// names returns the strings of a list of String nodes.
func names(ns []*pg.Node) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, strVal(n))
	}
	return out
}
