package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestConnectSCRAM(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, connString(addr, "alice", testPassword, "quarry", "application_name=tester"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	want := map[string]string{
		"application_name":              "tester",
		"client_encoding":               "UTF8",
		"DateStyle":                     "ISO, MDY",
		"default_transaction_read_only": "off",
		"in_hot_standby":                "off",
		"integer_datetimes":             "on",
		"IntervalStyle":                 "postgres",
		"is_superuser":                  "on",
		"server_encoding":               "UTF8",
		"server_version":                "15.18",
		"session_authorization":         "alice",
		"standard_conforming_strings":   "on",
		"TimeZone":                      "UTC", // the fake says "timezone": PG's spelling wins
		"extra_one":                     "x",
	}
	for k, v := range want {
		if got := conn.PgConn().ParameterStatus(k); got != v {
			t.Errorf("ParameterStatus(%s) = %q, want %q", k, got, v)
		}
	}
	if conn.PgConn().PID() == 0 || len(conn.PgConn().SecretKey()) != 4 {
		t.Errorf("BackendKeyData: pid %d, secret %x", conn.PgConn().PID(), conn.PgConn().SecretKey())
	}
	var one int32
	if err := conn.QueryRow(ctx, "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1: %v, %d", err, one)
	}
}

func TestDatabaseDefaultsToUser(t *testing.T) {
	// The fake accepts database "quarry" or the user's name; no database means the latter.
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	rawConnect(t, addr, map[string]string{"user": "bob"})
}

func TestAuthFailures(t *testing.T) {
	for _, method := range []string{AuthSCRAM, AuthPassword} {
		_, addr := startServer(t, Config{AuthMethod: method}, newFakeBackend(t))
		for _, tc := range []struct{ user, password string }{
			{"alice", "wrong"},
			{"alice", ""},
			{"mallory", testPassword}, // unknown user: same answer as a wrong password
			{"nopw", testPassword},    // no verifier stored
		} {
			t.Run(method+"/"+tc.user+"/"+tc.password, func(t *testing.T) {
				_, err := pgx.Connect(testCtx(t), connString(addr, tc.user, tc.password, "quarry", ""))
				wantPgError(t, err, "FATAL", "28P01", `password authentication failed for user "`+tc.user+`"`)
			})
		}
	}
}

func TestCleartextPassword(t *testing.T) {
	_, addr := startServer(t, Config{AuthMethod: AuthPassword}, newFakeBackend(t))
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, connString(addr, "bob", testPassword, "quarry", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if got := conn.PgConn().ParameterStatus("is_superuser"); got != "off" {
		t.Errorf("is_superuser = %q", got)
	}
}

func TestTrust(t *testing.T) {
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, connString(addr, "bob", "", "quarry", ""))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	_, err = pgx.Connect(ctx, connString(addr, "mallory", "", "quarry", ""))
	wantPgError(t, err, "FATAL", "28000", `role "mallory" does not exist`)
}

func TestUnknownDatabase(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	_, err := pgx.Connect(testCtx(t), connString(addr, "alice", testPassword, "nope", ""))
	wantPgError(t, err, "FATAL", "3D000", `database "nope" does not exist`)
}

func TestUnknownAuthMethod(t *testing.T) {
	s := NewServer(Config{Addr: "127.0.0.1:0", AuthMethod: "md5"}, newFakeBackend(t))
	if _, err := s.Listen(); err == nil {
		t.Fatal("Listen accepted an unknown auth method")
	}
	s.Close()
}

// TestSSLPrefer: pgx with sslmode=prefer asks for TLS, is told 'N', and still connects.
func TestSSLPrefer(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, connString(addr, "alice", testPassword, "quarry", "sslmode=prefer"))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	_, err = pgx.Connect(ctx, connString(addr, "alice", testPassword, "quarry", "sslmode=require"))
	if err == nil {
		t.Fatal("sslmode=require connected without TLS")
	}
}

