// Package sqlerr gives errors a SQLSTATE code, a message, and optional detail, hint and
// position. It is the leaf every layer uses to say what went wrong in terms a SQL user
// understands; pgwire and httpapi are the only places that turn such an error into a reply.
//
// It imports nothing of Quarry's.
package sqlerr

import (
	"errors"
	"fmt"
)

// Codes used across Quarry. The full list is PostgreSQL's (Appendix A); only the codes Quarry
// raises are named here.
const (
	SuccessfulCompletion         = "00000"
	FeatureNotSupported          = "0A000"
	CardinalityViolation         = "21000"
	DataException                = "22000"
	StringDataRightTruncation    = "22001"
	NumericValueOutOfRange       = "22003"
	InvalidDatetimeFormat        = "22007"
	DatetimeFieldOverflow        = "22008"
	DivisionByZero               = "22012"
	InvalidParameterValue        = "22023"
	InvalidTextRepresentation    = "22P02"
	BadCopyFileFormat            = "22P04"
	InvalidRegularExpression     = "2201B"
	InvalidTransactionState      = "25000"
	ReadOnlySQLTransaction       = "25006"
	InFailedSQLTransaction       = "25P02"
	InvalidAuthorization         = "28000"
	InvalidPassword              = "28P01"
	InvalidCatalogName           = "3D000"
	InvalidSchemaName            = "3F000"
	SyntaxError                  = "42601"
	InsufficientPrivilege        = "42501"
	UndefinedColumn              = "42703"
	UndefinedFunction            = "42883"
	UndefinedTable               = "42P01"
	UndefinedObject              = "42704"
	UndefinedSchema              = "3F000"
	DuplicateTable               = "42P07"
	DuplicateSchema              = "42P06"
	DuplicateObject              = "42710"
	DuplicateColumn              = "42701"
	AmbiguousColumn              = "42702"
	GroupingError                = "42803"
	DatatypeMismatch             = "42804"
	CannotCoerce                 = "42846"
	WrongObjectType              = "42809"
	InvalidColumnReference       = "42P10"
	InvalidParameterType         = "42P08" // indeterminate/ambiguous parameter
	IndeterminateDatatype        = "42P18"
	UndefinedParameter           = "42P02"
	ProtocolViolation            = "08P01"
	QueryCanceled                = "57014"
	AdminShutdown                = "57P01"
	OutOfMemory                  = "53200"
	ProgramLimitExceeded         = "54000"
	IOError                      = "58030"
	DataCorrupted                = "XX001"
	InternalError                = "XX000"
	InvalidCursorName            = "34000"
	InvalidSQLStatementName      = "26000"
	DuplicatePreparedStatement   = "42P05"
	DuplicateCursor              = "42P03"
	ObjectNotInPrerequisiteState = "55000"
	SerializationFailure         = "40001"
)

// Error is an error with a SQLSTATE. Position, when set, is 1-based in characters of the
// statement text the client sent, as PostgreSQL reports it.
type Error struct {
	Code     string
	Severity string // ERROR (default) or FATAL
	Message  string
	Detail   string
	Hint     string
	Position int
	cause    error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the error this one was made from, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap gives err a code and message while keeping it reachable through errors.Is/As.
func Wrap(err error, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: err}
}

// WithPosition returns a copy of e with the position set.
func (e *Error) WithPosition(pos int) *Error {
	c := *e
	c.Position = pos
	return &c
}

// WithHint returns a copy of e with the hint set.
func (e *Error) WithHint(h string) *Error {
	c := *e
	c.Hint = h
	return &c
}

// WithDetail returns a copy of e with the detail set.
func (e *Error) WithDetail(d string) *Error {
	c := *e
	c.Detail = d
	return &c
}

// From returns the *Error in err's chain, or an internal error (XX000) that carries err's
// text when there is none. This is the one place errors are flattened for a reply.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Message != err.Error() && e.cause == nil {
			// The chain added context around a coded error: keep the code, show all the text.
			c := *e
			c.Message = err.Error()
			return &c
		}
		return e
	}
	return &Error{Code: InternalError, Message: err.Error(), cause: err}
}

// Code returns err's SQLSTATE, or XX000 when it has none.
func Code(err error) string {
	if err == nil {
		return SuccessfulCompletion
	}
	return From(err).Code
}
