package pgwire

import (
	"context"
	"log/slog"
	"time"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
)

// Backend is what the server needs from the engine: users to authenticate and sessions to run
// queries in. Keeping it this small lets the protocol be tested with a fake.
type Backend interface {
	// LookupUser returns the user and its SCRAM verifier; catalog.ErrUserNotFound (wrapped or
	// not) when there is no such user.
	LookupUser(ctx context.Context, name string) (*catalog.User, error)
	// Connect opens a session for an authenticated user. An unknown database is a
	// *sqlerr.Error with code 3D000, which the server relays as FATAL.
	Connect(ctx context.Context, user, database string, params map[string]string) (Conn, error)
}

// Conn is one session. The server calls it from one goroutine at a time.
type Conn interface {
	// ParameterStatus returns the settings to report after authentication; the server fills
	// any PostgreSQL 15 parameter missing from it with PG15's default.
	ParameterStatus() map[string]string
	// Parse splits a query string into statements. A syntax error carries its position
	// (1-based characters) in the whole query string.
	Parse(query string) ([]engine.Statement, error)
	// Execute runs one statement. Cancelling ctx must stop the work, including the Rows of
	// the returned result. An error's Position is relative to the statement's own text.
	Execute(ctx context.Context, st engine.Statement) (*engine.Result, error)
	// Close ends the session.
	Close() error
}

// Authentication methods for Config.AuthMethod.
const (
	AuthSCRAM     = "scram-sha-256"
	AuthPassword  = "password" // cleartext password, checked against the SCRAM verifier
	AuthTrust     = "trust"
	defaultMethod = AuthSCRAM
)

// Config configures a Server.
type Config struct {
	// Addr is the TCP address to listen on, e.g. "127.0.0.1:5433" (port 0 picks a free one).
	Addr string
	// Logger receives connection-level events; nil means slog.Default().
	Logger *slog.Logger
	// AuthMethod is AuthSCRAM (the default when empty), AuthPassword or AuthTrust.
	AuthMethod string
	// AuthTimeout bounds the whole startup and authentication exchange (PostgreSQL's
	// authentication_timeout); zero means one minute.
	AuthTimeout time.Duration
}

// maxMessageLen bounds one frontend message body. PostgreSQL allows up to 1 GB; 64 MiB is far
// above any real query text while keeping a hostile length prefix from costing much memory.
const maxMessageLen = 64 << 20
