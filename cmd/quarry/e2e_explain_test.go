package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestExplainAnalyzeThroughPsql runs EXPLAIN ANALYZE on the demo's Parquet customers table
// through psql and checks the shape a user sees: the QUERY PLAN column, one line per plan
// node with its actual figures, the summary lines, and psql's row count.
func TestExplainAnalyzeThroughPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Fatal("psql is not installed; ./scripts/test.sh installs postgresql-client")
	}
	s := startServer(t, t.TempDir())
	host, port, _ := strings.Cut(s.pgAddr, ":")
	cmd := exec.Command(psql, "-X", "-h", host, "-p", port, "-U", "admin", "-d", "quarry", "-v", "ON_ERROR_STOP=1",
		"-c", "EXPLAIN ANALYZE SELECT country, count(*) FROM demo.customers GROUP BY country")
	cmd.Env = append(os.Environ(), "PGPASSWORD="+testPassword, "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 6 || strings.TrimSpace(lines[0]) != "QUERY PLAN" || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("psql output:\n%s", out)
	}
	body := strings.Join(lines[2:], "\n")
	for _, re := range []string{
		`(?m)^ Project .*\(actual rows=11, batches=1, time=[0-9.]+ms, elapsed=[0-9.]+ms\)\s*$`,
		`(?m)^   Aggregate .*\(actual rows=11, batches=1, time=[0-9.]+ms, elapsed=[0-9.]+ms\)\s*$`,
		`(?m)^     Scan table=demo\.customers.*\(actual rows=500, .*files=1, row_groups=1, rows_read=500, bytes_read=[0-9.]+k?B, requests=\d+\)\s*$`,
		`(?m)^ Planning Time: [0-9.]+ms\s*$`,
		`(?m)^ Execution Time: [0-9.]+ms\s*$`,
		`(?m)^\(6 rows\)$`,
	} {
		if !regexp.MustCompile(re).MatchString(body) {
			t.Errorf("psql output lacks %s:\n%s", re, out)
		}
	}
}
