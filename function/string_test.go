package function

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestStringFunctions(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "lower", args: []types.T{txt}, cols: cols(row("ABC dÉf", "NULL", "")), ret: txt, want: []string{"abc déf", "NULL", ""}},
		{name: "upper", args: []types.T{unk}, cols: cols(row("straße")), want: []string{"STRAßE"}},
		{name: "length", args: []types.T{txt}, cols: cols(row("héllo", "", "NULL")), ret: i32, want: []string{"5", "0", "NULL"}},
		{name: "char_length", args: []types.T{txt}, cols: cols(row("日本")), want: []string{"2"}},
		{name: "octet_length", args: []types.T{txt}, cols: cols(row("héllo")), want: []string{"6"}},
		{name: "length", args: []types.T{types.ByteaT}, cols: cols(row(`\x0102`)), want: []string{"2"}},
		{name: "substr", args: []types.T{txt, i32}, cols: cols(row("hello", "hello", "hello", "héllo"), row("2", "0", "9", "2")), want: []string{"ello", "hello", "", "éllo"}},
		{name: "substring", args: []types.T{txt, i64, i32}, cols: cols(row("hello", "hello", "hello", "hello", "héllo"), row("2", "0", "-5", "4", "2"), row("3", "3", "3", "10", "2")), want: []string{"ell", "he", "", "lo", "él"}},
		{name: "substr", args: []types.T{txt, i32, i32}, cols: cols(row("hello"), row("1"), row("-1")), code: "22011"},
		{name: "strpos", args: []types.T{txt, txt}, cols: cols(row("high", "héllo", "abc", "abc"), row("ig", "l", "x", "")), ret: i32, want: []string{"2", "3", "0", "1"}},
		{name: "position", args: []types.T{txt, unk}, cols: cols(row("abcb"), row("b")), want: []string{"2"}},
		{name: "concat", args: []types.T{txt, i32, unk, boo}, cols: cols(row("a", "NULL"), row("1", "NULL"), row("NULL", "NULL"), row("t", "NULL")), ret: txt, want: []string{"a1true", ""}},
		{name: "concat_ws", args: []types.T{txt, txt, i32, txt}, cols: cols(row(",", "NULL", "-"), row("a", "a", "NULL"), row("1", "1", "2"), row("NULL", "c", "c")), want: []string{"a,1", "NULL", "2-c"}},
		{name: "replace", args: []types.T{txt, txt, txt}, cols: cols(row("abcabc", "abc", "aaa"), row("b", "", "aa"), row("XY", "Z", "b")), want: []string{"aXYcaXYc", "abc", "ba"}},
		{name: "btrim", args: []types.T{txt}, cols: cols(row("  a b  ")), want: []string{"a b"}},
		{name: "trim", args: []types.T{txt, txt}, cols: cols(row("xxaxyx"), row("xy")), want: []string{"a"}},
		{name: "ltrim", args: []types.T{txt}, cols: cols(row("  a  ")), want: []string{"a  "}},
		{name: "rtrim", args: []types.T{txt, unk}, cols: cols(row("aéé"), row("é")), want: []string{"a"}},
		{name: "lpad", args: []types.T{txt, i32}, cols: cols(row("hi", "hello"), row("5", "2")), want: []string{"   hi", "he"}},
		{name: "lpad", args: []types.T{txt, i32, txt}, cols: cols(row("hi", "hi", "hi"), row("7", "-1", "4"), row("xyz", "x", "")), want: []string{"xyzxyhi", "", "hi"}},
		{name: "rpad", args: []types.T{txt, i32, txt}, cols: cols(row("hi"), row("5"), row("é")), want: []string{"hiééé"}},
		{name: "reverse", args: []types.T{txt}, cols: cols(row("abc", "héllo", "")), want: []string{"cba", "olléh", ""}},
		{name: "starts_with", args: []types.T{txt, txt}, cols: cols(row("abc", "abc", "NULL"), row("ab", "b", "a")), ret: boo, want: []string{"true", "false", "NULL"}},
		{name: "left", args: []types.T{txt, i32}, cols: cols(row("héllo", "hello", "hi"), row("2", "-2", "5")), want: []string{"hé", "hel", "hi"}},
		{name: "right", args: []types.T{txt, i32}, cols: cols(row("héllo", "hello", "hi"), row("2", "-2", "-5")), want: []string{"lo", "llo", ""}},
		{name: "repeat", args: []types.T{txt, i32}, cols: cols(row("ab", "ab"), row("3", "-1")), want: []string{"ababab", ""}},
		{name: "split_part", args: []types.T{txt, txt, i32}, cols: cols(row("a,b,c", "a,b,c", "a,b,c", "abc", "a,b"), row(",", ",", ",", "", ","), row("2", "-1", "4", "1", "-3")), want: []string{"b", "c", "", "abc", ""}},
		{name: "split_part", args: []types.T{txt, txt, i32}, cols: cols(row("a,b"), row(","), row("0")), code: sqlerr.InvalidParameterValue},
		{name: "initcap", args: []types.T{txt}, cols: cols(row("hello wORLD-foo bar2baz")), want: []string{"Hello World-Foo Bar2baz"}},
		{name: "md5", args: []types.T{txt}, cols: cols(row("abc")), want: []string{"900150983cd24fb0d6963f7d28e17f72"}},
		{name: "chr", args: []types.T{i32}, cols: cols(row("65", "233")), want: []string{"A", "é"}},
		{name: "chr", args: []types.T{i32}, cols: cols(row("0")), code: sqlerr.ProgramLimitExceeded},
		{name: "ascii", args: []types.T{txt}, cols: cols(row("A", "é", "")), ret: i32, want: []string{"65", "233", "0"}},
	})
	reg := New()
	for _, bad := range []struct {
		name string
		args []types.T
	}{{"lower", []types.T{i32}}, {"substr", []types.T{txt}}, {"strpos", []types.T{txt, i32}}, {"concat", nil}, {"concat_ws", []types.T{txt}}} {
		if _, ok := reg.Lookup(bad.name).Bind(bad.args); ok {
			t.Errorf("%s%v binds", bad.name, bad.args)
		}
	}
}

