package pgwire

import (
	"context"
	"errors"
	"io"
	"maps"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
)

// portal is a bound statement ready to run, and, once running, its open result: an Execute
// with a row limit leaves the Rows open and the current batch half sent, and the next
// Execute carries on from there.
//
// Ownership: the portal owns res.Rows and cur, and releases both in close. Its context
// derives from the connection's and lives as long as the portal, since the result's
// operators run under it across Execute messages; each Execute's own context (cancellable
// by CancelRequest) is the one passed to Rows.Next.
type portal struct {
	name    string
	stmt    *preparedStmt
	params  []engine.Param
	formats []int16 // one per result column: 0 text, 1 binary

	ctx    context.Context
	cancel context.CancelCauseFunc

	res      *engine.Result // nil until opened
	notified bool           // res.Notices sent
	done     bool           // ran to completion: later Executes find no more rows
	doneTag  string         // the completed statement's tag, for those Executes

	enc  portalEncoder
	cur  arrow.Record // the batch being sent; nil between batches
	next int          // cur's next row to send
}

func newPortal(connCtx context.Context, name string, st *preparedStmt, params []engine.Param, formats []int16) *portal {
	ctx, cancel := context.WithCancelCause(connCtx)
	return &portal{name: name, stmt: st, params: params, formats: formats, ctx: ctx, cancel: cancel}
}

// opensAtBind reports whether the statement is a query that starts at Bind (see
// extended.go); everything else runs at its first Execute.
func (p *portal) opensAtBind() bool {
	if p.stmt.p.Columns == nil {
		return false
	}
	switch p.stmt.p.Statement.Tag {
	case "SELECT", "SHOW", "EXPLAIN":
		return true
	}
	return false
}

// open runs the statement under the portal's context. ctx is the message's: cancelling it
// (CancelRequest) while the statement starts cancels the portal too.
func (p *portal) open(ctx context.Context, pr Preparer) error {
	stop := context.AfterFunc(ctx, func() { p.cancel(context.Cause(ctx)) })
	defer stop()
	res, err := pr.ExecutePrepared(p.ctx, p.stmt.p, p.params)
	if err != nil {
		return err
	}
	if res == nil {
		return sqlerr.New(sqlerr.InternalError, "engine returned no result for %s", p.stmt.p.Statement.Tag)
	}
	if described := p.stmt.p.Columns; described != nil && !sameRowType(described, res.Columns) {
		// The client chose result formats (and decoders) from the description; a result
		// of other types (the catalog changed under a prepared statement) must not reach
		// it. PostgreSQL's error, on which pgx and pgJDBC prepare the statement again.
		if res.Rows != nil {
			_ = res.Rows.Close()
		}
		return sqlerr.New(sqlerr.FeatureNotSupported, "cached plan must not change result type")
	}
	p.res = res
	cols := res.Columns
	if len(p.formats) != len(cols) {
		// Columns that were not described (a statement described as returning no rows that
		// returns some) go as text.
		p.formats = make([]int16, len(cols))
	}
	p.enc = portalEncoder{cols: cols, formats: p.formats}
	return nil
}

// sameRowType reports whether two column lists have the same wire types.
func sameRowType(a, b []engine.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type.OID() != b[i].Type.OID() || a[i].Type.Typmod() != b[i].Type.Typmod() {
			return false
		}
	}
	return true
}

// columns are the portal's result columns: its result's once open, the statement's before.
func (p *portal) columns() []engine.Column {
	if p.res != nil {
		return p.res.Columns
	}
	return p.stmt.p.Columns
}

// close releases the portal's batch and result and cancels its work. It may be called more
// than once.
func (p *portal) close() {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	if p.res != nil && p.res.Rows != nil {
		_ = p.res.Rows.Close()
		p.res.Rows = nil
	}
	p.cancel(context.Canceled)
}

// dropPortal closes a portal and forgets it.
func (c *conn) dropPortal(p *portal) {
	p.close()
	if c.ext.portals[p.name] == p {
		delete(c.ext.portals, p.name)
	}
}

func (c *conn) closePortals() {
	for _, p := range c.ext.portals {
		p.close()
	}
	clear(c.ext.portals)
}

