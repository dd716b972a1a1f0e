package catalog

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/quarrydb/quarry/sqlerr"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// openTestStore opens a store on a fresh file whose clock starts at t0 and ticks a second per
// reading, so times in tests are exact.
func openTestStore(t *testing.T) *SQLiteStore {
	t.Helper()
	s := openAt(t, filepath.Join(t.TempDir(), "catalog.db"))
	clock := t0
	s.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	return s
}

func openAt(t *testing.T, path string) *SQLiteStore {
	t.Helper()
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sales builds a partitioned table; mixed-case names check normalization.
func sales(db, name string) Table {
	return Table{
		DatabaseName: db,
		Name:         name,
		TableType:    ExternalTable,
		StorageDescriptor: StorageDescriptor{
			Columns:      []Column{{Name: "Order_ID", Type: "bigint"}, {Name: "amount", Type: "decimal(15,2)"}},
			Location:     "s3://bucket/" + name + "/",
			InputFormat:  "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
			OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
			SerdeInfo:    SerDeInfo{SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
		},
		PartitionKeys: []Column{{Name: "DT", Type: "string"}, {Name: "region", Type: "string"}},
		Parameters:    map[string]string{"classification": "parquet"},
	}
}

func part(db, tbl string, values ...string) Partition {
	return Partition{DatabaseName: db, TableName: tbl, Values: values,
		StorageDescriptor: StorageDescriptor{Location: "s3://bucket/" + tbl + "/" + values[0] + "/"}}
}

func TestDatabases(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "Sales", Description: "orders", Parameters: map[string]string{"k": "v"}}))
	must(t, s.CreateDatabase(ctx, Database{Name: "analytics"}))
	must(t, s.CreateDatabase(ctx, Database{Name: "zeta", CreateTime: t0.Add(-time.Hour)}))

	got, err := s.GetDatabase(ctx, "SALES")
	must(t, err)
	want := Database{Name: "sales", Description: "orders", Parameters: map[string]string{"k": "v"}, CreateTime: t0.Add(time.Second)}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("GetDatabase = %+v, want %+v", *got, want)
	}
	list, err := s.ListDatabases(ctx)
	must(t, err)
	if names := dbNames(list); !slices.Equal(names, []string{"analytics", "sales", "zeta"}) {
		t.Errorf("ListDatabases = %v", names)
	}
	if !list[2].CreateTime.Equal(t0.Add(-time.Hour)) {
		t.Errorf("a given CreateTime was replaced: %v", list[2].CreateTime)
	}
	must(t, s.DropDatabase(ctx, "Analytics", false))
	list, err = s.ListDatabases(ctx)
	must(t, err)
	if names := dbNames(list); !slices.Equal(names, []string{"sales", "zeta"}) {
		t.Errorf("after drop, ListDatabases = %v", names)
	}
}

func TestTables(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateDatabase(ctx, Database{Name: "other"}))
	in := sales("Sales", "Orders")
	must(t, s.CreateTable(ctx, in))
	must(t, s.CreateTable(ctx, sales("sales", "customers")))
	must(t, s.CreateTable(ctx, sales("other", "orders"))) // same name, other database

	if in.StorageDescriptor.Columns[0].Name != "Order_ID" {
		t.Error("CreateTable changed the caller's columns")
	}
	got, err := s.GetTable(ctx, "SALES", "ORDERS")
	must(t, err)
	want := sales("sales", "orders")
	want.StorageDescriptor.Columns[0].Name = "order_id"
	want.PartitionKeys[0].Name = "dt"
	want.StorageDescriptor.Location = in.StorageDescriptor.Location // paths keep their case
	// The clock ticked once for each database first.
	want.CreateTime = t0.Add(3 * time.Second)
	want.UpdateTime = want.CreateTime
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("GetTable =\n%+v\nwant\n%+v", *got, want)
	}
	if got.Format() != "parquet" {
		t.Errorf("Format = %q", got.Format())
	}

	list, err := s.ListTables(ctx, "sales")
	must(t, err)
	if names := tableNames(list); !slices.Equal(names, []string{"customers", "orders"}) {
		t.Errorf("ListTables = %v", names)
	}

	upd := *got
	upd.Name = "Orders"
	upd.Description = "all orders"
	upd.CreateTime = time.Time{}
	upd.StorageDescriptor.Columns = append(upd.StorageDescriptor.Columns, Column{Name: "Note", Type: "string"})
	must(t, s.UpdateTable(ctx, upd))
	got2, err := s.GetTable(ctx, "sales", "orders")
	must(t, err)
	if got2.Description != "all orders" || len(got2.StorageDescriptor.Columns) != 3 || got2.StorageDescriptor.Columns[2].Name != "note" {
		t.Errorf("UpdateTable did not replace the definition: %+v", got2)
	}
	if !got2.CreateTime.Equal(got.CreateTime) || !got2.UpdateTime.After(got.UpdateTime) {
		t.Errorf("UpdateTable times: create %v (was %v), update %v (was %v)", got2.CreateTime, got.CreateTime, got2.UpdateTime, got.UpdateTime)
	}

	must(t, s.DropTable(ctx, "sales", "Customers"))
	list, err = s.ListTables(ctx, "sales")
	must(t, err)
	if names := tableNames(list); !slices.Equal(names, []string{"orders"}) {
		t.Errorf("after drop, ListTables = %v", names)
	}
	if list, err := s.ListTables(ctx, "other"); err != nil || len(list) != 1 {
		t.Errorf("other database's tables = %v, %v", tableNames(list), err)
	}
}

