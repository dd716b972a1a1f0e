package pgwire

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPgxInsertParams inserts with parameters in every pgx exec mode (binary parameters
// typed from the table's columns in the describing modes, text in the others), then reads
// the rows back.
func TestPgxInsertParams(t *testing.T) {
	addr := startEngineServer(t)
	setup := connectEngine(t, addr, pgx.QueryExecModeSimpleProtocol)
	if _, err := setup.Exec(testCtx(t), "create table ins (id int, name text, price decimal(10,2), d date, n bigint)"); err != nil {
		t.Fatal(err)
	}
	for i, mode := range execModes {
		c := connectEngine(t, addr, mode)
		ctx := testCtx(t)
		tag, err := c.Exec(ctx, "insert into ins values ($1, $2, $3, $4, $5)", int32(i), fmt.Sprintf("m%d", i), "1.25",
			time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), int64(1)<<40)
		if err != nil {
			t.Fatalf("%v: %v", mode, err)
		}
		if tag.String() != "INSERT 0 1" {
			t.Fatalf("%v: tag %q", mode, tag)
		}
	}
	var n int
	var names string
	if err := setup.QueryRow(testCtx(t), "select count(*), string_agg(name || ':' || d::text || ':' || n::text, ',' order by id) from ins where price = 1.25").Scan(&n, &names); err != nil {
		t.Fatal(err)
	}
	want := "m0:2024-02-29:1099511627776,m1:2024-02-29:1099511627776,m2:2024-02-29:1099511627776,m3:2024-02-29:1099511627776,m4:2024-02-29:1099511627776"
	if n != len(execModes) || names != want {
		t.Fatalf("got %d rows %q, want %d rows %q", n, names, len(execModes), want)
	}
}

// TestPgxCopyTo reads COPY TO STDOUT with pgx's CopyTo, the client-side API psycopg's
// copy_expert and psql's \copy stand for.
func TestPgxCopyTo(t *testing.T) {
	addr := startEngineServer(t)
	c := connectEngine(t, addr, pgx.QueryExecModeCacheStatement)
	var buf bytes.Buffer
	tag, err := c.PgConn().CopyTo(testCtx(t), &buf, "copy (select id, name, price from items order by id) to stdout with (format csv, header, null 'NULL')")
	if err != nil {
		t.Fatal(err)
	}
	want := "id,name,price\n1,apple,1.50\n2,banana,0.25\n3,cherry,12.00\n4,,100.99\n5,NULL,NULL\n"
	if buf.String() != want || tag.String() != "COPY 5" {
		t.Fatalf("got %q (%s), want %q (COPY 5)", buf.String(), tag, want)
	}
	// The session is usable afterwards, and COPY FROM STDIN into a CSV table is refused.
	_, err = c.PgConn().CopyFrom(testCtx(t), strings.NewReader("9,x\n"), "copy items (id, name) from stdin csv")
	if err == nil || !strings.Contains(err.Error(), "CSV") {
		t.Fatalf("COPY FROM into a CSV table: %v", err)
	}
	var one int
	if err := c.QueryRow(testCtx(t), "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("after COPY: %v", err)
	}
}