// TestSSLAndGSSRequestRaw: libpq's order (GSSENCRequest, SSLRequest, StartupMessage) on one
// socket, each answered 'N'; a second SSLRequest is a protocol violation.
func TestSSLAndGSSRequestRaw(t *testing.T) {
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	nc := dial(t, addr)
	for _, code := range []uint32{80877104, 80877103} {
		writeRaw(t, nc, 8, code)
		if b := readByte(t, nc); b != 'N' {
			t.Fatalf("request %d answered %q, want N", code, b)
		}
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters: map[string]string{"user": "alice", "database": "quarry"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	untilReady(t, fe)

	nc2 := dial(t, addr)
	writeRaw(t, nc2, 8, 80877103)
	readByte(t, nc2)
	writeRaw(t, nc2, 8, 80877103)
	fe2 := pgproto3.NewFrontend(nc2, nc2)
	wantErrorMsg(t, fe2, "FATAL", "08P01")
}

func TestStartupErrors(t *testing.T) {
	_, addr := startServer(t, Config{AuthMethod: AuthTrust}, newFakeBackend(t))
	t.Run("protocol 2.0", func(t *testing.T) {
		nc := dial(t, addr)
		writeRaw(t, nc, 8, 2<<16)
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "0A000")
	})
	t.Run("no user", func(t *testing.T) {
		nc := dial(t, addr)
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
			Parameters: map[string]string{"database": "quarry"}})
		_ = fe.Flush()
		wantErrorMsg(t, fe, "FATAL", "28000")
	})
	t.Run("bad length", func(t *testing.T) {
		nc := dial(t, addr)
		writeRaw(t, nc, 3)
		wantErrorMsg(t, pgproto3.NewFrontend(nc, nc), "FATAL", "08P01")
	})
	t.Run("protocol 3.2 negotiated down", func(t *testing.T) {
		nc := dial(t, addr)
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion32,
			Parameters: map[string]string{"user": "alice", "database": "quarry", "_pq_.x": "1"}})
		_ = fe.Flush()
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		npv, ok := msg.(*pgproto3.NegotiateProtocolVersion)
		if !ok || npv.NewestMinorProtocol != 0 || len(npv.UnrecognizedOptions) != 1 || npv.UnrecognizedOptions[0] != "_pq_.x" {
			t.Fatalf("got %#v, want NegotiateProtocolVersion(0, [_pq_.x])", msg)
		}
		untilReady(t, fe)
	})
}

// TestMockSaltIsStable: an unknown user gets a SCRAM challenge like a real one, with the same
// salt on every attempt, so probing cannot tell it apart from an existing user.
func TestMockSaltIsStable(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	salt := func(user string) string {
		nc := dial(t, addr)
		defer nc.Close()
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
			Parameters: map[string]string{"user": user}})
		_ = fe.Flush()
		if msg, err := fe.Receive(); err != nil {
			t.Fatal(err)
		} else if sasl, ok := msg.(*pgproto3.AuthenticationSASL); !ok || len(sasl.AuthMechanisms) != 1 || sasl.AuthMechanisms[0] != "SCRAM-SHA-256" {
			t.Fatalf("got %#v", msg)
		}
		fe.Send(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=clientnonce")})
		_ = fe.Flush()
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		cont, ok := msg.(*pgproto3.AuthenticationSASLContinue)
		if !ok {
			t.Fatalf("got %#v", msg)
		}
		parts := strings.Split(string(cont.Data), ",")
		if len(parts) != 3 || !strings.HasPrefix(parts[0], "r=clientnonce") || parts[2] != "i=4096" {
			t.Fatalf("server-first-message %q", cont.Data)
		}
		return parts[1]
	}
	if a, b := salt("mallory"), salt("mallory"); a != b {
		t.Errorf("mock salt changes between attempts: %s, %s", a, b)
	}
	if a, b := salt("mallory"), salt("eve"); a == b {
		t.Errorf("mock salts of two users are equal")
	}
}

func TestSCRAMProtocolErrors(t *testing.T) {
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	for _, tc := range []struct{ mech, data, code string }{
		{"SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc", "08P01"},
		{"SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc", "08P01"},
		{"SCRAM-SHA-256", "n,a=bob,n=,r=abc", "0A000"},
		{"SCRAM-SHA-256", "n,,m=ext,n=,r=abc", "0A000"},
		{"SCRAM-SHA-256", "n,,n=,r=", "08P01"},
		{"SCRAM-SHA-256", "garbage", "08P01"},
	} {
		nc := dial(t, addr)
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
			Parameters: map[string]string{"user": "alice"}})
		_ = fe.Flush()
		if _, err := fe.Receive(); err != nil {
			t.Fatal(err)
		}
		fe.Send(&pgproto3.SASLInitialResponse{AuthMechanism: tc.mech, Data: []byte(tc.data)})
		_ = fe.Flush()
		wantErrorMsg(t, fe, "FATAL", tc.code)
		nc.Close()
	}
}

