package pgwire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/sqlerr"
)

// conn is one client connection. Everything but cancelQuery and shutdown runs on the
// connection's own goroutine, which is the only one that writes to the socket.
type conn struct {
	srv *Server
	nc  net.Conn
	rd  *connReader
	be  *pgproto3.Backend
	log *slog.Logger

	// ctx lives as long as the connection; it is cancelled with errClientGone when the socket
	// fails and errShutdown when the server closes.
	ctx    context.Context
	cancel context.CancelCauseFunc

	pid     uint32
	secret  []byte
	user    string
	session Conn

	// txStatus is the ReadyForQuery status: 'I' idle, 'T' in a transaction block, 'E' in a
	// failed one.
	txStatus byte
	// skipToSync is set after an extended-protocol error: messages are discarded until Sync.
	skipToSync bool
	// ext holds the extended protocol's prepared statements and portals (extended.go).
	ext extState

	mu          sync.Mutex
	queryCancel context.CancelCauseFunc // the running query message's; nil when idle

	done chan struct{} // closed when serve has returned and everything is released
}

func newConn(s *Server, nc net.Conn) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	c := &conn{
		srv:      s,
		nc:       nc,
		log:      s.log.With("remote", nc.RemoteAddr().String()),
		ctx:      ctx,
		cancel:   cancel,
		txStatus: 'I',
		done:     make(chan struct{}),
	}
	c.rd = newConnReader(nc, ctx, cancel)
	c.be = pgproto3.NewBackend(c.rd, nc)
	c.be.SetMaxBodyLen(s.maxMsgLen)
	return c
}

// serve runs the connection to its end. A panic anywhere below is contained here: it is
// logged, the client gets XX000 if the socket still works, and only this connection closes.
func (c *conn) serve() {
	defer close(c.done)
	defer c.close()
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("pgwire: connection panicked", "panic", v, "stack", string(debug.Stack()))
			if h := c.srv.panicHook; h != nil {
				h(v)
			}
			_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
			c.be = pgproto3.NewBackend(c.rd, c.nc) // drop whatever half-built output there was
			// The panic's text stays in the log: it may show internals a client should not see.
			c.be.Send(errorResponse(fatal(sqlerr.InternalError, "internal error"), 0))
			_ = c.be.Flush()
		}
	}()
	if !c.startup() {
		return
	}
	c.rd.startWatching(c.srv)
	c.loop()
}

func (c *conn) close() {
	c.cancel(errConnClosed)
	close(c.rd.quit)
	_ = c.nc.Close()
	c.closeExtended()
	if c.session != nil {
		c.closeSession()
	}
	c.srv.forget(c)
}

// closeSession closes the engine session, containing a panic there too: close runs after
// serve's recover.
func (c *conn) closeSession() {
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("pgwire: closing session panicked", "panic", v, "stack", string(debug.Stack()))
			if h := c.srv.panicHook; h != nil {
				h(v)
			}
		}
	}()
	if err := c.session.Close(); err != nil {
		c.log.Warn("pgwire: closing session", "err", err)
	}
}

// shutdown is called by Server.Close from another goroutine: it cancels whatever the
// connection is doing and bounds how long its last writes and reads may block.
func (c *conn) shutdown(deadline time.Time) {
	c.cancel(errShutdown)
	_ = c.nc.SetDeadline(deadline)
}

// loop reads and answers messages until the client leaves or the connection must close.
func (c *conn) loop() {
	for {
		msg, err := c.be.Receive()
		if err != nil {
			c.receiveFailed(err)
			return
		}
		var werr error
		switch m := msg.(type) {
		case *pgproto3.Query:
			c.skipToSync = false
			werr = c.simpleQuery(m.String)
			c.simpleQueryDone(m.String)
		case *pgproto3.Parse, *pgproto3.Bind, *pgproto3.Describe, *pgproto3.Execute, *pgproto3.Close:
			werr = c.extendedMessage(msg)
		case *pgproto3.Sync:
			werr = c.sync()
		case *pgproto3.Flush:
			werr = c.flush()
		case *pgproto3.FunctionCall:
			werr = c.functionCall()
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Outside COPY these are ignored, per the protocol: a client may still be sending
			// data for a COPY that failed.
		case *pgproto3.Terminate:
			return
		default:
			// Every other message type is decoded above or rejected by Receive, so this is a
			// password/SASL message ('p') outside authentication.
			c.sendFatal(protocolViolation("invalid frontend message type %d", 'p'))
			return
		}
		if werr != nil {
			var fe fatalError
			if errors.As(werr, &fe) {
				return // already reported
			}
			c.log.Debug("pgwire: connection ends", "err", werr)
			return
		}
	}
}

// fatalError tells loop that a FATAL error was sent and the connection must close.
type fatalError struct{ e *sqlerr.Error }

func (e fatalError) Error() string { return e.e.Message }

// receiveFailed decides what to tell a client whose next message could not be read: nothing
// when the socket is gone, 57P01 on shutdown, 08P01 for a malformed or oversized message.
func (c *conn) receiveFailed(err error) {
	switch {
	case errors.Is(context.Cause(c.ctx), errShutdown):
		c.sendFatal(errShutdown)
	case c.rd.err != nil || c.ctx.Err() != nil || isNetErr(err):
		c.log.Debug("pgwire: client went away", "err", err)
	default:
		var tooLong *pgproto3.ExceededMaxBodyLenErr
		if errors.As(err, &tooLong) {
			c.sendFatal(protocolViolation("invalid message length"))
			return
		}
		c.log.Info("pgwire: malformed message; closing connection", "err", err)
		c.sendFatal(protocolViolation("invalid frontend message: %v", err))
	}
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &ne)
}

// sendFatal reports e (made FATAL) as the connection's last word; write errors are moot.
func (c *conn) sendFatal(e *sqlerr.Error) {
	if e.Severity != "FATAL" {
		f := *e
		f.Severity = "FATAL"
		e = &f
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	c.be.Send(errorResponse(e, 0))
	_ = c.be.Flush()
}

func (c *conn) flush() error {
	if err := c.be.Flush(); err != nil {
		c.cancel(errClientGone)
		return errWrite{err}
	}
	return nil
}

func (c *conn) readyForQuery() error {
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: c.txStatus})
	return c.flush()
}

// functionCall answers the legacy fastpath function call, which Quarry does not offer.
func (c *conn) functionCall() error {
	c.be.Send(errorResponse(sqlerr.New(sqlerr.FeatureNotSupported, "fastpath function calls are not supported"), 0))
	c.failTx()
	return c.readyForQuery()
}

// failTx records an error: inside a transaction block, the block is now failed.
func (c *conn) failTx() {
	if c.txStatus == 'T' {
		c.txStatus = 'E'
	}
}
