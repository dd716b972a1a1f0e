package engine

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// actualRe reads one EXPLAIN ANALYZE line: the node, then its figures.
var actualRe = regexp.MustCompile(`^(\s*)(\S+).*\((actual [^()]*|never executed|not measured[^()]*)\)$`)

// explainFigures runs an EXPLAIN and returns, per plan line, the node name and its key=value
// figures, and the summary lines.
func explainFigures(t *testing.T, te *testEngine, query string) (nodes []string, figs []map[string]string, summary []string) {
	t.Helper()
	out := te.run(t, query)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 3 || lines[0] != "QUERY PLAN:text" {
		t.Fatalf("%s:\n%s", query, out)
	}
	for _, l := range lines[1 : len(lines)-1] {
		m := actualRe.FindStringSubmatch(l)
		if m == nil {
			summary = append(summary, l)
			continue
		}
		f := map[string]string{}
		for _, kv := range strings.Split(strings.TrimPrefix(m[3], "actual "), ", ") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				f[k] = v
			}
		}
		nodes = append(nodes, strings.Repeat(" ", len(m[1]))+m[2])
		figs = append(figs, f)
	}
	return nodes, figs, summary
}

func msOf(t *testing.T, s string) time.Duration {
	t.Helper()
	ms, err := strconv.ParseFloat(strings.TrimSuffix(s, "ms"), 64)
	if err != nil || !strings.HasSuffix(s, "ms") {
		t.Fatalf("bad time %q", s)
	}
	return time.Duration(ms * float64(time.Millisecond))
}

func TestExplainAnalyze(t *testing.T) {
	te := openTestEngine(t, t.TempDir(), nil)
	defer te.close()
	setup := `CREATE TABLE t (a int, b text);
INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'x'), (4, 'y'), (5, 'x');`
	if out := te.run(t, setup); strings.Contains(out, "error") {
		t.Fatal(out)
	}

	for _, tc := range []struct {
		query string
		nodes []string            // the plan's nodes, indented
		want  []map[string]string // per node, figures that must match exactly
	}{
		{
			query: "EXPLAIN ANALYZE SELECT a FROM t WHERE a > 2",
			nodes: []string{"Project", "  Scan"},
			want: []map[string]string{
				{"rows": "3", "workers": "2"},
				{"rows": "3", "rows_read": "5", "files": "1", "row_groups": "1", "workers": "2"},
			},
		},
		{
			query: "EXPLAIN (ANALYZE, FORMAT TEXT) SELECT b, count(*) FROM t GROUP BY b ORDER BY b",
			nodes: []string{"Sort", "  Project", "    Aggregate", "      Scan"},
			want: []map[string]string{
				{"rows": "2", "batches": "1"},
				{"rows": "2"},
				{"rows": "2"},
				{"rows": "5", "rows_read": "5", "files": "1"},
			},
		},
		{
			query: "EXPLAIN ANALYZE VERBOSE SELECT a FROM t ORDER BY a LIMIT 2",
			nodes: []string{"Limit", "  Sort", "    Project", "      Scan"},
			want:  []map[string]string{{"rows": "2"}, {"rows": "2"}, {"rows": "5"}, {"rows": "5"}},
		},
		{
			// The probe side runs once per worker; the join's rows are summed over them.
			query: "EXPLAIN ANALYZE SELECT t1.a, t2.a FROM t t1 JOIN t t2 ON t1.b = t2.b WHERE t1.a < 4",
			nodes: []string{"Project", "  Project", "    Join", "      Scan", "      Scan"},
			want: []map[string]string{
				{"rows": "8", "workers": "2"}, {"rows": "8"}, {"rows": "8", "workers": "2"},
				{"rows": "5", "rows_read": "5"}, {"rows": "3", "rows_read": "5"},
			},
		},
		{
			// A FULL join emits its unmatched build rows after the probe.
			query: "EXPLAIN ANALYZE SELECT t1.a, t2.a FROM t t1 FULL JOIN t t2 ON t1.a = t2.a + 3",
			nodes: []string{"Project", "  Join", "    Scan", "    Scan"},
			want:  []map[string]string{{"rows": "8"}, {"rows": "8"}, {"rows": "5"}, {"rows": "5"}},
		},
	} {
		t.Run(tc.query, func(t *testing.T) {
			nodes, figs, summary := explainFigures(t, te, tc.query)
			if strings.Join(nodes, "\n") != strings.Join(tc.nodes, "\n") {
				t.Fatalf("nodes:\n%s\nwant:\n%s", strings.Join(nodes, "\n"), strings.Join(tc.nodes, "\n"))
			}
			for i, want := range tc.want {
				for k, v := range want {
					if figs[i][k] != v {
						t.Errorf("%s: %s=%q, want %q (%v)", nodes[i], k, figs[i][k], v, figs[i])
					}
				}
				if msOf(t, figs[i]["time"]) <= 0 || msOf(t, figs[i]["elapsed"]) <= 0 {
					t.Errorf("%s: times not positive: %v", nodes[i], figs[i])
				}
				if strings.TrimSpace(nodes[i]) == "Scan" {
					if b := figs[i]["bytes_read"]; b == "" || b == "0B" {
						t.Errorf("Scan read no bytes: %v", figs[i])
					}
				}
			}
			if len(summary) != 3 || !strings.HasPrefix(summary[1], "Planning Time: ") || !strings.HasPrefix(summary[2], "Execution Time: ") {
				t.Errorf("summary: %q", summary)
			}
			if msOf(t, strings.TrimPrefix(summary[2], "Execution Time: ")) <= 0 {
				t.Errorf("execution time: %q", summary[2])
			}
		})
	}

	// Options that change what is shown, and the errors PostgreSQL gives.
	for _, tc := range []struct{ query, contains, lacks string }{
		{"EXPLAIN (ANALYZE false) SELECT a FROM t", "Scan", "actual"},
		{"EXPLAIN (ANALYZE off, VERBOSE) SELECT a FROM t", "Scan", "actual"},
		{"EXPLAIN (ANALYZE, TIMING false) SELECT a FROM t", "actual rows=5", "time="},
		{"EXPLAIN (ANALYZE, SUMMARY false) SELECT a FROM t", "actual rows=5", "Execution Time"},
		{"EXPLAIN (ANALYZE 1, COSTS off, BUFFERS) SELECT a FROM t", "Execution Time", "error"},
		{"EXPLAIN (ANALYZE, FORMAT JSON) SELECT a FROM t", "error 0A000", "actual"},
		{"EXPLAIN (ANALYZE, FORMAT foo) SELECT a FROM t", "error 22023", "actual"},
		{"EXPLAIN (foo) SELECT a FROM t", `error 42601: unrecognized EXPLAIN option "foo"`, "actual"},
		{"EXPLAIN (ANALYZE maybe) SELECT a FROM t", "error 42601: analyze requires a Boolean value", "actual"},
		{"EXPLAIN (TIMING) SELECT a FROM t", "error 22023: EXPLAIN option TIMING requires ANALYZE", "Scan"},
		{"EXPLAIN ANALYZE SELECT a / 0 FROM t", "error 22012", "actual"},
	} {
		out := te.run(t, tc.query)
		if !strings.Contains(out, tc.contains) || strings.Contains(out, tc.lacks) {
			t.Errorf("%s:\n%s\nwant it to contain %q and not %q", tc.query, out, tc.contains, tc.lacks)
		}
	}
}

