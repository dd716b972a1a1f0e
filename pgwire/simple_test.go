package pgwire

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// testConn connects with pgconn (raw text values, every result of a multi-statement query)
// and records notices.
type testConn struct {
	*pgconn.PgConn
	mu      sync.Mutex
	notices []*pgconn.Notice
}

func connectPG(t testing.TB, addr string) *testConn {
	t.Helper()
	cfg, err := pgconn.ParseConfig(connString(addr, "alice", testPassword, "quarry", ""))
	if err != nil {
		t.Fatal(err)
	}
	tc := &testConn{}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		tc.mu.Lock()
		tc.notices = append(tc.notices, n)
		tc.mu.Unlock()
	}
	ctx := testCtx(t)
	tc.PgConn, err = pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tc.Close(context.Background()) })
	return tc
}

func (tc *testConn) takeNotices() []*pgconn.Notice {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	n := tc.notices
	tc.notices = nil
	return n
}

// result is one statement's outcome in a form easy to compare.
type result struct {
	tag  string
	rows [][]string // "NULL" for a null value
	err  string     // SQLSTATE
}

func execAll(t testing.TB, c *testConn, query string) []result {
	t.Helper()
	rs, err := c.Exec(testCtx(t), query).ReadAll()
	var out []result
	for _, r := range rs {
		res := result{tag: r.CommandTag.String()}
		for _, row := range r.Rows {
			var vals []string
			for _, v := range row {
				if v == nil {
					vals = append(vals, "NULL")
				} else {
					vals = append(vals, string(v))
				}
			}
			res.rows = append(res.rows, vals)
		}
		if pe, ok := r.Err.(*pgconn.PgError); ok {
			res.err = pe.Code
		} else if r.Err != nil {
			t.Fatalf("%q: %v", query, r.Err)
		}
		out = append(out, res)
	}
	// pgconn reports an ErrorResponse as ReadAll's error, not as a result.
	if pe, ok := err.(*pgconn.PgError); ok {
		out = append(out, result{err: pe.Code})
	} else if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	return out
}

func TestMultiStatement(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	got := execAll(t, c, "select 1; select rows 5;insert; set application_name = app2 ; notice; empty result")
	want := []result{
		{tag: "SELECT 1", rows: [][]string{{"1"}}},
		{tag: "SELECT 5", rows: [][]string{{"0"}, {"1"}, {"2"}, {"3"}, {"4"}}},
		{tag: "INSERT 0 3"},
		{tag: "SET"},
		{tag: "DO"},
		{tag: "SELECT 0"},
	}
	if !equalResults(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if v := c.ParameterStatus("application_name"); v != "app2" {
		t.Errorf("application_name after SET = %q", v)
	}
	if n := c.takeNotices(); len(n) != 1 || n[0].Message != "careful" || n[0].Severity != "WARNING" {
		t.Errorf("notices %+v", n)
	}
}

func TestEmptyQueries(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	for _, q := range []string{"", "-- ping", ";;", "  ;\n"} {
		if got := execAll(t, c, q); len(got) != 1 || got[0].tag != "" || got[0].err != "" {
			t.Errorf("%q: got %+v, want one EmptyQueryResponse", q, got)
		}
	}
	// Empty statements among real ones are skipped, as PostgreSQL does.
	if got := execAll(t, c, "select 1; ;select 1;"); len(got) != 2 {
		t.Errorf("got %+v, want two results", got)
	}
}

func TestErrors(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)

	// An error ends the query string: the statement after it does not run.
	got := execAll(t, c, "select 1/0; select 1")
	if len(got) != 1 || got[0].err != "22012" {
		t.Fatalf("got %+v", got)
	}

	// The position of an error in the second statement counts characters of the whole
	// string (é is two bytes, one character).
	q := "select 1;\n  select é, nosuch"
	rr := c.Exec(testCtx(t), q)
	rs, err := rr.ReadAll()
	pe := wantPgError(t, err, "ERROR", "42703", `column "nosuch" does not exist`)
	if want := int32(utf8.RuneCountInString(q[:strings.Index(q, "nosuch")]) + 1); pe.Position != want {
		t.Errorf("position %d, want %d", pe.Position, want)
	}
	if len(rs) != 1 || rs[0].CommandTag.String() != "SELECT 1" {
		t.Errorf("results %+v", rs)
	}

	// A syntax error from Parse already counts from the start of the string.
	_, err = c.Exec(testCtx(t), "select 1; syntax_error").ReadAll()
	if pe := wantPgError(t, err, "ERROR", "42601", ""); pe.Position != 11 {
		t.Errorf("syntax error position %d, want 11", pe.Position)
	}
	// An error without a position reports none.
	_, err = c.Exec(testCtx(t), "select 1/0").ReadAll()
	if pe := wantPgError(t, err, "ERROR", "22012", "division by zero"); pe.Position != 0 {
		t.Errorf("position %d, want none", pe.Position)
	}
	if got := execAll(t, c, "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Errorf("connection unusable after errors: %+v", got)
	}
}

