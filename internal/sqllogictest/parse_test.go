package sqllogictest

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	script := strings.Join([]string{
		"hash-threshold 8",
		"",
		"# a comment",
		"statement ok",
		"CREATE TABLE t1(a INTEGER,",
		"  b INTEGER)",
		"",
		"skipif mysql # trailing comment",
		"onlyif postgresql",
		"query II rowsort label-1",
		"SELECT a, b",
		"  FROM t1",
		"----",
		"1",
		"2",
		"",
		"statement error 42P01 relation .* does not exist",
		"SELECT * FROM nosuch",
		"",
		"query T",
		"SELECT 'x' WHERE false",
		"   ",
		"query I valuesort",
		"SELECT 1",
		"----",
		"30 values hashing to 0123456789abcdef0123456789abcdef",
		"",
		"query error division",
		"SELECT 1/0",
		"",
		"halt",
	}, "\r\n")
	recs, err := Parse("t.test", script)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Kind: KindHashThreshold, Line: 1, Threshold: 8, Start: 0, SQLEnd: 1, End: 1},
		{Kind: KindStatement, Line: 4, SQL: "CREATE TABLE t1(a INTEGER,\n  b INTEGER)", Start: 2, SQLEnd: 6, End: 6},
		{Kind: KindQuery, Line: 10, Conditions: []Condition{{true, "mysql"}, {false, "postgresql"}}, SQL: "SELECT a, b\n  FROM t1",
			Types: "II", Sort: RowSort, Label: "label-1", Expected: []string{"1", "2"}, HasResults: true, Start: 7, SQLEnd: 12, End: 15},
		{Kind: KindStatement, Line: 17, ExpectError: true, ErrorPattern: "42P01 relation .* does not exist", SQL: "SELECT * FROM nosuch", Start: 16, SQLEnd: 18, End: 18},
		{Kind: KindQuery, Line: 20, SQL: "SELECT 'x' WHERE false", Types: "T", Start: 19, SQLEnd: 21, End: 21},
		{Kind: KindQuery, Line: 23, SQL: "SELECT 1", Types: "I", Sort: ValueSort, HasResults: true,
			Expected: []string{"30 values hashing to 0123456789abcdef0123456789abcdef"}, Start: 22, SQLEnd: 24, End: 26},
		{Kind: KindQuery, Line: 28, ExpectError: true, ErrorPattern: "division", SQL: "SELECT 1/0", Start: 27, SQLEnd: 29, End: 29},
		{Kind: KindHalt, Line: 31, Start: 30, SQLEnd: 31, End: 31},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i := range want {
		if got := recs[i]; !sameRecord(got, want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}

func sameRecord(a, b Record) bool {
	return a.Kind == b.Kind && a.Line == b.Line && a.SQL == b.SQL && a.ExpectError == b.ExpectError &&
		a.ErrorPattern == b.ErrorPattern && a.Types == b.Types && a.Sort == b.Sort && a.Label == b.Label &&
		strings.Join(a.Expected, "\n") == strings.Join(b.Expected, "\n") && a.HasResults == b.HasResults &&
		a.Threshold == b.Threshold && a.Start == b.Start && a.SQLEnd == b.SQLEnd && a.End == b.End &&
		len(a.Conditions) == len(b.Conditions) && (len(a.Conditions) == 0 || a.Conditions[0] == b.Conditions[0])
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ script, want string }{
		{"statement maybe\nSELECT 1", `t.test:1: statement wants ok or error, not "maybe"`},
		{"statement ok", "t.test:1: statement with no SQL"},
		{"query\nSELECT 1", "t.test:1: query wants its column types"},
		{"query I sideways\nSELECT 1", `t.test:1: unknown sort mode "sideways"`},
		{"query I\n----\n1", "t.test:1: query with no SQL"},
		{"hash-threshold many", `t.test:1: bad hash-threshold "many"`},
		{"skipif\nhalt", "t.test:1: skipif wants one engine name"},
		{"\n\nonlyif sqlite", "t.test:3: onlyif sqlite with no record after it"},
		{"select 1", `t.test:1: unknown record "select"`},
	}
	for _, tc := range cases {
		_, err := Parse("t.test", tc.script)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.script, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("statement ok\nCREATE TABLE t(a INT)\n\nquery I rowsort\nSELECT a FROM t\n----\n1\n")
	f.Add("hash-threshold 8\n\nskipif sqlite\nhalt\n")
	f.Add("query IT nosort label-3\nSELECT 1, 'a'\n----\n3 values hashing to 0123456789abcdef0123456789abcdef\n")
	f.Add("statement error .*\nSELECT\n\n# c\nonlyif postgresql # why\nquery error x\nSELECT 1/0\n")
	f.Fuzz(func(t *testing.T, script string) {
		recs, err := Parse("fuzz", script)
		if err != nil {
			return
		}
		lines := splitLines(script)
		for _, r := range recs {
			if r.Start < 0 || r.Start > r.SQLEnd || r.SQLEnd > r.End || r.End > len(lines) || r.Line < r.Start+1 || r.Line > r.End {
				t.Fatalf("bad spans %+v for %d lines", r, len(lines))
			}
		}
		// Completing with no outcomes gives the script back, line for line.
		out, _ := Complete(script, &Report{})
		if splitLinesJoin(out) != splitLinesJoin(script) {
			t.Fatalf("Complete changed a script it had no results for:\n%q\n%q", script, out)
		}
	})
}

func splitLinesJoin(s string) string { return strings.Join(splitLines(s), "\n") }
