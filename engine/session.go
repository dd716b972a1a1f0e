package engine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/exec"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sql"
	"github.com/quarrydb/quarry/sqlerr"
)

// Session is one client's connection state: user, current catalog, settings. A session runs
// one statement at a time.
type Session struct {
	e        *Engine
	user     *catalog.User
	database string
	settings *settings
	pid      atomic.Int32 // pg_backend_pid(); set by pgwire (session_info.go)

	// SQL cursors (cursor.go) and the transaction block state they depend on.
	cursors       map[string]*cursor
	inBlock       bool // inside BEGIN ... COMMIT/ROLLBACK
	implicitBlock bool // running the statements of a multi-statement Query message

	origins originCache // result columns' table OIDs (pg_jdbc_origin.go)
}

// User returns the session's user name.
func (s *Session) User() string { return s.user.Name }

// Parse splits a query string into statements. A syntax error carries its position in query.
func (s *Session) Parse(query string) ([]Statement, error) {
	pieces, err := sql.Split(query)
	if err != nil {
		return nil, err
	}
	out := make([]Statement, 0, len(pieces))
	for _, p := range pieces {
		if p.Empty {
			out = append(out, Statement{SQL: p.SQL, Offset: p.Offset, Empty: true})
			continue
		}
		st, err := sql.Parse(p.SQL)
		if err != nil {
			return nil, p.Rebase(query, err)
		}
		if _, ok := st.(*sql.EmptyStmt); ok {
			out = append(out, Statement{SQL: p.SQL, Offset: p.Offset, Empty: true})
			continue
		}
		out = append(out, Statement{SQL: p.SQL, Offset: p.Offset, Tag: sql.Tag(st), parsed: st})
	}
	return out, nil
}

// Execute runs one statement. Cancelling ctx stops the statement's work; the Rows of a
// result stop too when ctx is cancelled. Error positions are relative to st.SQL.
func (s *Session) Execute(ctx context.Context, st Statement) (*Result, error) {
	if st.Empty {
		return &Result{Tag: ""}, nil
	}
	if timeout := s.statementTimeout(); timeout > 0 {
		// The deadline covers the statement's execution, rows included.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		res, err := s.execute(ctx, st)
		if err != nil || res.Rows == nil {
			cancel()
			return res, err
		}
		res.Rows = &cancelRows{Rows: res.Rows, cancel: cancel}
		return res, nil
	}
	return s.execute(ctx, st)
}

func (s *Session) execute(ctx context.Context, st Statement) (*Result, error) {
	switch x := st.parsed.(type) {
	case *sql.PGStmt:
		return s.executePG(ctx, x)
	case sql.HiveStatement:
		return s.executeHive(ctx, x)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "statement not supported")
}

