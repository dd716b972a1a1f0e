package pgwire

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Portal mechanics against the fake backend, whose batches come from the checked allocator
// (TestMain fails if a portal leaks one): row limits that split batches, portals closed
// mid-batch, cancellation during Execute.

// preparingBackend is the fake backend with sessions that implement Preparer: a statement's
// columns are found by running it (the fake's statements have no side effects), and every
// parameter is text.
type preparingBackend struct{ *fakeBackend }

func (b preparingBackend) Connect(ctx context.Context, user, database string, params map[string]string) (Conn, error) {
	c, err := b.fakeBackend.Connect(ctx, user, database, params)
	if err != nil {
		return nil, err
	}
	return preparingConn{c.(*fakeConn)}, nil
}

type preparingConn struct{ *fakeConn }

func (c preparingConn) Prepare(ctx context.Context, query string, oids []uint32) (*engine.Prepared, error) {
	stmts, err := c.Parse(query)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	p := &engine.Prepared{Statement: stmts[0]}
	for _, oid := range oids {
		p.ParamTypes = append(p.ParamTypes, types.VarcharT)
		p.ParamOIDs = append(p.ParamOIDs, max(oid, types.OidText))
	}
	if p.Statement.Tag == "SELECT" {
		res, err := c.Execute(ctx, p.Statement)
		if err != nil {
			return nil, err
		}
		p.Columns = res.Columns
		if err := res.Rows.Close(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (c preparingConn) ExecutePrepared(ctx context.Context, p *engine.Prepared, _ []engine.Param) (*engine.Result, error) {
	return c.Execute(ctx, p.Statement)
}

func startPreparingServer(t *testing.T) (*fakeBackend, *pgproto3.Frontend) {
	t.Helper()
	fb := newFakeBackend(t)
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, preparingBackend{fb})
	nc := rawConnect(t, addr, map[string]string{"user": "alice", "database": "quarry"})
	return fb, pgproto3.NewFrontend(nc, nc)
}

// summarize renders replies compactly: message type letters, DataRow values in hex.
func summarize(msgs []pgproto3.BackendMessage) string {
	var parts []string
	for _, m := range msgs {
		switch m := m.(type) {
		case *pgproto3.DataRow:
			var vals []string
			for _, v := range m.Values {
				vals = append(vals, hex.EncodeToString(v))
			}
			parts = append(parts, "D("+strings.Join(vals, ",")+")")
		case *pgproto3.CommandComplete:
			parts = append(parts, "C("+string(m.CommandTag)+")")
		case *pgproto3.ErrorResponse:
			parts = append(parts, "E("+m.Code+")")
		case *pgproto3.ReadyForQuery:
			parts = append(parts, "Z("+string(m.TxStatus)+")")
		default:
			parts = append(parts, fmt.Sprintf("%T", m)[len("*pgproto3."):])
		}
	}
	return strings.Join(parts, " ")
}

func TestPortalRowLimitsAcrossBatches(t *testing.T) {
	_, fe := startPreparingServer(t)
	// select rows 10 comes in batches of 3: limits of 4 stop inside the second and third.
	fe.Send(&pgproto3.Query{String: "begin"})
	fe.Send(&pgproto3.Parse{Name: "s", Query: "select rows 10"})
	fe.Send(&pgproto3.Bind{DestinationPortal: "c", PreparedStatement: "s", ResultFormatCodes: []int16{1}})
	fe.Send(&pgproto3.Execute{Portal: "c", MaxRows: 4})
	fe.Send(&pgproto3.Execute{Portal: "c", MaxRows: 4})
	fe.Send(&pgproto3.Sync{})
	fe.Send(&pgproto3.Execute{Portal: "c", MaxRows: 4})
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	untilReady(t, fe) // begin
	got := summarize(untilReady(t, fe)) + " | " + summarize(untilReady(t, fe))
	row := func(i int) string { return fmt.Sprintf("D(%016x)", i) }
	want := "ParseComplete BindComplete " + row(0) + " " + row(1) + " " + row(2) + " " + row(3) + " PortalSuspended " +
		row(4) + " " + row(5) + " " + row(6) + " " + row(7) + " PortalSuspended Z(T) | " +
		row(8) + " " + row(9) + " C(SELECT 2) Z(T)"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}

	// Portals stopped inside a batch release it when closed, at COMMIT, or when the
	// connection ends (TestMain checks the allocator).
	fe.Send(&pgproto3.Bind{DestinationPortal: "d", PreparedStatement: "s"})
	fe.Send(&pgproto3.Execute{Portal: "d", MaxRows: 1})
	fe.Send(&pgproto3.Close{ObjectType: 'P', Name: "d"})
	fe.Send(&pgproto3.Bind{DestinationPortal: "e", PreparedStatement: "s"})
	fe.Send(&pgproto3.Execute{Portal: "e", MaxRows: 1})
	fe.Send(&pgproto3.Sync{})
	fe.Send(&pgproto3.Query{String: "commit"})
	fe.Send(&pgproto3.Execute{Portal: "e", MaxRows: 1})
	fe.Send(&pgproto3.Sync{})
	fe.Send(&pgproto3.Bind{DestinationPortal: "f", PreparedStatement: "s"})
	fe.Send(&pgproto3.Execute{Portal: "f", MaxRows: 1})
	fe.Send(&pgproto3.Flush{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := summarize(untilReady(t, fe)); got != "BindComplete D(30) PortalSuspended CloseComplete BindComplete D(30) PortalSuspended Z(T)" {
		t.Fatalf("got %s", got)
	}
	untilReady(t, fe) // commit
	if got := summarize(untilReady(t, fe)); got != "E(34000) Z(I)" {
		t.Fatalf("portal after commit: %s", got)
	}
}

// TestCancelDuringExecute: a CancelRequest stops an Execute that waits for rows; the portal
// is gone and the session goes on.
func TestCancelDuringExecute(t *testing.T) {
	fb := newFakeBackend(t)
	_, addr := startServer(t, Config{}, preparingBackend{fb})
	c := connectPG(t, addr)
	ctx := testCtx(t)
	done := make(chan error, 1)
	go func() {
		done <- c.ExecParams(ctx, "select sleep", nil, nil, nil, nil).Read().Err
	}()
	select {
	case <-fb.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the query did not start")
	}
	if err := c.CancelRequest(ctx); err != nil {
		t.Fatal(err)
	}
	wantPgError(t, <-done, "ERROR", "57014", "canceling statement due to user request")
	if got := execAll(t, c, "select 1"); len(got) != 1 || got[0].tag != "SELECT 1" {
		t.Fatalf("after cancel: %+v", got)
	}
}

// TestBinaryResultsOverTheWire: the formats of Bind reach DataRow column by column.
func TestBinaryResultsOverTheWire(t *testing.T) {
	_, fe := startPreparingServer(t)
	fe.Send(&pgproto3.Parse{Query: "select mixed"})
	fe.Send(&pgproto3.Bind{ResultFormatCodes: []int16{1, 0, 1, 1}})
	fe.Send(&pgproto3.Describe{ObjectType: 'P'})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msgs := untilReady(t, fe)
	rd := msgs[2].(*pgproto3.RowDescription)
	for i, f := range []int16{1, 0, 1, 1} {
		if rd.Fields[i].Format != f {
			t.Errorf("column %d: format %d, want %d", i, rd.Fields[i].Format, f)
		}
	}
	// 42, 'héllo', 123.45, 2024-01-02 03:04:05+00 as µs since 2000-01-01.
	want := "D(0000002a,68c3a96c6c6f,000200000000000200" + "7b1194," + fmt.Sprintf("%016x", int64(1_704_164_645_000_000-946_684_800_000_000)) + ") D(,,,)"
	if got := summarize(msgs[3:5]); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestPipelineWithoutDeadlock sends thousands of Bind/Execute pairs before reading anything,
// through small socket buffers: replies wait in the server's buffer until Sync, so the
// client is never blocked writing while the server is blocked writing.
func TestPipelineWithoutDeadlock(t *testing.T) {
	addr := startEngineServer(t)
	fe, nc := connectRawConn(t, addr)
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096)
		_ = tc.SetWriteBuffer(4096)
	}
	const n = 4000
	fe.Send(&pgproto3.Parse{Name: "p", Query: "select x from (values (1)) t(x) where x = $1"})
	for i := 0; i < n; i++ {
		fe.Send(&pgproto3.Bind{PreparedStatement: "p", Parameters: [][]byte{[]byte(fmt.Sprint(i % 2))}})
		fe.Send(&pgproto3.Execute{})
	}
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, completes := 0, 0
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			rows++
		case *pgproto3.CommandComplete:
			completes++
		case *pgproto3.ErrorResponse:
			t.Fatalf("%s %s", m.Code, m.Message)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			break
		}
	}
	if rows != n/2 || completes != n {
		t.Fatalf("%d rows, %d CommandCompletes", rows, completes)
	}
}