// TestStatementTimeoutStopsLongQuery checks that the operators look at cancellation between
// batches: a cross join of four 60-row tables (13 million combinations) runs far longer
// than the 200ms statement_timeout and must stop soon after it.
func TestStatementTimeoutStopsLongQuery(t *testing.T) {
	te := openTestEngine(t, t.TempDir(), nil)
	defer te.close()
	var vals []string
	for i := 0; i < 60; i++ {
		vals = append(vals, "("+strconv.Itoa(i)+")")
	}
	if out := te.run(t, "CREATE TABLE n (x int); INSERT INTO n VALUES "+strings.Join(vals, ", ")); strings.Contains(out, "error") {
		t.Fatal(out)
	}
	for _, q := range []string{
		"SELECT count(*) FROM n a, n b, n c, n d WHERE a.x + b.x * c.x - d.x = -1",
		"SELECT a.x + b.x + c.x + d.x AS s, count(*) FROM n a, n b, n c, n d GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
		"EXPLAIN ANALYZE SELECT count(*) FROM n a, n b, n c, n d WHERE a.x + b.x * c.x - d.x = -1",
	} {
		start := time.Now()
		out := te.run(t, "SET statement_timeout = '200ms'; "+q)
		took := time.Since(start)
		if !strings.Contains(out, "error 57014: canceling statement due to statement timeout") {
			t.Errorf("%s: %s", q, out)
		}
		t.Logf("%s: %s", q, took)
		if took > 5*time.Second {
			t.Errorf("%s: stopped after %s", q, took)
		}
	}
}

// TestExplainAnalyzePrepared runs EXPLAIN ANALYZE through the extended protocol's path: it
// is described as one QUERY PLAN column, and runs with the parameter values bound.
func TestExplainAnalyzePrepared(t *testing.T) {
	te := openTestEngine(t, t.TempDir(), nil)
	defer te.close()
	if out := te.run(t, "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2), (3), (4)"); strings.Contains(out, "error") {
		t.Fatal(out)
	}
	ctx := context.Background()
	p, err := te.sess.Prepare(ctx, "EXPLAIN ANALYZE SELECT a FROM t WHERE a > $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Columns) != 1 || p.Columns[0].Name != "QUERY PLAN" {
		t.Fatalf("described as %+v", p.Columns)
	}
	res, err := te.sess.ExecutePrepared(ctx, p, []Param{{Text: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := renderRows(ctx, &b, res); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^  Scan .*\(actual rows=3, .*rows_read=4, `).MatchString(b.String()) {
		t.Errorf("EXPLAIN ANALYZE with $1 = 1:\n%s", b.String())
	}
}
