package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/parquet"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Managed tables: CREATE TABLE in PostgreSQL's syntax, CREATE TABLE ... AS SELECT (ctas.go)
// and INSERT INTO (insert.go) make and fill tables whose files Quarry writes itself, as
// Parquet, under the warehouse (`<warehouse>/<db>/<table>/`, or the database's LOCATION).
// Such a table is a Glue table of type MANAGED_TABLE: DROP TABLE deletes its files. A CTAS
// given an external_location makes an EXTERNAL_TABLE there instead, whose files DROP keeps,
// as Athena's CTAS does.
//
// Constraints are recorded in the table's parameters, where Glue keeps whatever a table
// needs beyond the Hive model: NOT NULL (and PRIMARY KEY, which implies it) is enforced on
// every write; DEFAULT expressions fill the columns an INSERT leaves out. UNIQUE, PRIMARY
// KEY's uniqueness and FOREIGN KEY are accepted and not enforced, as Athena, Redshift and
// Snowflake treat them (informational constraints); CHECK is refused, since ignoring it
// would accept rows the user meant to reject.

// Table parameters Quarry keeps for managed tables.
const (
	paramNotNull       = "quarry.not_null"     // comma-separated columns that reject NULL
	paramDefault       = "quarry.default."     // + column: the DEFAULT expression's SQL
	paramCompression   = "parquet.compression" // the codec new files are written with
	notNullViolation   = "23502"               // SQLSTATE not_null_violation
	maxWritePartitions = 100                   // Athena's limit per CTAS/INSERT
)

// createManagedTable runs CREATE TABLE (PostgreSQL's syntax, no AS): a managed Parquet table
// with no files yet.
func (s *Session) createManagedTable(ctx context.Context, text string, cs *pg.CreateStmt) (*Result, error) {
	switch {
	case cs.Relation.Relpersistence == "t":
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "temporary tables are not supported")
	case len(cs.InhRelations) > 0:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "INHERITS is not supported")
	case cs.Partspec != nil:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "PARTITION BY is not supported; use CREATE TABLE ... WITH (partitioned_by = '...') AS SELECT")
	case cs.OfTypename != nil:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CREATE TABLE OF a type is not supported")
	}
	db, name, err := s.relName(cs.Relation)
	if err != nil {
		return nil, err
	}
	switch _, err := s.e.cfg.Catalog.GetTable(ctx, db, name); {
	case err == nil && cs.IfNotExists:
		return &Result{Tag: "CREATE TABLE", Notices: []string{fmt.Sprintf("relation %q already exists, skipping", name)}}, nil
	case err == nil:
		return nil, sqlerr.New(sqlerr.DuplicateTable, "relation %q already exists", name)
	case !errors.Is(err, catalog.ErrTableNotFound):
		return nil, err
	}
	opts, err := parseTableOptions(cs.Options)
	if err != nil {
		return nil, err
	}
	var (
		cols     []formats.Column
		notNull  = map[string]bool{}
		defaults = map[string]string{}
		seen     = map[string]bool{}
	)
	for _, el := range cs.TableElts {
		switch {
		case el.GetColumnDef() != nil:
			cd := el.GetColumnDef()
			col, err := s.columnDef(ctx, text, cd, notNull, defaults)
			if err != nil {
				return nil, err
			}
			if seen[col.Name] {
				return nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", col.Name)
			}
			seen[col.Name] = true
			cols = append(cols, col)
		case el.GetConstraint() != nil:
			c := el.GetConstraint()
			if err := tableConstraint(c, notNull); err != nil {
				return nil, err
			}
		case el.GetTableLikeClause() != nil:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CREATE TABLE ... LIKE is not supported")
		default:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "this CREATE TABLE element is not supported")
		}
	}
	for c := range notNull {
		if !seen[c] {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q named in key does not exist", c)
		}
	}
	var data, keys []formats.Column
	for _, c := range cols {
		if opts.isPartitionKey(c.Name) {
			keys = append(keys, c)
		} else {
			data = append(data, c)
		}
	}
	if keys, err = orderKeys(keys, opts.partitionedBy); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		// PostgreSQL allows zero-column tables; a Parquet file needs a column.
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "a table needs at least one column that is not a partition key")
	}
	if err := parquet.CheckWritable(data); err != nil {
		return nil, err
	}
	t, err := s.newWritableTable(ctx, db, name, data, keys, opts)
	if err != nil {
		return nil, err
	}
	if len(notNull) > 0 {
		t.Parameters[paramNotNull] = strings.Join(slices.Sorted(maps.Keys(notNull)), ",")
	}
	for c, d := range defaults {
		t.Parameters[paramDefault+c] = d
	}
	if err := s.checkEmptyLocation(ctx, t); err != nil {
		return nil, err
	}
	if err := s.e.cfg.Catalog.CreateTable(ctx, *t); err != nil {
		if cs.IfNotExists && errors.Is(err, catalog.ErrAlreadyExists) {
			return &Result{Tag: "CREATE TABLE", Notices: []string{fmt.Sprintf("relation %q already exists, skipping", name)}}, nil
		}
		return nil, err
	}
	return &Result{Tag: "CREATE TABLE"}, nil
}

