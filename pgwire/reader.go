package pgwire

import (
	"context"
	"net"
)

// connReader is the io.Reader under a connection's pgproto3.Backend.
//
// During startup it reads the socket directly (so TLS can later take the socket over after
// SSLRequest). Once the session is up, a watcher goroutine does the socket reads and hands
// the bytes over through a small bounded queue. The point is that the socket is always being
// read, even while a query runs and the message loop is busy: when the client disconnects,
// the watcher sees it at once and cancels the connection's context, which cancels the
// running query. It also keeps a client that pipelines messages while we write results from
// deadlocking against us, up to the queue's size.
type connReader struct {
	nc     net.Conn
	done   <-chan struct{}         // the connection context's Done: unblocks Read on shutdown
	cause  func() error            // the connection context's cause, returned when done
	onFail context.CancelCauseFunc // cancels the connection when the socket fails
	quit   chan struct{}           // closed when the connection ends; stops the watcher

	watching bool
	chunks   chan readChunk
	free     chan []byte
	cur      []byte // unread part of the chunk being consumed
	curBuf   []byte // that chunk's buffer, returned to free once consumed
	err      error  // the socket's terminal error, once seen
}

type readChunk struct {
	buf []byte
	n   int
	err error
}

const (
	readBufSize  = 16 << 10
	readBufCount = 4
)

func newConnReader(nc net.Conn, ctx context.Context, cancel context.CancelCauseFunc) *connReader {
	return &connReader{
		nc:     nc,
		done:   ctx.Done(),
		cause:  func() error { return context.Cause(ctx) },
		onFail: cancel,
		quit:   make(chan struct{}),
	}
}

// startWatching hands socket reads to the watcher goroutine, counted in wg.
func (r *connReader) startWatching(s *Server) {
	r.watching = true
	r.chunks = make(chan readChunk, readBufCount)
	r.free = make(chan []byte, readBufCount)
	for range readBufCount {
		r.free <- make([]byte, readBufSize)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		r.watch()
	}()
}

func (r *connReader) watch() {
	for {
		var buf []byte
		select {
		case buf = <-r.free:
		case <-r.quit:
			return
		}
		n, err := r.nc.Read(buf)
		if err != nil {
			// Cancel first: the consumer may be busy running a query and not read the
			// chunk for a long time.
			r.onFail(errClientGone)
		}
		select {
		case r.chunks <- readChunk{buf: buf, n: n, err: err}:
		case <-r.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

func (r *connReader) Read(p []byte) (int, error) {
	if !r.watching {
		return r.nc.Read(p)
	}
	for len(r.cur) == 0 {
		if r.curBuf != nil {
			r.free <- r.curBuf // never blocks: free has room for every buffer
			r.curBuf = nil
		}
		if r.err != nil {
			return 0, r.err
		}
		select {
		case ch := <-r.chunks:
			r.cur, r.curBuf, r.err = ch.buf[:ch.n], ch.buf, ch.err
		case <-r.done:
			return 0, r.cause()
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}
