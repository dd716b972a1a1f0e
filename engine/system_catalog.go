package engine

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"

	"github.com/quarrydb/quarry/catalog"
)

// Quarry's pg_catalog and information_schema are derived from the Glue catalog at query time:
// a Glue database is a PostgreSQL schema (pg_namespace), its tables and views are pg_class rows
// and their columns pg_attribute rows. They need no planner change: systemCatalog answers the
// binder's GetTable for the databases pg_catalog and information_schema with synthetic tables
// whose format is "system" (systemFormat, system_tables.go) and whose location is an object
// under mem://quarry-system/, so the ordinary scan lists one object per table and the format
// builds the rows from the live catalog when the query runs.
//
// OID scheme. Builtin objects keep PostgreSQL 15's OIDs: namespaces pg_catalog (11), public
// (2200), information_schema (13207; in PostgreSQL this one is assigned by initdb, 13207 is a
// stand-in in the same range), types (bool 16, int4 23, ...), the catalog tables (pg_class
// 1259, ...). System views without a fixed PostgreSQL OID get 12000 + their position in
// systemTables, a static list. User objects (Glue databases, tables, views, users) get
// 16384 + FNV-1a(kind, name) mod (2^31 - 16384): stable across restarts and across servers
// sharing a catalog, and unchanged when other objects come and go, which matters to clients
// (pgJDBC, DBeaver) that cache OIDs between queries. A hash collision is resolved by probing
// upwards, in catalog order (namespaces, then relations by database and name, then roles), when
// a query builds the rows; collisions are rare (about n^2/2^32 for n objects).
// OIDs stay below 2^31 so clients that read oid as a signed int4 see positive values.

const (
	systemClassification = "system"
	systemTableType      = "SYSTEM_VIEW"
	systemLocation       = "mem://quarry-system/"
	systemObject         = "rows" // the one object under each system table's location

	pgCatalogSchema  = "pg_catalog"
	infoSchema       = "information_schema"
	oidPgCatalog     = 11
	oidPublic        = 2200
	oidInfoSchema    = 13207
	oidBootstrapUser = 10 // PostgreSQL's bootstrap superuser; Quarry's admin
	firstUserOID     = 16384
	systemViewOID    = 12000
)

// sysColumn is a column of a system table: its PostgreSQL name, the Hive type Quarry holds it
// in (PostgreSQL's oid, regproc and xid are bigint; name, "char" and the array and acl types
// are strings for now) and whether PostgreSQL allows NULL in it.
type sysColumn struct {
	name     string
	hive     string
	nullable bool
}

// sysTable is one system table: its schema, name, PostgreSQL OID (0: assigned from its
// position), relkind, columns in PostgreSQL 15's order, and the function building its rows.
type sysTable struct {
	schema string
	name   string
	oid    int64
	kind   string // "r" for catalog tables, "v" for views
	cols   []sysColumn
	rows   func(ctx context.Context, snap *catalogSnapshot) ([][]any, error)
	// hidden tables are the results of table functions (pg_get_keywords()): readable, but not
	// listed in pg_class and information_schema.
	hidden bool
}

// cols parses a compact column list: "name type" or "name type null", one per entry.
func cols(specs ...string) []sysColumn {
	out := make([]sysColumn, len(specs))
	for i, s := range specs {
		f := strings.Fields(s)
		out[i] = sysColumn{name: f[0], hive: f[1], nullable: len(f) > 2 && f[2] == "null"}
	}
	return out
}

// lookupSystemTable returns the system table db.name, if there is one.
func lookupSystemTable(db, name string) *sysTable {
	for _, t := range systemTables {
		if t.schema == db && t.name == name {
			return t
		}
	}
	return nil
}

// systemTableOID returns a system table's OID.
func systemTableOID(t *sysTable) int64 {
	if t.oid != 0 {
		return t.oid
	}
	for i, s := range systemTables {
		if s == t {
			return int64(systemViewOID + i)
		}
	}
	return 0
}

// hashOID is a user object's OID before collision probing.
func hashOID(kind, name string) int64 {
	h := fnv.New32a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return firstUserOID + int64(h.Sum32())%(1<<31-firstUserOID)
}

// catalogTable is the synthetic catalog.Table the binder scans for a system table.
func (t *sysTable) catalogTable() *catalog.Table {
	cs := make([]catalog.Column, len(t.cols))
	for i, c := range t.cols {
		cs[i] = catalog.Column{Name: c.name, Type: c.hive}
	}
	return &catalog.Table{
		DatabaseName: t.schema,
		Name:         t.name,
		Owner:        "admin",
		TableType:    systemTableType,
		Parameters:   map[string]string{"classification": systemClassification},
		StorageDescriptor: catalog.StorageDescriptor{
			Columns:  cs,
			Location: systemLocation + t.schema + "/" + t.name + "/",
		},
	}
}

