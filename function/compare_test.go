package function

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestComparisons(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "=", args: []types.T{i32, i32}, cols: cols(row("1", "1", "NULL"), row("1", "2", "2")), ret: boo, want: []string{"true", "false", "NULL"}},
		{name: "<>", args: []types.T{i32, i64}, cols: cols(row("1", "1"), row("1", "2")), want: []string{"false", "true"}},
		{name: "!=", args: []types.T{i16, i16}, cols: cols(row("1"), row("2")), want: []string{"true"}},
		{name: "<", args: []types.T{i32, f64}, cols: cols(row("1", "2"), row("1.5", "1.5")), want: []string{"true", "false"}},
		{name: "<=", args: []types.T{i64, i64}, cols: cols(row("1", "2", "3"), row("2", "2", "2")), want: []string{"true", "true", "false"}},
		{name: ">", args: []types.T{i64, i64}, cols: cols(row("1", "2", "3"), row("2", "2", "2")), want: []string{"false", "false", "true"}},
		{name: ">=", args: []types.T{i64, i64}, cols: cols(row("1", "2", "3"), row("2", "2", "2")), want: []string{"false", "true", "true"}},
		// Floats: NaN = NaN, NaN above everything.
		{name: "=", args: []types.T{f64, f64}, cols: cols(row("NaN", "NaN", "0", "-0"), row("NaN", "1", "-0", "0")), want: []string{"true", "false", "true", "true"}},
		{name: "<", args: []types.T{f64, f64}, cols: cols(row("1", "NaN", "Infinity", "NaN"), row("NaN", "1", "NaN", "NaN")), want: []string{"true", "false", "true", "false"}},
		{name: ">", args: []types.T{f64, f64}, cols: cols(row("NaN", "NaN"), row("Infinity", "NaN")), want: []string{"true", "false"}},
		{name: "<=", args: []types.T{f64, f64}, cols: cols(row("NaN", "1"), row("NaN", "NaN")), want: []string{"true", "true"}},
		{name: ">=", args: []types.T{f64, f64}, cols: cols(row("NaN", "1"), row("2", "NaN")), want: []string{"true", "false"}},
		// Decimals of different scales, with integers, and beyond 64 bits.
		{name: "=", args: []types.T{dec(5, 2), dec(4, 1)}, cols: cols(row("1.50", "1.55"), row("1.5", "1.5")), want: []string{"true", "false"}},
		{name: "<", args: []types.T{dec(5, 2), i32}, cols: cols(row("1.99", "2.00", "-0.01"), row("2", "2", "0")), want: []string{"true", "false", "true"}},
		{name: ">", args: []types.T{dec(38, 0), dec(38, 10)}, cols: cols(row("99999999999999999999999999999999999999"), row("1.5")), want: []string{"true"}},
		{name: "<", args: []types.T{dec(38, 0), dec(38, 10)}, cols: cols(row("-99999999999999999999999999999999999999"), row("-1.5")), want: []string{"true"}},
		{name: "=", args: []types.T{dec(5, 2), f64}, cols: cols(row("0.10"), row("0.1")), want: []string{"true"}},
		// Text: bytewise (C collation); unknown literals adopt the other side.
		{name: "<", args: []types.T{txt, txt}, cols: cols(row("a", "B", "abc", ""), row("b", "a", "ab", "a")), want: []string{"true", "true", "false", "true"}},
		{name: "=", args: []types.T{txt, unk}, cols: cols(row("abc", "abc"), row("abc", "abd")), want: []string{"true", "false"}},
		{name: "=", args: []types.T{unk, unk}, cols: cols(row("x"), row("y")), want: []string{"false"}},
		// Dates with timestamps, booleans, intervals.
		{name: "<", args: []types.T{i32, unk}, cols: cols(row("1", "5"), row("2", "2")), want: []string{"true", "false"}},
		{name: "=", args: []types.T{dat, ts}, cols: cols(row("2020-01-02", "2020-01-02"), row("2020-01-02 00:00:00", "2020-01-02 00:00:01")), want: []string{"true", "false"}},
		{name: "<", args: []types.T{dat, tstz}, cols: cols(row("2020-01-02"), row("2020-01-02 00:00:01+00")), want: []string{"true"}},
		{name: "<", args: []types.T{boo, boo}, cols: cols(row("f", "t", "t"), row("t", "t", "f")), want: []string{"true", "false", "false"}},
		{name: "=", args: []types.T{ivt, ivt}, cols: cols(row("1 mon", "1 day", "1 year"), row("30 days", "24 hours", "360 days")), want: []string{"true", "true", "true"}},
		{name: "<", args: []types.T{ivt, ivt}, cols: cols(row("1 mon", "-1 day"), row("31 days", "00:00:01")), want: []string{"true", "true"}},
		{name: "=", args: []types.T{tim, tim}, cols: cols(row("10:00", "10:00"), row("10:00:00", "10:00:01")), want: []string{"true", "false"}},
		{name: "=", args: []types.T{types.ByteaT, types.ByteaT}, cols: cols(row(`\x01`), row(`\x01`)), want: []string{"true"}},
	})
	reg := New()
	for _, bad := range [][]types.T{{txt, i32}, {dat, i32}, {boo, i32}, {types.JSONT, types.JSONT}} {
		if _, ok := reg.Lookup("=").Bind(bad); ok {
			t.Errorf("= binds %v", bad)
		}
	}
}

