package pgwire

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
)

// The extended query protocol: Parse / Bind / Describe / Execute / Close, each answered as
// PostgreSQL 15 answers it, and Sync, which ends a batch with ReadyForQuery.
//
//   - Parse prepares a statement through the session's Preparer: parameter types are
//     declared by the client or inferred by the engine, result columns described, nothing
//     run. The unnamed statement is replaced by the next Parse; a named one must be closed
//     before its name is used again (42P05).
//   - Bind makes a portal: parameter values decoded (decode_params.go) and result formats
//     chosen per column. A query (SELECT, SHOW, EXPLAIN) starts at Bind, as PostgreSQL plans
//     at Bind, so a bad parameter value fails there; any other statement runs at its first
//     Execute, so a SET bound and never executed has no effect.
//   - Execute streams up to max rows from the portal's open Rows and answers PortalSuspended
//     when it stops at the limit; the next Execute continues where it stopped (portal.go).
//   - After an error, one ErrorResponse is sent and flushed at once, and every message up to
//     Sync is discarded (skipToSync). Sync answers ReadyForQuery with the transaction status;
//     outside a transaction block it also ends the implicit transaction, which closes every
//     portal. Statements live until Close or the end of the connection.
//
// Output is not flushed per message: replies accumulate in pgproto3's buffer until Sync,
// Flush, an error, or DataRows worth flushThreshold bytes. A client that pipelines many
// messages before reading (pgx batches, pgJDBC executeBatch) is thus never blocked on our
// writes while it is still sending, except for results too large to buffer, which stream.

// Preparer is what a session offers for the extended protocol; engine.Session has it. A Conn
// without it gets 0A000 for every extended batch.
type Preparer interface {
	// Prepare parses and describes one statement; paramOIDs are the types the client
	// declared (0: infer). Error positions are relative to query.
	Prepare(ctx context.Context, query string, paramOIDs []uint32) (*engine.Prepared, error)
	// ExecutePrepared runs a prepared statement with its parameter values. Cancelling ctx
	// stops the work, the result's Rows included. Error positions are relative to the
	// statement's own text.
	ExecutePrepared(ctx context.Context, p *engine.Prepared, params []engine.Param) (*engine.Result, error)
}

// ParamChecker is optional for a Preparer (engine.Session has it): it converts parameter
// values to their types without running anything, so that Bind reports a bad value for
// statements that run only at Execute.
type ParamChecker interface {
	CheckParams(p *engine.Prepared, params []engine.Param) error
}

// flushThreshold is how many bytes of DataRows an Execute buffers before it flushes anyway.
const flushThreshold = 256 << 10

// extState is a connection's prepared statements and portals.
type extState struct {
	stmts   map[string]*preparedStmt
	portals map[string]*portal
	pending int // DataRow bytes buffered since the last threshold flush
}

// preparedStmt is a statement made by Parse.
type preparedStmt struct {
	name  string
	query string // the Parse message's query string, for error positions
	p     *engine.Prepared
}

// extendedMessage handles Parse, Bind, Describe, Execute or Close. It returns an error only
// when the connection must end.
func (c *conn) extendedMessage(msg pgproto3.FrontendMessage) error {
	if c.skipToSync {
		return nil
	}
	pr, ok := c.session.(Preparer)
	if !ok {
		return c.extendedError(errExtendedUnsupported, 0)
	}
	if c.ext.stmts == nil {
		c.ext.stmts = map[string]*preparedStmt{}
		c.ext.portals = map[string]*portal{}
	}
	switch m := msg.(type) {
	case *pgproto3.Parse:
		return c.parseMessage(pr, m)
	case *pgproto3.Bind:
		return c.bindMessage(pr, m)
	case *pgproto3.Describe:
		return c.describeMessage(m)
	case *pgproto3.Execute:
		return c.executeMessage(pr, m)
	case *pgproto3.Close:
		return c.closeMessage(m)
	}
	return nil
}

// extendedError reports an error of an extended batch: one ErrorResponse, flushed at once
// (a client waiting on Flush sees it), after which everything up to Sync is discarded.
func (c *conn) extendedError(e *sqlerr.Error, pos int) error {
	c.skipToSync = true
	if err := c.sendError(e, pos); err != nil {
		return err
	}
	return c.flush()
}

// sync ends an extended-protocol batch.
func (c *conn) sync() error {
	c.skipToSync = false
	if c.txStatus == 'I' {
		// Outside a transaction block, Sync commits the implicit transaction, and portals
		// live no longer than their transaction.
		c.closePortals()
	}
	c.ext.pending = 0
	return c.readyForQuery()
}