// relName returns the database and table a RangeVar names, lower-cased as Glue keeps them.
func (s *Session) relName(rv *pg.RangeVar) (db, name string, err error) {
	if rv.Catalogname != "" && !strings.EqualFold(rv.Catalogname, s.database) {
		return "", "", sqlerr.New(sqlerr.FeatureNotSupported, "cross-database references are not implemented: %s.%s.%s", rv.Catalogname, rv.Schemaname, rv.Relname)
	}
	return s.db(rv.Schemaname), catalog.Normalize(rv.Relname), nil
}

// columnDef reads one column definition and its constraints.
func (s *Session) columnDef(ctx context.Context, text string, cd *pg.ColumnDef, notNull map[string]bool, defaults map[string]string) (formats.Column, error) {
	name := catalog.Normalize(cd.Colname)
	t, err := typeFromName(cd.TypeName)
	if err != nil {
		return formats.Column{}, err
	}
	if cd.Identity != "" || cd.Generated != "" {
		return formats.Column{}, sqlerr.New(sqlerr.FeatureNotSupported, "identity and generated columns are not supported")
	}
	col := formats.Column{Name: name, Type: t}
	if cd.IsNotNull {
		notNull[name] = true
	}
	var def *pg.Node
	if cd.RawDefault != nil {
		def = cd.RawDefault
	}
	for _, n := range cd.Constraints {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_PRIMARY:
			notNull[name] = true
		case pg.ConstrType_CONSTR_NULL, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_FOREIGN,
			pg.ConstrType_CONSTR_ATTR_DEFERRABLE, pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
			pg.ConstrType_CONSTR_ATTR_DEFERRED, pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
			// Informational: accepted, not enforced.
		case pg.ConstrType_CONSTR_DEFAULT:
			def = c.RawExpr
		case pg.ConstrType_CONSTR_CHECK:
			return formats.Column{}, sqlerr.New(sqlerr.FeatureNotSupported, "CHECK constraints are not supported").WithPosition(stmtPos(text, c.Location))
		default:
			return formats.Column{}, sqlerr.New(sqlerr.FeatureNotSupported, "%s constraints are not supported", strings.TrimPrefix(c.Contype.String(), "CONSTR_")).WithPosition(stmtPos(text, c.Location))
		}
	}
	if def != nil {
		sqlText, err := s.checkDefault(ctx, def, col)
		if err != nil {
			return formats.Column{}, err
		}
		defaults[name] = sqlText
	}
	return col, nil
}

// tableConstraint reads a table-level constraint: PRIMARY KEY makes its columns NOT NULL;
// UNIQUE and FOREIGN KEY are informational; CHECK and EXCLUDE are refused.
func tableConstraint(c *pg.Constraint, notNull map[string]bool) error {
	switch c.Contype {
	case pg.ConstrType_CONSTR_PRIMARY:
		for _, k := range c.Keys {
			notNull[catalog.Normalize(strVal(k))] = true
		}
	case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_FOREIGN:
	default:
		return sqlerr.New(sqlerr.FeatureNotSupported, "%s constraints are not supported", strings.TrimPrefix(c.Contype.String(), "CONSTR_"))
	}
	return nil
}

