package engine_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/formats/json"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// newSession assembles a real engine over a fresh root, as cmd/quarry does.
func newSession(t *testing.T) *engine.Session {
	t.Helper()
	root := t.TempDir()
	store, err := catalog.OpenSQLite(filepath.Join(root, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	if _, err := catalog.Bootstrap(ctx, store, "pw"); err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Config{
		Catalog: store, Stores: objstore.NewRegistry(),
		Formats: formats.NewRegistry(parquet.New(), csv.New(), json.New()),
		Funcs:   function.New(), Warehouse: "file://" + filepath.ToSlash(root) + "/warehouse/",
	})
	s, err := e.NewSession(ctx, "admin", "quarry", map[string]string{"application_name": "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// run executes every statement of sql and returns the last result's rows as text.
func run(t *testing.T, s *engine.Session, sql string) (string, *engine.Result, error) {
	t.Helper()
	ctx := context.Background()
	stmts, err := s.Parse(sql)
	if err != nil {
		return "", nil, err
	}
	var out strings.Builder
	var last *engine.Result
	for _, st := range stmts {
		res, err := s.Execute(ctx, st)
		if err != nil {
			return "", nil, err
		}
		last = res
		if res.Rows == nil {
			continue
		}
		out.Reset()
		for {
			rec, err := res.Rows.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				res.Rows.Close()
				return "", nil, err
			}
			for i := 0; i < int(rec.NumRows()); i++ {
				for c := 0; c < int(rec.NumCols()); c++ {
					if c > 0 {
						out.WriteByte('|')
					}
					col := rec.Column(c)
					switch {
					case col.IsNull(i):
						out.WriteString("NULL")
					default:
						if b, ok := col.(*array.Boolean); ok {
							out.WriteString(map[bool]string{true: "t", false: "f"}[b.Value(i)])
						} else {
							out.Write(function.FormatValue(nil, col, i, res.Columns[c].Type))
						}
					}
				}
				out.WriteByte('\n')
			}
			rec.Release()
		}
		res.Rows.Close()
	}
	return out.String(), last, nil
}

func TestSettings(t *testing.T) {
	s := newSession(t)
	if ps := s.ParameterStatus(); ps["server_version"] == "" || ps["DateStyle"] != "ISO, MDY" || ps["application_name"] != "test" || ps["TimeZone"] != "UTC" {
		t.Errorf("ParameterStatus = %v", ps)
	}
	_, res, err := run(t, s, "SET application_name = 'mine'")
	if err != nil || res.Tag != "SET" || res.Params["application_name"] != "mine" {
		t.Errorf("SET application_name: %v %+v", err, res)
	}
	if got, _, _ := run(t, s, "SHOW application_name"); got != "mine\n" {
		t.Errorf("SHOW application_name = %q", got)
	}
	if got, _, _ := run(t, s, "SET extra_float_digits = 3; SHOW extra_float_digits"); got != "3\n" {
		t.Errorf("extra_float_digits = %q", got)
	}
	if got, _, _ := run(t, s, "RESET application_name; SHOW application_name"); got != "test\n" && got != "\n" {
		t.Errorf("after RESET: %q", got)
	}
	_, _, err = run(t, s, "SHOW no_such_setting")
	if sqlerr.Code(err) != sqlerr.UndefinedObject {
		t.Errorf("SHOW unknown: %v", err)
	}
	_, _, err = run(t, s, "SET server_version = '1'")
	if sqlerr.Code(err) != "55P02" {
		t.Errorf("SET server_version: %v", err)
	}
}

func TestDDLAndQueries(t *testing.T) {
	s := newSession(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("1|x|2024-01-01\n2|y|2024-01-02\n3|\\N|2024-01-02\n"), 0o644)
	steps := []struct{ sql, want, code string }{
		{"CREATE DATABASE db1", "", ""},
		{"CREATE DATABASE db1", "", sqlerr.DuplicateSchema},
		{"CREATE DATABASE IF NOT EXISTS db1", "", ""},
		{"CREATE EXTERNAL TABLE db1.t (id int, name string, d date) ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' LOCATION '" + dir + "/'", "", ""},
		{"CREATE EXTERNAL TABLE db1.t (id int) LOCATION '" + dir + "/'", "", sqlerr.DuplicateTable},
		{"CREATE EXTERNAL TABLE nodb.t (id int) LOCATION '" + dir + "/'", "", sqlerr.InvalidSchemaName},
		{"SELECT count(*), count(name), max(d) FROM db1.t", "3|2|2024-01-02\n", ""},
		{"SET search_path = db1; SELECT name FROM t WHERE id = 2", "y\n", ""},
		{"SHOW TABLES IN db1", "t\n", ""},
		{"SHOW TABLES IN db1 LIKE 'x*'", "", ""},
		{"DESCRIBE db1.t", "id|int|\nname|string|\nd|date|\n", ""},
		{"SELECT d, count(*) FROM db1.t GROUP BY d ORDER BY d DESC", "2024-01-02|2\n2024-01-01|1\n", ""},
		{"EXPLAIN SELECT id FROM db1.t WHERE id > 1", "Project exprs=[id#0 AS id]\n  Scan table=db1.t, format=csv, columns=[id], filter=(id#0 > 1)\n", ""},
		{"DROP DATABASE db1", "", "2BP01"},
		{"DROP TABLE db1.t", "", ""},
		{"DROP TABLE db1.t", "", sqlerr.UndefinedTable},
		{"DROP TABLE IF EXISTS db1.t", "", ""},
		{"DROP DATABASE db1", "", ""},
		{"UPDATE x SET a = 1", "", sqlerr.FeatureNotSupported},
	}
	for _, st := range steps {
		got, _, err := run(t, s, st.sql)
		if st.code != "" {
			if sqlerr.Code(err) != st.code {
				t.Errorf("%s: got error %v, want code %s", st.sql, err, st.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", st.sql, err)
			continue
		}
		if got != st.want {
			t.Errorf("%s:\n got %q\nwant %q", st.sql, got, st.want)
		}
	}
	// The file's data is untouched by DROP TABLE of an external table.
	if _, err := os.Stat(filepath.Join(dir, "a.csv")); err != nil {
		t.Errorf("DROP TABLE removed an external table's file: %v", err)
	}
}

func TestUnknownCatalogDatabase(t *testing.T) {
	s := newSession(t)
	_ = s
	root := t.TempDir()
	store, _ := catalog.OpenSQLite(filepath.Join(root, "c.db"))
	defer store.Close()
	catalog.Bootstrap(context.Background(), store, "pw")
	e := engine.New(engine.Config{Catalog: store, Stores: objstore.NewRegistry(), Formats: formats.NewRegistry(), Funcs: function.New()})
	if _, err := e.NewSession(context.Background(), "admin", "other", nil); sqlerr.Code(err) != sqlerr.InvalidCatalogName {
		t.Errorf("unknown database: %v", err)
	}
	if _, err := e.NewSession(context.Background(), "admin", "quarry", map[string]string{"options": "-c search_path=demo -c statement_timeout=5s"}); err != nil {
		t.Errorf("options: %v", err)
	}
}
