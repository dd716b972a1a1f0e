package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sql"
	"github.com/quarrydb/quarry/sqlerr"
)

// createView records `CREATE [OR REPLACE] VIEW [db.]name [(cols)] AS SELECT ...` in the
// catalog as a Glue VIRTUAL_VIEW table: the SELECT's text as written, and the columns its
// query has now (bound to check it), with Hive type names. OR REPLACE replaces a view
// whatever its columns were, as Athena does (PostgreSQL only lets it add columns).
func (s *Session) createView(ctx context.Context, st *sql.PGStmt) (*Result, error) {
	v := st.Node.GetViewStmt()
	switch {
	case v.View.Relpersistence == "t":
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "temporary views are not supported")
	case v.WithCheckOption != pg.ViewCheckOption_NO_CHECK_OPTION && v.WithCheckOption != pg.ViewCheckOption_VIEW_CHECK_OPTION_UNDEFINED:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "WITH CHECK OPTION is not supported: Quarry's views are read-only")
	case len(v.Options) > 0:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "view options (WITH (...)) are not supported")
	}
	text, err := viewQueryText(st.SQL)
	if err != nil {
		return nil, err
	}
	db, name := s.db(v.View.Schemaname), strings.ToLower(v.View.Relname)
	if _, err := s.e.cfg.Catalog.GetDatabase(ctx, db); err != nil {
		if errors.Is(err, catalog.ErrDatabaseNotFound) {
			return nil, sqlerr.New(sqlerr.UndefinedSchema, "schema %q does not exist", db)
		}
		return nil, err
	}
	search := s.settings.searchDatabase()
	b := planner.NewBinder(ctx, s.e.cfg.Catalog, s.e.cfg.Funcs, search, st.SQL, s.functionContext())
	cols, err := b.BindViewQuery(v)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	t := catalog.Table{
		DatabaseName: db, Name: name, Owner: s.user.Name, TableType: catalog.VirtualView,
		ViewOriginalText: text, ViewExpandedText: text,
		Parameters:        map[string]string{planner.ViewDefaultDatabase: search},
		StorageDescriptor: catalog.StorageDescriptor{Columns: cols},
		CreateTime:        now, UpdateTime: now,
	}
	old, err := s.e.cfg.Catalog.GetTable(ctx, db, name)
	switch {
	case err == nil && old.TableType != catalog.VirtualView:
		if v.Replace {
			return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a view", name)
		}
		return nil, sqlerr.New(sqlerr.DuplicateTable, "relation %q already exists", name)
	case err == nil && !v.Replace:
		return nil, sqlerr.New(sqlerr.DuplicateTable, "relation %q already exists", name)
	case err == nil:
		err = s.e.cfg.Catalog.UpdateTable(ctx, t)
	case errors.Is(err, catalog.ErrTableNotFound):
		err = s.e.cfg.Catalog.CreateTable(ctx, t)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Tag: "CREATE VIEW"}, nil
}

// viewQueryText returns the query of a CREATE VIEW statement as written: the text after
// the AS that follows the view's name, column list and options, without a final ';'.
func viewQueryText(stmt string) (string, error) {
	scan, err := pg.Scan(stmt)
	if err != nil {
		return "", sqlerr.New(sqlerr.SyntaxError, "%v", err)
	}
	depth := 0
	seenView := false
	for _, tok := range scan.GetTokens() {
		switch tok.Token {
		case pg.Token_ASCII_40: // (
			depth++
		case pg.Token_ASCII_41: // )
			depth--
		case pg.Token_VIEW:
			seenView = true
		case pg.Token_AS:
			if seenView && depth == 0 {
				text := strings.TrimSpace(stmt[tok.End:])
				return strings.TrimSpace(strings.TrimSuffix(text, ";")), nil
			}
		}
	}
	return "", sqlerr.New(sqlerr.SyntaxError, "CREATE VIEW without AS")
}

// dropView runs DROP VIEW [IF EXISTS] name, ...: every name must be a view.
func (s *Session) dropView(ctx context.Context, d *pg.DropStmt) (*Result, error) {
	res := &Result{Tag: "DROP VIEW"}
	for _, obj := range d.Objects {
		var parts []string
		for _, it := range obj.GetList().GetItems() {
			parts = append(parts, strVal(it))
		}
		if len(parts) == 0 {
			continue
		}
		db, name := "", strings.ToLower(parts[len(parts)-1])
		if len(parts) > 1 {
			db = parts[len(parts)-2]
		}
		t, err := s.e.cfg.Catalog.GetTable(ctx, s.db(db), name)
		if errors.Is(err, catalog.ErrTableNotFound) || errors.Is(err, catalog.ErrDatabaseNotFound) {
			if d.MissingOk {
				res.Notices = append(res.Notices, fmt.Sprintf("view %q does not exist, skipping", name))
				continue
			}
			return nil, sqlerr.New(sqlerr.UndefinedTable, "view %q does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		if t.TableType != catalog.VirtualView {
			return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a view", name).WithHint("Use DROP TABLE to remove a table.")
		}
		if err := s.e.cfg.Catalog.DropTable(ctx, t.DatabaseName, t.Name); err != nil {
			return nil, err
		}
	}
	return res, nil
}