func TestPartitions(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateTable(ctx, sales("sales", "orders")))
	must(t, s.AddPartitions(ctx, nil))
	must(t, s.AddPartitions(ctx, []Partition{
		part("sales", "orders", "2024-01-02", "eu"),
		part("Sales", "ORDERS", "2024-01-01", "us"),
		part("sales", "orders", "2024-01-01", "eu"),
		part("sales", "orders", "2024-01-01", `e"u`), // JSON escaping must not disturb the order
		part("sales", "orders", "2024-01-01", "EU"),  // values are data: case is kept
	}))
	// Re-adding existing values replaces them.
	p := part("sales", "orders", "2024-01-02", "eu")
	p.StorageDescriptor.Location = "s3://elsewhere/"
	must(t, s.AddPartitions(ctx, []Partition{p}))

	list, err := s.ListPartitions(ctx, "SALES", "Orders")
	must(t, err)
	var got [][]string
	for _, p := range list {
		got = append(got, p.Values)
		if p.DatabaseName != "sales" || p.TableName != "orders" || p.CreateTime.IsZero() {
			t.Errorf("partition %v: db %q table %q created %v", p.Values, p.DatabaseName, p.TableName, p.CreateTime)
		}
	}
	want := [][]string{{"2024-01-01", "EU"}, {"2024-01-01", `e"u`}, {"2024-01-01", "eu"}, {"2024-01-01", "us"}, {"2024-01-02", "eu"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListPartitions values = %q, want %q", got, want)
	}
	if loc := list[4].StorageDescriptor.Location; loc != "s3://elsewhere/" {
		t.Errorf("AddPartitions did not replace: location %q", loc)
	}

	must(t, s.DropPartition(ctx, "sales", "orders", []string{"2024-01-01", "us"}))
	list, err = s.ListPartitions(ctx, "sales", "orders")
	must(t, err)
	if len(list) != 4 {
		t.Errorf("after DropPartition, %d partitions", len(list))
	}

	// A failing batch stores nothing.
	err = s.AddPartitions(ctx, []Partition{part("sales", "orders", "2025-01-01", "eu"), part("sales", "nope", "x", "y")})
	if !errors.Is(err, ErrTableNotFound) {
		t.Errorf("AddPartitions to a missing table: %v", err)
	}
	if list, _ := s.ListPartitions(ctx, "sales", "orders"); len(list) != 4 {
		t.Errorf("a failed AddPartitions left %d partitions, want 4", len(list))
	}
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	v1, err := NewSCRAMVerifier("one")
	must(t, err)
	v2, err := NewSCRAMVerifier("two")
	must(t, err)
	must(t, s.CreateUser(ctx, User{Name: "Bob", Verifier: v1}))
	must(t, s.CreateUser(ctx, User{Name: "alice", Superuser: true}))

	u, err := s.GetUser(ctx, "BOB")
	must(t, err)
	if u.Name != "bob" || u.Verifier != v1 || u.Superuser || !u.CreateTime.Equal(t0.Add(time.Second)) {
		t.Errorf("GetUser = %+v", u)
	}
	must(t, s.UpdateUser(ctx, User{Name: "bob", Verifier: v2, Superuser: true}))
	u, err = s.GetUser(ctx, "bob")
	must(t, err)
	if !CheckPassword(u.Verifier, "two") || !u.Superuser || !u.CreateTime.Equal(t0.Add(time.Second)) {
		t.Errorf("after UpdateUser, %+v", u)
	}
	list, err := s.ListUsers(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" {
		t.Errorf("ListUsers = %+v", list)
	}
}

