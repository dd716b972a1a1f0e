package pgwire

import (
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
)

// simpleQuery runs one Query message: every statement in turn, stopping at the first error,
// then ReadyForQuery. It returns an error only when the connection must end (the client is
// gone, or a FATAL error was sent).
func (c *conn) simpleQuery(query string) error {
	ctx := c.beginQuery()
	defer c.endQuery()

	stmts, err := c.session.Parse(query)
	if err != nil {
		// A syntax error's position is already relative to the whole string.
		e := queryError(ctx, err)
		if ferr := c.sendError(e, errorPosition(e, query, 0)); ferr != nil {
			return ferr
		}
		return c.readyForQuery()
	}
	// As in PostgreSQL, empty statements between semicolons are skipped; only a query string
	// with nothing but empty statements gets EmptyQueryResponse.
	if !slices.ContainsFunc(stmts, func(st engine.Statement) bool { return !st.Empty }) {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return c.readyForQuery()
	}
	if ib, ok := c.session.(implicitBlocker); ok && countStatements(stmts) > 1 {
		// Several statements in one Query run as one implicit transaction block.
		ib.ImplicitBlock(true)
		defer ib.ImplicitBlock(false)
	}
	for _, st := range stmts {
		if st.Empty {
			continue
		}
		err := c.statement(ctx, st)
		if err == nil {
			continue
		}
		var we errWrite
		if errors.As(err, &we) {
			return err
		}
		e := queryError(ctx, err)
		if ferr := c.sendError(e, errorPosition(e, query, st.Offset)); ferr != nil {
			return ferr
		}
		break // the rest of the query string is skipped
	}
	return c.readyForQuery()
}

// implicitBlocker is a session with state scoped to transaction blocks (engine.Session's
// SQL cursors), which must hear where a multi-statement Query's implicit block begins and
// ends.
type implicitBlocker interface {
	ImplicitBlock(on bool)
}

func countStatements(stmts []engine.Statement) int {
	n := 0
	for _, st := range stmts {
		if !st.Empty {
			n++
		}
	}
	return n
}

// sendError reports a statement's error and moves a transaction block to failed. A FATAL
// error ends the connection (the returned fatalError).
func (c *conn) sendError(e *sqlerr.Error, pos int) error {
	c.be.Send(errorResponse(e, pos))
	c.failTx()
	if e.Severity == "FATAL" {
		_ = c.flush()
		return fatalError{e}
	}
	return nil
}

