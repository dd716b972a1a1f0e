package main

import (
	"fmt"
	"testing"
)

func TestSame(t *testing.T) {
	cases := []struct {
		want, got string
		ok        bool
	}{
		{"A", "A", true},
		{"A", "B", false},
		{"NULL", "NULL", true},
		{"1995-03-15", "1995-03-15", true},
		{"25.52200585", "25.5220058533", true},
		{"55909065222.827692", "55909065222.83", true},  // within 0.01
		{"55909065222.827692", "55909165222.83", false}, // 100000 off, beyond 1e-6 relative (55909)
		{"55909065222.827692", "55909115222.83", true},  // 50000 off, within 1e-6 relative
		{"123141078.2283", "123141078.23", true},
		{"1", "2", false},
		{" x", "x", true},
	}
	for _, tc := range cases {
		if got := same(tc.want, tc.got); got != tc.ok {
			t.Errorf("same(%q, %q) = %v", tc.want, tc.got, got)
		}
	}
}

func TestCheck(t *testing.T) {
	want := readTSV("A\t1.00\nB\t2.00\n")
	cases := []struct {
		got     [][]string
		ordered bool
		msg     string
	}{
		{[][]string{{"A", "1"}, {"B", "2"}}, true, ""},
		{[][]string{{"B", "2"}, {"A", "1"}}, false, ""},
		{[][]string{{"B", "2"}, {"A", "1"}}, true, `rows out of order: row 1 col 1: got "B" want "A"`},
		{[][]string{{"A", "1"}}, false, "1 rows, want 2"},
		{[][]string{{"A", "1"}, {"B"}}, true, "row 2 has 1 columns, want 2"},
		{[][]string{{"A", "1"}, {"B", "2.5"}}, true, `row 2 col 2: got "2.5" want "2.00"`},
	}
	for _, tc := range cases {
		if msg := check(want, tc.got, tc.ordered); msg != tc.msg {
			t.Errorf("%v ordered=%v: got %q, want %q", tc.got, tc.ordered, msg, tc.msg)
		}
	}
}

func TestOrdered(t *testing.T) {
	if !ordered("select a\nfrom t\norder  by a") || ordered("select sum(x) from lineitem where x > 1") {
		t.Error("ordered")
	}
}

func TestDDL(t *testing.T) {
	for _, layout := range []string{"parquet", "csv", "csv_gz", "json"} {
		stmts, err := ddl("/data", layout)
		if err != nil || len(stmts) != 8 {
			t.Fatalf("%s: %v %d", layout, err, len(stmts))
		}
	}
	if _, err := ddl("/data", "orc"); err == nil {
		t.Error("orc: want an error")
	}
}

func TestParseQueries(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"", "[1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22]"},
		{"1,6", "[1 6]"},
		{"q01, q06", "[1 6]"},
		{"3-5,22", "[3 4 5 22]"},
		{"0", "error"},
		{"23", "error"},
		{"5-3", "error"},
		{"x", "error"},
	}
	for _, tc := range cases {
		got, err := parseQueries(tc.in)
		s := fmt.Sprint(got)
		if err != nil {
			s = "error"
		}
		if s != tc.want {
			t.Errorf("parseQueries(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
}
