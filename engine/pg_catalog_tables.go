package engine

import (
	"context"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/function"
)

// The pg_catalog relations psql, the drivers and BI tools read beyond the core ones
// (system_tables.go), with PostgreSQL 15's columns in its order (checked against
// testdata/pg15_catalog_columns.txt) and its OIDs. Those Quarry has nothing for (indexes'
// definitions, defaults, inheritance, policies, publications, extensions, ...) are empty:
// a query over them must bind and run, and finds no rows, as on a PostgreSQL database that
// uses none of those features. The built-in rows of pg_am, pg_collation, pg_tablespace and
// pg_language are PostgreSQL 15's.

// systemTables is every system table: the core ones, then these. A table's position only
// matters to views without an OID of their own (system_catalog.go), so new ones go last.
var systemTables = concatTables(coreSystemTables, pgCatalogTables, jdbcSystemTables /* jdbc: pg_jdbc.go */, tableFunctionTables)

func concatTables(lists ...[]*sysTable) []*sysTable {
	var out []*sysTable
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// tableFunctionTables serve the set-returning functions of several columns (see
// planner/table_functions.go); they are hidden from pg_class.
var tableFunctionTables = []*sysTable{
	{schema: pgCatalogSchema, name: "pg_get_keywords", oid: 1686, kind: "v", hidden: true, cols: cols(
		"word string", "catcode string", "barelabel boolean", "catdesc string", "baredesc string"), rows: keywordRows},
}

func keywordRows(context.Context, *catalogSnapshot) ([][]any, error) {
	kws := function.Keywords()
	out := make([][]any, len(kws))
	for i, k := range kws {
		out[i] = []any{k.Word, k.CatCode, k.BareLabel, k.CatDesc, k.BareDesc}
	}
	return out, nil
}

var pgCatalogTables = []*sysTable{
	{schema: pgCatalogSchema, name: "pg_am", oid: 2601, kind: "r", cols: cols(
		"oid oid", "amname string", "amhandler regproc", "amtype string"), rows: amRows},
	{schema: pgCatalogSchema, name: "pg_attrdef", oid: 2604, kind: "r", cols: cols(
		"oid oid", "adrelid oid", "adnum smallint", "adbin string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_auth_members", oid: 1261, kind: "r", cols: cols(
		"roleid oid", "member oid", "grantor oid", "admin_option boolean"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_cast", oid: 2605, kind: "r", cols: cols(
		"oid oid", "castsource oid", "casttarget oid", "castfunc oid", "castcontext string",
		"castmethod string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_collation", oid: 3456, kind: "r", cols: cols(
		"oid oid", "collname string", "collnamespace oid", "collowner oid", "collprovider string",
		"collisdeterministic boolean", "collencoding int", "collcollate string null",
		"collctype string null", "colliculocale string null", "collversion string null"), rows: collationRows},
	{schema: pgCatalogSchema, name: "pg_depend", oid: 2608, kind: "r", cols: cols(
		"classid oid", "objid oid", "objsubid int", "refclassid oid", "refobjid oid", "refobjsubid int",
		"deptype string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_enum", oid: 3501, kind: "r", cols: cols(
		"oid oid", "enumtypid oid", "enumsortorder float", "enumlabel string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_extension", oid: 3079, kind: "r", cols: cols(
		"oid oid", "extname string", "extowner oid", "extnamespace oid", "extrelocatable boolean",
		"extversion string", "extconfig array<oid> null", "extcondition array<string> null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_foreign_table", oid: 3118, kind: "r", cols: cols(
		"ftrelid oid", "ftserver oid", "ftoptions array<string> null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_indexes", oid: 12043, kind: "v", cols: cols(
		"schemaname string null", "tablename string null", "indexname string null",
		"tablespace string null", "indexdef string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_inherits", oid: 2611, kind: "r", cols: cols(
		"inhrelid oid", "inhparent oid", "inhseqno int", "inhdetachpending boolean"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_language", oid: 2612, kind: "r", cols: cols(
		"oid oid", "lanname string", "lanowner oid", "lanispl boolean", "lanpltrusted boolean",
		"lanplcallfoid oid", "laninline oid", "lanvalidator oid", "lanacl array<string> null"), rows: languageRows},
	{schema: pgCatalogSchema, name: "pg_matviews", oid: 12038, kind: "v", cols: cols(
		"schemaname string null", "matviewname string null", "matviewowner string null",
		"tablespace string null", "hasindexes boolean null", "ispopulated boolean null",
		"definition string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_operator", oid: 2617, kind: "r", cols: cols(
		"oid oid", "oprname string", "oprnamespace oid", "oprowner oid", "oprkind string",
		"oprcanmerge boolean", "oprcanhash boolean", "oprleft oid", "oprright oid", "oprresult oid",
		"oprcom oid", "oprnegate oid", "oprcode regproc", "oprrest regproc", "oprjoin regproc"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_policy", oid: 3256, kind: "r", cols: cols(
		"oid oid", "polname string", "polrelid oid", "polcmd string", "polpermissive boolean",
		"polroles array<oid>", "polqual string null", "polwithcheck string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_publication", oid: 6104, kind: "r", cols: cols(
		"oid oid", "pubname string", "pubowner oid", "puballtables boolean", "pubinsert boolean",
		"pubupdate boolean", "pubdelete boolean", "pubtruncate boolean", "pubviaroot boolean"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_publication_namespace", oid: 6237, kind: "r", cols: cols(
		"oid oid", "pnpubid oid", "pnnspid oid"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_publication_rel", oid: 6106, kind: "r", cols: cols(
		"oid oid", "prpubid oid", "prrelid oid", "prqual string null", "prattrs array<smallint> null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_range", oid: 3541, kind: "r", cols: cols(
		"rngtypid oid", "rngsubtype oid", "rngmultitypid oid", "rngcollation oid", "rngsubopc oid",
		"rngcanonical regproc", "rngsubdiff regproc"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_rewrite", oid: 2618, kind: "r", cols: cols(
		"oid oid", "rulename string", "ev_class oid", "ev_type string", "ev_enabled string",
		"is_instead boolean", "ev_qual string", "ev_action string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_sequence", oid: 2224, kind: "r", cols: cols(
		"seqrelid oid", "seqtypid oid", "seqstart bigint", "seqincrement bigint", "seqmax bigint",
		"seqmin bigint", "seqcache bigint", "seqcycle boolean"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_shdescription", oid: 2396, kind: "r", cols: cols(
		"objoid oid", "classoid oid", "description string"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_stat_activity", oid: 12222, kind: "v", cols: cols(
		"datid oid null", "datname string null", "pid int null", "leader_pid int null",
		"usesysid oid null", "usename string null", "application_name string null",
		"client_addr string null", "client_hostname string null", "client_port int null",
		"backend_start timestamptz null", "xact_start timestamptz null", "query_start timestamptz null",
		"state_change timestamptz null", "wait_event_type string null", "wait_event string null",
		"state string null", "backend_xid bigint null", "backend_xmin bigint null",
		"query_id bigint null", "query string null", "backend_type string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_stat_user_tables", oid: 12161, kind: "v", cols: cols(
		"relid oid null", "schemaname string null", "relname string null", "seq_scan bigint null",
		"seq_tup_read bigint null", "idx_scan bigint null", "idx_tup_fetch bigint null",
		"n_tup_ins bigint null", "n_tup_upd bigint null", "n_tup_del bigint null",
		"n_tup_hot_upd bigint null", "n_live_tup bigint null", "n_dead_tup bigint null",
		"n_mod_since_analyze bigint null", "n_ins_since_vacuum bigint null",
		"last_vacuum timestamptz null", "last_autovacuum timestamptz null",
		"last_analyze timestamptz null", "last_autoanalyze timestamptz null",
		"vacuum_count bigint null", "autovacuum_count bigint null", "analyze_count bigint null",
		"autoanalyze_count bigint null"), rows: statUserTablesRows},
	{schema: pgCatalogSchema, name: "pg_statistic_ext", oid: 3381, kind: "r", cols: cols(
		"oid oid", "stxrelid oid", "stxname string", "stxnamespace oid", "stxowner oid",
		"stxstattarget int", "stxkeys string", "stxkind array<string>", "stxexprs string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_tables", oid: 12033, kind: "v", cols: cols(
		"schemaname string null", "tablename string null", "tableowner string null",
		"tablespace string null", "hasindexes boolean null", "hasrules boolean null",
		"hastriggers boolean null", "rowsecurity boolean null"), rows: pgTablesRows},
	{schema: pgCatalogSchema, name: "pg_tablespace", oid: 1213, kind: "r", cols: cols(
		"oid oid", "spcname string", "spcowner oid", "spcacl array<string> null",
		"spcoptions array<string> null"), rows: tablespaceRows},
	{schema: pgCatalogSchema, name: "pg_trigger", oid: 2620, kind: "r", cols: cols(
		"oid oid", "tgrelid oid", "tgparentid oid", "tgname string", "tgfoid oid", "tgtype smallint",
		"tgenabled string", "tgisinternal boolean", "tgconstrrelid oid", "tgconstrindid oid",
		"tgconstraint oid", "tgdeferrable boolean", "tginitdeferred boolean", "tgnargs smallint",
		"tgattr string", "tgargs bytea", "tgqual string null", "tgoldtable string null",
		"tgnewtable string null"), rows: noRows},
	{schema: pgCatalogSchema, name: "pg_views", oid: 12028, kind: "v", cols: cols(
		"schemaname string null", "viewname string null", "viewowner string null",
		"definition string null"), rows: pgViewsRows},
}

func amRows(context.Context, *catalogSnapshot) ([][]any, error) {
	// amhandler is 0 ('-'): the handler functions are not in Quarry's pg_proc.
	return [][]any{
		{int64(2), "heap", int64(0), "t"}, {int64(403), "btree", int64(0), "i"},
		{int64(405), "hash", int64(0), "i"}, {int64(783), "gist", int64(0), "i"},
		{int64(2742), "gin", int64(0), "i"}, {int64(4000), "spgist", int64(0), "i"},
		{int64(3580), "brin", int64(0), "i"},
	}, nil
}

func collationRows(context.Context, *catalogSnapshot) ([][]any, error) {
	return [][]any{
		{int64(100), "default", int64(oidPgCatalog), int64(oidBootstrapUser), "d", true, int32(-1), nil, nil, nil, nil},
		{int64(950), "C", int64(oidPgCatalog), int64(oidBootstrapUser), "c", true, int32(-1), "C", "C", nil, nil},
		{int64(951), "POSIX", int64(oidPgCatalog), int64(oidBootstrapUser), "c", true, int32(-1), "POSIX", "POSIX", nil, nil},
	}, nil
}

func tablespaceRows(context.Context, *catalogSnapshot) ([][]any, error) {
	return [][]any{
		{int64(1663), "pg_default", int64(oidBootstrapUser), nil, nil},
		{int64(1664), "pg_global", int64(oidBootstrapUser), nil, nil},
	}, nil
}

func languageRows(context.Context, *catalogSnapshot) ([][]any, error) {
	return [][]any{
		{int64(12), "internal", int64(oidBootstrapUser), false, false, int64(0), int64(0), int64(2246), nil},
		{int64(13), "c", int64(oidBootstrapUser), false, false, int64(0), int64(0), int64(2247), nil},
		{int64(14), "sql", int64(oidBootstrapUser), false, true, int64(0), int64(0), int64(2248), nil},
	}, nil
}

// tableOwner is a relation's owner name (the admin for system tables).
func tableOwner(r tableRow) string {
	if r.t.Owner == "" || r.system != nil {
		return "admin"
	}
	return r.t.Owner
}

func pgTablesRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		if relKind(r) != "r" {
			continue
		}
		out = append(out, []any{r.t.DatabaseName, r.t.Name, tableOwner(r), nil, false, false, false, false})
	}
	return out, nil
}

func pgViewsRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		if relKind(r) != "v" {
			continue
		}
		var def any
		if r.system == nil && r.t.TableType == catalog.VirtualView {
			def = r.t.ViewOriginalText
		}
		out = append(out, []any{r.t.DatabaseName, r.t.Name, tableOwner(r), def})
	}
	return out, nil
}

func statUserTablesRows(_ context.Context, s *catalogSnapshot) ([][]any, error) {
	var out [][]any
	for _, r := range s.tables {
		if r.system != nil || relKind(r) != "r" {
			continue
		}
		zero := int64(0)
		out = append(out, []any{r.oid, r.t.DatabaseName, r.t.Name, zero, zero, nil, nil, zero, zero, zero, zero,
			zero, zero, zero, zero, nil, nil, nil, nil, zero, zero, zero, zero})
	}
	return out, nil
}