func TestAuthTimeout(t *testing.T) {
	_, addr := startServer(t, Config{AuthTimeout: 100 * time.Millisecond}, newFakeBackend(t))
	nc := dial(t, addr)
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b [1]byte
	if _, err := nc.Read(b[:]); !errors.Is(err, io.EOF) {
		t.Fatalf("idle unauthenticated connection: read %v, want EOF", err)
	}
}

// --- helpers for raw protocol tests ---

func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { nc.Close() })
	return nc
}

// writeRaw writes big-endian uint32s.
func writeRaw(t testing.TB, nc net.Conn, words ...uint32) {
	t.Helper()
	var b []byte
	for _, w := range words {
		b = binary.BigEndian.AppendUint32(b, w)
	}
	if _, err := nc.Write(b); err != nil {
		t.Fatal(err)
	}
}

func readByte(t testing.TB, nc net.Conn) byte {
	t.Helper()
	var b [1]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil {
		t.Fatal(err)
	}
	return b[0]
}

// rawConnect runs a trust-auth startup and returns the socket at ReadyForQuery.
func rawConnect(t testing.TB, addr string, params map[string]string) net.Conn {
	t.Helper()
	nc := dial(t, addr)
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: params})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	untilReady(t, fe)
	return nc
}

// untilReady reads messages up to ReadyForQuery and returns them, failing on an error.
func untilReady(t testing.TB, fe *pgproto3.Frontend) []pgproto3.BackendMessage {
	t.Helper()
	var msgs []pgproto3.BackendMessage
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			if m.Severity == "FATAL" {
				t.Fatalf("FATAL %s %s", m.Code, m.Message)
			}
		case *pgproto3.ReadyForQuery:
			return append(msgs, m)
		}
		msgs = append(msgs, copyMsg(msg))
	}
}

// copyMsg detaches a message from the frontend's reused buffers where it matters for tests.
func copyMsg(msg pgproto3.BackendMessage) pgproto3.BackendMessage {
	switch m := msg.(type) {
	case *pgproto3.ErrorResponse:
		c := *m
		return &c
	case *pgproto3.CommandComplete:
		return &pgproto3.CommandComplete{CommandTag: append([]byte(nil), m.CommandTag...)}
	case *pgproto3.DataRow:
		vals := make([][]byte, len(m.Values))
		for i, v := range m.Values {
			if v != nil {
				vals[i] = append([]byte{}, v...)
			}
		}
		return &pgproto3.DataRow{Values: vals}
	}
	return msg
}

// wantErrorMsg reads messages until an ErrorResponse and checks it; after a FATAL it also
// checks that the server closed the connection.
func wantErrorMsg(t testing.TB, fe *pgproto3.Frontend, severity, code string) *pgproto3.ErrorResponse {
	t.Helper()
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("receive before the expected %s %s: %v", severity, code, err)
		}
		e, ok := msg.(*pgproto3.ErrorResponse)
		if !ok {
			continue
		}
		if e.Severity != severity || e.Code != code {
			t.Fatalf("got %s %s %q, want %s %s", e.Severity, e.Code, e.Message, severity, code)
		}
		c := *e
		if severity == "FATAL" {
			if _, err := fe.Receive(); err == nil {
				t.Fatalf("connection still open after FATAL")
			}
		}
		return &c
	}
}

func wantPgError(t testing.TB, err error, severity, code, message string) *pgconn.PgError {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want SQLSTATE %s", err, code)
	}
	if pe.Severity != severity || pe.Code != code || (message != "" && pe.Message != message) {
		t.Fatalf("got %s %s %q, want %s %s %q", pe.Severity, pe.Code, pe.Message, severity, code, message)
	}
	return pe
}
