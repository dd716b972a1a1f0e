package sqllogictest

import (
	"strings"
	"testing"
)

func sp(s string) *string { return &s }

func TestFormatValue(t *testing.T) {
	cases := []struct {
		v    *string
		typ  byte
		want string
	}{
		{nil, 'I', "NULL"},
		{nil, 'T', "NULL"},
		{sp("42"), 'I', "42"},
		{sp("-7"), 'I', "-7"},
		{sp("3.75"), 'I', "3"},
		{sp("-3.75"), 'I', "-3"},
		{sp("2.0000000000000000"), 'I', "2"},
		{sp("t"), 'I', "1"},
		{sp("f"), 'I', "0"},
		{sp("abc"), 'I', "0"},
		{sp("1e3"), 'I', "1000"},
		{sp("42"), 'R', "42.000"},
		{sp("2.5"), 'R', "2.500"},
		{sp("-0.0001"), 'R', "-0.000"},
		{sp("0.0005"), 'R', "0.001"},
		{sp("1.0005"), 'R', "1.000"}, // 1.0005 is just below in binary, as in C's printf
		{sp("x"), 'R', "0.000"},
		{sp(""), 'T', "(empty)"},
		{sp("a b"), 'T', "a b"},
		{sp("tab\there"), 'T', "tab@here"},
		{sp("é"), 'T', "@@"},
		{sp("12"), 'T', "12"},
	}
	for _, tc := range cases {
		if got := formatValue(tc.v, tc.typ); got != tc.want {
			v := "NULL"
			if tc.v != nil {
				v = *tc.v
			}
			t.Errorf("formatValue(%q, %c) = %q, want %q", v, tc.typ, got, tc.want)
		}
	}
}

func TestFormatRows(t *testing.T) {
	rows := [][]*string{{sp("2"), sp("b")}, {sp("10"), nil}, {sp("2"), sp("a")}}
	cases := []struct {
		mode SortMode
		want string
	}{
		{NoSort, "2 b 10 NULL 2 a"},
		// Rows sort by their printed values as strings, so "10" comes before "2".
		{RowSort, "10 NULL 2 a 2 b"},
		{ValueSort, "10 2 2 NULL a b"},
	}
	for _, tc := range cases {
		if got := strings.Join(formatRows(rows, "IT", tc.mode), " "); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.mode, got, tc.want)
		}
	}
}

func TestHashValues(t *testing.T) {
	// md5 of "1\n2\n", as SQLite's runner hashes the values 1 and 2.
	if got := hashValues([]string{"1", "2"}); got != "6ddb4095eb719e2a9f0a3f95677d24e0" {
		t.Errorf("hash = %s", got)
	}
}

func TestCompareResult(t *testing.T) {
	vals := []string{"1", "a b", "2", "(empty)"}
	h := hashValues(vals)
	cases := []struct {
		expected []string
		ok       bool
	}{
		{[]string{"1", "a b", "2", "(empty)"}, true},
		{[]string{"1 a b", "2 (empty)"}, true},
		{[]string{"1  a   b", "2 (empty)"}, true},
		{[]string{"4 values hashing to " + h}, true},
		{[]string{"3 values hashing to " + h}, false},
		{[]string{"1", "a b", "2", "NULL"}, false},
		{[]string{"1 a b"}, false},
		{nil, false},
	}
	for _, tc := range cases {
		msg := compareResult(tc.expected, vals, 2)
		if (msg == "") != tc.ok {
			t.Errorf("%q: got %q, want match=%v", tc.expected, msg, tc.ok)
		}
	}
	if msg := compareResult(nil, nil, 3); msg != "" {
		t.Errorf("empty result vs no expected lines: %s", msg)
	}
}

func TestResultLines(t *testing.T) {
	vals := []string{"1", "x", "2", "y"}
	if got := strings.Join(resultLines(vals, 2, 0, true), "|"); got != "1 x|2 y" {
		t.Errorf("row per line: %q", got)
	}
	if got := strings.Join(resultLines(vals, 2, 0, false), "|"); got != "1|x|2|y" {
		t.Errorf("value per line: %q", got)
	}
	if got := resultLines(vals, 2, 3, true); len(got) != 1 || !strings.HasPrefix(got[0], "4 values hashing to ") {
		t.Errorf("hashed: %q", got)
	}
}
