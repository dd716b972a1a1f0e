package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/csv"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/objstore"
)

// systemSession assembles an engine as cmd/quarry does, with database mydb holding an
// external CSV table t and a view v.
func systemSession(t *testing.T) *Session {
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
	e := New(Config{
		Catalog: store, Stores: objstore.NewRegistry(), Formats: formats.NewRegistry(csv.New()),
		Funcs: function.New(), Warehouse: "file://" + filepath.ToSlash(root) + "/warehouse/",
	})
	s, err := e.NewSession(ctx, "admin", "quarry", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "t")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("1,x,2.5\n2,y,3.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sysQuery(t, s, "CREATE DATABASE mydb")
	sysQuery(t, s, "CREATE EXTERNAL TABLE mydb.t (id int, name varchar(10), amount decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '"+filepath.ToSlash(dir)+"/'")
	sysQuery(t, s, "CREATE VIEW mydb.v AS SELECT id FROM mydb.t")
	return s
}

// sysQuery runs one statement and returns its rows, one line each, columns joined by '|'
// and NULL shown as NULL.
func sysQuery(t *testing.T, s *Session, q string) []string {
	t.Helper()
	out, err := sysTry(s, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func sysTry(s *Session, q string) ([]string, error) {
	ctx := context.Background()
	stmts, err := s.Parse(q)
	if err != nil {
		return nil, err
	}
	res, err := s.Execute(ctx, stmts[0])
	if err != nil {
		return nil, err
	}
	if res.Rows == nil {
		return nil, nil
	}
	defer res.Rows.Close()
	var out []string
	for {
		rec, err := res.Rows.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				col := rec.Column(c)
				if col.IsNull(i) {
					cells[c] = "NULL"
					continue
				}
				cells[c] = col.ValueStr(i)
				if sa, ok := col.(*array.String); ok {
					cells[c] = sa.Value(i)
				}
			}
			out = append(out, strings.Join(cells, "|"))
		}
		rec.Release()
	}
}

func TestSystemCatalogQueries(t *testing.T) {
	s := systemSession(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1",
			[]string{"default", "information_schema", "mydb", "pg_catalog", "public"}},
		{"SELECT relname, relkind FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid WHERE nspname = 'mydb' ORDER BY 1",
			[]string{"t|r", "v|v"}},
		{"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema='mydb' AND table_name='t' ORDER BY ordinal_position",
			[]string{"id|integer", "name|character varying", "amount|numeric"}},
		{"SELECT character_maximum_length, numeric_precision, numeric_scale, is_nullable FROM information_schema.columns WHERE table_schema='mydb' AND table_name='t' ORDER BY ordinal_position",
			[]string{"NULL|32|0|YES", "10|NULL|NULL|YES", "NULL|10|2|YES"}},
		{"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'mydb' ORDER BY 1",
			[]string{"t|BASE TABLE", "v|VIEW"}},
		{"SELECT table_name FROM information_schema.views WHERE table_schema = 'mydb'", []string{"v"}},
		{"SELECT attname, atttypid, attnum FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid WHERE c.relname = 't' ORDER BY attnum",
			[]string{"id|23|1", "name|1043|2", "amount|1700|3"}},
		{"SELECT typname, typcategory FROM pg_type WHERE oid IN (16, 1007) ORDER BY oid", []string{"bool|B", "_int4|A"}},
		{"SELECT datname FROM pg_database", []string{"quarry"}},
		{"SELECT rolname, rolsuper, oid FROM pg_roles", []string{"admin|true|10"}},
		{"SELECT count(*) FROM pg_description", []string{"0"}},
		{"SELECT setting FROM pg_settings WHERE name = 'server_version_num'", []string{serverVersionNum()}},
		{"SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'public') ORDER BY 1", []string{"11", "2200"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got := sysQuery(t, s, tc.query)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSystemCatalogLive checks that a table created after the engine started appears.
func TestSystemCatalogLive(t *testing.T) {
	s := systemSession(t)
	before := sysQuery(t, s, "SELECT oid FROM pg_class WHERE relname = 'v'")
	sysQuery(t, s, "CREATE VIEW mydb.w AS SELECT 1 AS one")
	got := sysQuery(t, s, "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'mydb') ORDER BY 1")
	if strings.Join(got, ",") != "t,v,w" {
		t.Errorf("got %v", got)
	}
	// OIDs are stable: adding an object does not move the others.
	after := sysQuery(t, s, "SELECT oid FROM pg_class WHERE relname = 'v'")
	if strings.Join(before, ",") != strings.Join(after, ",") {
		t.Errorf("oid of v moved from %v to %v", before, after)
	}
}

// TestSystemCatalogConsistency is the catalog consistency check issue 4 asks for.
func TestSystemCatalogConsistency(t *testing.T) {
	s := systemSession(t)
	empty := []string{
		// every relation's namespace exists
		"SELECT relname FROM pg_class c LEFT JOIN pg_namespace n ON c.relnamespace = n.oid WHERE n.oid IS NULL",
		// every attribute's relation and type exist
		"SELECT attname FROM pg_attribute a LEFT JOIN pg_class c ON a.attrelid = c.oid WHERE c.oid IS NULL",
		"SELECT attname FROM pg_attribute a LEFT JOIN pg_type t ON a.atttypid = t.oid WHERE t.oid IS NULL",
		// every type's namespace and array type exist
		"SELECT typname FROM pg_type t LEFT JOIN pg_namespace n ON t.typnamespace = n.oid WHERE n.oid IS NULL",
		"SELECT t.typname FROM pg_type t LEFT JOIN pg_type a ON t.typarray = a.oid WHERE t.typarray <> 0 AND a.oid IS NULL",
		// relnatts counts the attributes
		"SELECT relname FROM pg_class c WHERE relnatts <> (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid)",
	}
	for _, q := range empty {
		if got := sysQuery(t, s, q); len(got) != 0 {
			t.Errorf("%s: got %v", q, got)
		}
	}
	// OIDs are unique across pg_class, pg_type and pg_namespace.
	got := sysQuery(t, s, `SELECT oid, count(*) FROM (SELECT oid FROM pg_class UNION ALL SELECT oid FROM pg_type
		UNION ALL SELECT oid FROM pg_namespace) o GROUP BY oid HAVING count(*) > 1`)
	if len(got) != 0 {
		t.Errorf("duplicate OIDs: %v", got)
	}
	// User objects are at or above 16384, builtin ones below.
	if got := sysQuery(t, s, "SELECT relname FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid WHERE (nspname = 'mydb') <> (c.oid >= 16384)"); len(got) != 0 {
		t.Errorf("OID ranges: %v", got)
	}
	// No NULL in a NOT NULL column, and every system table answers with all its columns.
	for _, st := range systemTables {
		if _, err := sysTry(s, "SELECT * FROM "+st.schema+"."+st.name); err != nil {
			t.Errorf("SELECT * FROM %s.%s: %v", st.schema, st.name, err)
		}
		for _, c := range st.cols {
			if c.nullable {
				continue
			}
			q := fmt.Sprintf("SELECT count(*) FROM %s.%s WHERE %s IS NULL", st.schema, st.name, c.name)
			if got := sysQuery(t, s, q); strings.Join(got, "") != "0" {
				t.Errorf("%s: %v", q, got)
			}
		}
	}
}

// TestSystemTableColumns checks the definitions against the rows their functions build and
// the type names against Quarry's type parser.
func TestSystemTableColumns(t *testing.T) {
	s := systemSession(t)
	snap, err := snapshot(context.Background(), s.e.cfg.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range systemTables {
		for _, c := range st.cols {
			if _, err := (catalog.Column{Name: c.name, Type: c.hive}).SQLType(); err != nil {
				t.Errorf("%s.%s: %v", st.name, c.name, err)
			}
		}
		rows, err := st.rows(context.Background(), snap)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if len(r) != len(st.cols) {
				t.Fatalf("%s: a row has %d values for %d columns", st.name, len(r), len(st.cols))
			}
		}
	}
}
