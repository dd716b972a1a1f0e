package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/types"
)

// The system tables, with PostgreSQL 15's columns in its order. Rows are []any of int64
// (bigint), int32 (int), int16 (smallint), float32 (float), bool, string or nil: these
// tables hold one row per catalog object, so boxing here costs nothing next to the query.

var coreSystemTables = []*sysTable{
	{schema: pgCatalogSchema, name: "pg_namespace", oid: 2615, kind: "r", cols: cols(
		"oid oid", "nspname string", "nspowner oid", "nspacl array<string> null"), rows: namespaceRows},
	{schema: pgCatalogSchema, name: "pg_class", oid: 1259, kind: "r", cols: cols(
		"oid oid", "relname string", "relnamespace oid", "reltype oid", "reloftype oid",
		"relowner oid", "relam oid", "relfilenode oid", "reltablespace oid", "relpages int",
		"reltuples float", "relallvisible int", "reltoastrelid oid", "relhasindex boolean",
		"relisshared boolean", "relpersistence string", "relkind string", "relnatts smallint",
		"relchecks smallint", "relhasrules boolean", "relhastriggers boolean", "relhassubclass boolean",
		"relrowsecurity boolean", "relforcerowsecurity boolean", "relispopulated boolean",
		"relreplident string", "relispartition boolean", "relrewrite oid", "relfrozenxid bigint",
		"relminmxid bigint", "relacl array<string> null", "reloptions array<string> null", "relpartbound string null"), rows: classRows},
	{schema: pgCatalogSchema, name: "pg_attribute", oid: 1249, kind: "r", cols: cols(
		"attrelid oid", "attname string", "atttypid oid", "attstattarget int", "attlen smallint",
		"attnum smallint", "attndims int", "attcacheoff int", "atttypmod int", "attbyval boolean",
		"attalign string", "attstorage string", "attcompression string", "attnotnull boolean",
		"atthasdef boolean", "atthasmissing boolean", "attidentity string", "attgenerated string",
		"attisdropped boolean", "attislocal boolean", "attinhcount int", "attcollation oid",
		"attacl array<string> null", "attoptions array<string> null", "attfdwoptions array<string> null", "attmissingval string null"), rows: attributeRows},
	{schema: pgCatalogSchema, name: "pg_type", oid: 1247, kind: "r", cols: cols(
		"oid oid", "typname string", "typnamespace oid", "typowner oid", "typlen smallint",
		"typbyval boolean", "typtype string", "typcategory string", "typispreferred boolean",
		"typisdefined boolean", "typdelim string", "typrelid oid", "typsubscript regproc",
		"typelem oid", "typarray oid", "typinput regproc", "typoutput regproc", "typreceive regproc",
		"typsend regproc", "typmodin regproc", "typmodout regproc", "typanalyze regproc", "typalign string",
		"typstorage string", "typnotnull boolean", "typbasetype oid", "typtypmod int", "typndims int",
		"typcollation oid", "typdefaultbin string null", "typdefault string null", "typacl array<string> null"), rows: typeRows},
	{schema: pgCatalogSchema, name: "pg_database", oid: 1262, kind: "r", cols: cols(
		"oid oid", "datname string", "datdba oid", "encoding int", "datlocprovider string",
		"datistemplate boolean", "datallowconn boolean", "datconnlimit int", "datfrozenxid bigint",
		"datminmxid bigint", "dattablespace oid", "datcollate string", "datctype string",
		"daticulocale string null", "datcollversion string null", "datacl array<string> null"), rows: databaseRows},
	{schema: pgCatalogSchema, name: "pg_roles", kind: "v", cols: cols(
		"rolname string", "rolsuper boolean", "rolinherit boolean", "rolcreaterole boolean",
		"rolcreatedb boolean", "rolcanlogin boolean", "rolreplication boolean", "rolconnlimit int",
		"rolpassword string null", "rolvaliduntil timestamptz null", "rolbypassrls boolean",
		"rolconfig array<string> null", "oid oid"), rows: roleRows},
	{schema: pgCatalogSchema, name: "pg_user", kind: "v", cols: cols(
		"usename string", "usesysid oid", "usecreatedb boolean", "usesuper boolean", "userepl boolean",
		"usebypassrls boolean", "passwd string null", "valuntil timestamptz null", "useconfig array<string> null"), rows: userRows},
	{schema: pgCatalogSchema, name: "pg_settings", kind: "v", cols: cols(
		"name string", "setting string", "unit string null", "category string", "short_desc string",
		"extra_desc string null", "context string", "vartype string", "source string", "min_val string null",
		"max_val string null", "enumvals array<string> null", "boot_val string null", "reset_val string null",
		"sourcefile string null", "sourceline int null", "pending_restart boolean"), rows: settingRows},
	{schema: pgCatalogSchema, name: "pg_description", oid: 2609, kind: "r", cols: cols(
		"objoid oid", "classoid oid", "objsubid int", "description string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_proc", oid: 1255, kind: "r", cols: cols(
		"oid oid", "proname string", "pronamespace oid", "proowner oid", "prolang oid",
		"procost float", "prorows float", "provariadic oid", "prosupport regproc", "prokind string",
		"prosecdef boolean", "proleakproof boolean", "proisstrict boolean", "proretset boolean",
		"provolatile string", "proparallel string", "pronargs smallint", "pronargdefaults smallint",
		"prorettype oid", "proargtypes string", "proallargtypes array<oid> null", "proargmodes array<string> null",
		"proargnames array<string> null", "proargdefaults string null", "protrftypes array<oid> null", "prosrc string",
		"probin string null", "prosqlbody string null", "proconfig array<string> null", "proacl array<string> null"), rows: procRows},
	{schema: pgCatalogSchema, name: "pg_index", oid: 2610, kind: "r", cols: cols(
		"indexrelid oid", "indrelid oid", "indnatts smallint", "indnkeyatts smallint",
		"indisunique boolean", "indnullsnotdistinct boolean", "indisprimary boolean",
		"indisexclusion boolean", "indimmediate boolean", "indisclustered boolean", "indisvalid boolean",
		"indcheckxmin boolean", "indisready boolean", "indislive boolean", "indisreplident boolean",
		"indkey array<smallint>", "indcollation array<oid>", "indclass array<oid>", "indoption array<smallint>",
		"indexprs string null", "indpred string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_constraint", oid: 2606, kind: "r", cols: cols(
		"oid oid", "conname string", "connamespace oid", "contype string", "condeferrable boolean",
		"condeferred boolean", "convalidated boolean", "conrelid oid", "contypid oid",
		"conindid oid", "conparentid oid", "confrelid oid", "confupdtype string",
		"confdeltype string", "confmatchtype string", "conislocal boolean", "coninhcount int",
		"connoinherit boolean", "conkey array<smallint> null", "confkey array<smallint> null", "conpfeqop array<oid> null",
		"conppeqop array<oid> null", "conffeqop array<oid> null", "confdelsetcols array<smallint> null",
		"conexclop array<oid> null", "conbin string null"), rows: noRows},
	{schema: infoSchema, name: "schemata", kind: "v", cols: cols(
		"catalog_name string", "schema_name string", "schema_owner string",
		"default_character_set_catalog string null", "default_character_set_schema string null",
		"default_character_set_name string null", "sql_path string null"), rows: schemataRows},
	{schema: infoSchema, name: "tables", kind: "v", cols: cols(
		"table_catalog string", "table_schema string", "table_name string", "table_type string",
		"self_referencing_column_name string null", "reference_generation string null",
		"user_defined_type_catalog string null", "user_defined_type_schema string null",
		"user_defined_type_name string null", "is_insertable_into string", "is_typed string",
		"commit_action string null"), rows: infoTableRows},
	{schema: infoSchema, name: "columns", kind: "v", cols: cols(
		"table_catalog string", "table_schema string", "table_name string", "column_name string",
		"ordinal_position int", "column_default string null", "is_nullable string", "data_type string",
		"character_maximum_length int null", "character_octet_length int null", "numeric_precision int null",
		"numeric_precision_radix int null", "numeric_scale int null", "datetime_precision int null",
		"interval_type string null", "interval_precision int null", "character_set_catalog string null",
		"character_set_schema string null", "character_set_name string null", "collation_catalog string null",
		"collation_schema string null", "collation_name string null", "domain_catalog string null",
		"domain_schema string null", "domain_name string null", "udt_catalog string", "udt_schema string",
		"udt_name string", "scope_catalog string null", "scope_schema string null", "scope_name string null",
		"maximum_cardinality int null", "dtd_identifier string", "is_self_referencing string",
		"is_identity string", "identity_generation string null", "identity_start string null",
		"identity_increment string null", "identity_maximum string null", "identity_minimum string null",
		"identity_cycle string", "is_generated string", "generation_expression string null",
		"is_updatable string"), rows: infoColumnRows},
	{schema: infoSchema, name: "views", kind: "v", cols: cols(
		"table_catalog string", "table_schema string", "table_name string", "view_definition string null",
		"check_option string", "is_updatable string", "is_insertable_into string",
		"is_trigger_updatable string", "is_trigger_deletable string", "is_trigger_insertable_into string"), rows: infoViewRows},
}

func noRows(context.Context, *catalogSnapshot) ([][]any, error) { return nil, nil }

func namespaceRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.schemas))
	for _, ns := range s.schemas {
		out = append(out, []any{ns.oid, ns.name, int64(oidBootstrapUser), nil})
	}
	return out, nil
}

