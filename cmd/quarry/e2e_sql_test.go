package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// writeFile writes a fixture file, creating folders.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exec runs statements that return no rows.
func mustExec(t *testing.T, c *pgx.Conn, sql string) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// rowsText runs a query and returns its rows as text, NULL as "NULL".
func rowsText(t *testing.T, c *pgx.Conn, sql string) [][]string {
	t.Helper()
	rows, err := c.Query(context.Background(), sql, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]string, len(raw))
		for i, v := range raw {
			if v == nil {
				row[i] = "NULL"
			} else {
				row[i] = string(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func joinRows(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|"))
		b.WriteByte('\n')
	}
	return b.String()
}

const salesCSV = `id,region,product,qty,price,sold_on,note
1,north,apple,3,1.50,2024-01-05,"fresh, crisp"
2,south,pear,1,2.25,2024-01-06,"said ""hi"""
3,north,pear,2,2.25,2024-02-01,
4,east,apple,5,1.50,2024-02-11,"multi
line"
5,south,apple,,1.75,2024-03-01,plain
`

func TestCSVTableEndToEnd(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(t.TempDir(), "sales")
	writeFile(t, filepath.Join(data, "part-0.csv"), salesCSV)
	s := startServer(t, root, "--no-demo")
	c := s.connect(t)
	mustExec(t, c, `CREATE DATABASE shop`)
	mustExec(t, c, `CREATE EXTERNAL TABLE shop.sales (id int, region string, product string, qty int,
		price decimal(10,2), sold_on date, note string)
		ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
		STORED AS TEXTFILE LOCATION '`+data+`/'
		TBLPROPERTIES ('skip.header.line.count'='1')`)

	cases := []struct{ sql, want string }{
		{`SELECT count(*) FROM shop.sales`, "5\n"},
		{`SELECT id, note FROM shop.sales WHERE id IN (1, 2, 4) ORDER BY id`,
			"1|fresh, crisp\n2|said \"hi\"\n4|multi\nline\n"},
		{`SELECT region, sum(qty) AS q, sum(qty * price) AS revenue, count(qty) AS n
		  FROM shop.sales GROUP BY region ORDER BY region`,
			"east|5|7.50|1\nnorth|5|9.00|2\nsouth|1|2.25|1\n"},
		{`SELECT product, min(sold_on), max(price) FROM shop.sales GROUP BY 1 ORDER BY 1 DESC`,
			"pear|2024-01-06|2.25\napple|2024-01-05|1.75\n"},
		{`SELECT id FROM shop.sales WHERE qty IS NULL`, "5\n"},
		{`SELECT id FROM shop.sales WHERE sold_on >= date '2024-02-01' AND price < 2 ORDER BY id`, "4\n5\n"},
		{`SELECT id, qty FROM shop.sales ORDER BY qty DESC NULLS LAST, id LIMIT 2 OFFSET 1`, "1|3\n3|2\n"},
		{`SELECT count(DISTINCT product), avg(qty) FROM shop.sales`, "2|2.7500000000000000\n"},
		{`SELECT upper(region) AS r FROM shop.sales WHERE product = 'pear' ORDER BY r`, "NORTH\nSOUTH\n"},
		{`SELECT 1 + 2, 'a' || 'b', 7 / 2, 7.0 / 2`, "3|ab|3|3.5000000000000000\n"},
	}
	for _, tc := range cases {
		got := joinRows(rowsText(t, c, tc.sql))
		if got != tc.want {
			t.Errorf("%s\n got: %q\nwant: %q", tc.sql, got, tc.want)
		}
	}
}

func TestErrorsEndToEnd(t *testing.T) {
	root := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad")
	writeFile(t, filepath.Join(bad, "x.parquet"), "this is not a parquet file at all, just text")
	s := startServer(t, root, "--no-demo")
	c := s.connect(t)
	mustExec(t, c, `CREATE EXTERNAL TABLE broken (a int) STORED AS PARQUET LOCATION '`+bad+`/'`)

	cases := []struct {
		sql, code, msg string
		pos            int32
	}{
		{"SELECT * FRM t", "42601", `syntax error at or near "FRM"`, 10},
		{"SELECT * FROM nosuch", "42P01", `relation "nosuch" does not exist`, 15},
		{"SELECT nope FROM demo_missing.t", "42P01", `relation "demo_missing.t" does not exist`, 18},
		{"SELECT nope FROM broken", "42703", `column "nope" does not exist`, 8},
		{"SELECT 1/0", "22012", "division by zero", 0},
		{"SELECT a FROM broken", "XX001", "x.parquet", 0},
	}
	for _, tc := range cases {
		pe := pgErr(t, c, tc.sql)
		if pe.Code != tc.code || !strings.Contains(pe.Message, tc.msg) || (tc.pos != 0 && pe.Position != tc.pos) {
			t.Errorf("%s: got %s %q at %d, want %s %q at %d", tc.sql, pe.Code, pe.Message, pe.Position, tc.code, tc.msg, tc.pos)
		}
	}
	// The session survives errors.
	if got := joinRows(rowsText(t, c, "SELECT 41 + 1")); got != "42\n" {
		t.Errorf("after errors: got %q", got)
	}

	// A wrong password is 28P01 and says nothing about whether the user exists.
	for _, user := range []string{"admin", "ghost"} {
		cs := strings.Replace(s.connString("wrong"), "user=admin", "user="+user, 1)
		_, err := pgx.Connect(context.Background(), cs)
		var pe *pgconn.PgError
		if !errorsAs(err, &pe) || pe.Code != "28P01" || pe.Message != `password authentication failed for user "`+user+`"` {
			t.Errorf("user %s with a wrong password: got %v", user, err)
		}
	}
}

func TestRestartKeepsCatalog(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(t.TempDir(), "sales")
	writeFile(t, filepath.Join(data, "part-0.csv"), salesCSV)
	s := startServer(t, root)
	c := s.connect(t)
	mustExec(t, c, `CREATE DATABASE keep`)
	mustExec(t, c, `CREATE EXTERNAL TABLE keep.sales (id int, region string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
		LOCATION '`+data+`' TBLPROPERTIES ('skip.header.line.count'='1')`)
	c.Close(context.Background())
	s.stop(t)

	s2 := startServer(t, root)
	c2 := s2.connect(t)
	if got := joinRows(rowsText(t, c2, `SELECT count(*), max(region) FROM keep.sales`)); got != "5|south\n" {
		t.Errorf("after restart: got %q", got)
	}
	got := joinRows(rowsText(t, c2, `SHOW DATABASES`))
	for _, db := range []string{"default", "demo", "keep"} {
		if !strings.Contains(got, db+"\n") {
			t.Errorf("SHOW DATABASES after restart lacks %s: %q", db, got)
		}
	}
}

func TestPsqlEndToEnd(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Fatal("psql is not installed; ./scripts/test.sh installs postgresql-client")
	}
	root := t.TempDir()
	s := startServer(t, root)
	host, port, _ := strings.Cut(s.pgAddr, ":")
	run := func(sql string) (string, error) {
		cmd := exec.Command(psql, "-X", "-h", host, "-p", port, "-U", "admin", "-d", "quarry", "-v", "ON_ERROR_STOP=1", "-c", sql)
		cmd.Env = append(os.Environ(), "PGPASSWORD="+testPassword, "PGCONNECT_TIMEOUT=10")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("SELECT count(*) AS n FROM demo.customers")
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 4 || strings.TrimSpace(lines[0]) != "n" || strings.TrimSpace(lines[2]) != "500" || lines[3] != "(1 row)" {
		t.Errorf("psql output:\n%s", out)
	}
	out, err = run("SELECT 1; SELECT * FROM nosuch")
	if err == nil || !strings.Contains(out, `ERROR:  relation "nosuch" does not exist`) || !strings.Contains(out, "LINE 1: SELECT 1; SELECT * FROM nosuch") {
		t.Errorf("psql error output (err %v):\n%s", err, out)
	}
	out, err = run("SHOW TABLES IN demo")
	if err != nil || !strings.Contains(out, "orders") || !strings.Contains(out, "customers") {
		t.Errorf("SHOW TABLES IN demo (err %v):\n%s", err, out)
	}
}

// `quarry query` on the root of a running server: both see each other's catalog changes.
func TestQueryCommandBesideServer(t *testing.T) {
	root := t.TempDir()
	s := startServer(t, root, "--no-demo")
	c := s.connect(t)
	mustExec(t, c, `CREATE DATABASE from_server`)
	cmd := exec.Command(quarryBin, "query", "--root", root, "--format", "csv", "-c",
		"CREATE DATABASE from_cli; SHOW DATABASES")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("quarry query: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "from_server\n") || !strings.Contains(string(out), "from_cli\n") {
		t.Errorf("quarry query output:\n%s", out)
	}
	got := joinRows(rowsText(t, c, "SHOW DATABASES"))
	if !strings.Contains(got, "from_cli\n") {
		t.Errorf("the server does not see the CLI's database: %q", got)
	}
	// Errors from the CLI carry the SQLSTATE and exit non-zero.
	out, err = exec.Command(quarryBin, "query", "--root", root, "-c", "SELECT 1/0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ERROR:  division by zero (SQLSTATE 22012)") {
		t.Errorf("quarry query error: %v\n%s", err, out)
	}
}

// TestQueryCommandSQLSources: the SQL comes as arguments, with -c or on standard input; both
// -c and arguments is an error rather than one of them silently ignored.
func TestQueryCommandSQLSources(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"arguments", []string{"SELECT", "40 + 2 AS answer"}, ""},
		{"-c", []string{"-c", "SELECT 40 + 2 AS answer"}, ""},
		{"stdin", nil, "SELECT 40 + 2 AS answer;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(quarryBin, append([]string{"query", "--root", root, "--no-demo", "--format", "csv"}, tc.args...)...)
			cmd.Stdin = strings.NewReader(tc.stdin)
			out, err := cmd.CombinedOutput()
			if err != nil || string(out) != "answer\n42\n" {
				t.Errorf("got %v\n%q", err, out)
			}
		})
	}
	out, err := exec.Command(quarryBin, "query", "--root", root, "-c", "SELECT 1", "SELECT 2").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not both") {
		t.Errorf("-c and arguments: %v\n%s", err, out)
	}
}
