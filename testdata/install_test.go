package testdata_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/testdata"
)

func openCatalog(t *testing.T) *catalog.SQLiteStore {
	t.Helper()
	s, err := catalog.OpenSQLite(filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestInstallDemo(t *testing.T) {
	ctx := context.Background()
	store := openCatalog(t)
	dir := filepath.Join(t.TempDir(), "demo")
	if err := testdata.InstallDemo(ctx, store, dir); err != nil {
		t.Fatal(err)
	}

	db, err := store.GetDatabase(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if db.Description != "Quarry demo data" {
		t.Errorf("description %q", db.Description)
	}

	tables, err := store.ListTables(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		format  string
		columns string
		serde   string
		params  map[string]string
	}{
		"customers": {"parquet", "customer_id int, name string, email string, country string, signup_date date, vip boolean",
			"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", map[string]string{"classification": "parquet", "EXTERNAL": "TRUE"}},
		"orders": {"parquet", "order_id bigint, customer_id int, order_ts timestamp, status string, total decimal(12,2), items int",
			"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", map[string]string{"classification": "parquet", "EXTERNAL": "TRUE"}},
		"products": {"csv", "product_id int, name string, category string, price decimal(10,2), in_stock boolean",
			"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", map[string]string{"classification": "csv", "EXTERNAL": "TRUE", "skip.header.line.count": "1"}},
		"events": {"csv", "event_id bigint, customer_id int, kind string",
			"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", map[string]string{"classification": "csv", "EXTERNAL": "TRUE"}},
	}
	if len(tables) != len(want) {
		t.Errorf("%d tables: %v", len(tables), tableNames(tables))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		w, ok := want[tb.Name]
		if !ok {
			t.Errorf("unexpected table %s", tb.Name)
			continue
		}
		sd := tb.StorageDescriptor
		if got := tb.Format(); got != w.format {
			t.Errorf("%s: format %q, want %q", tb.Name, got, w.format)
		}
		if got := columnList(sd.Columns); got != w.columns {
			t.Errorf("%s: columns %s\nwant %s", tb.Name, got, w.columns)
		}
		for _, c := range append(slices.Clone(sd.Columns), tb.PartitionKeys...) {
			if _, err := c.SQLType(); err != nil {
				t.Errorf("%s.%s: type %q does not parse: %v", tb.Name, c.Name, c.Type, err)
			}
		}
		if sd.SerdeInfo.SerializationLibrary != w.serde || tb.TableType != catalog.ExternalTable {
			t.Errorf("%s: serde %q, type %q", tb.Name, sd.SerdeInfo.SerializationLibrary, tb.TableType)
		}
		if !maps.Equal(tb.Parameters, w.params) {
			t.Errorf("%s: parameters %v, want %v", tb.Name, tb.Parameters, w.params)
		}
		loc := "file://" + filepath.ToSlash(abs) + "/" + tb.Name + "/"
		if sd.Location != loc {
			t.Errorf("%s: location %q, want %q", tb.Name, sd.Location, loc)
		}
		// Every table's folder holds its files, identical to the embedded ones.
		n := 0
		err := fs.WalkDir(testdata.DemoFS(), tb.Name, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			n++
			want, err := fs.ReadFile(testdata.DemoFS(), name)
			if err != nil {
				return err
			}
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				return err
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: the copy differs from the embedded file", name)
			}
			return nil
		})
		if err != nil || n == 0 {
			t.Errorf("%s: %d files copied: %v", tb.Name, n, err)
		}
	}

	events, err := store.GetTable(ctx, "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	if got := columnList(events.PartitionKeys); got != "dt date" {
		t.Errorf("events partition keys: %s", got)
	}
	if d := events.StorageDescriptor.SerdeInfo.Parameters["field.delim"]; d != "|" {
		t.Errorf("events field.delim %q", d)
	}
	parts, err := store.ListPartitions(ctx, "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range parts {
		got = append(got, strings.Join(p.Values, ",")+" "+p.StorageDescriptor.Location)
		if columnList(p.StorageDescriptor.Columns) != columnList(events.StorageDescriptor.Columns) ||
			p.StorageDescriptor.SerdeInfo.Parameters["field.delim"] != "|" {
			t.Errorf("partition %v: storage %+v", p.Values, p.StorageDescriptor)
		}
	}
	base := events.StorageDescriptor.Location
	wantParts := []string{
		"2024-01-01 " + base + "dt=2024-01-01/",
		"2024-01-02 " + base + "dt=2024-01-02/",
		"2024-01-03 " + base + "dt=2024-01-03/",
	}
	if !slices.Equal(got, wantParts) {
		t.Errorf("partitions\n%q\nwant\n%q", got, wantParts)
	}
}

// TestInstallDemoTwice checks the second install is a no-op: it neither rewrites the
// catalog nor restores files a user removed.
func TestInstallDemoTwice(t *testing.T) {
	ctx := context.Background()
	store := openCatalog(t)
	dir := t.TempDir()
	if err := testdata.InstallDemo(ctx, store, dir); err != nil {
		t.Fatal(err)
	}
	before, err := store.GetTable(ctx, "demo", "orders")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.DropTable(ctx, "demo", "products"); err != nil {
		t.Fatal(err)
	}
	removed := filepath.Join(dir, "customers", "customers.parquet")
	if err := os.Remove(removed); err != nil {
		t.Fatal(err)
	}

	if err := testdata.InstallDemo(ctx, store, dir); err != nil {
		t.Fatal(err)
	}
	after, err := store.GetTable(ctx, "demo", "orders")
	if err != nil {
		t.Fatal(err)
	}
	if !after.UpdateTime.Equal(before.UpdateTime) || !after.CreateTime.Equal(before.CreateTime) {
		t.Errorf("orders was rewritten: %v/%v, then %v/%v", before.CreateTime, before.UpdateTime, after.CreateTime, after.UpdateTime)
	}
	if _, err := store.GetTable(ctx, "demo", "products"); !errors.Is(err, catalog.ErrTableNotFound) {
		t.Errorf("the dropped table came back: %v", err)
	}
	if _, err := os.Stat(removed); !os.IsNotExist(err) {
		t.Errorf("the removed file came back: %v", err)
	}
}

// TestInstallDemoAfterBootstrap runs the two first-start steps in the server's order.
func TestInstallDemoAfterBootstrap(t *testing.T) {
	ctx := context.Background()
	store := openCatalog(t)
	if _, err := catalog.Bootstrap(ctx, store, "secret"); err != nil {
		t.Fatal(err)
	}
	if err := testdata.InstallDemo(ctx, store, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	dbs, err := store.ListDatabases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dbs {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, []string{"default", "demo"}) {
		t.Errorf("databases %v", names)
	}
}

// failingStore fails CreateTable for one table, as a full disk or a lost catalog database
// would.
type failingStore struct {
	catalog.Store
	table string
}

var errInjected = errors.New("injected failure")

func (s failingStore) CreateTable(ctx context.Context, t catalog.Table) error {
	if t.Name == s.table {
		return errInjected
	}
	return s.Store.CreateTable(ctx, t)
}

// TestInstallDemoFailureRetries checks a failed install leaves no half-made demo database,
// so the next start installs it whole.
func TestInstallDemoFailureRetries(t *testing.T) {
	ctx := context.Background()
	store := openCatalog(t)
	dir := t.TempDir()
	err := testdata.InstallDemo(ctx, failingStore{store, "products"}, dir)
	if !errors.Is(err, errInjected) {
		t.Fatalf("got %v, want the injected failure", err)
	}
	if _, err := store.GetDatabase(ctx, "demo"); !errors.Is(err, catalog.ErrDatabaseNotFound) {
		t.Fatalf("a half-made demo database was left: %v", err)
	}
	if err := testdata.InstallDemo(ctx, store, dir); err != nil {
		t.Fatal(err)
	}
	tables, err := store.ListTables(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if got := tableNames(tables); !slices.Equal(got, []string{"customers", "events", "orders", "products"}) {
		t.Errorf("tables after the retry: %v", got)
	}
}

// TestInstallDemoNoTempFiles checks the atomic writes leave nothing behind.
func TestInstallDemoNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	if err := testdata.InstallDemo(context.Background(), openCatalog(t), dir); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") {
			t.Errorf("left behind: %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDemoTablesNeedsAbsolutePath(t *testing.T) {
	if _, _, err := testdata.DemoTables("quarry-data/demo"); err == nil {
		t.Error("a relative folder was accepted")
	}
}

func columnList(cols []catalog.Column) string {
	var parts []string
	for _, c := range cols {
		parts = append(parts, c.Name+" "+c.Type)
	}
	return strings.Join(parts, ", ")
}

func tableNames(ts []catalog.Table) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}
