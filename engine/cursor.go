package engine

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// SQL cursors: DECLARE, FETCH, MOVE and CLOSE, as psycopg2's named cursors, SQLAlchemy's
// stream_results, psqlODBC's UseDeclareFetch and Tableau use them. A cursor holds its
// query's open Rows and the batch it stopped in; FETCH n streams up to n rows from there,
// so a cursor over a large result never holds more than one batch.
//
// Cursors scan forward only, as a PostgreSQL NO SCROLL cursor does: a FETCH or MOVE that
// would have to go back (BACKWARD, PRIOR, LAST, ABSOLUTE behind the current row, re-fetching
// the current row with FORWARD 0) is PostgreSQL's 55000 "cursor can only scan forward", and
// DECLARE ... SCROLL is refused (0A000).
//
// Lifetimes are PostgreSQL's: a cursor without HOLD may be declared only inside a
// transaction block (25P01) and closes when the block ends, COMMIT or ROLLBACK. A WITH HOLD
// cursor survives the COMMIT of its block (it keeps streaming from the running query, where
// PostgreSQL would materialize the rest of the result) but not a ROLLBACK. A Query message of
// several statements is an implicit block (ImplicitBlock). CLOSE ALL, DISCARD ALL and the end
// of the session close every cursor.

// DECLARE's option bits (PostgreSQL's CURSOR_OPT_*).
const (
	cursorBinary   = 0x0001
	cursorScroll   = 0x0002
	cursorNoScroll = 0x0004
	cursorHold     = 0x0020
)

// cursor is one declared cursor. Ownership: the cursor owns rows and cur and releases both
// in close; records it hands out (take) belong to the caller.
type cursor struct {
	name   string
	cols   []Column
	rows   Rows
	cancel context.CancelFunc // ends the query's operators
	binary bool
	hold   bool
	// inBlock is true while the transaction block that declared the cursor is open: a
	// ROLLBACK of that block closes even a WITH HOLD cursor.
	inBlock bool

	cur  arrow.Record // the batch being read; nil between batches
	next int          // cur's next row
	// pos counts the rows read; atEnd is set once the query has no more. Together they are
	// PostgreSQL's portalPos / atStart / atEnd, which decide what FETCH 0 and MOVE 0 mean.
	pos    int64
	atEnd  bool
	closed bool
	err    error // the error that stopped the query; every later FETCH reports it
}

// take returns the next rows of the cursor, at most max (> 0) of them, or io.EOF at the end.
func (c *cursor) take(ctx context.Context, max int64) (arrow.Record, error) {
	if c.err != nil {
		return nil, c.err
	}
	for c.cur == nil {
		if c.atEnd || c.closed {
			return nil, io.EOF
		}
		rec, err := c.rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			c.atEnd = true
			return nil, io.EOF
		}
		if err != nil {
			if ctx.Err() == nil {
				// A cancelled FETCH leaves the cursor usable; a failed query does not.
				c.err = err
			}
			return nil, err
		}
		if rec == nil {
			continue
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		c.cur, c.next = rec, 0
	}
	rows := int(c.cur.NumRows())
	n := rows - c.next
	if int64(n) > max {
		n = int(max)
	}
	var out arrow.Record
	if c.next == 0 && n == rows {
		out, c.cur = c.cur, nil
	} else {
		out = c.cur.NewSlice(int64(c.next), int64(c.next+n))
		c.next += n
		if c.next == rows {
			c.cur.Release()
			c.cur = nil
		}
	}
	c.pos += int64(n)
	return out, nil
}

// skip reads and drops up to n rows, and returns how many there were.
func (c *cursor) skip(ctx context.Context, n int64) (int64, error) {
	var done int64
	for done < n {
		rec, err := c.take(ctx, n-done)
		if errors.Is(err, io.EOF) {
			return done, nil
		}
		if err != nil {
			return done, err
		}
		done += rec.NumRows()
		rec.Release()
	}
	return done, nil
}

func (c *cursor) close() {
	if c.closed {
		return
	}
	c.closed = true
	if c.cur != nil {
		c.cur.Release()
		c.cur = nil
	}
	if c.rows != nil {
		_ = c.rows.Close()
	}
	c.cancel()
}

