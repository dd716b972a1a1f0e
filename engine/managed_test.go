package engine

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/json"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output in testdata files")

// testEngine is an engine assembled as cmd/quarry/open.go does, over a root folder.
type testEngine struct {
	root   string
	store  *catalog.SQLiteStore
	stores *objstore.Registry
	e      *Engine
	sess   *Session
}

func openTestEngine(t testing.TB, root string, stores *objstore.Registry) *testEngine {
	t.Helper()
	ctx := context.Background()
	store, err := catalog.OpenSQLite(filepath.Join(root, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Bootstrap(ctx, store, "secret"); err != nil {
		t.Fatal(err)
	}
	if stores == nil {
		stores = objstore.NewRegistry()
	}
	e := New(Config{
		Catalog:   store,
		Stores:    stores,
		Formats:   formats.NewRegistry(parquet.New(), csv.New(), json.New()),
		Funcs:     function.New(),
		Warehouse: "file://" + filepath.ToSlash(filepath.Join(root, "warehouse")) + "/",
		Workers:   2,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	sess, err := e.NewSession(ctx, "admin", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testEngine{root: root, store: store, stores: stores, e: e, sess: sess}
}

func (te *testEngine) close() { te.store.Close() }

// run executes every statement of query and renders what a client would see: rows, the
// command tag, notices, or the error with its SQLSTATE.
func (te *testEngine) run(t testing.TB, query string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	stmts, err := te.sess.Parse(query)
	if err != nil {
		return fmt.Sprintf("error %s: %v\n", sqlerr.Code(err), err)
	}
	for _, st := range stmts {
		if st.Empty {
			continue
		}
		res, err := te.sess.Execute(ctx, st)
		if err == nil && res.Rows != nil {
			err = renderRows(ctx, &b, res)
		}
		if err != nil {
			fmt.Fprintf(&b, "error %s: %v\n", sqlerr.Code(err), err)
			continue
		}
		for _, n := range res.Notices {
			fmt.Fprintf(&b, "NOTICE: %s\n", n)
		}
		switch {
		case res.Rows != nil:
		case res.Tag == "INSERT":
			fmt.Fprintf(&b, "INSERT 0 %d\n", res.RowsAffected)
		case res.Tag == "SELECT":
			fmt.Fprintf(&b, "SELECT %d\n", res.RowsAffected)
		default:
			fmt.Fprintln(&b, res.Tag)
		}
	}
	return b.String()
}

// renderRows prints a result's column names and types, then one line per row (NULL as
// NULL), in PostgreSQL's text format.
func renderRows(ctx context.Context, b *strings.Builder, res *Result) error {
	defer res.Rows.Close()
	var head []string
	for _, c := range res.Columns {
		head = append(head, c.Name+":"+c.Type.String())
	}
	var rows []string
	var buf []byte
	for {
		rec, err := res.Rows.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			var vals []string
			for j, c := range res.Columns {
				if rec.Column(j).IsNull(i) {
					vals = append(vals, "NULL")
					continue
				}
				buf = function.FormatValue(buf[:0], rec.Column(j), i, c.Type)
				vals = append(vals, string(buf))
			}
			rows = append(rows, strings.Join(vals, "|"))
		}
		rec.Release()
	}
	fmt.Fprintln(b, strings.Join(head, " "))
	for _, r := range rows {
		fmt.Fprintln(b, r)
	}
	fmt.Fprintf(b, "(%d rows)\n", len(rows))
	return nil
}

var fileName = regexp.MustCompile(`\d{8}_\d{6}_[0-9a-f]{16}\.parquet$`)

// files lists the files under the warehouse (or another folder of the root), one line per
// folder with its number of Parquet files; Quarry's generated file names are not shown.
func (te *testEngine) files(t testing.TB, dir string) string {
	t.Helper()
	base := filepath.Join(te.root, dir)
	counts := map[string]int{}
	other := map[string][]string{}
	err := filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(base, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if fileName.MatchString(d.Name()) {
			counts[rel]++
		} else {
			other[rel] = append(other[rel], d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for dir, n := range counts {
		lines = append(lines, fmt.Sprintf("%s: %d parquet", dir, n))
	}
	for dir, names := range other {
		lines = append(lines, fmt.Sprintf("%s: %s", dir, strings.Join(names, ", ")))
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		return "(no files)\n"
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestManagedTables runs the data-driven cases of testdata/managed/*.txt. Directives:
//
//	exec             run the statements; the output is what a client sees
//	files [dir]      the Parquet files per folder under the root's dir (default warehouse)
//	reopen           close the catalog and open the root again, as a restart does
//
// Run with -rewrite to update the expected outputs.
func TestManagedTables(t *testing.T) {
	paths, err := filepath.Glob("testdata/managed/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			root := t.TempDir()
			te := openTestEngine(t, root, nil)
			defer func() { te.close() }()
			runDataDriven(t, path, func(directive, input string) string {
				switch {
				case directive == "exec":
					out := te.run(t, strings.ReplaceAll(input, "$ROOT", filepath.ToSlash(root)))
					return strings.ReplaceAll(out, filepath.ToSlash(root), "$ROOT")
				case directive == "files" || strings.HasPrefix(directive, "files "):
					dir := strings.TrimSpace(strings.TrimPrefix(directive, "files"))
					if dir == "" {
						dir = "warehouse"
					}
					return te.files(t, dir)
				case directive == "reopen":
					te.close()
					te = openTestEngine(t, root, nil)
					return "ok\n"
				}
				t.Fatalf("unknown directive %q", directive)
				return ""
			})
		})
	}
}

// runDataDriven runs the cases of a file: a directive line, input lines, "----", expected
// output lines, a blank line. Lines starting with # between cases are comments.
func runDataDriven(t *testing.T, path string, run func(directive, input string) string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	var out bytes.Buffer
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			out.WriteString(l + "\n")
			i++
			continue
		}
		start := i + 1
		directive := strings.TrimSpace(l)
		i++
		var in []string
		for i < len(lines) && lines[i] != "----" {
			in = append(in, lines[i])
			i++
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: case without ----", path, start)
		}
		i++
		var want []string
		for i < len(lines) && lines[i] != "" {
			want = append(want, lines[i])
			i++
		}
		got := run(directive, strings.Join(in, "\n"))
		expected := strings.Join(want, "\n")
		if len(want) > 0 {
			expected += "\n"
		}
		if got != expected && !*rewrite {
			t.Errorf("%s:%d: %s\n%s\ngot:\n%swant:\n%s", path, start, directive, strings.Join(in, "\n"), got, expected)
		}
		out.WriteString(l + "\n")
		for _, s := range in {
			out.WriteString(s + "\n")
		}
		out.WriteString("----\n" + got)
	}
	if *rewrite {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// failingStore is a memory store whose Put fails for keys containing fail, after reading
// the whole object (as a store whose upload fails at the end would).
type failingStore struct {
	objstore.Store
	fail string
	mu   sync.Mutex
	puts int
}

func (s *failingStore) Put(ctx context.Context, key string, r io.Reader) error {
	s.mu.Lock()
	s.puts++
	s.mu.Unlock()
	if strings.Contains(key, s.fail) {
		io.Copy(io.Discard, r)
		return errors.New("injected upload failure")
	}
	return s.Store.Put(ctx, key, r)
}

// TestWriteFailureLeavesNothing checks that when one of a statement's files fails to upload,
// the files already published are deleted and the table is not created.
func TestWriteFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	stores := objstore.NewRegistry()
	flaky := &failingStore{Store: objstore.NewMemStore(), fail: "p=3"}
	stores.Register("flaky", flaky)
	te := openTestEngine(t, t.TempDir(), stores)
	defer te.close()
	out := te.run(t, `CREATE TABLE t WITH (external_location = 'flaky://b/t/', partitioned_by = 'p') AS
		SELECT x, x % 4 AS p FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) AS v(x)`)
	if !strings.Contains(out, "error 58030") || !strings.Contains(out, "injected upload failure") {
		t.Errorf("CTAS: %s", out)
	}
	if flaky.puts != 4 {
		t.Errorf("%d puts, want 4 (one per partition)", flaky.puts)
	}
	if objs, err := flaky.List(ctx, "flaky://b/"); err != nil || len(objs) != 0 {
		t.Errorf("left %v (%v)", objs, err)
	}
	if _, err := te.store.GetTable(ctx, "default", "t"); !errors.Is(err, catalog.ErrTableNotFound) {
		t.Errorf("table after a failed CTAS: %v", err)
	}

	// The same for an INSERT into an existing table: its earlier files stay, the new ones go.
	flaky.fail = "never"
	if out := te.run(t, `CREATE TABLE u WITH (external_location = 'flaky://b/u/', partitioned_by = 'p') AS SELECT 1 AS x, 3 AS p`); out != "SELECT 1\n" {
		t.Fatalf("CTAS: %s", out)
	}
	flaky.fail = "p=3"
	out = te.run(t, `INSERT INTO u VALUES (1, 1), (2, 2), (3, 3); SELECT count(*) FROM u`)
	if !strings.Contains(out, "injected upload failure") || !strings.Contains(out, "\n1\n") {
		t.Errorf("INSERT: %s", out)
	}
	objs, _ := flaky.List(ctx, "flaky://b/")
	if len(objs) != 1 || !strings.HasPrefix(objs[0].Key, "flaky://b/u/p=3/") {
		t.Errorf("files after a failed INSERT: %v", objs)
	}
	parts, _ := te.store.ListPartitions(ctx, "default", "u")
	if len(parts) != 1 {
		t.Errorf("partitions after a failed INSERT: %v", parts)
	}
}
