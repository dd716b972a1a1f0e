package planner

import (
	"strings"
	"testing"
)

// TestSelectListNames: unaliased select-list entries are named as PostgreSQL 15 names them
// (checked with psql against PostgreSQL 15.18); clients such as pandas use these names.
func TestSelectListNames(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT (SELECT 1 AS x), (SELECT sum(a) FROM t), (SELECT a FROM t LIMIT 1)", "x,sum,a"},
		{"SELECT EXISTS (SELECT 1), ARRAY[1, 2], ARRAY(SELECT 1), 1 IN (SELECT 1)", "exists,array,array,?column?"},
		{"SELECT (SELECT 1 UNION SELECT 2 LIMIT 1), (SELECT 1) IS NULL", "?column?,?column?"},
		{"SELECT user, current_user, session_user, current_role", "user,current_user,session_user,current_role"},
		{"SELECT localtimestamp, current_timestamp, current_date, localtime, current_time", "localtimestamp,current_timestamp,current_date,localtime,current_time"},
		{"SELECT (ARRAY[a, 2])[1] FROM t", "array"},
	}
	for _, c := range cases {
		n, err := plan(t, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		var names []string
		for _, col := range n.Columns() {
			names = append(names, col.Name)
		}
		if got := strings.Join(names, ","); got != c.want {
			t.Errorf("%s: got %s, want %s", c.sql, got, c.want)
		}
	}
}