// relKind is a table's pg_class.relkind: views are 'v', everything else an ordinary table.
func relKind(r tableRow) string {
	if r.system != nil {
		return r.system.kind
	}
	if r.t.TableType == catalog.VirtualView {
		return "v"
	}
	return "r"
}

// clientColumns are a table's columns as clients see them: data columns, then partition keys,
// as Athena lists them.
func clientColumns(t *catalog.Table) []catalog.Column {
	out := append([]catalog.Column{}, t.StorageDescriptor.Columns...)
	return append(out, t.PartitionKeys...)
}

func classRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.tables))
	for _, r := range s.tables {
		out = append(out, []any{r.oid, r.t.Name, r.nsOID, int64(0), int64(0),
			s.ownerOID(r.t.Owner), int64(0), int64(0), int64(0), int32(0),
			float32(-1), int32(0), int64(0), false,
			false, "p", relKind(r), int16(len(clientColumns(r.t))),
			int16(0), relKind(r) == "v", false, false,
			false, false, true,
			"d", false, int64(0), int64(0),
			int64(0), nil, nil, nil})
	}
	return out, nil
}

// columnType is a catalog column's SQL type; an unreadable type shows as text.
func columnType(c catalog.Column) types.T {
	t, err := c.SQLType()
	if err != nil {
		return types.VarcharT
	}
	return t
}

func attributeRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		for i, c := range clientColumns(r.t) {
			t := columnType(c)
			bt := builtinType(t.OID())
			notNull := false
			if r.system != nil && i < len(r.system.cols) {
				notNull = !r.system.cols[i].nullable
			}
			ndims := int32(0)
			if t.Kind == types.Array {
				ndims = 1
			}
			out = append(out, []any{r.oid, strings.ToLower(c.Name), int64(bt.oid), int32(-1), bt.len,
				int16(i + 1), ndims, int32(-1), t.Typmod(), bt.byval,
				bt.align, bt.storage, "", notNull,
				false, false, "", "",
				false, true, int32(0), bt.collation,
				nil, nil, nil, nil})
		}
	}
	return out, nil
}

func databaseRows(context.Context, *catalogSnapshot) ([][]any, error) {
	// One database: the data catalog clients connect to. 16384 is the OID PostgreSQL gives
	// the first database created after initdb.
	return [][]any{{int64(firstUserOID), DefaultCatalog, int64(oidBootstrapUser), int32(6), "c",
		false, true, int32(-1), int64(0),
		int64(1), int64(1663), "C.UTF-8", "C.UTF-8",
		nil, nil, nil}}, nil
}

func roleRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.users))
	for _, u := range s.users {
		su := u.u.Superuser
		out = append(out, []any{u.u.Name, su, true, su, su, true, false, int32(-1),
			"********", nil, su, nil, u.oid})
	}
	return out, nil
}

func userRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.users))
	for _, u := range s.users {
		su := u.u.Superuser
		out = append(out, []any{u.u.Name, u.oid, su, su, false, su, "********", nil, nil})
	}
	return out, nil
}

func settingRows(context.Context, *catalogSnapshot) ([][]any, error) {
	// A few read-only settings clients look up here; per-session values are SHOW's.
	set := func(name, setting, category, desc, vartype string) []any {
		return []any{name, setting, nil, category, desc, nil, "internal", vartype, "default",
			nil, nil, nil, setting, setting, nil, nil, false}
	}
	return [][]any{
		set("max_identifier_length", "63", "Preset Options", "Shows the maximum identifier length.", "integer"),
		// pgJDBC's getPrimaryKeys and getIndexInfo read it and fail without it.
		set("max_index_keys", "32", "Preset Options", "Shows the maximum number of index keys.", "integer"),
		set("server_encoding", "UTF8", "Preset Options", "Shows the server (database) character set encoding.", "string"),
		set("server_version", ServerVersion, "Preset Options", "Shows the server version.", "string"),
		set("server_version_num", serverVersionNum(), "Preset Options", "Shows the server version as an integer.", "integer"),
		set("standard_conforming_strings", "on", "Version and Platform Compatibility", "Causes '...' strings to treat backslashes literally.", "bool"),
	}, nil
}

