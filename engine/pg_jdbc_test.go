package engine

import (
	"context"
	"strings"
	"testing"
)

// TestJDBCCatalogQueries runs the shapes of pgJDBC's, DBeaver's and Metabase's catalog SQL
// that pg_jdbc*.go and the planner's _pg_expandarray rewrite serve.
func TestJDBCCatalogQueries(t *testing.T) {
	s := systemSession(t)
	tests := []struct{ query, want string }{
		// getPrimaryKeys' select-list SRF and its outer (result.keys).x, over an array value.
		{"SELECT (information_schema._pg_expandarray(a)).n AS seq, information_schema._pg_expandarray(a) AS keys FROM (SELECT ARRAY[3,1] AS a) s", "1|3\n2|1"},
		{"SELECT r.seq FROM (SELECT (information_schema._pg_expandarray(a)).n AS seq, information_schema._pg_expandarray(a) AS keys FROM (SELECT ARRAY[3,1] AS a) s) r WHERE (r.keys).x = 1", "2"},
		{"SELECT (information_schema._pg_expandarray(ARRAY[7,8])).x", "7\n8"},
		{"SELECT count(*) FROM pg_catalog.pg_index i JOIN (SELECT i.indexrelid, information_schema._pg_expandarray(i.indkey) AS keys FROM pg_catalog.pg_index i) k ON (k.keys).x = 1", "0"},
		{"SELECT count(*) FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kc ON tc.constraint_name = kc.constraint_name WHERE tc.constraint_type = 'PRIMARY KEY'", "0"},
		{"SELECT count(*) FROM information_schema.referential_constraints, information_schema.constraint_column_usage", "0"},
		{"SELECT setting FROM pg_settings WHERE name = 'max_index_keys'", "32"},
		{"SELECT typname, typarray FROM pg_type WHERE oid IN (1033, 1034) ORDER BY oid", "aclitem|1034\n_aclitem|0"},
		{"SELECT format('%I.%I', 'mydb', 't'), format('%s', 'int4'), 5::smallint & 1::smallint, 6 | 3, 6::bigint # 3", "mydb.t|int4|1|7|5"},
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
}

// TestResultColumnOrigins checks RowDescription's table OID and attnum: plain column
// references (also through a view and a subquery) carry their table's pg_class OID and
// pg_attribute number, computed columns zeros.
func TestResultColumnOrigins(t *testing.T) {
	s := systemSession(t)
	ctx := context.Background()
	for _, tc := range []struct {
		query string
		want  string // per column: "rel.attname" from pg_attribute, or "-" for none
	}{
		{"SELECT name, id, id + 1 AS next FROM mydb.t WHERE id > 0 ORDER BY id LIMIT 5", "t.name t.id -"},
		{"SELECT * FROM mydb.v", "t.id"},
		{"SELECT t.name, v.id, t.amount * 2 FROM mydb.t JOIN mydb.v ON t.id = v.id", "t.name t.id -"},
		{"SELECT c.relname, n.nspname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'pg_type'", "pg_class.relname pg_namespace.nspname"},
		{"SELECT x.amount FROM (SELECT amount, id FROM mydb.t) x", "t.amount"},
		{"SELECT relname, relkind = 'r' FROM pg_class WHERE relname = 'pg_type'", "pg_class.relname -"},
		// Aggregates are not traced (PostgreSQL would report a grouped column's table).
		{"SELECT relname, count(*) FROM pg_class GROUP BY relname", "- -"},
	} {
		stmts, err := s.Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Execute(ctx, stmts[0])
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		res.Rows.Close()
		var got []string
		for _, c := range res.Columns {
			if c.TableOID == 0 {
				if c.ColumnAttr != 0 {
					t.Errorf("%s: %s has attnum %d without a table", tc.query, c.Name, c.ColumnAttr)
				}
				got = append(got, "-")
				continue
			}
			rows := sysQuery(t, s, "SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.oid = "+
				itoa(int64(c.TableOID))+" AND a.attnum = "+itoa(int64(c.ColumnAttr)))
			got = append(got, strings.Join(rows, ","))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: origins %q, want %q", tc.query, strings.Join(got, " "), tc.want)
		}
	}
}

func itoa(v int64) string {
	var b [20]byte
	i := len(b)
	neg := v < 0
	if neg {
		v = -v
	}
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