// typeFromName resolves a column's type name as the binder resolves a cast's
// (planner/expr_bind.go typeName): the last name part with its integer modifiers.
func typeFromName(tn *pg.TypeName) (types.T, error) {
	var ns []string
	for _, n := range tn.Names {
		ns = append(ns, strVal(n))
	}
	name := strings.ToLower(ns[len(ns)-1])
	var mods []int32
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil && c.GetIval() != nil {
			mods = append(mods, c.GetIval().Ival)
		}
	}
	switch name {
	case "serial", "serial2", "serial4", "serial8", "bigserial", "smallserial":
		return types.T{}, sqlerr.New(sqlerr.FeatureNotSupported, "%s columns are not supported: Quarry has no sequences", name)
	case "interval", "timestamp", "timestamptz", "time", "timetz":
		mods = nil // field masks and fractional-second precision: Quarry keeps microseconds
	}
	t, ok := types.FromName(name, mods)
	if !ok {
		return types.T{}, sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", name)
	}
	if t.Kind == types.Decimal && (t.Precision < 1 || t.Precision > types.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision) {
		return types.T{}, sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and %d", t.Precision, types.MaxDecimalPrecision)
	}
	for range tn.ArrayBounds {
		t = types.ArrayT(t)
	}
	return t, nil
}

// tableOptions are the WITH (...) options of CREATE TABLE and CTAS, as Athena names them.
type tableOptions struct {
	compression   string   // write_compression / parquet_compression
	location      string   // external_location (or location): an EXTERNAL_TABLE there
	partitionedBy []string // partition key columns, in order
}

func (o *tableOptions) isPartitionKey(col string) bool {
	for _, k := range o.partitionedBy {
		if k == col {
			return true
		}
	}
	return false
}

// parseTableOptions reads Athena's CTAS properties. Athena writes the list properties as
// ARRAY['a','b'], which PostgreSQL's grammar cannot read in WITH (...): Quarry takes a string
// of comma-separated names ('a, b') instead.
func parseTableOptions(defs []*pg.Node) (*tableOptions, error) {
	o := &tableOptions{}
	for _, n := range defs {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		val, err := defValue(d)
		if err != nil {
			return nil, err
		}
		switch key := strings.ToLower(d.Defname); key {
		case "format":
			if !strings.EqualFold(val, "parquet") {
				return nil, sqlerr.New(sqlerr.FeatureNotSupported, "writing %s tables is not supported yet (format = 'PARQUET' is)", strings.ToUpper(val))
			}
		case "table_type":
			if !strings.EqualFold(val, "hive") {
				return nil, sqlerr.New(sqlerr.FeatureNotSupported, "table_type %s is not supported (HIVE is)", strings.ToUpper(val))
			}
		case "write_compression", "parquet_compression", "compression":
			if err := parquet.CheckCompression(val); err != nil {
				return nil, err
			}
			o.compression = strings.ToUpper(val)
		case "external_location", "location":
			loc, err := objstore.Normalize(val)
			if err != nil {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "bad %s %q: %v", key, val, err)
			}
			o.location = strings.TrimSuffix(loc, "/") + "/"
		case "partitioned_by":
			for _, p := range strings.Split(val, ",") {
				p = catalog.Normalize(strings.Trim(strings.TrimSpace(p), `"`))
				if p == "" {
					return nil, sqlerr.New(sqlerr.InvalidParameterValue, "partitioned_by has an empty column name")
				}
				o.partitionedBy = append(o.partitionedBy, p)
			}
		default:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "table property %q is not supported (format, write_compression, external_location and partitioned_by are)", d.Defname)
		}
	}
	return o, nil
}

// defValue returns a WITH option's value as text.
func defValue(d *pg.DefElem) (string, error) {
	a := d.Arg
	switch {
	case a == nil:
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "table property %q needs a value", d.Defname)
	case a.GetString_() != nil:
		return a.GetString_().Sval, nil
	case a.GetInteger() != nil:
		return strconv.Itoa(int(a.GetInteger().Ival)), nil
	case a.GetFloat() != nil:
		return a.GetFloat().Fval, nil
	case a.GetTypeName() != nil: // an unquoted word: format = parquet
		tn := a.GetTypeName()
		return strVal(tn.Names[len(tn.Names)-1]), nil
	case a.GetList() != nil:
		var parts []string
		for _, it := range a.GetList().Items {
			parts = append(parts, strVal(it))
		}
		return strings.Join(parts, ","), nil
	}
	return "", sqlerr.New(sqlerr.InvalidParameterValue, "table property %q needs a string value", d.Defname)
}

