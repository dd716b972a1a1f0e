package pgwire

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The fake backend: a few users, one database ("quarry"), and a Conn that understands a
// handful of canned statements (see fakeConn.Execute). Arrow memory goes through a checked
// allocator so TestMain can tell that pgwire released every batch.

var testAlloc = memory.NewCheckedAllocator(memory.NewGoAllocator())

const testPassword = "s3cret pass"

// makeVerifier computes a verifier like catalog.NewSCRAMVerifier (SASLprep is the identity
// on ASCII passwords) but with a chosen iteration count, so the fuzz tests can use a cheap one.
func makeVerifier(t testing.TB, password string, iter int) string {
	salt := []byte("0123456789abcdef")
	salted, err := pbkdf2.Key(sha256.New, password, salt, iter, sha256.Size)
	if err != nil {
		t.Fatal(err)
	}
	clientKey := hmacSHA256(salted, "Client Key")
	sum := sha256.Sum256(clientKey)
	stored, server := sum[:], hmacSHA256(salted, "Server Key")
	b := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iter, b(salt), b(stored), b(server))
}

type fakeBackend struct {
	users map[string]*catalog.User

	mu    sync.Mutex
	conns []*fakeConn
	// started is signalled when a blocking query starts waiting; cancelled receives the
	// cause it sees when its context ends.
	started   chan struct{}
	cancelled chan error
}

func newFakeBackend(t testing.TB) *fakeBackend { return newFakeBackendIter(t, 4096) }

// newFakeBackendIter lets the fuzz tests use a cheap verifier (few PBKDF2 iterations).
func newFakeBackendIter(t testing.TB, iter int) *fakeBackend {
	v := makeVerifier(t, testPassword, iter)
	return &fakeBackend{
		users: map[string]*catalog.User{
			"alice": {Name: "alice", Verifier: v, Superuser: true},
			"bob":   {Name: "bob", Verifier: v},
			"nopw":  {Name: "nopw"},
		},
		started:   make(chan struct{}, 16),
		cancelled: make(chan error, 16),
	}
}

func (b *fakeBackend) LookupUser(_ context.Context, name string) (*catalog.User, error) {
	if u, ok := b.users[name]; ok {
		return u, nil
	}
	return nil, fmt.Errorf("user %q: %w", name, catalog.ErrUserNotFound)
}

func (b *fakeBackend) Connect(_ context.Context, user, database string, params map[string]string) (Conn, error) {
	if database != "quarry" && database != user {
		return nil, sqlerr.New(sqlerr.InvalidCatalogName, "database %q does not exist", database)
	}
	c := &fakeConn{b: b, user: user, params: params}
	b.mu.Lock()
	b.conns = append(b.conns, c)
	b.mu.Unlock()
	return c, nil
}

type fakeConn struct {
	b      *fakeBackend
	user   string
	params map[string]string
	closed bool
}

func (c *fakeConn) ParameterStatus() map[string]string {
	// Fewer than PG15's set, in a different case for one name: pgwire fills in the rest.
	return map[string]string{"server_version": "15.18", "timezone": "UTC", "extra_one": "x"}
}

// Parse splits on semicolons outside single quotes; a statement containing the word
// "syntax_error" fails the whole parse with a position in the query string.
func (c *fakeConn) Parse(query string) ([]engine.Statement, error) {
	if i := strings.Index(query, "syntax_error"); i >= 0 {
		return nil, sqlerr.New(sqlerr.SyntaxError, `syntax error at or near "syntax_error"`).
			WithPosition(utf8.RuneCountInString(query[:i]) + 1)
	}
	var out []engine.Statement
	start, inQuote := 0, false
	for i := 0; i <= len(query); i++ {
		if i < len(query) && query[i] == '\'' {
			inQuote = !inQuote
		}
		if i < len(query) && (query[i] != ';' || inQuote) {
			continue
		}
		part := query[start:i]
		trimmed := strings.TrimLeft(part, " \t\r\n")
		sqlText := strings.TrimSpace(trimmed)
		body := stripComments(sqlText)
		if i < len(query) || body != "" || len(out) == 0 {
			out = append(out, engine.Statement{
				SQL: sqlText, Offset: start + len(part) - len(trimmed), Tag: tagOf(body), Empty: body == "",
			})
		}
		start = i + 1
	}
	return out, nil
}

