package sqllogictest

import (
	"context"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// fakeDB answers from a table of SQL texts; anything else is a 42601 error.
type fakeDB struct {
	answers map[string]*Result
	ran     []string
}

func (f *fakeDB) Exec(_ context.Context, sql string) (*Result, error) {
	f.ran = append(f.ran, sql)
	if r, ok := f.answers[sql]; ok {
		return r, nil
	}
	return nil, sqlerr.New(sqlerr.SyntaxError, "cannot run %s", sql)
}

func (f *fakeDB) Close() error { return nil }

func rows(cols int, vals ...string) *Result {
	r := &Result{Columns: make([]string, cols)}
	for i := 0; i+cols <= len(vals); i += cols {
		row := make([]*string, cols)
		for c := range row {
			if v := vals[i+c]; v != "NULL" {
				row[c] = &v
			}
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

const runScript = `hash-threshold 3

statement ok
CREATE TABLE t1(x INTEGER)

statement ok
CREATE INDEX i1 ON t1(x)

statement ok
UPDATE t1 SET x=2

query I nosort
SELECT count(*) FROM t1 WHERE x=2
----
3

statement ok
CREATE TABLE t2(y INTEGER)

query II rowsort label-a
SELECT y, y+1 FROM t2
----
4 values hashing to c8d63ed495ea5f1f361aa42aab402abd

query II rowsort label-a
SELECT y, y+1 FROM t2 ORDER BY 1
----

query R nosort
SELECT 1.5
----
1.500

query R nosort
SELECT 2.5
----
2.000

statement error 22012
SELECT 1/0

statement error nomatch
SELECT 1/0

statement error
SELECT 1

onlyif sqlite
query I nosort
SELECT 'sqlite only'
----
1

skipif postgresql
statement ok
VACUUM

onlyif postgresql
halt

query I nosort
SELECT 'after halt'
----
1
`

func TestRun(t *testing.T) {
	recs, err := Parse("run.test", runScript)
	if err != nil {
		t.Fatal(err)
	}
	db := &fakeDB{answers: map[string]*Result{
		"CREATE TABLE t1(x INTEGER)":        {},
		"CREATE TABLE t2(y INTEGER)":        {},
		"SELECT y, y+1 FROM t2":             rows(2, "10", "11", "9", "10"),
		"SELECT y, y+1 FROM t2 ORDER BY 1":  rows(2, "9", "10", "10", "12"),
		"SELECT 1.5":                        rows(1, "1.5"),
		"SELECT 2.5":                        rows(1, "2.5"),
		"SELECT 1":                          rows(1, "1"),
		"SELECT count(*) FROM t1 WHERE x=2": rows(1, "0"),
	}}
	rep := Run(context.Background(), divDB{db}, "run.test", recs, Options{})
	got := map[int]string{}
	for _, o := range rep.Outcomes {
		s := o.Status.String()
		if o.Kind != "" {
			s += " " + o.Kind
		}
		got[o.Record.Line] = s
	}
	want := map[int]string{
		3:  "passed",
		6:  "skipped CREATE INDEX",
		9:  "skipped UPDATE",
		12: "skipped reads a changed table",
		17: "passed",
		20: "passed",
		25: "failed", // same label as line 20, different values
		29: "passed",
		34: "failed",
		39: "passed",
		42: "failed", // error text does not match
		45: "failed", // no error
		49: "excluded onlyif sqlite",
		55: "excluded skipif postgresql",
		61: "not run",
	}
	for line, w := range want {
		if got[line] != w {
			t.Errorf("line %d: %s, want %s", line, got[line], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("outcomes %v", got)
	}
	if rep.HaltLine != 59 || rep.Passed != 5 || rep.Failed != 4 || rep.Skipped != 3 || rep.Excluded != 2 || rep.NotRun != 1 {
		t.Errorf("counts: %s", rep.Summary())
	}
	for _, sql := range db.ran {
		if strings.Contains(sql, "INDEX") || strings.Contains(sql, "UPDATE") || strings.Contains(sql, "after halt") {
			t.Errorf("ran %q", sql)
		}
	}
	sum := rep.Summary()
	for _, part := range []string{"5 passed, 4 failed, 3 skipped", "CREATE INDEX 1", "halted at line 59 (1 records not run)", "2 excluded"} {
		if !strings.Contains(sum, part) {
			t.Errorf("summary %q lacks %q", sum, part)
		}
	}

	// Completion writes the values the run returned: the label-a query gets its own rows
	// (hashed, as there are more than 3), the R query its printed value.
	out, untouched := Complete(runScript, rep)
	if !strings.Contains(out, "SELECT 2.5\n----\n2.500\n") {
		t.Errorf("completion did not write 2.500:\n%s", out)
	}
	if !strings.Contains(out, "SELECT y, y+1 FROM t2 ORDER BY 1\n----\n4 values hashing to ") {
		t.Errorf("completion did not hash:\n%s", out)
	}
	if len(untouched) != 2 {
		t.Errorf("untouched: %q", untouched)
	}
}

// divDB makes SELECT 1/0 fail as a division by zero.
type divDB struct{ *fakeDB }

func (d divDB) Exec(ctx context.Context, sql string) (*Result, error) {
	if sql == "SELECT 1/0" {
		d.ran = append(d.ran, sql)
		return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
	}
	return d.fakeDB.Exec(ctx, sql)
}
