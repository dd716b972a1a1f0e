package pgwire

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Server accepts PostgreSQL client connections and serves each on its own goroutine.
type Server struct {
	cfg       Config
	backend   Backend
	log       *slog.Logger
	maxMsgLen int
	// mockKey derives stable fake SCRAM salts for unknown users, so that probing two names
	// does not tell which one exists (PostgreSQL does the same with its mock nonce).
	mockKey [32]byte
	// panicHook, when set (tests), is told about every panic a connection recovered from.
	panicHook func(v any)

	mu     sync.Mutex
	ln     net.Listener
	conns  map[*conn]struct{}
	byPID  map[uint32]*conn // for CancelRequest
	closed bool
	// wg counts connection goroutines and their socket readers; Close waits for it.
	wg sync.WaitGroup
	// serving is held by Serve's accept loop so Close can wait for it to return.
	serving sync.WaitGroup
}

// closeGrace is how long Close lets connections say goodbye (57P01) before it closes their
// sockets outright.
const closeGrace = 2 * time.Second

// NewServer returns a server for b. Call Listen (optional) and Serve.
func NewServer(cfg Config, b Backend) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AuthMethod == "" {
		cfg.AuthMethod = defaultMethod
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = time.Minute
	}
	s := &Server{
		cfg:       cfg,
		backend:   b,
		log:       cfg.Logger,
		maxMsgLen: maxMessageLen,
		conns:     make(map[*conn]struct{}),
		byPID:     make(map[uint32]*conn),
	}
	_, _ = rand.Read(s.mockKey[:])
	return s
}

// Listen binds the configured address and returns the address actually bound (useful with
// port 0). Serve calls it when it has not been called.
func (s *Server) Listen() (net.Addr, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, net.ErrClosed
	}
	if s.ln != nil {
		return s.ln.Addr(), nil
	}
	switch s.cfg.AuthMethod {
	case AuthSCRAM, AuthPassword, AuthTrust:
	default:
		return nil, fmt.Errorf("pgwire: unknown AuthMethod %q (want %s, %s or %s)",
			s.cfg.AuthMethod, AuthSCRAM, AuthPassword, AuthTrust)
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Serve accepts connections until ctx is done or Close is called; both make it return nil.
// Any other accept failure is returned (after closing the server).
func (s *Server) Serve(ctx context.Context) error {
	if _, err := s.Listen(); err != nil {
		if s.isClosed() {
			return nil
		}
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	ln := s.ln
	s.serving.Add(1)
	s.mu.Unlock()

	stop := make(chan struct{})
	go func() {
		// Not counted in wg: it calls Close, which waits for wg.
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-stop:
		}
	}()
	err := s.acceptLoop(ln)
	close(stop)
	s.serving.Done()
	if err != nil {
		_ = s.Close()
	}
	return err
}

func (s *Server) acceptLoop(ln net.Listener) error {
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Out of file descriptors and the like: wait and retry, as net/http does.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("pgwire: accept failed; retrying", "err", err, "in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.handle(nc)
	}
}

// handle starts serving one accepted socket (also used directly by the fuzz tests).
func (s *Server) handle(nc net.Conn) *conn {
	c := newConn(s, nc)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = nc.Close()
		return nil
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.serve()
	}()
	return c
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close stops accepting, asks every connection to end (cancelling running queries and
// telling idle clients 57P01), closes the sockets that have not ended after a grace period,
// and waits for all connection goroutines. It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	ln := s.ln
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	var err error
	if !already && ln != nil {
		err = ln.Close()
	}
	for _, c := range conns {
		c.shutdown(time.Now().Add(closeGrace / 2))
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(closeGrace):
		for _, c := range conns {
			_ = c.nc.Close()
		}
		<-done
	}
	s.serving.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// forget removes a finished connection from the server's sets.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	if c.pid != 0 && s.byPID[c.pid] == c {
		delete(s.byPID, c.pid)
	}
}
