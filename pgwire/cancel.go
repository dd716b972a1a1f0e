package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
)

// Cancellation. Every connection gets a random process id and secret (BackendKeyData). A
// CancelRequest arrives on a new socket with that pair; the server finds the connection and
// cancels the context of the query it is running, whose statement then fails with 57014.
// A cancel that arrives while the connection is idle does nothing, as in PostgreSQL.

// registerKey gives c a process id unique among live connections and a 4-byte secret
// (protocol 3.0's size), and makes it findable by CancelRequest.
func (s *Server) registerKey(c *conn) {
	var b [8]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		_, _ = rand.Read(b[:])
		// Keep the pid positive as an int32: pgJDBC and others hold it in a signed int.
		pid := binary.BigEndian.Uint32(b[:4]) & 0x7fffffff
		if pid == 0 || s.byPID[pid] != nil {
			continue
		}
		c.pid = pid
		c.secret = append([]byte(nil), b[4:]...)
		s.byPID[pid] = c
		return
	}
}

// cancelRequest handles a CancelRequest: a matching (pid, secret) cancels that connection's
// running query. Mismatches are ignored silently so the request cannot be used to probe.
func (s *Server) cancelRequest(pid uint32, secret []byte) {
	s.mu.Lock()
	c := s.byPID[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeCompare(c.secret, secret) != 1 {
		s.log.Debug("pgwire: cancel request matches no connection", "pid", pid)
		return
	}
	c.cancelQuery()
}

// beginQuery returns the context a query message runs under and makes it cancellable by
// CancelRequest. It derives from the connection's context, so a vanished client or a server
// shutdown cancels it too, each with its own cause.
func (c *conn) beginQuery() context.Context {
	ctx, cancel := context.WithCancelCause(c.ctx)
	c.mu.Lock()
	c.queryCancel = cancel
	c.mu.Unlock()
	return ctx
}

// endQuery releases the query context; a later CancelRequest finds nothing to cancel.
func (c *conn) endQuery() {
	c.mu.Lock()
	cancel := c.queryCancel
	c.queryCancel = nil
	c.mu.Unlock()
	if cancel != nil {
		cancel(nil)
	}
}

func (c *conn) cancelQuery() {
	c.mu.Lock()
	cancel := c.queryCancel
	c.mu.Unlock()
	if cancel != nil {
		cancel(errQueryCanceled)
	}
}
