// Package engine runs a query's life: sessions with their settings, statements parsed, bound,
// planned and executed, results streamed, cancellation. pgwire, httpapi and the CLI are front
// doors over one Engine.
//
// It imports every layer below it (sql, planner, exec, catalog, formats, objstore, function);
// nothing but the front doors and cmd import it.
package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// Column describes one result column.
type Column struct {
	Name string
	Type types.T
	// TableOID and ColumnAttr identify the source column when the result column is a plain
	// column reference (pgwire's RowDescription); zero otherwise.
	TableOID   uint32
	ColumnAttr int16
}

// Rows is a stream of result batches. Next returns (nil, io.EOF) after the last batch; the
// caller owns each record and releases it. Close may be called at any time and ends the
// query's work.
type Rows interface {
	Next(ctx context.Context) (arrow.Record, error)
	Close() error
}

// Statement is one parsed statement of a query string.
type Statement struct {
	// SQL is the statement's own text; Offset is where it starts in the query string (in
	// bytes), so error positions can be reported against the whole string.
	SQL    string
	Offset int
	// Tag is the command word (SELECT, CREATE TABLE, SET, BEGIN, ...) pgwire reports in
	// CommandComplete.
	Tag string
	// Empty is true for a statement with no content (only comments or whitespace).
	Empty bool

	parsed any // the parser's tree, kept for Execute
}

// Result is what executing one statement yields.
type Result struct {
	// Columns is nil for a statement that returns no rows.
	Columns []Column
	// Rows streams the rows when Columns is not nil; the caller must Close it.
	Rows Rows
	// Tag is the CommandComplete tag. For statements with rows, pgwire appends the row count
	// to Tag ("SELECT" -> "SELECT 42"); for others it is complete ("CREATE TABLE", "SET").
	Tag string
	// RowsAffected is reported after Tag for INSERT/CTAS-like statements (-1 for none).
	RowsAffected int64
	// Params are session parameters whose value the statement changed, for ParameterStatus.
	Params map[string]string
	// Notices are warnings to pass to the client (NoticeResponse).
	Notices []string
	// Binary asks for the rows in binary format (FETCH from a BINARY cursor).
	Binary bool
	// Copy, when set, says the rows are COPY ... TO STDOUT's: front doors send them in
	// COPY's text or CSV format (copy.go) instead of as a result set.
	Copy *CopyOut
	// CopyIn, when set, is COPY ... FROM STDIN's sink: front doors ask the client for its
	// data, feed it in, and report Finish's row count as COPY n (copy_from.go).
	CopyIn *CopyIn
	// Deallocate is the prepared statement DEALLOCATE drops (tag DEALLOCATE); the front door
	// holds the statements (deallocate.go).
	Deallocate string
}

// Prepared is a statement prepared for the extended query protocol (Session.Prepare): parsed,
// its parameter types known and its result columns described, without having run. It may be
// executed any number of times with Session.ExecutePrepared.
type Prepared struct {
	// Statement is the one statement of the query string (Empty for an empty string).
	Statement Statement
	// ParamTypes are the parameters' types ($1 first): declared by the client or inferred
	// from the statement. Values are converted to these types.
	ParamTypes []types.T
	// ParamOIDs are the OIDs ParameterDescription reports: the client's own where it gave
	// one (its wire format decides how binary values are read), ParamTypes[i].OID()
	// otherwise.
	ParamOIDs []uint32
	// Columns are the result's columns, nil for a statement that returns no rows.
	Columns []Column

	query queryKind
}

// Param is one parameter value for an execution of a Prepared statement. Front doors decode
// their wire formats; the engine converts the value to the parameter's type.
//
// Either Text holds the value in PostgreSQL's text format (the engine parses it as a cast
// from text would: bad input is 22P02 or another 22xxx), or Value holds it already in the
// parameter's type, as the Go type for its kind:
//
//	Bool bool; Int16 int16; Int32 int32; Int64 int64; Float32 float32; Float64 float64;
//	Varchar, JSON string; Bytea []byte; UUID [16]byte;
//	Date int32 (days since 1970-01-01); Time int64 (µs since midnight);
//	Timestamp, TimestampTZ int64 (µs since 1970-01-01 00:00 UTC);
//	Interval arrow.MonthDayNanoInterval.
//
// Decimal and Array parameters take Text only.
type Param struct {
	Null  bool
	Text  string
	Value any
}