func TestMathFunctions(t *testing.T) {
	runScalarCases(t, []scalarCase{
		{name: "abs", args: []types.T{i32}, cols: cols(row("-5", "NULL", "3")), ret: i32, want: []string{"5", "NULL", "3"}},
		{name: "abs", args: []types.T{i32}, cols: cols(row("-2147483648")), code: sqlerr.NumericValueOutOfRange},
		{name: "abs", args: []types.T{dec(5, 2)}, cols: cols(row("-1.25")), ret: dec(5, 2), want: []string{"1.25"}},
		{name: "abs", args: []types.T{f64}, cols: cols(row("-0.5")), want: []string{"0.5"}},
		{name: "sign", args: []types.T{f64}, cols: cols(row("-0.5", "0", "3")), want: []string{"-1", "0", "1"}},
		{name: "sign", args: []types.T{dec(5, 2)}, cols: cols(row("-3.5")), want: []string{"-1.00"}},
		{name: "ceil", args: []types.T{f64}, cols: cols(row("1.2", "-1.2")), want: []string{"2", "-1"}},
		{name: "ceiling", args: []types.T{dec(5, 2)}, cols: cols(row("1.20", "-1.20", "2.00")), ret: dec(4, 0), want: []string{"2", "-1", "2"}},
		{name: "floor", args: []types.T{dec(5, 2)}, cols: cols(row("1.20", "-1.20", "-2.00")), want: []string{"1", "-2", "-2"}},
		{name: "floor", args: []types.T{i32}, cols: cols(row("7")), ret: i32, want: []string{"7"}},
		{name: "round", args: []types.T{f64}, cols: cols(row("2.5", "3.5", "-2.5")), want: []string{"2", "4", "-2"}},
		{name: "round", args: []types.T{dec(5, 2)}, cols: cols(row("2.50", "-2.50", "999.99")), ret: dec(4, 0), want: []string{"3", "-3", "1000"}},
		{name: "round", args: []types.T{dec(6, 4), i32}, cols: cols(row("1.2345", "-1.2355", "9.9999"), row("2", "3", "2")), ret: dec(7, 4), want: []string{"1.2300", "-1.2360", "10.0000"}},
		{name: "round", args: []types.T{f64, i32}, cols: cols(row("1.2345", "2.5"), row("2", "0")), want: []string{"1.23", "3"}},
		{name: "round", args: []types.T{i32, i32}, cols: cols(row("1250", "1249"), row("-2", "-2")), want: []string{"1300", "1200"}},
		{name: "trunc", args: []types.T{dec(6, 4), i32}, cols: cols(row("1.2399", "-1.2399"), row("2", "2")), want: []string{"1.2300", "-1.2300"}},
		{name: "truncate", args: []types.T{f64}, cols: cols(row("-1.7")), want: []string{"-1"}},
		{name: "sqrt", args: []types.T{i32}, cols: cols(row("16", "2")), ret: f64, want: []string{"4", "1.4142135623730951"}},
		{name: "sqrt", args: []types.T{f64}, cols: cols(row("-1")), code: "2201F"},
		{name: "cbrt", args: []types.T{f64}, cols: cols(row("27")), want: []string{"3"}},
		{name: "power", args: []types.T{i32, i32}, cols: cols(row("2", "2"), row("10", "-1")), want: []string{"1024", "0.5"}},
		{name: "pow", args: []types.T{f64, f64}, cols: cols(row("0"), row("-1")), code: "2201F"},
		{name: "pow", args: []types.T{f64, f64}, cols: cols(row("-8"), row("0.5")), code: "2201F"},
		{name: "exp", args: []types.T{f64}, cols: cols(row("0")), want: []string{"1"}},
		{name: "exp", args: []types.T{f64}, cols: cols(row("1000")), code: sqlerr.NumericValueOutOfRange},
		{name: "ln", args: []types.T{f64}, cols: cols(row("1")), want: []string{"0"}},
		{name: "ln", args: []types.T{f64}, cols: cols(row("0")), code: "2201E"},
		{name: "log", args: []types.T{f64}, cols: cols(row("1000")), want: []string{"3"}},
		{name: "log", args: []types.T{f64, f64}, cols: cols(row("2"), row("8")), want: []string{"3"}},
		{name: "log10", args: []types.T{i64}, cols: cols(row("100")), want: []string{"2"}},
		{name: "log2", args: []types.T{f64}, cols: cols(row("8")), want: []string{"3"}},
		{name: "log2", args: []types.T{f64}, cols: cols(row("-8")), code: "2201E"},
		{name: "mod", args: []types.T{dec(3, 1), i32}, cols: cols(row("10.5"), row("3")), want: []string{"1.5"}},
		{name: "pi", args: nil, want: []string{"3.141592653589793"}},
		{name: "greatest", args: []types.T{i32, i64, unk}, cols: cols(row("1", "NULL", "NULL"), row("5", "NULL", "2"), row("3", "NULL", "NULL")), ret: i64, want: []string{"5", "NULL", "2"}},
		{name: "least", args: []types.T{dec(5, 2), i32}, cols: cols(row("1.50", "NULL"), row("1", "2")), want: []string{"1.00", "2.00"}},
		{name: "greatest", args: []types.T{txt, txt}, cols: cols(row("apple", "NULL"), row("pear", "NULL")), want: []string{"pear", "NULL"}},
		{name: "least", args: []types.T{dat, ts}, cols: cols(row("2020-01-02"), row("2020-01-01 12:00:00")), want: []string{"2020-01-01 12:00:00"}},
		{name: "greatest", args: []types.T{f64, f64}, cols: cols(row("1"), row("NaN")), want: []string{"NaN"}},
		{name: "least", args: []types.T{boo, boo}, cols: cols(row("t"), row("f")), want: []string{"false"}},
	})
	reg := New()
	sig, ok := reg.Lookup("random").Bind(nil)
	if !ok {
		t.Fatal("random() does not bind")
	}
	ctx := newTestCtx(t)
	res, err := sig.Kernel(ctx, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	vals := fixedValues[float64](res)
	for _, v := range vals {
		if v < 0 || v >= 1 {
			t.Errorf("random() = %v", v)
		}
	}
	if vals[0] == vals[1] && vals[1] == vals[2] {
		t.Error("random() repeats")
	}
	if reg.Lookup("random").Volatility != Volatile || reg.Lookup("now").Volatility != Stable || reg.Lookup("abs").Volatility != Immutable {
		t.Error("volatility")
	}
}