// serverVersionNum is ServerVersion as server_version_num spells it (15.18 is 150018).
func serverVersionNum() string {
	major, minor, _ := strings.Cut(ServerVersion, ".")
	for len(minor) < 4 {
		minor = "0" + minor
	}
	return major + minor
}

func schemataRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.schemas))
	for _, ns := range s.schemas {
		out = append(out, []any{DefaultCatalog, ns.name, "admin", nil, nil, nil, nil})
	}
	return out, nil
}

func infoTableRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	out := make([][]any, 0, len(s.tables))
	for _, r := range s.tables {
		typ, insertable := "BASE TABLE", "YES"
		if relKind(r) == "v" {
			typ, insertable = "VIEW", "NO"
		}
		if r.system != nil {
			insertable = "NO"
		}
		out = append(out, []any{DefaultCatalog, r.t.DatabaseName, r.t.Name, typ, nil, nil, nil, nil, nil, insertable, "NO", nil})
	}
	return out, nil
}

func infoColumnRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		for i, c := range clientColumns(r.t) {
			t := columnType(c)
			bt := builtinType(t.OID())
			nullable := "YES"
			if r.system != nil && i < len(r.system.cols) && !r.system.cols[i].nullable {
				nullable = "NO"
			}
			row := []any{DefaultCatalog, r.t.DatabaseName, r.t.Name, strings.ToLower(c.Name),
				int32(i + 1), nil, nullable, dataType(t)}
			row = append(row, typeFacets(t)...)
			row = append(row, nil, nil, nil, nil, nil, nil, nil, nil, nil, // character set, collation, domain
				DefaultCatalog, pgCatalogSchema, bt.name, nil, nil, nil,
				nil, strconv.Itoa(i+1), "NO", "NO", nil, nil, nil, nil, nil, "NO", "NEVER", nil, "NO")
			out = append(out, row)
		}
	}
	return out, nil
}

func infoViewRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		if r.system != nil || r.t.TableType != catalog.VirtualView {
			continue
		}
		def := r.t.ViewOriginalText
		out = append(out, []any{DefaultCatalog, r.t.DatabaseName, r.t.Name, def, "NONE", "NO", "NO", "NO", "NO", "NO"})
	}
	return out, nil
}

// dataType is information_schema.columns.data_type: the type's name without modifiers, and
// ARRAY for arrays, as PostgreSQL prints them.
func dataType(t types.T) string {
	switch t.Kind {
	case types.Array:
		return "ARRAY"
	case types.Decimal:
		return "numeric"
	case types.Varchar:
		if t.Precision > 0 {
			return "character varying"
		}
		return "text"
	case types.Map, types.Struct:
		return "json"
	}
	return t.PGName()
}

// typeFacets are information_schema.columns' character_maximum_length through
// interval_precision.
func typeFacets(t types.T) []any {
	f := []any{nil, nil, nil, nil, nil, nil, nil, nil} // char max, octet, num prec, radix, scale, dt prec, interval type, interval prec
	switch t.Kind {
	case types.Varchar:
		if t.Precision > 0 {
			f[0], f[1] = t.Precision, 4*t.Precision
		} else {
			f[1] = int32(1 << 30)
		}
	case types.Int16:
		f[2], f[3], f[4] = int32(16), int32(2), int32(0)
	case types.Int32:
		f[2], f[3], f[4] = int32(32), int32(2), int32(0)
	case types.Int64:
		f[2], f[3], f[4] = int32(64), int32(2), int32(0)
	case types.Float32:
		f[2], f[3] = int32(24), int32(2)
	case types.Float64:
		f[2], f[3] = int32(53), int32(2)
	case types.Decimal:
		f[3] = int32(10)
		if t.Precision > 0 {
			f[2], f[4] = t.Precision, t.Scale
		}
	case types.Date:
		f[5] = int32(0)
	case types.Time, types.Timestamp, types.TimestampTZ, types.Interval:
		f[5] = int32(6)
	}
	return f
}
