package pgwire

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// Message-level tests, in CockroachDB's pgtest style: files under testdata/pgtest list
// messages to send (pgproto3 message names with their JSON) and the replies expected until
// a given message type arrives. The expected replies are PostgreSQL 15's own: the files are
// written by running them against a real server,
//
//	QUARRY_PG_REFERENCE='host=127.0.0.1 port=5432 user=postgres' go test ./pgwire -run TestPGTest -rewrite
//
// and the test then checks Quarry (the real engine, see engine_test.go) against them. With
// QUARRY_PG_REFERENCE set and no -rewrite, the files are checked against that server too.
//
// A file is a sequence of blocks separated by blank lines; '#' lines are comments:
//
//	send
//	Parse {"Name": "s1", "Query": "select $1::int"}
//	Sync
//	----
//
//	until
//	ReadyForQuery
//	----
//	{"Type":"ParseComplete"}
//	{"Type":"ReadyForQuery","TxStatus":"I"}
//
// `until` reads replies until each listed message type has arrived, in order. Only the
// fields two servers can agree on are compared: an ErrorResponse is reduced to its
// severity, code and message.
func TestPGTest(t *testing.T) {
	files, err := filepath.Glob("testdata/pgtest/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	ref := os.Getenv("QUARRY_PG_REFERENCE")
	if *rewrite && ref == "" {
		t.Fatal("-rewrite needs QUARRY_PG_REFERENCE")
	}
	var addr string
	if !*rewrite {
		addr = startEngineServer(t)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			blocks := readPGTest(t, file)
			if ref != "" {
				runPGTest(t, connectReference(t, ref), blocks, *rewrite)
				if *rewrite {
					writePGTest(t, file, blocks)
					return
				}
			}
			runPGTest(t, connectRaw(t, addr), blocks, false)
		})
	}
}

type pgtestBlock struct {
	comments  []string // lines before the directive
	directive string   // "send" or "until"
	input     []string
	output    []string
}

func readPGTest(t *testing.T, file string) []*pgtestBlock {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []*pgtestBlock
	var cur *pgtestBlock
	var comments []string
	state := 0 // 0: between blocks, 1: input, 2: output
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch state {
		case 0:
			if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
				comments = append(comments, line)
				continue
			}
			cur = &pgtestBlock{comments: comments, directive: strings.TrimSpace(line)}
			comments = nil
			blocks = append(blocks, cur)
			state = 1
		case 1:
			if line == "----" {
				state = 2
				continue
			}
			cur.input = append(cur.input, line)
		case 2:
			if strings.TrimSpace(line) == "" {
				state = 0
				comments = append(comments, line)
				continue
			}
			cur.output = append(cur.output, line)
		}
	}
	if state == 1 {
		t.Fatalf("%s: block %q has no ----", file, cur.directive)
	}
	return blocks
}

func writePGTest(t *testing.T, file string, blocks []*pgtestBlock) {
	var b strings.Builder
	for _, bl := range blocks {
		for _, c := range bl.comments {
			b.WriteString(c + "\n")
		}
		b.WriteString(bl.directive + "\n")
		for _, l := range bl.input {
			b.WriteString(l + "\n")
		}
		b.WriteString("----\n")
		for _, l := range bl.output {
			b.WriteString(l + "\n")
		}
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runPGTest plays the blocks on a connection; with record, the replies become the expected
// output instead of being checked.
func runPGTest(t *testing.T, fe *pgproto3.Frontend, blocks []*pgtestBlock, record bool) {
	t.Helper()
	for _, bl := range blocks {
		switch bl.directive {
		case "send":
			for _, l := range bl.input {
				msg, err := parseFrontendMessage(l)
				if err != nil {
					t.Fatalf("%q: %v", l, err)
				}
				fe.Send(msg)
			}
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
		case "until":
			got := receiveUntil(t, fe, bl.input)
			if record {
				bl.output = got
				continue
			}
			if strings.Join(got, "\n") != strings.Join(bl.output, "\n") {
				t.Fatalf("until %v:\ngot:\n%s\nwant:\n%s", bl.input, strings.Join(got, "\n"), strings.Join(bl.output, "\n"))
			}
		default:
			t.Fatalf("unknown directive %q", bl.directive)
		}
	}
}

func parseFrontendMessage(line string) (pgproto3.FrontendMessage, error) {
	name, body, _ := strings.Cut(line, " ")
	var msg pgproto3.FrontendMessage
	switch name {
	case "Parse":
		msg = &pgproto3.Parse{}
	case "Bind":
		msg = &pgproto3.Bind{}
	case "Describe":
		msg = &pgproto3.Describe{}
	case "Execute":
		msg = &pgproto3.Execute{}
	case "Close":
		msg = &pgproto3.Close{}
	case "Sync":
		return &pgproto3.Sync{}, nil
	case "Flush":
		return &pgproto3.Flush{}, nil
	case "Query":
		msg = &pgproto3.Query{}
	case "CopyData": // {"Data": "<hex>"}
		msg = &pgproto3.CopyData{}
	case "CopyDone":
		return &pgproto3.CopyDone{}, nil
	case "CopyFail":
		msg = &pgproto3.CopyFail{}
	default:
		return nil, fmt.Errorf("unknown message %q", name)
	}
	if body == "" {
		body = "{}"
	}
	return msg, json.Unmarshal([]byte(body), msg)
}

// receiveUntil reads replies until each type in types has arrived in order, and returns
// them as JSON lines.
func receiveUntil(t *testing.T, fe *pgproto3.Frontend, types []string) []string {
	t.Helper()
	var out []string
	for _, want := range types {
		for {
			msg, err := fe.Receive()
			if err != nil {
				t.Fatalf("waiting for %s after %v: %v", want, out, err)
			}
			line, typ := messageJSON(t, msg)
			out = append(out, line)
			if typ == want {
				break
			}
		}
	}
	return out
}

func messageJSON(t *testing.T, msg pgproto3.BackendMessage) (string, string) {
	var v any = msg
	switch m := msg.(type) {
	case *pgproto3.ErrorResponse:
		v = struct{ Type, Severity, Code, Message string }{"ErrorResponse", m.Severity, m.Code, m.Message}
	case *pgproto3.NoticeResponse:
		v = struct{ Type, Severity, Code, Message string }{"NoticeResponse", m.Severity, m.Code, m.Message}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var head struct{ Type string }
	_ = json.Unmarshal(b, &head)
	return string(b), head.Type
}

// connectRaw logs into a Quarry server with pgconn and takes over its socket.
func connectRaw(t *testing.T, addr string) *pgproto3.Frontend {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	return hijack(t, fmt.Sprintf("host=%s port=%s user=admin password='%s' dbname=quarry sslmode=disable", host, port, testPassword))
}

func connectReference(t *testing.T, dsn string) *pgproto3.Frontend {
	t.Helper()
	return hijack(t, dsn)
}

func hijack(t *testing.T, dsn string) *pgproto3.Frontend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pc, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hc.Conn.Close() })
	_ = hc.Conn.SetDeadline(time.Now().Add(20 * time.Second))
	return hc.Frontend
}