// systemCatalog is the catalog the binder sees: the store, plus pg_catalog and
// information_schema. It answers only reads of tables; everything else goes to the store.
type systemCatalog struct {
	catalog.Store
	// defaultDB is the session's database for unqualified names. PostgreSQL searches
	// pg_catalog implicitly; Quarry does so after the default database, so a user's own table
	// named like a catalog table is not shadowed.
	defaultDB string
}

// GetTable returns a system table for pg_catalog and information_schema, else the store's.
func (c systemCatalog) GetTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	db, name = catalog.Normalize(db), catalog.Normalize(name)
	if db == pgCatalogSchema || db == infoSchema {
		if t := lookupSystemTable(db, name); t != nil {
			return t.catalogTable(), nil
		}
		return nil, catalog.ErrTableNotFound
	}
	t, err := c.Store.GetTable(ctx, db, name)
	if err != nil && db == c.defaultDB && (errors.Is(err, catalog.ErrTableNotFound) || errors.Is(err, catalog.ErrDatabaseNotFound)) {
		if st := lookupSystemTable(pgCatalogSchema, name); st != nil {
			return st.catalogTable(), nil
		}
	}
	return t, err
}

// catalogSnapshot is the catalog as one query's system-table scan sees it, with every object's
// OID assigned.
type catalogSnapshot struct {
	schemas []schemaRow
	tables  []tableRow
	users   []userRow
}

type schemaRow struct {
	name string
	oid  int64
	db   *catalog.Database // nil for the builtin schemas
}

type tableRow struct {
	t      *catalog.Table
	oid    int64
	nsOID  int64
	system *sysTable // set for pg_catalog and information_schema's own tables
}

type userRow struct {
	u   catalog.User
	oid int64
}

// snapshot reads the catalog and assigns OIDs.
func snapshot(ctx context.Context, store catalog.Store) (*catalogSnapshot, error) {
	dbs, err := store.ListDatabases(ctx)
	if err != nil {
		return nil, err
	}
	users, err := store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	snap := &catalogSnapshot{}
	used := map[int64]bool{}
	assign := func(kind, name string) int64 {
		o := hashOID(kind, name)
		for used[o] {
			o++
			if o >= 1<<31 {
				o = firstUserOID
			}
		}
		used[o] = true
		return o
	}
	// Builtin schemas first, then Glue databases in name order (ListDatabases sorts).
	builtin := []schemaRow{{name: pgCatalogSchema, oid: oidPgCatalog}, {name: infoSchema, oid: oidInfoSchema}}
	hasPublic := false
	for i := range dbs {
		if dbs[i].Name == "public" {
			hasPublic = true
		}
	}
	if !hasPublic {
		builtin = append(builtin, schemaRow{name: "public", oid: oidPublic})
	}
	snap.schemas = builtin
	nsOID := map[string]int64{pgCatalogSchema: oidPgCatalog, infoSchema: oidInfoSchema, "public": oidPublic}
	for i := range dbs {
		d := &dbs[i]
		o := int64(oidPublic)
		if d.Name != "public" {
			o = assign("namespace", d.Name)
		}
		nsOID[d.Name] = o
		snap.schemas = append(snap.schemas, schemaRow{name: d.Name, oid: o, db: d})
	}
	for _, st := range systemTables {
		if st.hidden {
			continue
		}
		snap.tables = append(snap.tables, tableRow{t: st.catalogTable(), oid: systemTableOID(st), nsOID: nsOID[st.schema], system: st})
	}
	for i := range dbs {
		ts, err := store.ListTables(ctx, dbs[i].Name)
		if err != nil {
			if errors.Is(err, catalog.ErrDatabaseNotFound) {
				continue // dropped while we listed
			}
			return nil, err
		}
		for j := range ts {
			t := &ts[j]
			snap.tables = append(snap.tables, tableRow{t: t, oid: assign("relation", t.DatabaseName+"."+t.Name), nsOID: nsOID[dbs[i].Name]})
		}
	}
	for _, u := range users {
		o := int64(oidBootstrapUser)
		if u.Name != "admin" {
			o = assign("role", u.Name)
		}
		snap.users = append(snap.users, userRow{u: u, oid: o})
	}
	return snap, nil
}

// ownerOID is the OID of a table's owner, or the bootstrap superuser's.
func (s *catalogSnapshot) ownerOID(name string) int64 {
	for _, u := range s.users {
		if u.u.Name == name {
			return u.oid
		}
	}
	return oidBootstrapUser
}
