package pgwire

import (
	"net"
	"os"
	"os/exec"
	"testing"
)

// TestPsql runs the real psql client against the fake backend: SSLRequest fallback, SCRAM,
// the simple protocol and text encoding as psql renders them. The expected output is what
// psql prints for the same rows from PostgreSQL 15. Skipped only when psql is absent.
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not on PATH")
	}
	_, addr := startServer(t, Config{}, newFakeBackend(t))
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(testCtx(t), psql, append([]string{"-X", "-h", host, "-p", port, "-U", "alice", "-d", "quarry"}, args...)...)
		cmd.Env = append(os.Environ(), "PGPASSWORD="+testPassword, "PGSSLMODE=prefer", "PGCONNECT_TIMEOUT=10")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run("-c", "select psql")
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	want := " id | name \n----+------\n  1 | one\n  2 | \n(2 rows)\n\n"
	if out != want {
		t.Errorf("psql output:\n%q\nwant:\n%q", out, want)
	}

	// Errors come out as psql prints them, with the caret under the position.
	out, _ = run("-c", "select 1;\n  select é, nosuch")
	want = " ?column? \n----------\n        1\n(1 row)\n\n" +
		"ERROR:  column \"nosuch\" does not exist\nLINE 2:   select é, nosuch\n                    ^\n"
	if out != want {
		t.Errorf("psql error output:\n%q\nwant:\n%q", out, want)
	}
}