// orderKeys puts partition key columns in partitioned_by order and checks that each named
// key is a column.
func orderKeys(keys []formats.Column, names []string) ([]formats.Column, error) {
	out := make([]formats.Column, 0, len(names))
	for _, n := range names {
		found := false
		for _, k := range keys {
			if k.Name == n {
				out = append(out, k)
				found = true
				break
			}
		}
		if !found {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "partition column %q is not a column of the table", n)
		}
	}
	for _, k := range out {
		switch k.Type.Kind {
		case types.Array, types.Map, types.Struct, types.Interval, types.Bytea, types.JSON:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "partition column %q cannot have type %s", k.Name, k.Type)
		}
	}
	return out, nil
}

// newWritableTable describes a table Quarry writes: Parquet, with the Glue classes Athena
// records, managed in the warehouse unless an external location was given.
func (s *Session) newWritableTable(ctx context.Context, db, name string, data, keys []formats.Column, opts *tableOptions) (*catalog.Table, error) {
	d, err := s.e.cfg.Catalog.GetDatabase(ctx, db)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	cls := formatClasses["parquet"]
	compression := opts.compression
	if compression == "" {
		compression = "ZSTD"
	}
	t := &catalog.Table{
		DatabaseName: db, Name: name, Owner: s.user.Name, TableType: catalog.ManagedTable,
		CreateTime: now, UpdateTime: now,
		Parameters: map[string]string{"classification": "parquet", paramCompression: compression},
		StorageDescriptor: catalog.StorageDescriptor{
			InputFormat: cls.in, OutputFormat: cls.out,
			SerdeInfo: catalog.SerDeInfo{SerializationLibrary: cls.serde, Parameters: map[string]string{"serialization.format": "1"}},
		},
	}
	switch {
	case opts.location != "":
		t.TableType = catalog.ExternalTable
		t.Parameters["EXTERNAL"] = "TRUE"
		t.StorageDescriptor.Location = opts.location
	case d.LocationURI != "":
		t.StorageDescriptor.Location = objstore.Join(d.LocationURI, name) + "/"
	default:
		if s.e.cfg.Warehouse == "" {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "this server has no warehouse for managed tables; give an external_location")
		}
		t.StorageDescriptor.Location = objstore.Join(s.e.cfg.Warehouse, db, name) + "/"
	}
	if _, _, err := s.e.cfg.Stores.Resolve(t.StorageDescriptor.Location); err != nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "%v", err)
	}
	for _, c := range data {
		t.StorageDescriptor.Columns = append(t.StorageDescriptor.Columns, catalog.Column{Name: c.Name, Type: catalogTypeName(c.Type)})
	}
	for _, c := range keys {
		t.PartitionKeys = append(t.PartitionKeys, catalog.Column{Name: c.Name, Type: catalogTypeName(c.Type)})
	}
	return t, nil
}

// catalogTypeName is the type name recorded in the catalog: the Hive name Glue and Athena
// use, unless it would lose the type (Hive has no time, timestamptz, json or uuid), in which
// case the PostgreSQL name, which types.Parse reads back exactly.
func catalogTypeName(t types.T) string {
	if t.Kind == types.Decimal && t.Precision == 0 {
		t.Precision = types.MaxDecimalPrecision
	}
	if back, err := types.Parse(t.HiveName()); err == nil && back.Equal(t) {
		return t.HiveName()
	}
	return t.PGName()
}

// checkEmptyLocation refuses to create a table over files already there: they would become
// its rows. Athena's CTAS refuses a non-empty external_location the same way.
func (s *Session) checkEmptyLocation(ctx context.Context, t *catalog.Table) error {
	store, loc, err := s.e.cfg.Stores.Resolve(t.StorageDescriptor.Location)
	if err != nil {
		return sqlerr.New(sqlerr.InvalidParameterValue, "%v", err)
	}
	objs, err := store.List(ctx, loc)
	if err != nil {
		return sqlerr.Wrap(err, sqlerr.IOError, "listing %s: %v", loc, err)
	}
	if len(objs) > 0 {
		return sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "the location %s of table %s.%s is not empty (%d files)", loc, t.DatabaseName, t.Name, len(objs)).
			WithHint("Remove the files first, or use CREATE EXTERNAL TABLE to query them.")
	}
	return nil
}

