package engine

import (
	"context"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/sqlerr"
)

// Engine is one Quarry instance's query engine: catalog, object stores, formats, functions.
type Engine struct {
	catalog catalog.Store
}

// LookupUser returns a user for authentication (catalog.ErrUserNotFound if none).
func (e *Engine) LookupUser(ctx context.Context, name string) (*catalog.User, error) {
	return e.catalog.GetUser(ctx, name)
}

// Session is one client's connection state: user, current catalog, settings.
type Session struct {
	e        *Engine
	user     string
	database string
}

// NewSession starts a session for an authenticated user. database is the data catalog name
// the client asked for (default "quarry"); another name is 3D000. params are the startup
// parameters (application_name, options, DateStyle, ...).
func (e *Engine) NewSession(ctx context.Context, user, database string, params map[string]string) (*Session, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "not implemented")
}

// ParameterStatus returns the parameters to report to a client after authentication.
func (s *Session) ParameterStatus() map[string]string { return nil }

// Parse splits a query string into statements. A syntax error carries its position in query.
func (s *Session) Parse(query string) ([]Statement, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "not implemented")
}

// Execute runs one statement. Cancelling ctx stops the statement's work; the Rows of a result
// also stop when ctx is cancelled.
func (s *Session) Execute(ctx context.Context, st Statement) (*Result, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "not implemented")
}

// Close ends the session.
func (s *Session) Close() error { return nil }
