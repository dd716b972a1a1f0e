package pgwire

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// The fuzz tests feed random bytes to a server connection (through net.Pipe, so each run
// ends deterministically), then check that nothing panicked and that the server still
// serves a well-behaved client over TCP. Byte 0 of the input picks the auth method, so the
// SCRAM and password parsers are fuzzed too.

type fuzzServers struct {
	servers [3]*Server
	addrs   [3]string
	mu      sync.Mutex
	panics  []any
}

var fuzzMethods = [3]string{AuthTrust, AuthSCRAM, AuthPassword}

func newFuzzServers(f *testing.F) *fuzzServers {
	fs := &fuzzServers{}
	b := newFakeBackendIter(f, 2) // cheap verifier: the health check runs every iteration
	for i, m := range fuzzMethods {
		s := NewServer(Config{Addr: "127.0.0.1:0", AuthMethod: m, AuthTimeout: 2 * time.Second,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, b)
		s.maxMsgLen = 1 << 20 // a hostile length prefix should not cost 64 MiB per run
		s.panicHook = func(v any) {
			if fmt.Sprint(v) == "fake engine panic" { // the fake's own "panic" statement
				return
			}
			fs.mu.Lock()
			fs.panics = append(fs.panics, v)
			fs.mu.Unlock()
		}
		addr, err := s.Listen()
		if err != nil {
			f.Fatal(err)
		}
		go func() { _ = s.Serve(context.Background()) }()
		fs.servers[i], fs.addrs[i] = s, addr.String()
	}
	f.Cleanup(func() {
		for _, s := range fs.servers {
			s.Close()
		}
	})
	return fs
}

// run feeds data to one connection of server i and waits for the connection to end.
func (fs *fuzzServers) run(t *testing.T, i int, data []byte) {
	client, server := net.Pipe()
	c := fs.servers[i].handle(server)
	if c == nil {
		t.Fatal("server closed")
	}
	go func() { _, _ = io.Copy(io.Discard, client) }()
	_ = client.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, _ = client.Write(data)
	client.Close()
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		t.Fatal("connection did not end after the client closed")
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.panics) > 0 {
		t.Fatalf("connection panicked: %v", fs.panics[0])
	}
}

// healthy checks that server i still accepts a client and answers a query.
func (fs *fuzzServers) healthy(t *testing.T, i int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, connString(fs.addrs[i], "alice", testPassword, "quarry", ""))
	if err != nil {
		t.Fatalf("server %s no longer serves: %v", fuzzMethods[i], err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "select 1").ReadAll(); err != nil {
		t.Fatalf("server %s: select 1: %v", fuzzMethods[i], err)
	}
}

func startupBytes(params map[string]string, version uint32) []byte {
	b, _ := (&pgproto3.StartupMessage{ProtocolVersion: version, Parameters: params}).Encode(nil)
	return b
}

func frontendBytes(msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		b, _ = m.Encode(b)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

var aliceParams = map[string]string{"user": "alice", "database": "quarry"}

func FuzzPgwireStartup(f *testing.F) {
	fs := newFuzzServers(f)
	ssl := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), 80877103)
	gss := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), 80877104)
	cancelReq := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(
		binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 16), 80877102), 1), 2)
	start := startupBytes(aliceParams, pgproto3.ProtocolVersion30)
	for m := range byte(3) {
		f.Add(cat([]byte{m}, start))
		f.Add(cat([]byte{m}, ssl, start))
		f.Add(cat([]byte{m}, gss, ssl, start, frontendBytes(&pgproto3.Query{String: "select 1"})))
		f.Add(cat([]byte{m}, startupBytes(map[string]string{"user": "mallory"}, pgproto3.ProtocolVersion32)))
		f.Add(cat([]byte{m}, ssl, ssl))
	}
	f.Add(cat([]byte{0}, cancelReq))
	f.Add([]byte{0, 0, 0, 0, 8, 0, 2, 0, 0})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff})
	f.Add(cat([]byte{1}, start, frontendBytes(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=abc")}),
		frontendBytes(&pgproto3.SASLResponse{Data: []byte("c=biws,r=abc,p=AAAA")})))
	f.Add(cat([]byte{1}, start, frontendBytes(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("y,,n=x,r=a,ext=1")})))
	f.Add(cat([]byte{2}, start, frontendBytes(&pgproto3.PasswordMessage{Password: testPassword},
		&pgproto3.Query{String: "select mixed"})))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		i := int(data[0]) % 3
		fs.run(t, i, data[1:])
		fs.healthy(t, i)
	})
}

func FuzzPgwireMessages(f *testing.F) {
	fs := newFuzzServers(f)
	seeds := [][]pgproto3.FrontendMessage{
		{&pgproto3.Query{String: "select 1"}},
		{&pgproto3.Query{String: "begin; select 1/0"}, &pgproto3.Query{String: "commit"}},
		{&pgproto3.Query{String: "select mixed; select rows 7; set a = b; notice"}},
		{&pgproto3.Query{String: "select 1; syntax_error"}, &pgproto3.Query{String: "select sleep"}},
		{&pgproto3.Parse{Query: "select 1"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}},
		{&pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Flush{}, &pgproto3.Close{ObjectType: 'P'}, &pgproto3.Sync{}},
		{&pgproto3.FunctionCall{Function: 7}, &pgproto3.CopyData{Data: []byte("x")}, &pgproto3.CopyDone{}},
		{&pgproto3.Query{String: ""}, &pgproto3.Terminate{}},
	}
	for _, s := range seeds {
		f.Add(frontendBytes(s...))
	}
	f.Add([]byte("Z\x00\x00\x00\x04"))
	f.Add([]byte("Q\x00\x00\x00\x02"))
	f.Add([]byte("Q\x00\x10\x00\x00select"))
	f.Add([]byte("p\x00\x00\x00\x06x\x00"))
	start := startupBytes(aliceParams, pgproto3.ProtocolVersion30)
	f.Fuzz(func(t *testing.T, data []byte) {
		fs.run(t, 0, cat(start, data)) // trust: the bytes reach the message loop
		fs.healthy(t, 0)
	})
}