// simpleQueryDone is called after each simple Query message. As in PostgreSQL, a simple
// query uses (and so discards) the unnamed statement and portal; when no transaction block
// is open afterwards, every portal is gone with the transaction that made it. DISCARD ALL
// drops every statement and portal.
func (c *conn) simpleQueryDone(query string) {
	delete(c.ext.stmts, "")
	if pt := c.ext.portals[""]; pt != nil {
		c.dropPortal(pt)
	}
	if c.txStatus == 'I' {
		c.closePortals()
	}
	if len(c.ext.stmts) > 0 && strings.Contains(strings.ToUpper(query), "DISCARD") {
		// Rare enough to parse the string again to be sure.
		stmts, err := c.session.Parse(query)
		if err == nil && slices.ContainsFunc(stmts, func(st engine.Statement) bool { return st.Tag == "DISCARD ALL" }) {
			c.discardAll()
		}
	}
}

// discardAll is DISCARD ALL's effect on the protocol state: no statements, no portals.
// Clients rely on it (pgJDBC and pgbouncer reset a session with it and prepare again).
func (c *conn) discardAll() {
	c.closePortals()
	clear(c.ext.stmts)
}

// closeExtended releases every portal and statement when the connection ends.
func (c *conn) closeExtended() {
	c.closePortals()
	c.ext.stmts = nil
}

func isTxExit(tag string) bool { return tag == "COMMIT" || tag == "ROLLBACK" }

func (c *conn) parseMessage(pr Preparer, m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, ok := c.ext.stmts[m.Name]; ok {
			return c.extendedError(sqlerr.New(sqlerr.DuplicatePreparedStatement, "prepared statement %q already exists", m.Name), 0)
		}
	}
	if c.txStatus == 'E' {
		// Only COMMIT / ROLLBACK may be prepared in a failed block; a syntax error is still
		// reported as one, as PostgreSQL parses before it checks.
		if stmts, err := c.session.Parse(m.Query); err == nil &&
			slices.ContainsFunc(stmts, func(st engine.Statement) bool { return !st.Empty && !isTxExit(st.Tag) }) {
			return c.extendedError(errInFailedTx, 0)
		}
	}
	ctx := c.beginQuery()
	defer c.endQuery()
	p, err := pr.Prepare(ctx, m.Query, slices.Clone(m.ParameterOIDs))
	if err != nil {
		e := queryError(ctx, err)
		return c.extendedError(e, errorPosition(e, m.Query, 0))
	}
	if p == nil {
		return c.extendedError(sqlerr.New(sqlerr.InternalError, "engine prepared no statement"), 0)
	}
	c.ext.stmts[m.Name] = &preparedStmt{name: m.Name, query: m.Query, p: p}
	c.be.Send(&pgproto3.ParseComplete{})
	return nil
}

// unknownStatement is the error for a Bind or Describe of a statement that does not exist.
func unknownStatement(name string) *sqlerr.Error {
	if name == "" {
		return sqlerr.New(sqlerr.InvalidSQLStatementName, "unnamed prepared statement does not exist")
	}
	return sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement %q does not exist", name)
}

func unknownPortal(name string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidCursorName, "portal %q does not exist", name)
}