// statement executes one statement and sends its results. Errors returned are the
// statement's (reported by the caller) or an errWrite.
func (c *conn) statement(qctx context.Context, st engine.Statement) error {
	failed := c.txStatus == 'E'
	if failed && st.Tag != "COMMIT" && st.Tag != "ROLLBACK" {
		return errInFailedTx
	}
	ctx, cancel := context.WithCancel(qctx)
	defer cancel()

	res, err := c.session.Execute(ctx, st)
	if err != nil {
		return err
	}
	if res == nil {
		return sqlerr.New(sqlerr.InternalError, "engine returned no result for %s", st.Tag)
	}
	if res.Rows != nil {
		defer func() {
			if err := res.Rows.Close(); err != nil {
				c.log.Debug("pgwire: closing rows", "err", err)
			}
		}()
	}
	for _, n := range res.Notices {
		c.be.Send(warning("01000", n))
	}
	var count int64
	switch {
	case res.Copy != nil && res.Rows != nil:
		if count, err = c.sendCopy(ctx, res); err != nil { // copy.go
			return err
		}
	case res.CopyIn != nil:
		if res.RowsAffected, err = c.receiveCopy(ctx, res.CopyIn); err != nil {
			return err
		}
	case res.Columns != nil:
		if count, err = c.sendRows(ctx, res); err != nil {
			return err
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
	return nil
}

// sendRows sends RowDescription and the DataRows of every batch, and returns the row count.
func (c *conn) sendRows(ctx context.Context, res *engine.Result) (int64, error) {
	if len(res.Columns) > maxColumns {
		return 0, sqlerr.New(sqlerr.ProgramLimitExceeded, "target lists can have at most %d entries", maxColumns)
	}
	if res.Binary {
		return c.sendBinaryRows(ctx, res)
	}
	fields := make([]pgproto3.FieldDescription, len(res.Columns))
	for i, col := range res.Columns {
		fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableOID,
			TableAttributeNumber: uint16(col.ColumnAttr),
			DataTypeOID:          col.Type.OID(),
			DataTypeSize:         col.Type.Size(),
			TypeModifier:         col.Type.Typmod(),
			Format:               0, // text
		}
	}
	c.be.Send(&pgproto3.RowDescription{Fields: fields})
	if res.Rows == nil {
		return 0, nil
	}
	var count int64
	enc := newBatchEncoder(res.Columns)
	for {
		rec, err := res.Rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		if rec == nil {
			continue
		}
		n, err := enc.send(c.be, rec)
		rec.Release()
		count += n
		if err != nil {
			return count, err
		}
		// One flush per batch bounds what we buffer and lets the client start reading.
		if err := c.flush(); err != nil {
			return count, err
		}
	}
}

// sendBinaryRows sends a result whose rows go in binary (FETCH from a BINARY cursor), with
// the extended protocol's encoder.
func (c *conn) sendBinaryRows(ctx context.Context, res *engine.Result) (int64, error) {
	formats := make([]int16, len(res.Columns))
	for i, col := range res.Columns {
		if !binaryEncodable(col.Type) {
			return 0, sqlerr.New(sqlerr.UndefinedFunction, "no binary output function available for type %s", col.Type)
		}
		formats[i] = 1
	}
	c.be.Send(rowDescription(res.Columns, formats))
	if res.Rows == nil {
		return 0, nil
	}
	enc := portalEncoder{cols: res.Columns, formats: formats}
	var count int64
	var pending int
	for {
		rec, err := res.Rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		if rec == nil {
			continue
		}
		if err := enc.setBatch(rec, &pending); err != nil {
			rec.Release()
			return count, err
		}
		n := int(rec.NumRows())
		for r := range n {
			enc.row.r = r
			c.be.Send(&enc.row)
		}
		rec.Release()
		count += int64(n)
		if err := c.flush(); err != nil {
			return count, err
		}
	}
}

// maxColumns is PostgreSQL's limit on a result's columns (MaxTupleAttributeNumber).
const maxColumns = 1664

// commandTag builds CommandComplete's tag: "SELECT n" counts the rows sent, "INSERT 0 n"
// and the other row-counting commands report RowsAffected, anything else is the tag alone.
func commandTag(tag string, res *engine.Result, rowsSent int64) string {
	switch tag {
	case "SELECT", "FETCH", "MOVE", "COPY", "UPDATE", "DELETE", "MERGE":
		n := rowsSent
		if res.Columns == nil {
			n = max(res.RowsAffected, 0)
		}
		return tag + " " + strconv.FormatInt(n, 10)
	case "INSERT":
		// The 0 is the OID PostgreSQL once reported for single-row inserts.
		return "INSERT 0 " + strconv.FormatInt(max(res.RowsAffected, 0), 10)
	}
	return tag
}

// transition updates the transaction status after a successful statement, warning as
// PostgreSQL does about a BEGIN inside a block or an end outside one.
func (c *conn) transition(tag, sql string, failed bool) {
	switch tag {
	case "BEGIN", "START TRANSACTION":
		if c.txStatus != 'I' {
			c.be.Send(warning("25001", "there is already a transaction in progress"))
			return
		}
		c.txStatus = 'T'
	case "COMMIT", "ROLLBACK":
		if tag == "ROLLBACK" && isRollbackTo(sql) {
			if failed {
				c.txStatus = 'T' // rolling back to a savepoint repairs the block
			}
			return
		}
		if c.txStatus == 'I' {
			c.be.Send(warning("25P01", "there is no transaction in progress"))
		}
		c.txStatus = 'I'
	}
}

// isRollbackTo reports whether a ROLLBACK statement is ROLLBACK [WORK|TRANSACTION] TO
// [SAVEPOINT] name, which stays inside the transaction block.
func isRollbackTo(sql string) bool {
	f := strings.Fields(strings.ToUpper(sql))
	if len(f) < 2 || f[0] != "ROLLBACK" {
		return false
	}
	if f[1] == "WORK" || f[1] == "TRANSACTION" {
		f = f[1:]
	}
	return len(f) >= 2 && f[1] == "TO"
}