func TestLike(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "~~", args: []types.T{txt, txt},
			cols: cols(row("abc", "abc", "abc", "abc", "abc", "abc", "a%c", "abc", "NULL", "héllo", "aXbXc", "mississippi"),
				row("abc", "a%", "%c", "%b%", "a_c", "ab", `a\%c`, "%", "a", "h_llo", "a%b%c", "m%iss%pi")),
			want: []string{"true", "true", "true", "true", "true", "false", "true", "true", "NULL", "true", "true", "true"}},
		{name: "~~", args: []types.T{txt, unk}, cols: cols(row("abc", "xabcx", "ab"), row("_b_", "%abc%", "%b_%")), want: []string{"true", "true", "false"}},
		{name: "!~~", args: []types.T{txt, txt}, cols: cols(row("abc", "abc"), row("a%", "b%")), want: []string{"false", "true"}},
		{name: "~~*", args: []types.T{txt, txt}, cols: cols(row("ABC", "Straße"), row("a%", "STRASSE")), want: []string{"true", "false"}},
		{name: "~~*", args: []types.T{txt, txt}, cols: cols(row("ÉCOLE"), row("é%")), want: []string{"true"}},
		{name: "!~~*", args: []types.T{txt, txt}, cols: cols(row("ABC"), row("a%")), want: []string{"false"}},
		{name: "~~", args: []types.T{txt, txt}, cols: cols(row("abc"), row(`ab\`)), code: "22025"},
	})
	// Patterns varying per row, including the general matcher's backtracking.
	for _, tt := range []struct {
		s, p string
		want bool
	}{
		{"", "%", true}, {"", "_", false}, {"a", "%%%a%%", true}, {"ab", "a_%", true}, {"a", "a_%", false},
		{"aaab", "%a_b", true}, {"xyz", "%x%y%z%", true}, {"xzy", "%x%y%z%", false}, {"日本語", "_本_", true},
		{"abcabd", "%abd", true}, {"a", "a%a", false}, {"aa", "a%a", true}, {"abab", "%ab%ab", true}, {"abxab", "ab%ab%", true}, {"ab", "ab%ab%", false}, {"100%", `100\%`, true}, {"1000", `100\%`, false}, {"a_b", `a\_b`, true}, {"axb", `a\_b`, false},
	} {
		m, err := compileLike([]byte(tt.p))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.match([]byte(tt.s)); got != tt.want {
			t.Errorf("%q LIKE %q = %v", tt.s, tt.p, got)
		}
	}
}

func TestLogic(t *testing.T) {
	a := row("t", "t", "t", "f", "f", "f", "NULL", "NULL", "NULL")
	b := row("t", "f", "NULL", "t", "f", "NULL", "t", "f", "NULL")
	runScalarCases(t, []scalarCase{
		{name: "and", args: []types.T{boo, boo}, cols: cols(a, b), want: []string{"true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL"}},
		{name: "or", args: []types.T{boo, boo}, cols: cols(a, b), want: []string{"true", "true", "true", "true", "false", "NULL", "true", "NULL", "NULL"}},
		{name: "and", args: []types.T{boo, boo, boo}, cols: cols(row("t"), row("t"), row("t")), want: []string{"true"}},
		{name: "not", args: []types.T{boo}, cols: cols(row("t", "f", "NULL")), want: []string{"false", "true", "NULL"}},
	})
}

func TestConcatOperator(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "||", args: []types.T{txt, txt}, cols: cols(row("ab", "x", "NULL"), row("cd", "", "y")), ret: txt, want: []string{"abcd", "x", "NULL"}},
		{name: "||", args: []types.T{txt, i32}, cols: cols(row("n="), row("42")), want: []string{"n=42"}},
		{name: "||", args: []types.T{dec(5, 2), unk}, cols: cols(row("1.5"), row(" USD")), want: []string{"1.50 USD"}},
		{name: "||", args: []types.T{boo, txt}, cols: cols(row("t"), row("!")), want: []string{"true!"}},
		{name: "||", args: []types.T{types.ByteaT, types.ByteaT}, cols: cols(row(`\x01`), row(`\x02`)), ret: types.ByteaT, want: []string{`\x0102`}},
	})
	if _, ok := New().Lookup("||").Bind([]types.T{i32, i32}); ok {
		t.Error("integer || integer binds")
	}
	_ = sqlerr.Code
}
