package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func waitStarted(t *testing.T, b *fakeBackend) {
	t.Helper()
	select {
	case <-b.started:
	case <-time.After(10 * time.Second):
		t.Fatal("blocking query never started")
	}
}

func waitCancelled(t *testing.T, b *fakeBackend, within time.Duration) error {
	t.Helper()
	select {
	case cause := <-b.cancelled:
		return cause
	case <-time.After(within):
		return nil
	}
}

func TestCancelRequest(t *testing.T) {
	b := newFakeBackend(t)
	_, addr := startServer(t, Config{}, b)
	c := connectPG(t, addr)
	ctx := testCtx(t)

	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx, "select 1; select sleep; select 1").ReadAll()
		done <- err
	}()
	waitStarted(t, b)

	// A CancelRequest with the wrong secret is ignored.
	nc := dial(t, addr)
	var msg []byte
	msg = binary.BigEndian.AppendUint32(msg, 16)
	msg = binary.BigEndian.AppendUint32(msg, 80877102)
	msg = binary.BigEndian.AppendUint32(msg, c.PID())
	msg = binary.BigEndian.AppendUint32(msg, binary.BigEndian.Uint32(c.SecretKey())+1)
	if _, err := nc.Write(msg); err != nil {
		t.Fatal(err)
	}
	if cause := waitCancelled(t, b, 200*time.Millisecond); cause != nil {
		t.Fatalf("wrong secret cancelled the query: %v", cause)
	}

	if err := c.CancelRequest(ctx); err != nil {
		t.Fatal(err)
	}
	if cause := waitCancelled(t, b, 10*time.Second); !errors.Is(cause, errQueryCanceled) {
		t.Fatalf("query context cause %v", cause)
	}
	wantPgError(t, <-done, "ERROR", "57014", "canceling statement due to user request")
	if got := execAll(t, c, "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Fatalf("after cancel: %+v", got)
	}
}

// TestIdleCancelIsHarmless: a cancel with nothing running does not affect the next query.
func TestIdleCancelIsHarmless(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	if err := c.CancelRequest(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if got := execAll(t, c, "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Fatalf("after idle cancel: %+v", got)
	}
}

// TestClientDisconnectCancels: a client that goes away mid-query cancels the query, even
// though the server is not writing anything at the time.
func TestClientDisconnectCancels(t *testing.T) {
	b := newFakeBackend(t)
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, b)
	nc := rawConnect(t, addr, map[string]string{"user": "alice", "database": "quarry"})
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.Query{String: "select sleep"})
	_ = fe.Flush()
	waitStarted(t, b)
	nc.Close()
	if cause := waitCancelled(t, b, 10*time.Second); !errors.Is(cause, errClientGone) {
		t.Fatalf("query context cause %v, want errClientGone", cause)
	}
}

// TestCloseEndsEverything: Close cancels a running query and tells both the busy and the
// idle client 57P01, and returns without waiting for them.
func TestCloseEndsEverything(t *testing.T) {
	b := newFakeBackend(t)
	s, addr := startServer(t, Config{}, b)
	ctx := testCtx(t)
	busy, idle := connectPG(t, addr), connectPG(t, addr)
	done := make(chan error, 1)
	go func() {
		_, err := busy.Exec(ctx, "select sleep").ReadAll()
		done <- err
	}()
	waitStarted(t, b)

	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > closeGrace {
		t.Errorf("Close took %v", d)
	}
	if cause := waitCancelled(t, b, time.Second); !errors.Is(cause, errShutdown) {
		t.Errorf("query context cause %v", cause)
	}
	wantPgError(t, <-done, "FATAL", "57P01", "terminating connection due to administrator command")
	// The idle client's connection was told and closed; its next use fails.
	if _, err := idle.Exec(ctx, "select 1").ReadAll(); err == nil {
		t.Error("idle connection survived Close")
	}
	if _, err := pgconn.Connect(ctx, connString(addr, "alice", testPassword, "quarry", "")); err == nil {
		t.Error("closed server accepted a connection")
	}
}

// TestServeStopsWithContext: cancelling Serve's context closes the server and its
// connections, and Serve returns nil.
func TestServeStopsWithContext(t *testing.T) {
	s := NewServer(Config{Addr: "127.0.0.1:0", AuthMethod: AuthTrust}, newFakeBackend(t))
	addr, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	nc := rawConnect(t, addr.String(), map[string]string{"user": "bob"})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "57P01")
	if err := s.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := s.Serve(context.Background()); err != nil {
		t.Fatalf("Serve after Close: %v", err)
	}
}