func stripComments(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func tagOf(body string) string {
	f := strings.Fields(strings.ToUpper(body))
	if len(f) == 0 {
		return ""
	}
	switch f[0] {
	case "START":
		return "START TRANSACTION"
	case "END":
		return "COMMIT"
	case "ABORT":
		return "ROLLBACK"
	}
	return f[0]
}

// Execute knows these statements (case-insensitive):
//
//	begin, start transaction, commit, end, rollback [to x], abort, savepoint x
//	select 1                  one int4 column "?column?"
//	select rows N             N int8 rows in batches of 3
//	select mixed              a row of several types, second row NULLs
//	select psql               columns id, name: (1, one), (2, NULL)
//	select 1/0                22012
//	select ... nosuch ...     42703 with a position inside the statement
//	select sleep              blocks until its context ends
//	set a = b                 SET, ParameterStatus a=b
//	notice                    SELECT-less NOTICE carrier ("DO" tag) with a warning
//	insert                    INSERT 0 3
//	fatal                     a FATAL error
//	panic                     panics
//	empty result              columns, zero batches
func (c *fakeConn) Execute(ctx context.Context, st engine.Statement) (*engine.Result, error) {
	q := strings.ToLower(st.SQL)
	switch {
	case st.Tag == "BEGIN" || st.Tag == "START TRANSACTION" || st.Tag == "COMMIT" ||
		st.Tag == "ROLLBACK" || st.Tag == "SAVEPOINT":
		return &engine.Result{Tag: st.Tag, RowsAffected: -1}, nil
	case strings.Contains(q, "nosuch"):
		i := strings.Index(st.SQL, "nosuch")
		return nil, sqlerr.New(sqlerr.UndefinedColumn, `column "nosuch" does not exist`).
			WithPosition(utf8.RuneCountInString(st.SQL[:i]) + 1)
	case q == "select 1":
		return rowsResult([]engine.Column{{Name: "?column?", Type: types.Int32T}}, func(bs []array.Builder) {
			bs[0].(*array.Int32Builder).Append(1)
		}), nil
	case strings.HasPrefix(q, "select rows "):
		var n int
		fmt.Sscanf(q, "select rows %d", &n)
		cols := []engine.Column{{Name: "n", Type: types.Int64T}}
		var recs []arrow.Record
		for i := 0; i < n; i += 3 {
			recs = append(recs, record(cols, func(bs []array.Builder) {
				for j := i; j < min(i+3, n); j++ {
					bs[0].(*array.Int64Builder).Append(int64(j))
				}
			}))
		}
		return &engine.Result{Columns: cols, Rows: &sliceRows{recs: recs}, Tag: "SELECT", RowsAffected: -1}, nil
	case q == "select mixed":
		cols := []engine.Column{
			{Name: "i", Type: types.Int32T, TableOID: 16384, ColumnAttr: 2},
			{Name: "s", Type: types.T{Kind: types.Varchar, Precision: 10}},
			{Name: "d", Type: types.DecimalT(10, 2)},
			{Name: "ts", Type: types.TimestampTZT},
		}
		return rowsResult(cols, func(bs []array.Builder) {
			bs[0].(*array.Int32Builder).Append(42)
			bs[1].(*array.StringBuilder).Append("héllo")
			bs[2].(*array.Decimal128Builder).Append(decimal128.FromI64(12345))
			bs[3].(*array.TimestampBuilder).Append(arrow.Timestamp(1_704_164_645_000_000))
			for _, b := range bs {
				b.AppendNull()
			}
		}), nil
	case q == "select psql":
		cols := []engine.Column{{Name: "id", Type: types.Int32T}, {Name: "name", Type: types.VarcharT}}
		return rowsResult(cols, func(bs []array.Builder) {
			bs[0].(*array.Int32Builder).AppendValues([]int32{1, 2}, nil)
			bs[1].(*array.StringBuilder).AppendValues([]string{"one", ""}, []bool{true, false})
		}), nil
	case q == "select 1/0":
		return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
	case q == "select sleep":
		return &engine.Result{Columns: []engine.Column{{Name: "x", Type: types.Int32T}},
			Rows: &blockRows{b: c.b}, Tag: "SELECT", RowsAffected: -1}, nil
	case strings.HasPrefix(q, "set "):
		name, value, _ := strings.Cut(strings.TrimPrefix(st.SQL, "set "), " = ")
		return &engine.Result{Tag: "SET", RowsAffected: -1, Params: map[string]string{name: value}}, nil
	case q == "notice":
		return &engine.Result{Tag: "DO", RowsAffected: -1, Notices: []string{"careful"}}, nil
	case q == "insert":
		return &engine.Result{Tag: "INSERT", RowsAffected: 3}, nil
	case q == "fatal":
		return nil, &sqlerr.Error{Code: sqlerr.AdminShutdown, Severity: "FATAL", Message: "going away"}
	case q == "panic":
		panic("fake engine panic")
	case q == "empty result":
		return &engine.Result{Columns: []engine.Column{{Name: "x", Type: types.Int32T}},
			Rows: &sliceRows{}, Tag: "SELECT", RowsAffected: -1}, nil
	}
	return nil, sqlerr.New(sqlerr.SyntaxError, "fake engine does not know %q", st.SQL)
}

func (c *fakeConn) Close() error {
	c.closed = true
	return nil
}

// record builds one batch with the columns' Arrow types.
func record(cols []engine.Column, fill func(bs []array.Builder)) arrow.Record {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true}
	}
	rb := array.NewRecordBuilder(testAlloc, arrow.NewSchema(fields, nil))
	defer rb.Release()
	fill(rb.Fields())
	return rb.NewRecord()
}