func connectRawConn(t *testing.T, addr string) (*pgproto3.Frontend, net.Conn) {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	pc, err := pgconn.Connect(testCtx(t), fmt.Sprintf("host=%s port=%s user=admin password='%s' dbname=quarry sslmode=disable", host, port, testPassword))
	if err != nil {
		t.Fatal(err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hc.Conn.Close() })
	_ = hc.Conn.SetDeadline(time.Now().Add(30 * time.Second))
	return hc.Frontend, hc.Conn
}

// TestPgxBatchAndMetadata: a pgx batch whose middle statement fails, then SHOW and the
// Hive-style statements through the extended protocol.
func TestPgxBatchAndMetadata(t *testing.T) {
	addr := startEngineServer(t)
	c := connectEngine(t, addr, pgx.QueryExecModeCacheStatement)
	ctx := testCtx(t)
	b := &pgx.Batch{}
	b.Queue("select $1::int + 1", 1)
	b.Queue("select 1/(id - 1) from items where id = $1", 1)
	b.Queue("select $1::text", "never")
	br := c.SendBatch(ctx, b)
	var n int
	if err := br.QueryRow().Scan(&n); err != nil || n != 2 {
		t.Fatalf("first: %v %v", n, err)
	}
	var pe *pgconn.PgError
	if err := br.QueryRow().Scan(&n); !errors.As(err, &pe) || pe.Code != "22012" {
		t.Fatalf("second: %v", err)
	}
	if err := br.QueryRow().Scan(new(string)); err == nil {
		t.Fatal("third ran after the error")
	}
	if err := br.Close(); err == nil {
		t.Fatal("batch error not reported")
	}

	var tz, table string
	if err := c.QueryRow(ctx, "show timezone").Scan(&tz); err != nil || tz != "UTC" {
		t.Fatalf("show: %q %v", tz, err)
	}
	if err := c.QueryRow(ctx, "show tables").Scan(&table); err != nil || table != "items" {
		t.Fatalf("show tables: %q %v", table, err)
	}
	rows, err := c.Query(ctx, "describe items")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var name, typ, comment *string
		if err := rows.Scan(&name, &typ, &comment); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, *name)
	}
	if rows.Err() != nil || strings.Join(cols, ",") != "id,name,price,ok,d,ts,f,big" {
		t.Fatalf("describe: %v %v", cols, rows.Err())
	}
	if _, err := c.Exec(ctx, "set application_name = 'batch'"); err != nil {
		t.Fatal(err)
	}
	if got := c.PgConn().ParameterStatus("application_name"); got != "batch" {
		t.Fatalf("application_name %q", got)
	}
}
