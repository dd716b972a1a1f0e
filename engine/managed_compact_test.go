package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// tableFiles returns the Parquet files of a table folder under the warehouse.
func tableFiles(t *testing.T, te *testEngine, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(te.root, "warehouse", dir, "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInsertCompactsSmallFiles(t *testing.T) {
	te := openTestEngine(t, t.TempDir(), nil)
	defer te.close()
	mustRun := func(q, want string) {
		t.Helper()
		if got := te.run(t, q); got != want {
			t.Fatalf("%s:\ngot:\n%swant:\n%s", q, got, want)
		}
	}
	mustRun("CREATE TABLE t (a int, b text)", "CREATE TABLE\n")

	// Many single-row INSERTs make one file, with the rows in the order they came.
	var want strings.Builder
	want.WriteString("a:integer b:text\n")
	for i := 1; i <= 40; i++ {
		mustRun(fmt.Sprintf("INSERT INTO t VALUES (%d, 'row %d')", i, i), "INSERT 0 1\n")
		fmt.Fprintf(&want, "%d|row %d\n", i, i)
	}
	want.WriteString("(40 rows)\n")
	if files := tableFiles(t, te, "default/t"); len(files) != 1 {
		t.Fatalf("40 small INSERTs left %d files: %v", len(files), files)
	}
	mustRun("SELECT a, b FROM t", want.String())

	// A failing INSERT leaves the file exactly as it was.
	file := tableFiles(t, te, "default/t")[0]
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	mustRun("INSERT INTO t SELECT 1 / (a - a), 'x' FROM t", "error 22012: division by zero\n")
	mustRun("INSERT INTO t VALUES (NULL, 'ok'), (1 / 0, 'bad')", "error 22012: division by zero\n")
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) || len(tableFiles(t, te, "default/t")) != 1 {
		t.Fatal("a failed INSERT changed the table's file")
	}

	// An INSERT reading the table it writes sees the rows from before it.
	mustRun("INSERT INTO t SELECT a + 100, b FROM t", "INSERT 0 40\n")
	mustRun("SELECT count(*), sum(a) FROM t", "count:bigint sum:bigint\n80|5640\n(1 rows)\n")

	// Past the size limit, an INSERT starts a new file and leaves the big one alone.
	old := compactBelow
	compactBelow = 1
	defer func() { compactBelow = old }()
	mustRun("INSERT INTO t VALUES (1000, 'big')", "INSERT 0 1\n")
	if files := tableFiles(t, te, "default/t"); len(files) != 2 {
		t.Fatalf("files: %v", files)
	}
	compactBelow = old
	mustRun("INSERT INTO t VALUES (1001, 'small')", "INSERT 0 1\n")
	if files := tableFiles(t, te, "default/t"); len(files) != 2 {
		t.Fatalf("the newest small file was not the one rewritten: %v", files)
	}
	mustRun("SELECT count(*), max(a) FROM t", "count:bigint max:integer\n82|1001\n(1 rows)\n")

	// A small file that cannot be read as the table's columns is left alone: the INSERT
	// writes a file of its own.
	mustRun("CREATE TABLE s (a text); INSERT INTO s VALUES ('not a number')", "CREATE TABLE\nINSERT 0 1\n")
	dir := filepath.Join(te.root, "warehouse", "default", "s")
	mustRun("CREATE EXTERNAL TABLE e (a int) STORED AS PARQUET LOCATION '"+dir+"/'", "CREATE TABLE\n")
	textFile := tableFiles(t, te, "default/s")[0]
	textBytes, err := os.ReadFile(textFile)
	if err != nil {
		t.Fatal(err)
	}
	mustRun("INSERT INTO e VALUES (7)", "INSERT 0 1\n")
	if files := tableFiles(t, te, "default/s"); len(files) != 2 {
		t.Fatalf("files: %v", files)
	}
	if now, err := os.ReadFile(textFile); err != nil || !bytes.Equal(now, textBytes) {
		t.Fatalf("the unreadable file was changed (%v)", err)
	}

	// Concurrent INSERTs from several sessions lose no rows: the statements that rewrite one
	// file take turns.
	mustRun("CREATE TABLE c (w int, i int)", "CREATE TABLE\n")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sess, err := te.e.NewSession(context.Background(), "admin", "", nil)
			if err != nil {
				errs <- err
				return
			}
			for i := 0; i < 10; i++ {
				stmts, err := sess.Parse(fmt.Sprintf("INSERT INTO c VALUES (%d, %d)", w, i))
				if err == nil {
					_, err = sess.Execute(context.Background(), stmts[0])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	mustRun("SELECT count(*), count(DISTINCT w * 100 + i) FROM c", "count:bigint count:bigint\n40|40\n(1 rows)\n")
	if files := tableFiles(t, te, "default/c"); len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
}