func (s *Session) executePG(ctx context.Context, st *sql.PGStmt) (*Result, error) {
	n := st.Node
	switch {
	case n.GetSelectStmt() != nil:
		return s.query(ctx, st.SQL, n.GetSelectStmt())
	case n.GetExplainStmt() != nil:
		return s.explain(ctx, st.SQL, n.GetExplainStmt())
	case n.GetVariableSetStmt() != nil:
		return s.set(n.GetVariableSetStmt())
	case n.GetVariableShowStmt() != nil:
		return s.show(n.GetVariableShowStmt().Name)
	case n.GetTransactionStmt() != nil:
		s.transaction(n.GetTransactionStmt()) // cursor.go
		return &Result{Tag: sql.Tag(st)}, nil
	case n.GetDeclareCursorStmt() != nil:
		return s.declareCursor(ctx, st.SQL, n.GetDeclareCursorStmt(), nil)
	case n.GetFetchStmt() != nil:
		return s.fetch(ctx, n.GetFetchStmt())
	case n.GetClosePortalStmt() != nil:
		return s.closeCursor(n.GetClosePortalStmt().Portalname)
	case n.GetCopyStmt() != nil:
		return s.copy(ctx, st.SQL, n.GetCopyStmt()) // copy.go
	case n.GetCreateSchemaStmt() != nil:
		cs := n.GetCreateSchemaStmt()
		return s.createDatabase(ctx, &sql.CreateDatabase{Name: strings.ToLower(cs.Schemaname), IfNotExists: cs.IfNotExists})
	case n.GetViewStmt() != nil:
		return s.createView(ctx, st) // view.go
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_VIEW:
		return s.dropView(ctx, n.GetDropStmt())
	case n.GetDropStmt() != nil:
		return s.dropPG(ctx, n.GetDropStmt())
	case n.GetDeallocateStmt() != nil:
		return deallocate(n.GetDeallocateStmt()), nil // deallocate.go
	case n.GetDiscardStmt() != nil:
		s.settings = defaultSettings(s.user)
		if n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_ALL {
			s.closeCursors()
		}
		return &Result{Tag: "DISCARD ALL"}, nil
	case n.GetCreateStmt() != nil: // managed tables: managed.go, insert.go, ctas.go
		return s.createManagedTable(ctx, st.SQL, n.GetCreateStmt())
	case n.GetCreateTableAsStmt() != nil:
		return s.createTableAs(ctx, st.SQL, n.GetCreateTableAsStmt(), nil)
	case n.GetInsertStmt() != nil:
		return s.insert(ctx, st.SQL, n.GetInsertStmt(), nil)
	case n.GetTruncateStmt() != nil:
		return s.truncate(ctx, n.GetTruncateStmt())
	case n.GetUpdateStmt() != nil, n.GetDeleteStmt() != nil:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s is not supported: Quarry's tables are files in object storage", sql.Tag(st))
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s is not supported", sql.Tag(st))
}

// functionContext returns what kernels need for one statement.
func (s *Session) functionContext() *function.Context {
	return &function.Context{Alloc: memory.DefaultAllocator, NowMicros: time.Now().UnixMicro(), TimeZone: s.settings.values["timezone"],
		Session: &stmtSession{s: s}} // session_info.go
}

// plan binds and optimizes a query.
func (s *Session) plan(ctx context.Context, text string, sel *pg.SelectStmt, fctx *function.Context) (planner.Node, error) {
	node, err := s.binder(ctx, text, fctx).BindQuery(sel)
	if err != nil {
		return nil, err
	}
	return s.optimize(ctx, node, fctx)
}

// optimize runs the optimizer rules on a bound plan. Every statement that plans a query
// (SELECT, EXPLAIN, prepared statements, INSERT ... SELECT, CTAS) goes through here, so they
// all get the same rules; join ordering sizes tables from their files' metadata.
func (s *Session) optimize(ctx context.Context, node planner.Node, fctx *function.Context) (planner.Node, error) {
	stats := exec.NewTableStats(ctx, s.env(fctx))
	return planner.Optimize(node, planner.RulesWithStats(stats))
}

// env is what operators need to run one statement.
func (s *Session) env(fctx *function.Context) *exec.Env {
	return &exec.Env{Stores: s.e.cfg.Stores, Formats: s.e.cfg.Formats, Catalog: s.e.cfg.Catalog, Funcs: fctx, Alloc: fctx.Alloc, Workers: s.e.cfg.Workers}
}

// query runs a SELECT.
func (s *Session) query(ctx context.Context, text string, sel *pg.SelectStmt) (*Result, error) {
	fctx := s.functionContext()
	node, err := s.plan(ctx, text, sel, fctx)
	if err != nil {
		return nil, err
	}
	return s.start(ctx, node, fctx)
}

// explain shows a query's plan, one node per line.
func (s *Session) explain(ctx context.Context, text string, ex *pg.ExplainStmt) (*Result, error) {
	sel := ex.Query.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "EXPLAIN supports SELECT only")
	}
	o, err := parseExplainOptions(text, ex)
	if err != nil {
		return nil, err
	}
	if o.analyze {
		return s.explainAnalyzed(ctx, text, sel, o) // explain_analyze.go
	}
	node, err := s.plan(ctx, text, sel, s.functionContext())
	if err != nil {
		return nil, err
	}
	return explainResult(node), nil
}

// Close ends the session; its cursors' queries stop.
func (s *Session) Close() error {
	s.closeCursors()
	return nil
}

// canceled is the error for a statement stopped by its context.
func canceled(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to statement timeout")
	}
	return sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request")
}

type cancelRows struct {
	Rows
	cancel context.CancelFunc
}

func (r *cancelRows) Close() error {
	err := r.Rows.Close()
	r.cancel()
	return err
}