func rowsResult(cols []engine.Column, fill func(bs []array.Builder)) *engine.Result {
	return &engine.Result{Columns: cols, Rows: &sliceRows{recs: []arrow.Record{record(cols, fill)}},
		Tag: "SELECT", RowsAffected: -1}
}

// sliceRows streams prepared batches; Close releases any not handed out.
type sliceRows struct {
	recs []arrow.Record
	i    int
}

func (r *sliceRows) Next(ctx context.Context) (arrow.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.i >= len(r.recs) {
		return nil, io.EOF
	}
	rec := r.recs[r.i]
	r.recs[r.i] = nil
	r.i++
	return rec, nil
}

func (r *sliceRows) Close() error {
	for _, rec := range r.recs[r.i:] {
		rec.Release()
	}
	r.recs = nil
	return nil
}

// blockRows blocks in Next until its context ends, then reports the cause.
type blockRows struct{ b *fakeBackend }

func (r *blockRows) Next(ctx context.Context) (arrow.Record, error) {
	select { // never block here: the fuzz tests do not read these
	case r.b.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	select {
	case r.b.cancelled <- context.Cause(ctx):
	default:
	}
	return nil, ctx.Err()
}

func (r *blockRows) Close() error { return nil }

// startServer runs a server for b on a free loopback port and closes it when the test ends.
func startServer(t testing.TB, cfg Config, b Backend) (*Server, string) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := NewServer(cfg, b)
	s.panicHook = func(v any) {
		if fmt.Sprint(v) != "fake engine panic" {
			t.Errorf("connection panicked: %v", v)
		}
	}
	addr, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background()) }()
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, addr.String()
}

func connString(addr, user, password, database string, extra string) string {
	host, port, _ := net.SplitHostPort(addr)
	s := fmt.Sprintf("host=%s port=%s user=%s password='%s' dbname=%s default_query_exec_mode=simple_protocol connect_timeout=10",
		host, port, user, password, database)
	if !strings.Contains(extra, "sslmode") {
		s += " sslmode=disable"
	}
	return s + " " + extra
}
