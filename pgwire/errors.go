package pgwire

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/sqlerr"
)

// Errors pgwire itself raises, with PostgreSQL's texts (clients and BI tools match on some).
var (
	errQueryCanceled = sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request")
	errShutdown      = &sqlerr.Error{Code: sqlerr.AdminShutdown, Severity: "FATAL",
		Message: "terminating connection due to administrator command"}
	errInFailedTx = sqlerr.New(sqlerr.InFailedSQLTransaction,
		"current transaction is aborted, commands ignored until end of transaction block")
	errExtendedUnsupported = sqlerr.New(sqlerr.FeatureNotSupported,
		"extended query protocol is not supported yet").
		WithHint("Use the simple query protocol (for example pgx's default_query_exec_mode=simple_protocol, or psql).")
	// errClientGone is the cause of a connection context cancelled because the socket failed.
	errClientGone = errors.New("pgwire: client connection lost")
	// errConnClosed is the cause when the connection ended normally.
	errConnClosed = errors.New("pgwire: connection closed")
)

// errWrite marks a failure to write to the client: the connection is unusable and the
// message loop ends without trying to report anything.
type errWrite struct{ err error }

func (e errWrite) Error() string { return "pgwire: write to client: " + e.err.Error() }
func (e errWrite) Unwrap() error { return e.err }

func fatal(code, format string, args ...any) *sqlerr.Error {
	return &sqlerr.Error{Code: code, Severity: "FATAL", Message: fmt.Sprintf(format, args...)}
}

func authFailed(user string) *sqlerr.Error {
	return fatal(sqlerr.InvalidPassword, "password authentication failed for user %q", user)
}

func protocolViolation(format string, args ...any) *sqlerr.Error {
	return fatal(sqlerr.ProtocolViolation, format, args...)
}

// queryError flattens an error raised while a query ran. When the query's context was
// cancelled by pgwire (CancelRequest, shutdown), that cause wins over whatever error the
// engine returned for the cancellation.
func queryError(ctx context.Context, err error) *sqlerr.Error {
	if ctx.Err() != nil {
		var e *sqlerr.Error
		if errors.As(context.Cause(ctx), &e) {
			return e
		}
	}
	return sqlerr.From(err)
}

// errorResponse builds the wire message for e. pos is the 1-based character position in the
// client's query string, 0 for none.
func errorResponse(e *sqlerr.Error, pos int) *pgproto3.ErrorResponse {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	code := e.Code
	if code == "" {
		code = sqlerr.InternalError
	}
	return &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Position:            int32(pos),
	}
}

// errorPosition converts e's position to one in the whole query string: the statement's
// byte offset becomes characters (PostgreSQL counts characters), plus the error's own
// 1-based position within the statement. No position stays no position.
func errorPosition(e *sqlerr.Error, query string, offset int) int {
	if e.Position <= 0 {
		return 0
	}
	offset = min(max(offset, 0), len(query))
	return utf8.RuneCountInString(query[:offset]) + e.Position
}

func warning(code, msg string) *pgproto3.NoticeResponse {
	return &pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: code, Message: msg}
}
