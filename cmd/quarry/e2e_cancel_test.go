package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCancelRequestStopsQuery starts a query that groups a million distinct keys, sends a
// CancelRequest on another connection (as psql's Ctrl-C does), and expects the query to end
// with 57014 while the session stays usable.
func TestCancelRequestStopsQuery(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(t.TempDir(), "big")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(data, "big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < 1_000_000; i++ {
		fmt.Fprintf(w, "%d,key-%d,%d.5\n", i, (i*7919)%1_000_003, i%1000)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s := startServer(t, root, "--no-demo")
	c := s.connect(t)
	mustExec(t, c, `CREATE EXTERNAL TABLE big (id bigint, k string, v double)
		ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '`+data+`/'`)

	type result struct {
		err error
	}
	done := make(chan result, 1)
	go func() {
		rr := c.PgConn().Exec(context.Background(), `SELECT k, count(*), sum(v) FROM big GROUP BY k ORDER BY k`)
		_, err := rr.ReadAll()
		done <- result{err}
	}()
	time.Sleep(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.PgConn().CancelRequest(ctx); err != nil {
		t.Fatalf("CancelRequest: %v", err)
	}
	select {
	case r := <-done:
		if r.err == nil {
			t.Fatal("the query finished before it was cancelled; make it heavier")
		}
		pe, ok := asPgError(r.err)
		if !ok || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
			t.Fatalf("cancelled query: got %v", r.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the cancelled query did not end")
	}
	if got := joinRows(rowsText(t, c, "SELECT count(*) FROM big WHERE id < 10")); got != "10\n" {
		t.Errorf("after cancel: got %q", got)
	}
}