func TestTransactionStatus(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	steps := []struct {
		query   string
		want    []result
		status  byte
		warning string // SQLSTATE of an expected WARNING
	}{
		{"begin; select 1/0", []result{{tag: "BEGIN"}, {err: "22012"}}, 'E', ""},
		{"select 1", []result{{err: "25P02"}}, 'E', ""},
		{"begin", []result{{err: "25P02"}}, 'E', ""},
		{"commit", []result{{tag: "ROLLBACK"}}, 'I', ""},
		{"commit", []result{{tag: "COMMIT"}}, 'I', "25P01"},
		{"begin", []result{{tag: "BEGIN"}}, 'T', ""},
		{"begin", []result{{tag: "BEGIN"}}, 'T', "25001"},
		{"select 1", []result{{tag: "SELECT 1", rows: [][]string{{"1"}}}}, 'T', ""},
		{"rollback", []result{{tag: "ROLLBACK"}}, 'I', ""},
		{"start transaction; savepoint a; select 1/0", []result{{tag: "START TRANSACTION"}, {tag: "SAVEPOINT"}, {err: "22012"}}, 'E', ""},
		{"rollback to a", []result{{tag: "ROLLBACK"}}, 'T', ""},
		{"select 1; end", []result{{tag: "SELECT 1", rows: [][]string{{"1"}}}, {tag: "COMMIT"}}, 'I', ""},
		{"begin; syntax_error", []result{{err: "42601"}}, 'I', ""}, // nothing ran: the parse failed
		{"begin", []result{{tag: "BEGIN"}}, 'T', ""},
		{"syntax_error", []result{{err: "42601"}}, 'E', ""},
		{"abort", []result{{tag: "ROLLBACK"}}, 'I', ""},
	}
	for _, s := range steps {
		got := execAll(t, c, s.query)
		if !equalResults(got, s.want) {
			t.Fatalf("%q: got %+v, want %+v", s.query, got, s.want)
		}
		if st := c.TxStatus(); st != s.status {
			t.Fatalf("%q: status %c, want %c", s.query, st, s.status)
		}
		n := c.takeNotices()
		if (s.warning == "") != (len(n) == 0) || (len(n) > 0 && (n[0].Code != s.warning || n[0].Severity != "WARNING")) {
			t.Fatalf("%q: notices %+v, want %q", s.query, n, s.warning)
		}
	}
	// The exact 25P02 text.
	execAll(t, c, "begin; select 1/0")
	_, err := c.Exec(testCtx(t), "select 1").ReadAll()
	wantPgError(t, err, "ERROR", "25P02", "current transaction is aborted, commands ignored until end of transaction block")
}

func TestRowDescriptionAndValues(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	rs, err := c.Exec(testCtx(t), "select mixed").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type fd struct {
		name   string
		table  uint32
		attr   uint16
		oid    uint32
		size   int16
		typmod int32
		format int16
	}
	want := []fd{
		{"i", 16384, 2, 23, 4, -1, 0},
		{"s", 0, 0, 1043, -1, 14, 0},
		{"d", 0, 0, 1700, -1, 655366, 0},
		{"ts", 0, 0, 1184, 8, -1, 0},
	}
	for i, f := range rs[0].FieldDescriptions {
		got := fd{f.Name, f.TableOID, f.TableAttributeNumber, f.DataTypeOID, f.DataTypeSize, f.TypeModifier, f.Format}
		if got != want[i] {
			t.Errorf("field %d: %+v, want %+v", i, got, want[i])
		}
	}
	got := execAll(t, c, "select mixed")
	wantRows := [][]string{{"42", "héllo", "123.45", "2024-01-02 03:04:05+00"}, {"NULL", "NULL", "NULL", "NULL"}}
	if !equalResults(got, []result{{tag: "SELECT 2", rows: wantRows}}) {
		t.Errorf("got %+v", got)
	}
}

func TestBigResultInBatches(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	got := execAll(t, c, "select rows 10000")
	if len(got) != 1 || got[0].tag != "SELECT 10000" || len(got[0].rows) != 10000 || got[0].rows[9999][0] != "9999" {
		t.Fatalf("got tag %q, %d rows", got[0].tag, len(got[0].rows))
	}
}