// runPortal executes a portal for one Execute message: up to maxRows rows (0: all), then
// PortalSuspended if it stopped at the limit, or the statement's completion (transaction
// status, CommandComplete, ParameterStatus). Errors returned are the statement's (reported
// by the caller) or an errWrite.
func (c *conn) runPortal(ctx context.Context, pr Preparer, p *portal, maxRows uint32) error {
	st := p.stmt.p.Statement
	if p.done {
		// Running a finished portal again finds no more rows.
		tag := p.doneTag
		if tag == "" {
			tag = st.Tag
		}
		c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(tag, &engine.Result{Columns: p.columns()}, 0))})
		return nil
	}
	failed := c.txStatus == 'E'
	if p.res == nil {
		if err := p.open(ctx, pr); err != nil {
			return err
		}
	}
	res := p.res
	if !p.notified {
		p.notified = true
		for _, n := range res.Notices {
			c.be.Send(warning("01000", n))
		}
	}
	var count int64
	if res.Copy != nil && res.Rows != nil {
		// COPY TO STDOUT streams its whole result whatever the row limit, as PostgreSQL's
		// does.
		n, err := c.sendCopy(ctx, res)
		count = n
		if err != nil {
			return err
		}
	} else if res.CopyIn != nil {
		n, err := c.receiveCopy(ctx, res.CopyIn)
		if err != nil {
			return err
		}
		res.RowsAffected = n
	} else if res.Columns != nil && res.Rows != nil {
		limit := int64(maxRows)
		if maxRows == 0 || maxRows > math.MaxInt32 {
			limit = -1 // PostgreSQL reads the count as an int32; zero or negative is all rows
		}
		n, suspended, err := c.sendPortalRows(ctx, p, limit)
		count = n
		if err != nil {
			return err
		}
		if suspended {
			c.be.Send(&pgproto3.PortalSuspended{})
			return nil
		}
	}

	tag := res.Tag
	if tag == "" {
		tag = st.Tag
	}
	c.transition(tag, st.SQL, failed)
	if failed && tag == "COMMIT" {
		tag = "ROLLBACK" // committing a failed block rolls it back, and says so
	}
	c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(tag, res, count))})
	c.deallocate(tag, res) // deallocate.go
	for _, k := range slices.Sorted(maps.Keys(res.Params)) {
		c.be.Send(&pgproto3.ParameterStatus{Name: k, Value: res.Params[k]})
	}
	p.done, p.doneTag = true, tag
	if tag == "DISCARD ALL" {
		c.discardAll() // closes p too
		return nil
	}
	if p.res.Rows != nil {
		if err := p.res.Rows.Close(); err != nil {
			c.log.Debug("pgwire: closing rows", "err", err)
		}
		p.res.Rows = nil
	}
	return nil
}

// sendPortalRows sends DataRows from the portal's result until it ends or limit rows (-1:
// no limit) were sent; suspended reports the latter. Rows are counted from this call.
func (c *conn) sendPortalRows(ctx context.Context, p *portal, limit int64) (n int64, suspended bool, err error) {
	if len(p.res.Columns) > maxColumns {
		return 0, false, sqlerr.New(sqlerr.ProgramLimitExceeded, "target lists can have at most %d entries", maxColumns)
	}
	for {
		if limit >= 0 && n >= limit {
			return n, true, nil
		}
		if p.cur == nil {
			rec, err := p.res.Rows.Next(ctx)
			if errors.Is(err, io.EOF) {
				return n, false, nil
			}
			if err != nil {
				return n, false, err
			}
			if rec == nil {
				continue
			}
			if rec.NumRows() == 0 {
				rec.Release()
				continue
			}
			if err := p.enc.setBatch(rec, &c.ext.pending); err != nil {
				rec.Release()
				return n, false, err
			}
			p.cur, p.next = rec, 0
		}
		rows := int(p.cur.NumRows())
		end := rows
		if limit >= 0 {
			end = min(rows, p.next+int(limit-n))
		}
		for r := p.next; r < end; r++ {
			p.enc.row.r = r
			c.be.Send(&p.enc.row)
		}
		n += int64(end - p.next)
		p.next = end
		if p.next == rows {
			p.cur.Release()
			p.cur = nil
		}
		if c.ext.pending >= flushThreshold {
			c.ext.pending = 0
			if err := c.flush(); err != nil {
				return n, false, err
			}
		}
	}
}

// portalEncoder turns a portal's batches into DataRows, each column in its format.
type portalEncoder struct {
	cols    []engine.Column
	formats []int16
	row     countedRow
}

// setBatch prepares the appenders for rec's columns. pending counts the bytes of the rows
// then sent.
func (e *portalEncoder) setBatch(rec arrow.Record, pending *int) error {
	if int(rec.NumCols()) != len(e.cols) {
		return sqlerr.New(sqlerr.InternalError, "result batch has %d columns, expected %d", rec.NumCols(), len(e.cols))
	}
	if e.row.apps == nil {
		e.row.apps = make([]textAppender, len(e.cols))
	}
	e.row.pending = pending
	for i, col := range e.cols {
		var app textAppender
		var err error
		if i < len(e.formats) && e.formats[i] == 1 {
			app, err = newBinaryAppender(col.Type, rec.Column(i))
		} else {
			app, err = newTextAppender(col.Type, rec.Column(i))
		}
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.InternalError, "column %q: %v", col.Name, err)
		}
		e.row.apps[i] = app
	}
	return nil
}

// countedRow is a DataRow that adds its encoded size to a counter, so that an Execute
// knows how much output it has buffered.
type countedRow struct {
	dataRow
	pending *int
}

func (m *countedRow) Encode(dst []byte) ([]byte, error) {
	n := len(dst)
	dst, err := m.dataRow.Encode(dst)
	*m.pending += len(dst) - n
	return dst, err
}