// TestErrors checks every failure a user can cause: the sentinel is reachable with errors.Is,
// and the *sqlerr.Error with PostgreSQL's SQLSTATE and wording with errors.As.
func TestErrors(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateDatabase(ctx, Database{Name: "empty"}))
	must(t, s.CreateTable(ctx, sales("sales", "orders")))
	must(t, s.CreateTable(ctx, Table{DatabaseName: "sales", Name: "flat"}))
	must(t, s.CreateUser(ctx, User{Name: "bob"}))

	tests := []struct {
		name     string
		op       func() error
		sentinel error // nil when the error has no sentinel
		code     string
		msg      string
		hint     string
	}{
		{"get missing database", func() error { _, err := s.GetDatabase(ctx, "Nope"); return err },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"create existing database", func() error { return s.CreateDatabase(ctx, Database{Name: "SALES"}) },
			ErrAlreadyExists, "42P06", `schema "sales" already exists`, ""},
		{"drop missing database", func() error { return s.DropDatabase(ctx, "nope", true) },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"drop non-empty database", func() error { return s.DropDatabase(ctx, "sales", false) },
			ErrNotEmpty, "2BP01", "cannot drop schema sales because other objects depend on it", "Use DROP ... CASCADE to drop the dependent objects too."},
		{"create database without name", func() error { return s.CreateDatabase(ctx, Database{}) },
			nil, "42602", "database name must not be empty", ""},
		{"create table in missing database", func() error { return s.CreateTable(ctx, sales("nope", "t")) },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"create existing table", func() error { return s.CreateTable(ctx, sales("sales", "Orders")) },
			ErrAlreadyExists, "42P07", `relation "orders" already exists`, ""},
		{"create table without name", func() error { return s.CreateTable(ctx, Table{DatabaseName: "sales"}) },
			nil, "42602", "table name must not be empty", ""},
		{"get table of missing database", func() error { _, err := s.GetTable(ctx, "nope", "orders"); return err },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"get missing table", func() error { _, err := s.GetTable(ctx, "sales", "Nope"); return err },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"list tables of missing database", func() error { _, err := s.ListTables(ctx, "nope"); return err },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"update missing table", func() error { return s.UpdateTable(ctx, sales("sales", "nope")) },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"update table of missing database", func() error { return s.UpdateTable(ctx, sales("nope", "orders")) },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"drop missing table", func() error { return s.DropTable(ctx, "sales", "nope") },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"drop table of missing database", func() error { return s.DropTable(ctx, "nope", "orders") },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"add partition to missing table", func() error { return s.AddPartitions(ctx, []Partition{part("sales", "nope", "a", "b")}) },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"add partition with too few values", func() error { return s.AddPartitions(ctx, []Partition{part("sales", "orders", "a")}) },
			nil, "22023", `relation "sales.orders" has 2 partition keys, partition dt=a has 1 values`, ""},
		{"add partition to unpartitioned table", func() error { return s.AddPartitions(ctx, []Partition{part("sales", "flat", "a")}) },
			nil, "22023", `relation "sales.flat" is not partitioned`, ""},
		{"list partitions of missing table", func() error { _, err := s.ListPartitions(ctx, "sales", "nope"); return err },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"list partitions of missing database", func() error { _, err := s.ListPartitions(ctx, "nope", "t"); return err },
			ErrDatabaseNotFound, "3F000", `schema "nope" does not exist`, ""},
		{"drop missing partition", func() error { return s.DropPartition(ctx, "sales", "orders", []string{"2024", "eu"}) },
			ErrPartitionNotFound, "42704", `partition dt=2024/region=eu of relation "sales.orders" does not exist`, ""},
		{"drop partition of missing table", func() error { return s.DropPartition(ctx, "sales", "nope", []string{"a"}) },
			ErrTableNotFound, "42P01", `relation "sales.nope" does not exist`, ""},
		{"create existing user", func() error { return s.CreateUser(ctx, User{Name: "BOB"}) },
			ErrAlreadyExists, "42710", `role "bob" already exists`, ""},
		{"create user with bad verifier", func() error { return s.CreateUser(ctx, User{Name: "eve", Verifier: "md5abc"}) },
			ErrInvalidVerifier, "22023", `user "eve": invalid SCRAM-SHA-256 verifier: does not start with SCRAM-SHA-256$`, ""},
		{"create user without name", func() error { return s.CreateUser(ctx, User{}) },
			nil, "42602", "user name must not be empty", ""},
		{"get missing user", func() error { _, err := s.GetUser(ctx, "Nobody"); return err },
			ErrUserNotFound, "42704", `role "nobody" does not exist`, ""},
		{"update missing user", func() error { return s.UpdateUser(ctx, User{Name: "nobody"}) },
			ErrUserNotFound, "42704", `role "nobody" does not exist`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.op()
			if err == nil {
				t.Fatal("no error")
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.sentinel)
			}
			var se *sqlerr.Error
			if !errors.As(err, &se) {
				t.Fatalf("%v (%T) is not a *sqlerr.Error", err, err)
			}
			if se.Code != tc.code || se.Message != tc.msg || se.Hint != tc.hint {
				t.Errorf("got %s %q hint %q, want %s %q hint %q", se.Code, se.Message, se.Hint, tc.code, tc.msg, tc.hint)
			}
			if got := sqlerr.From(err); got.Code != tc.code || got.Message != err.Error() {
				t.Errorf("sqlerr.From = %s %q, err.Error() = %q", got.Code, got.Message, err.Error())
			}
		})
	}
	// The failures changed nothing.
	if list, _ := s.ListTables(ctx, "sales"); len(list) != 2 {
		t.Errorf("sales has %d tables after the failures, want 2", len(list))
	}
}

