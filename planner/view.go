package planner

import (
	"errors"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Views are Glue VIRTUAL_VIEW tables: the catalog keeps the view's SELECT text
// (ViewOriginalText) and its output columns with Hive type names, and the binder expands a
// reference to a view by parsing and binding that text where the view is used, as a derived
// table. Unqualified table names in the text resolve in the database that was the creating
// session's (ViewDefaultDatabase), as Trino resolves them, whatever the reading session's.

// ViewDefaultDatabase is the table parameter holding the database unqualified names in a
// view's text resolve in.
const ViewDefaultDatabase = "quarry.view.default_database"

// BindViewQuery binds the query of CREATE VIEW and returns the view's columns as the catalog
// stores them: the query's output names, replaced in order by the statement's column list,
// and their types as Hive names.
func (b *Binder) BindViewQuery(v *pg.ViewStmt) ([]catalog.Column, error) {
	sel := v.Query.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "views must be defined by a SELECT")
	}
	n, err := b.BindQuery(sel)
	if err != nil {
		return nil, err
	}
	var out []catalog.Column
	for _, c := range n.Columns() {
		if c.Hidden {
			continue
		}
		out = append(out, catalog.Column{Name: c.Name, Type: c.Type.HiveName()})
	}
	aliases := names(v.Aliases)
	if len(aliases) > len(out) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	for i, a := range aliases {
		out[i].Name = a
	}
	seen := map[string]bool{}
	for _, c := range out {
		if seen[c.Name] {
			return nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", c.Name)
		}
		seen[c.Name] = true
	}
	return out, nil
}

// expandView binds a reference to a view: its text is parsed and bound with the binder's
// query state set aside (the reading query's CTEs and outer scopes are not visible inside a
// view), and its output is renamed and, if the underlying tables changed type since the view
// was made, cast to the columns the catalog lists. An error while binding the text names the
// view and points at the reference.
func (b *Binder) expandView(t *catalog.Table, rv *pg.RangeVar) (Node, error) {
	qual := t.DatabaseName + "." + t.Name
	for _, v := range b.st.views {
		if v == qual {
			return nil, sqlerr.New(codeInvalidObjectDef, "infinite recursion detected in rules for relation %q", t.Name).WithPosition(b.pos(rv.Location))
		}
	}
	node, err := b.bindViewText(t, qual)
	if err != nil {
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			return nil, err
		}
		out := *e
		out.Message = "view " + quoteIdent(qual) + ": " + e.Message
		out.Position = b.pos(rv.Location)
		return nil, &out
	}
	alias := strings.ToLower(t.Name)
	var colNames []string
	if rv.Alias != nil {
		alias = strings.ToLower(rv.Alias.Aliasname)
		colNames = names(rv.Alias.Colnames)
	}
	cols := node.Columns()
	stored := t.StorageDescriptor.Columns
	if len(cols) < len(stored) {
		return nil, sqlerr.New(codeInvalidObjectDef, "view %s returns %d columns but the catalog lists %d; recreate it with CREATE OR REPLACE VIEW", quoteIdent(qual), len(cols), len(stored)).WithPosition(b.pos(rv.Location))
	}
	exprs := make([]Expr, len(stored))
	out := make([]Column, len(stored))
	for i, sc := range stored {
		var e Expr = &ColumnRef{Index: i, Name: cols[i].Name, T: cols[i].Type}
		want, perr := types.Parse(sc.Type)
		if perr != nil {
			return nil, sqlerr.New(sqlerr.DataException, "view %s column %s has a bad type %q: %v", quoteIdent(qual), sc.Name, sc.Type, perr)
		}
		if !want.Equal(cols[i].Type) {
			if e, err = b.cast(e, want, false, rv.Location); err != nil {
				return nil, err
			}
		}
		exprs[i] = e
		out[i] = Column{Name: sc.Name, Table: alias, Type: want}
	}
	var res Node = &Project{Input: node, Exprs: exprs, Cols: out}
	if len(colNames) > 0 {
		return requalify(res, alias, colNames)
	}
	return res, nil
}

// bindViewText parses and binds a view's stored SELECT.
func (b *Binder) bindViewText(t *catalog.Table, qual string) (Node, error) {
	text := t.ViewOriginalText
	tree, err := pg.Parse(text)
	if err != nil {
		return nil, sqlerr.New(codeInvalidObjectDef, "its definition does not parse: %v", err)
	}
	stmts := tree.GetStmts()
	if len(stmts) != 1 || stmts[0].GetStmt().GetSelectStmt() == nil {
		return nil, sqlerr.New(codeInvalidObjectDef, "its definition is not one SELECT")
	}
	saved := *b
	b.sql = text
	if db := t.Parameters[ViewDefaultDatabase]; db != "" {
		b.defaultDB = db
	} else {
		b.defaultDB = t.DatabaseName
	}
	b.outer = nil
	b.st = bindState{views: append(append([]string(nil), saved.st.views...), qual)}
	defer func() {
		b.sql, b.defaultDB, b.outer, b.st = saved.sql, saved.defaultDB, saved.outer, saved.st
	}()
	return b.bindSelect(stmts[0].GetStmt().GetSelectStmt())
}

// quoteIdent double-quotes a (possibly qualified) name as PostgreSQL's messages do.
func quoteIdent(s string) string { return `"` + s + `"` }