// fetchRows streams one FETCH's rows from a cursor. Closing it leaves the cursor open.
type fetchRows struct {
	c    *cursor
	left int64
}

func (f *fetchRows) Next(ctx context.Context) (arrow.Record, error) {
	if f.left <= 0 {
		return nil, io.EOF
	}
	rec, err := f.c.take(ctx, f.left)
	if err != nil {
		return nil, err
	}
	f.left -= rec.NumRows()
	return rec, nil
}

func (f *fetchRows) Close() error { return nil }

// ImplicitBlock tells the session that the statements that follow run in (on) or have left
// (off) an implicit transaction block: the statements of one simple-protocol Query message
// that holds more than one, which PostgreSQL runs as one transaction. DECLARE without HOLD
// is allowed there, and its cursor closes when the block ends.
func (s *Session) ImplicitBlock(on bool) {
	s.implicitBlock = on
	if !on && !s.inBlock {
		s.endBlock(true)
	}
}

// transaction follows BEGIN / COMMIT / ROLLBACK for the state that lives in a transaction
// block. Quarry's reads need no transaction; pgwire tracks the block state for clients.
func (s *Session) transaction(st *pg.TransactionStmt) {
	switch st.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		s.inBlock = true
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT, pg.TransactionStmtKind_TRANS_STMT_PREPARE:
		s.endBlock(true)
		s.inBlock = st.Chain
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		s.endBlock(false)
		s.inBlock = st.Chain
	}
}

// endBlock closes the cursors a transaction's end closes: those without HOLD, and on
// rollback those the transaction declared.
func (s *Session) endBlock(commit bool) {
	for name, c := range s.cursors {
		if !c.hold || (!commit && c.inBlock) {
			c.close()
			delete(s.cursors, name)
			continue
		}
		c.inBlock = false
	}
}

// closeCursors closes every cursor (CLOSE ALL, DISCARD ALL, the session's end).
func (s *Session) closeCursors() {
	for _, c := range s.cursors {
		c.close()
	}
	clear(s.cursors)
}

// declareCursor runs DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR query.
// pp holds the parameter values when the statement was prepared (nil otherwise).
func (s *Session) declareCursor(ctx context.Context, text string, d *pg.DeclareCursorStmt, pp *planner.Params) (*Result, error) {
	sel := d.Query.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DECLARE CURSOR supports a SELECT or VALUES query only")
	}
	fctx := s.functionContext()
	node, err := s.binder(ctx, text, fctx).WithParams(pp).BindQuery(sel)
	if err != nil {
		return nil, err
	}
	if d.Portalname == "" {
		return nil, sqlerr.New(sqlerr.InvalidCursorName, "invalid cursor name: must not be empty")
	}
	hold := d.Options&cursorHold != 0
	if !hold && !s.inBlock && !s.implicitBlock {
		return nil, sqlerr.New("25P01", "DECLARE CURSOR can only be used in transaction blocks")
	}
	if d.Options&cursorScroll != 0 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "SCROLL cursors are not supported").
			WithHint("Quarry's cursors scan forward only; declare it without SCROLL.")
	}
	if _, ok := s.cursors[d.Portalname]; ok {
		return nil, sqlerr.New(sqlerr.DuplicateCursor, "cursor %q already exists", d.Portalname)
	}
	if node, err = s.optimize(ctx, node, fctx); err != nil {
		return nil, err
	}
	// The query outlives this statement: it runs under a context of its own, which only
	// CLOSE (or the transaction's end) cancels. ctx still cancels the start.
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	res, err := s.start(cctx, node, fctx)
	if !stop() {
		if err == nil {
			_ = res.Rows.Close()
		}
		cancel()
		return nil, canceled(ctx)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	if s.cursors == nil {
		s.cursors = map[string]*cursor{}
	}
	s.cursors[d.Portalname] = &cursor{
		name: d.Portalname, cols: res.Columns, rows: res.Rows, cancel: cancel,
		binary: d.Options&cursorBinary != 0, hold: hold, inBlock: s.inBlock || s.implicitBlock,
	}
	return &Result{Tag: "DECLARE CURSOR"}, nil
}

// errScrollBack is PostgreSQL's error for a NO SCROLL cursor asked to go back.
func errScrollBack() error {
	return sqlerr.New("55000", "cursor can only scan forward").WithHint("Declare it with SCROLL option to enable backward scan.")
}

