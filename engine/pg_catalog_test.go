package engine

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// TestPGCatalogColumnsMatchPG15 compares every pg_catalog table's column list with
// PostgreSQL 15's, recorded from the reference server in testdata/pg15_catalog_columns.txt,
// and their NOT NULL flags for catalog tables (views have none in PostgreSQL).
func TestPGCatalogColumnsMatchPG15(t *testing.T) {
	f, err := os.Open("testdata/pg15_catalog_columns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pg := map[string][]string{}
	notNull := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		fs := strings.Fields(line)
		pg[fs[0]] = append(pg[fs[0]], fs[1])
		notNull[fs[0]+"."+fs[1]] = fs[3] == "notnull"
	}
	checked := 0
	for _, st := range systemTables {
		want, ok := pg[st.name]
		if st.schema != pgCatalogSchema || !ok {
			continue
		}
		checked++
		var got []string
		for _, c := range st.cols {
			got = append(got, c.name)
			if st.kind == "r" && notNull[st.name+"."+c.name] == c.nullable {
				t.Errorf("%s.%s: nullable %v, PostgreSQL's NOT NULL %v", st.name, c.name, c.nullable, notNull[st.name+"."+c.name])
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s columns:\n got %s\nwant %s", st.name, strings.Join(got, ","), strings.Join(want, ","))
		}
	}
	if checked < 35 {
		t.Errorf("only %d pg_catalog tables checked", checked)
	}
}

// TestPGCatalogFunctions runs the session, reg* and catalog functions through the engine.
func TestPGCatalogFunctions(t *testing.T) {
	s := systemSession(t)
	tests := []struct{ query, want string }{
		{"SELECT current_user, session_user, current_database(), current_catalog, current_schema()", "admin|admin|quarry|quarry|default"},
		{"SELECT (current_schemas(true))[2], array_upper(current_schemas(false), 1)", "pg_catalog|1"},
		{"SELECT current_setting('TimeZone'), current_setting('nope', true) IS NULL", "UTC|true"},
		{"SELECT set_config('application_name', 'x', false), current_setting('application_name')", "x|x"},
		{"SELECT 'pg_class'::regclass::oid, 'pg_catalog.pg_type'::regclass::oid, 'mydb.t'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 't')", "1259|1247|true"},
		{"SELECT 'mydb.t'::regclass::text, 1034::regtype::text, 'int4'::regtype::oid, 'character varying'::regtype::oid", "mydb.t|aclitem[]|23|1043"},
		{"SELECT 'array_in'::regproc::oid, 750::regproc::text, 0::regclass::text", "750|array_in|-"},
		{"SELECT 'pg_catalog'::regnamespace::oid, 10::regrole::text", "11|admin"},
		{"SELECT typname FROM pg_type WHERE typinput = 'pg_catalog.array_in'::regproc AND oid = 1007", "_int4"},
		{"SELECT count(*) FROM pg_description WHERE classoid = 'pg_class'::regclass", "0"},
		{"SELECT format_type(1043, 44), format_type(1700, 655366), format_type(1114, -1), format_type(1007, -1), format_type(99999, -1)", "character varying(40)|numeric(10,2)|timestamp without time zone|integer[]|???"},
		{"SELECT pg_table_is_visible('mydb.t'::regclass), pg_table_is_visible('pg_class'::regclass)", "false|true"},
		{"SELECT pg_get_userbyid(10), pg_encoding_to_char(6), pg_size_pretty(123456789::bigint), pg_size_pretty(10239::bigint)", "admin|UTF8|118 MB|10239 bytes"},
		{"SELECT quote_ident('select'), quote_ident('Foo'), quote_ident('abc')", `"select"|"Foo"|abc`},
		{"SELECT pg_get_expr(NULL, 1) IS NULL, has_table_privilege('mydb.t', 'SELECT'), pg_is_in_recovery()", "true|true|false"},
		{"SELECT pg_get_function_result(p.oid), pg_get_function_arguments(p.oid) FROM pg_proc p WHERE proname = 'abs' AND prorettype = 23", "integer|integer"},
		{"SELECT array_to_string(current_schemas(true), ','), array_to_string(array(SELECT amname FROM pg_am WHERE oid < 500 ORDER BY oid), '/')", "default,pg_catalog|heap/btree/hash"},
		{"SELECT count(*) FROM pg_policy WHERE polroles = '{0}'", "0"},
		// Correlated ARRAY(subquery) over an array column: the decorrelated join and
		// aggregate key on the array.
		{"SELECT array(SELECT typname FROM pg_type t WHERE t.oid = any(p.proallargtypes) ORDER BY 1) FROM pg_proc p WHERE proname = 'concat_ws'", `["text"]`},
		{"SELECT array(SELECT relname FROM pg_class c WHERE c.relnamespace = n.oid ORDER BY 1) FROM pg_namespace n WHERE nspname = 'mydb'", `["t","v"]`},
		{"SELECT count(*), min(word) FROM pg_catalog.pg_get_keywords() WHERE catcode = 'R'", "77|all"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got, err := sysTry(s, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, "\n"), tc.want)
			}
		})
	}
	// Unknown names fail with PostgreSQL's SQLSTATEs.
	for q, code := range map[string]string{
		"SELECT 'nope'::regclass":        "42P01",
		"SELECT 'nope'::regtype":         "42704",
		"SELECT 'nope'::regproc":         "42883",
		"SELECT 'nope'::regnamespace":    "3F000",
		"SELECT current_setting('nope')": "42704",
	} {
		if _, err := sysTry(s, q); err == nil || sqlerr.Code(err) != code {
			t.Errorf("%s: got %v, want %s", q, err, code)
		}
	}
}

// TestPGCatalogOIDsUnique checks that no two catalog objects share an OID.
func TestPGCatalogOIDsUnique(t *testing.T) {
	s := systemSession(t)
	got := sysQuery(t, s, `SELECT oid, count(*) FROM (SELECT oid FROM pg_class UNION ALL SELECT oid FROM pg_type
		UNION ALL SELECT oid FROM pg_namespace UNION ALL SELECT oid FROM pg_proc UNION ALL SELECT oid FROM pg_am
		UNION ALL SELECT oid FROM pg_collation UNION ALL SELECT oid FROM pg_tablespace
		UNION ALL SELECT oid FROM pg_language UNION ALL SELECT oid FROM pg_database) o
		GROUP BY oid HAVING count(*) > 1`)
	if len(got) != 0 {
		t.Errorf("duplicate OIDs: %v", got)
	}
}
