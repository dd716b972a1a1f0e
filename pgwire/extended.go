package pgwire

// The extended query protocol (Parse/Bind/Describe/Execute/Close, then Sync) is a later
// piece of work. Until then each extended batch gets one 0A000 ErrorResponse and, as after
// any extended-protocol error, every message up to Sync is discarded; Sync answers
// ReadyForQuery. Clients thus get a clean error and the connection stays usable. The real
// implementation replaces extendedMessage with a dispatch on the message and keeps sync and
// skipToSync as they are.

// extendedMessage handles Parse, Bind, Describe, Execute or Close.
func (c *conn) extendedMessage() error {
	if c.skipToSync {
		return nil
	}
	c.skipToSync = true
	c.be.Send(errorResponse(errExtendedUnsupported, 0))
	c.failTx()
	// PostgreSQL sends the error at once, not at Sync; a client waiting on Flush sees it.
	return c.flush()
}

// sync ends an extended-protocol batch.
func (c *conn) sync() error {
	c.skipToSync = false
	return c.readyForQuery()
}