func (c *conn) bindMessage(pr Preparer, m *pgproto3.Bind) error {
	st, ok := c.ext.stmts[m.PreparedStatement]
	if !ok {
		return c.extendedError(unknownStatement(m.PreparedStatement), 0)
	}
	if m.DestinationPortal != "" {
		if _, ok := c.ext.portals[m.DestinationPortal]; ok {
			return c.extendedError(sqlerr.New(sqlerr.DuplicateCursor, "cursor %q already exists", m.DestinationPortal), 0)
		}
	}
	if c.txStatus == 'E' && !isTxExit(st.p.Statement.Tag) {
		return c.extendedError(errInFailedTx, 0)
	}
	if len(m.ParameterFormatCodes) > 1 && len(m.ParameterFormatCodes) != len(m.Parameters) {
		return c.extendedError(sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d parameter formats but %d parameters", len(m.ParameterFormatCodes), len(m.Parameters)), 0)
	}
	if len(m.Parameters) != len(st.p.ParamTypes) {
		return c.extendedError(sqlerr.New(sqlerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d", len(m.Parameters), st.name, len(st.p.ParamTypes)), 0)
	}
	params, err := decodeParams(m.ParameterFormatCodes, m.Parameters, st.p.ParamOIDs)
	if err != nil {
		return c.extendedError(sqlerr.From(err), 0)
	}
	formats, err := resultFormats(m.ResultFormatCodes, st.p.Columns)
	if err != nil {
		return c.extendedError(sqlerr.From(err), 0)
	}
	if m.DestinationPortal == "" {
		if old := c.ext.portals[""]; old != nil {
			c.dropPortal(old)
		}
	}
	pt := newPortal(c.ctx, m.DestinationPortal, st, params, formats)
	if pt.opensAtBind() {
		ctx := c.beginQuery()
		err := pt.open(ctx, pr)
		c.endQuery()
		if err != nil {
			pt.close()
			e := queryError(ctx, err)
			return c.extendedError(e, errorPosition(e, st.query, st.p.Statement.Offset))
		}
	} else if pc, ok := pr.(ParamChecker); ok && len(params) > 0 {
		// A statement that runs at Execute (INSERT) still has its values checked here:
		// PostgreSQL converts parameters at Bind, so that is where a bad one fails.
		if err := pc.CheckParams(st.p, params); err != nil {
			pt.close()
			return c.extendedError(sqlerr.From(err), 0)
		}
	}
	c.ext.portals[pt.name] = pt
	c.be.Send(&pgproto3.BindComplete{})
	return nil
}

// resultFormats expands Bind's result format codes to one per column and checks that each
// binary column can be sent in binary.
func resultFormats(codes []int16, cols []engine.Column) ([]int16, error) {
	if len(codes) > 1 && len(codes) != len(cols) {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d result formats but query has %d columns", len(codes), len(cols))
	}
	out := make([]int16, len(cols))
	for i := range cols {
		f := formatCode(codes, i)
		switch f {
		case 0:
		case 1:
			if !binaryEncodable(cols[i].Type) {
				return nil, sqlerr.New(sqlerr.UndefinedFunction, "no binary output function available for type %s", cols[i].Type)
			}
		default:
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unsupported format code: %d", f)
		}
		out[i] = f
	}
	if len(cols) == 0 && len(codes) == 1 && codes[0] != 0 && codes[0] != 1 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unsupported format code: %d", codes[0])
	}
	return out, nil
}

func (c *conn) describeMessage(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		st, ok := c.ext.stmts[m.Name]
		if !ok {
			return c.extendedError(unknownStatement(m.Name), 0)
		}
		if c.txStatus == 'E' && st.p.Columns != nil {
			return c.extendedError(errInFailedTx, 0)
		}
		c.be.Send(&pgproto3.ParameterDescription{ParameterOIDs: slices.Clone(st.p.ParamOIDs)})
		return c.describeRows(st.p.Columns, nil)
	case 'P':
		pt, ok := c.ext.portals[m.Name]
		if !ok {
			return c.extendedError(unknownPortal(m.Name), 0)
		}
		cols := pt.columns()
		if c.txStatus == 'E' && cols != nil {
			return c.extendedError(errInFailedTx, 0)
		}
		return c.describeRows(cols, pt.formats)
	}
	return c.extendedError(protocolError("invalid DESCRIBE message subtype %d", m.ObjectType), 0)
}

// describeRows sends RowDescription, or NoData for a statement without rows.
func (c *conn) describeRows(cols []engine.Column, formats []int16) error {
	if cols == nil {
		c.be.Send(&pgproto3.NoData{})
		return nil
	}
	if len(cols) > maxColumns {
		return c.extendedError(sqlerr.New(sqlerr.ProgramLimitExceeded, "target lists can have at most %d entries", maxColumns), 0)
	}
	c.be.Send(rowDescription(cols, formats))
	return nil
}

// rowDescription describes result columns; formats (nil: all text) are the portal's.
func rowDescription(cols []engine.Column, formats []int16) *pgproto3.RowDescription {
	fields := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		var f int16
		if i < len(formats) {
			f = formats[i]
		}
		fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableOID,
			TableAttributeNumber: uint16(col.ColumnAttr),
			DataTypeOID:          col.Type.OID(),
			DataTypeSize:         col.Type.Size(),
			TypeModifier:         col.Type.Typmod(),
			Format:               f,
		}
	}
	return &pgproto3.RowDescription{Fields: fields}
}

func (c *conn) executeMessage(pr Preparer, m *pgproto3.Execute) error {
	pt, ok := c.ext.portals[m.Portal]
	if !ok {
		return c.extendedError(unknownPortal(m.Portal), 0)
	}
	st := pt.stmt.p.Statement
	if st.Empty {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	if c.txStatus == 'E' && !isTxExit(st.Tag) {
		return c.extendedError(errInFailedTx, 0)
	}
	ctx := c.beginQuery()
	defer c.endQuery()
	err := c.runPortal(ctx, pr, pt, m.MaxRows)
	if err == nil {
		return nil
	}
	var we errWrite
	if errors.As(err, &we) {
		return err
	}
	// A portal that failed cannot be run again.
	c.dropPortal(pt)
	e := queryError(ctx, err)
	return c.extendedError(e, errorPosition(e, pt.stmt.query, st.Offset))
}

func (c *conn) closeMessage(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		// Portals made from the statement stay: they hold what they need.
		delete(c.ext.stmts, m.Name)
	case 'P':
		if pt := c.ext.portals[m.Name]; pt != nil {
			c.dropPortal(pt)
		}
	default:
		return c.extendedError(protocolError("invalid CLOSE message subtype %d", m.ObjectType), 0)
	}
	// Closing what does not exist is not an error.
	c.be.Send(&pgproto3.CloseComplete{})
	return nil
}

// protocolError is an 08P01 that, unlike protocolViolation's, does not end the connection.
func protocolError(format string, args ...any) *sqlerr.Error {
	return sqlerr.New(sqlerr.ProtocolViolation, format, args...)
}