// deleteTableFiles removes every file under a table's location (a managed table's DROP and
// TRUNCATE). Partitions registered at locations outside it (ALTER TABLE ... ADD PARTITION
// ... LOCATION) keep their files: Quarry did not write them.
func (s *Session) deleteTableFiles(ctx context.Context, t *catalog.Table) error {
	store, loc, err := s.e.cfg.Stores.Resolve(t.StorageDescriptor.Location)
	if err != nil {
		return err
	}
	objs, err := store.List(ctx, strings.TrimSuffix(loc, "/")+"/")
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := store.Delete(ctx, o.Key); err != nil {
			return err
		}
	}
	return nil
}

// managedTable is a managed table remembered before a DROP, so that its files can be deleted
// after.
type managedTable struct {
	t *catalog.Table
}

// managedFiles returns the managed table db.name, or every managed table of db when name is
// "" (DROP SCHEMA ... CASCADE). Errors leave tables out: the DROP reports its own.
func (s *Session) managedFiles(ctx context.Context, db, name string) []managedTable {
	var tables []catalog.Table
	if name != "" {
		t, err := s.e.cfg.Catalog.GetTable(ctx, db, name)
		if err != nil {
			return nil
		}
		tables = []catalog.Table{*t}
	} else {
		var err error
		if tables, err = s.e.cfg.Catalog.ListTables(ctx, db); err != nil {
			return nil
		}
	}
	var out []managedTable
	for i := range tables {
		t := &tables[i]
		if t.TableType != catalog.ManagedTable {
			continue
		}
		out = append(out, managedTable{t: t})
	}
	return out
}

// deleteManagedFiles is DROP's hook (ddl.go): once the catalog entries are gone, managed
// tables' files go too. The catalog goes first so that no query plans a scan of files being
// deleted; a failure leaves orphan files, reported as a notice, never a half-dropped table.
func (s *Session) deleteManagedFiles(ctx context.Context, tables []managedTable) []string {
	var notices []string
	for _, m := range tables {
		if err := s.deleteTableFiles(ctx, m.t); err != nil {
			notices = append(notices, fmt.Sprintf("table %s.%s was dropped but some of its files were not deleted: %v", m.t.DatabaseName, m.t.Name, err))
		}
	}
	return notices
}

// truncate runs TRUNCATE on managed tables: their files and partitions go, the tables stay.
func (s *Session) truncate(ctx context.Context, ts *pg.TruncateStmt) (*Result, error) {
	var tables []*catalog.Table
	for _, n := range ts.Relations {
		rv := n.GetRangeVar()
		if rv == nil {
			continue
		}
		db, name, err := s.relName(rv)
		if err != nil {
			return nil, err
		}
		t, err := s.e.cfg.Catalog.GetTable(ctx, db, name)
		if err != nil {
			return nil, err
		}
		if t.TableType != catalog.ManagedTable {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "TRUNCATE of %s.%s is not supported: it is not a managed table (its files belong to someone else)", db, name)
		}
		tables = append(tables, t)
	}
	for _, t := range tables {
		parts, err := s.e.cfg.Catalog.ListPartitions(ctx, t.DatabaseName, t.Name)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			if err := s.e.cfg.Catalog.DropPartition(ctx, t.DatabaseName, t.Name, p.Values); err != nil {
				return nil, err
			}
		}
		if err := s.deleteTableFiles(ctx, t); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.IOError, "deleting the files of %s.%s: %v", t.DatabaseName, t.Name, err)
		}
	}
	return &Result{Tag: "TRUNCATE TABLE"}, nil
}

// stmtPos converts a pg_query byte location in text to PostgreSQL's 1-based character position
// (0 when unknown).
func stmtPos(text string, loc int32) int {
	if loc < 0 || int(loc) > len(text) {
		return 0
	}
	return len([]rune(text[:loc])) + 1
}

// notNullColumns returns the columns of a table that reject NULL.
func notNullColumns(t *catalog.Table) map[string]bool {
	out := map[string]bool{}
	for _, c := range strings.Split(t.Parameters[paramNotNull], ",") {
		if c != "" {
			out[c] = true
		}
	}
	return out
}