// TestExtendedProtocolRefused: each extended batch gets one 0A000 and ReadyForQuery at Sync,
// and the connection keeps working.
func TestExtendedProtocolRefused(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	c := connectPG(t, addr)
	ctx := testCtx(t)
	_, err := c.Prepare(ctx, "s1", "select 1", nil)
	wantPgError(t, err, "ERROR", "0A000", "extended query protocol is not supported yet")
	err = c.ExecParams(ctx, "select 1", nil, nil, nil, nil).Read().Err
	wantPgError(t, err, "ERROR", "0A000", "")
	if got := execAll(t, c, "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Fatalf("after extended error: %+v", got)
	}

	// Raw: Parse, Bind, Describe, Execute, Close, Sync -> exactly one error, then Z.
	_, addr2 := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	nc := rawConnect(t, addr2, map[string]string{"user": "alice", "database": "quarry"})
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.Parse{Name: "s", Query: "select 1"})
	fe.Send(&pgproto3.Bind{PreparedStatement: "s"})
	fe.Send(&pgproto3.Describe{ObjectType: 'P'})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Close{ObjectType: 'S', Name: "s"})
	fe.Send(&pgproto3.Flush{})
	fe.Send(&pgproto3.Sync{})
	fe.Send(&pgproto3.Query{String: "select 1"})
	_ = fe.Flush()
	msgs := untilReady(t, fe)
	if len(msgs) != 2 || msgs[0].(*pgproto3.ErrorResponse).Code != "0A000" {
		t.Fatalf("got %#v", msgs)
	}
	msgs = untilReady(t, fe)
	if len(msgs) != 4 { // RowDescription, DataRow, CommandComplete, ReadyForQuery
		t.Fatalf("simple query after extended batch: %#v", msgs)
	}
}

func TestFatalAndPanicEndOnlyThatConnection(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	ctx := testCtx(t)
	for _, q := range []string{"fatal", "panic"} {
		c := connectPG(t, addr)
		_, err := c.Exec(ctx, q).ReadAll()
		code := map[string]string{"fatal": "57P01", "panic": "XX000"}[q]
		wantPgError(t, err, "FATAL", code, "")
		if _, err := c.Exec(ctx, "select 1").ReadAll(); err == nil {
			t.Errorf("%s: connection still usable", q)
		}
	}
	if got := execAll(t, connectPG(t, addr), "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Fatalf("server unusable: %+v", got)
	}
}

func TestBadMessages(t *testing.T) {
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	params := map[string]string{"user": "alice", "database": "quarry"}
	t.Run("unknown type", func(t *testing.T) {
		nc := rawConnect(t, addr, params)
		_, _ = nc.Write([]byte{'Z', 0, 0, 0, 4})
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "08P01")
	})
	t.Run("password after startup", func(t *testing.T) {
		nc := rawConnect(t, addr, params)
		_, _ = nc.Write([]byte{'p', 0, 0, 0, 6, 'x', 0})
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "08P01")
	})
	t.Run("oversized", func(t *testing.T) {
		nc := rawConnect(t, addr, params)
		_, _ = nc.Write([]byte{'Q', 0x7f, 0xff, 0xff, 0xff})
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "08P01")
	})
	t.Run("bad length", func(t *testing.T) {
		nc := rawConnect(t, addr, params)
		_, _ = nc.Write([]byte{'Q', 0, 0, 0, 2})
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "08P01")
	})
	t.Run("function call", func(t *testing.T) {
		nc := rawConnect(t, addr, params)
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.FunctionCall{Function: 1})
		fe.Send(&pgproto3.CopyData{Data: []byte("ignored")})
		fe.Send(&pgproto3.Query{String: "select 1"})
		_ = fe.Flush()
		if msgs := untilReady(t, fe); msgs[0].(*pgproto3.ErrorResponse).Code != "0A000" {
			t.Fatalf("got %#v", msgs)
		}
		if msgs := untilReady(t, fe); len(msgs) != 4 {
			t.Fatalf("got %#v", msgs)
		}
	})
}

func equalResults(a, b []result) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].tag != b[i].tag || a[i].err != b[i].err || len(a[i].rows) != len(b[i].rows) {
			return false
		}
		for j := range a[i].rows {
			if strings.Join(a[i].rows[j], "|") != strings.Join(b[i].rows[j], "|") {
				return false
			}
		}
	}
	return true
}