// fetchPlan is what one FETCH or MOVE does on a forward-only cursor: skip rows (not
// counted), then take up to count rows (returned by FETCH, counted by both). stay is for
// MOVE 0, which reports whether the cursor is on a row without moving.
type fetchPlan struct {
	skip, count int64
	stay        bool
}

// planFetch follows PostgreSQL's DoPortalRunFetch for a cursor that cannot go back.
func (c *cursor) planFetch(dir pg.FetchDirection, n int64, move bool) (fetchPlan, error) {
	onRow := c.pos > 0 && !c.atEnd
	switch dir {
	case pg.FetchDirection_FETCH_BACKWARD:
		if n < 0 {
			return fetchPlan{count: -n}, nil
		}
		if n > 0 {
			return fetchPlan{}, errScrollBack()
		}
	case pg.FetchDirection_FETCH_ABSOLUTE:
		switch {
		case n > 0:
			pos := c.pos
			if pos == 0 && !c.atEnd {
				return fetchPlan{skip: n - 1, count: 1}, nil // a rewind at the start is a no-op
			}
			if c.atEnd {
				pos++ // one extra fetch when off the end
			}
			if n-1 <= c.pos/2 || n <= pos {
				return fetchPlan{}, errScrollBack()
			}
			return fetchPlan{skip: n - pos - 1, count: 1}, nil
		case n == 0 && c.pos == 0 && !c.atEnd:
			return fetchPlan{}, nil // rewinding at the start returns no row
		}
		return fetchPlan{}, errScrollBack()
	case pg.FetchDirection_FETCH_RELATIVE:
		if n > 0 {
			return fetchPlan{skip: n - 1, count: 1}, nil
		}
		if n < 0 {
			return fetchPlan{}, errScrollBack()
		}
	default: // FORWARD
		if n < 0 {
			return fetchPlan{}, errScrollBack()
		}
		if n > 0 {
			return fetchPlan{count: n}, nil
		}
	}
	// A count of zero re-fetches the current row, which needs a step back; MOVE 0 only
	// says whether there is one.
	if move {
		return fetchPlan{stay: true}, nil
	}
	if onRow {
		return fetchPlan{}, errScrollBack()
	}
	return fetchPlan{}, nil
}

// fetch runs FETCH or MOVE.
func (s *Session) fetch(ctx context.Context, f *pg.FetchStmt) (*Result, error) {
	c, ok := s.cursors[f.Portalname]
	if !ok {
		return nil, sqlerr.New(sqlerr.InvalidCursorName, "cursor %q does not exist", f.Portalname)
	}
	plan, err := c.planFetch(f.Direction, f.HowMany, f.Ismove)
	if err != nil {
		return nil, err
	}
	if plan.stay {
		var n int64
		if c.pos > 0 && !c.atEnd {
			n = 1
		}
		return &Result{Tag: "MOVE", RowsAffected: n}, nil
	}
	if plan.skip > 0 {
		if _, err := c.skip(ctx, plan.skip); err != nil {
			return nil, err
		}
	}
	if f.Ismove {
		n, err := c.skip(ctx, plan.count)
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "MOVE", RowsAffected: n}, nil
	}
	return &Result{Columns: c.cols, Rows: &fetchRows{c: c, left: plan.count}, Tag: "FETCH", Binary: c.binary}, nil
}

// closeCursor runs CLOSE name | CLOSE ALL.
func (s *Session) closeCursor(name string) (*Result, error) {
	if name == "" {
		s.closeCursors()
		return &Result{Tag: "CLOSE CURSOR ALL"}, nil
	}
	c, ok := s.cursors[name]
	if !ok {
		return nil, sqlerr.New(sqlerr.InvalidCursorName, "cursor %q does not exist", name)
	}
	c.close()
	delete(s.cursors, name)
	return &Result{Tag: "CLOSE CURSOR"}, nil
}

// cursorColumns are the columns FETCH from the named cursor returns, for describing a
// prepared FETCH; nil when there is no such cursor (yet), as PostgreSQL describes it.
func (s *Session) cursorColumns(name string) []Column {
	if c, ok := s.cursors[name]; ok {
		return c.cols
	}
	return nil
}