func TestDropDatabaseNotEmptyDetail(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "d"}))
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		must(t, s.CreateTable(ctx, Table{DatabaseName: "d", Name: n}))
	}
	var se *sqlerr.Error
	if !errors.As(s.DropDatabase(ctx, "d", false), &se) {
		t.Fatal("no sqlerr.Error")
	}
	want := "table d.a depends on schema d\ntable d.b depends on schema d\ntable d.c depends on schema d\n" +
		"table d.d depends on schema d\ntable d.e depends on schema d\ntable d.f depends on schema d\n" +
		"table d.g depends on schema d\ntable d.h depends on schema d\ntable d.i depends on schema d\n" +
		"table d.j depends on schema d\nand 2 other objects"
	if se.Detail != want {
		t.Errorf("detail =\n%s\nwant\n%s", se.Detail, want)
	}
}

func TestCascade(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateDatabase(ctx, Database{Name: "keep"}))
	for _, db := range []string{"sales", "keep"} {
		must(t, s.CreateTable(ctx, sales(db, "orders")))
		must(t, s.CreateTable(ctx, sales(db, "returns")))
		must(t, s.AddPartitions(ctx, []Partition{part(db, "orders", "1", "eu"), part(db, "orders", "2", "eu"), part(db, "returns", "1", "us")}))
	}

	// DropTable takes the table's partitions.
	must(t, s.DropTable(ctx, "sales", "returns"))
	if n := countRows(t, s, "partitions", "sales"); n != 2 {
		t.Errorf("after DropTable, %d partitions left in sales, want 2", n)
	}

	// DropDatabase with cascade takes tables and partitions, and nothing of other databases.
	must(t, s.DropDatabase(ctx, "sales", true))
	if n := countRows(t, s, "tables", "sales") + countRows(t, s, "partitions", "sales"); n != 0 {
		t.Errorf("after DropDatabase cascade, %d rows of sales left", n)
	}
	if n := countRows(t, s, "partitions", "keep"); n != 3 {
		t.Errorf("keep has %d partitions, want 3", n)
	}
	// A new database of the same name starts empty.
	must(t, s.CreateDatabase(ctx, Database{Name: "sales"}))
	must(t, s.CreateTable(ctx, sales("sales", "orders")))
	if list, _ := s.ListPartitions(ctx, "sales", "orders"); len(list) != 0 {
		t.Errorf("re-created table has %d partitions", len(list))
	}
}

// countRows looks under the Store API, so an orphan left by a broken cascade is seen even
// though no method would return it.
func countRows(t *testing.T, s *SQLiteStore, table, db string) int {
	t.Helper()
	var n int
	must(t, s.db.QueryRow(`SELECT count(*) FROM `+table+` WHERE db = ?`, db).Scan(&n))
	return n
}

func dbNames(list []Database) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.Name)
	}
	return out
}

func tableNames(list []Table) []string {
	var out []string
	for _, t := range list {
		out = append(out, t.Name)
	}
	return out
}
