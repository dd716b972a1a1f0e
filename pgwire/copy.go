package pgwire

import (
	"context"
	"errors"
	"io"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
)

// COPY ... TO STDOUT on the wire, as PostgreSQL 15 sends it: CopyOutResponse (overall
// format 0, one format code 0 per column), a CopyData for the header line when asked and one
// per row, CopyDone, then the caller's CommandComplete `COPY n`. Each value is the same text
// a DataRow carries (the type's output function), escaped as COPY's text format
// (CopyAttributeOutText) or quoted as its CSV format (CopyAttributeOutCSV) does; a NULL is
// the NULL string as is.
//
// COPY FROM STDIN (receiveCopy): CopyInResponse, then the client's CopyData go to the
// engine's sink until CopyDone (the rows are written: COPY n) or CopyFail (57014). Flush and
// Sync in between are ignored, as PostgreSQL does. A COPY FROM the engine refuses is refused
// before any CopyInResponse; CopyData / CopyDone / CopyFail a client then sends anyway are
// ignored (conn.go).

// sendCopy streams a COPY TO STDOUT result and returns its row count.
func (c *conn) sendCopy(ctx context.Context, res *engine.Result) (int64, error) {
	if len(res.Columns) > maxColumns {
		return 0, sqlerr.New(sqlerr.ProgramLimitExceeded, "target lists can have at most %d entries", maxColumns)
	}
	c.be.Send(&pgproto3.CopyOutResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, len(res.Columns))})
	w := copyWriter{opts: res.Copy, single: len(res.Columns) == 1}
	if res.Copy.Header {
		w.line = w.line[:0]
		for i, col := range res.Columns {
			if i > 0 {
				w.line = append(w.line, w.opts.Delimiter)
			}
			w.appendValue([]byte(col.Name), false)
		}
		w.line = append(w.line, '\n')
		c.be.Send(&pgproto3.CopyData{Data: w.line})
	}
	apps := make([]textAppender, len(res.Columns))
	var count int64
	for {
		rec, err := res.Rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return count, err
		}
		if rec == nil {
			continue
		}
		for i, col := range res.Columns {
			app, err := newTextAppender(col.Type, rec.Column(i))
			if err != nil {
				rec.Release()
				return count, sqlerr.Wrap(err, sqlerr.InternalError, "column %q: %v", col.Name, err)
			}
			apps[i] = app
		}
		n := int(rec.NumRows())
		for r := range n {
			c.be.Send(&pgproto3.CopyData{Data: w.row(apps, r)})
		}
		rec.Release()
		count += int64(n)
		// One flush per batch, as for DataRows: bounded memory, and the client starts
		// writing its file while we read.
		if err := c.flush(); err != nil {
			return count, err
		}
	}
	c.be.Send(&pgproto3.CopyDone{})
	return count, nil
}

// copyWriter builds COPY's lines. line and val are reused from row to row: pgproto3 copies a
// message's bytes when it is sent.
type copyWriter struct {
	opts   *engine.CopyOut
	single bool // one column: a lone `\.` must be quoted in CSV
	line   []byte
	val    []byte
}

// row returns the line of row r, newline included.
func (w *copyWriter) row(apps []textAppender, r int) []byte {
	w.line = w.line[:0]
	for i, app := range apps {
		if i > 0 {
			w.line = append(w.line, w.opts.Delimiter)
		}
		var ok bool
		w.val, ok = app(w.val[:0], r)
		if !ok {
			w.line = append(w.line, w.opts.Null...)
			continue
		}
		w.appendValue(w.val, w.opts.CSV && w.opts.ForceQuote[i])
	}
	return append(w.line, '\n')
}

// appendValue appends one non-NULL value in the format's escaping.
func (w *copyWriter) appendValue(v []byte, forceQuote bool) {
	if w.opts.CSV {
		w.line = appendCSV(w.line, v, w.opts, forceQuote || string(v) == w.opts.Null, w.single)
		return
	}
	w.line = appendCopyText(w.line, v, w.opts.Delimiter)
}

// appendCopyText escapes a value as COPY's text format does: backslash, the delimiter and
// the control characters that have a letter (\b \f \n \r \t \v) get a backslash; other bytes
// go as they are.
func appendCopyText(dst, v []byte, delim byte) []byte {
	for _, c := range v {
		if c < 0x20 {
			var l byte
			switch c {
			case '\b':
				l = 'b'
			case '\f':
				l = 'f'
			case '\n':
				l = 'n'
			case '\r':
				l = 'r'
			case '\t':
				l = 't'
			case '\v':
				l = 'v'
			default:
				if c == delim {
					dst = append(dst, '\\', c)
				} else {
					dst = append(dst, c)
				}
				continue
			}
			dst = append(dst, '\\', l)
			continue
		}
		if c == '\\' || c == delim {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}

// appendCSV writes a value as COPY's CSV format does: quoted when asked (FORCE_QUOTE, or
// the value reads as the NULL string), when it holds the delimiter, the quote, CR or LF, or
// when it is a lone `\.` in a one-column copy (the old end-of-data marker); inside quotes,
// the quote and escape characters are escaped.
func appendCSV(dst, v []byte, o *engine.CopyOut, quote, single bool) []byte {
	if !quote {
		if single && string(v) == `\.` {
			quote = true
		} else {
			for _, c := range v {
				if c == o.Delimiter || c == o.Quote || c == '\n' || c == '\r' {
					quote = true
					break
				}
			}
		}
	}
	if !quote {
		return append(dst, v...)
	}
	dst = append(dst, o.Quote)
	for _, c := range v {
		if c == o.Quote || c == o.Escape {
			dst = append(dst, o.Escape)
		}
		dst = append(dst, c)
	}
	return append(dst, o.Quote)
}

// receiveCopy runs COPY FROM STDIN's exchange and returns the number of rows written.
func (c *conn) receiveCopy(ctx context.Context, in *engine.CopyIn) (int64, error) {
	c.be.Send(&pgproto3.CopyInResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, in.Columns)})
	if err := c.flush(); err != nil {
		return 0, err
	}
	var failed error // a Write error: reported once the client is done sending
	for {
		msg, err := c.be.Receive()
		if err != nil {
			in.Abort()
			return 0, errWrite{err}
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			if failed == nil {
				failed = in.Write(m.Data)
			}
		case *pgproto3.CopyDone:
			if failed != nil {
				in.Abort()
				return 0, failed
			}
			return in.Finish(ctx)
		case *pgproto3.CopyFail:
			in.Abort()
			return 0, sqlerr.New(sqlerr.QueryCanceled, "COPY from stdin failed: %s", m.Message)
		case *pgproto3.Flush, *pgproto3.Sync:
		case *pgproto3.Terminate:
			in.Abort()
			return 0, errWrite{io.EOF}
		default:
			in.Abort()
			return 0, protocolError("unexpected message type %T during COPY from stdin", msg)
		}
	}
}
