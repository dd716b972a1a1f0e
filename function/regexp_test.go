package function

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestRegexFunctions(t *testing.T) {
	ta := types.ArrayT(txt)
	runScalarCases(t, []scalarCase{
		{name: "~", args: []types.T{txt, txt}, cols: cols(row("foobar", "foobar", "NULL", "a\nb"), row("^foo", "baz", "x", "a.b")), ret: boo, want: []string{"true", "false", "NULL", "true"}},
		{name: "~*", args: []types.T{txt, unk}, cols: cols(row("FooBar"), row("^foo")), want: []string{"true"}},
		{name: "!~", args: []types.T{txt, txt}, cols: cols(row("abc", "abc"), row("b", "z")), want: []string{"false", "true"}},
		{name: "!~*", args: []types.T{txt, txt}, cols: cols(row("ABC"), row("b")), want: []string{"false"}},
		{name: "~", args: []types.T{txt, txt}, cols: cols(row("x"), row("(")), code: sqlerr.InvalidRegularExpression},
		{name: "~", args: []types.T{txt, txt}, cols: cols(row("foo bar"), row(`\yba`)), want: []string{"true"}},
		{name: "~", args: []types.T{txt, txt}, cols: cols(row("x"), row(`(a)\1`)), code: sqlerr.InvalidRegularExpression},
		{name: "regexp_like", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m", "a\nb", "abc"), row(`\d+b`, "a.b", `\p{Alpha}+`)), ret: boo, want: []string{"true", "false", "true"}},
		{name: "regexp_like", args: []types.T{txt, txt, txt}, cols: cols(row("ABC", "a\nb"), row("b", "a.b"), row("i", "n")), want: []string{"true", "false"}},
		{name: "regexp_like", args: []types.T{txt, txt, txt}, cols: cols(row("ABC"), row("b"), row("z")), code: sqlerr.InvalidParameterValue},
		{name: "regexp_extract", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m", "none", "NULL"), row(`\d+`, `\d+`, `\d+`)), ret: txt, want: []string{"1", "NULL", "NULL"}},
		{name: "regexp_extract", args: []types.T{txt, txt, i32}, cols: cols(row("1a 2b 14m", "ab"), row(`(\d+)([a-z]+)`, `(a)|(b)`), row("2", "2")), want: []string{"a", "NULL"}},
		{name: "regexp_extract", args: []types.T{txt, txt, i64}, cols: cols(row("abc"), row("(a)"), row("2")), code: sqlerr.InvalidParameterValue},
		{name: "regexp_extract_all", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m", "xyz"), row(`\d+`, `\d`)), ret: ta, want: []string{"{1,2,14}", "{}"}},
		{name: "regexp_extract_all", args: []types.T{txt, txt, i32}, cols: cols(row("1a 2b 14m"), row(`(\d+)([a-z]+)`), row("2")), want: []string{"{a,b,m}"}},
		{name: "regexp_replace", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m"), row(`\d+[ab] `)), ret: txt, want: []string{"14m"}},
		{name: "regexp_replace", args: []types.T{txt, txt, txt}, cols: cols(row("1a 2b 14m", "abc", "abc", "abc"), row(`(\d+)([ab]) `, "(?P<x>b)", "b", "(b)"), row("3c$2 ", "[${x}]", `\$`, "$10")), want: []string{"3ca 3cb 14m", "a[b]c", "a$c", "ab0c"}},
		{name: "regexp_replace", args: []types.T{txt, txt, txt}, cols: cols(row("abc"), row("b"), row("$2")), code: sqlerr.InvalidParameterValue},
		{name: "regexp_replace", args: []types.T{txt, txt, txt, txt}, cols: cols(row("foobarbaz", "foobarbaz", "Hello World"), row("b(..)", "b(..)", "o"), row(`X\1Y`, `X\1Y\&`, "0"), row("", "g", "gi")), want: []string{"fooXarYbaz", "fooXarYbarXazYbaz", "Hell0 W0rld"}},
		{name: "regexp_replace", args: []types.T{txt, txt, txt, txt}, cols: cols(row("a"), row("a"), row("b"), row("q")), code: sqlerr.InvalidParameterValue},
		{name: "regexp_count", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m", ""), row(`\s*[a-z]+\s*`, "x")), ret: i64, want: []string{"3", "0"}},
		{name: "regexp_split", args: []types.T{txt, txt}, cols: cols(row("1a 2b 14m"), row(`\s`)), ret: ta, want: []string{"{1a,2b,14m}"}},
		{name: "regexp_split_to_array", args: []types.T{txt, txt}, cols: cols(row("hello world", "a1b22c"), row(`\s+`, `\d+`)), ret: ta, want: []string{"{hello,world}", "{a,b,c}"}},
		{name: "regexp_split_to_array", args: []types.T{txt, txt, txt}, cols: cols(row("aXbxc"), row("x"), row("i")), want: []string{"{a,b,c}"}},
		{name: "regexp_match", args: []types.T{txt, txt}, cols: cols(row("foobarbequebaz", "foobarbequebaz", "x"), row("(bar)(beque)", "barbeque", "y")), ret: ta, want: []string{"{bar,beque}", "{barbeque}", "NULL"}},
		{name: "regexp_match", args: []types.T{txt, txt}, cols: cols(row("ab"), row("(a)|(b)")), want: []string{"{a,NULL}"}},
	})
}

func TestRegexTranslate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		d    reDialect
		want string
	}{
		{`\p{Alpha}+[\p{Digit}x]`, reTrino, `[[:alpha:]]+[[:digit:]x]`},
		{`\P{Lower}`, reTrino, `[[:^lower:]]`},
		{`\p{L}`, reTrino, `\p{L}`},
		{`\yfoo\Y\Z`, rePG, `\bfoo\B\z`},
		{`[\y]`, rePG, `[\y]`},
		{`[]a]\d`, reTrino, `[\]a]\d`},
		{`[[:alpha:]\d]`, rePG, `[[:alpha:]\d]`},
	} {
		got, err := translateRegex(tt.in, tt.d)
		if err != nil || got != tt.want {
			t.Errorf("translateRegex(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestStringFunctionsMore(t *testing.T) {
	ta := types.ArrayT(txt)
	runScalarCases(t, []scalarCase{
		{name: "split", args: []types.T{txt, txt}, cols: cols(row("a.b.c", "", "a..b", "NULL"), row(".", ".", "..", ".")), ret: ta, want: []string{"{a,b,c}", `{""}`, "{a,b}", "NULL"}},
		{name: "split", args: []types.T{txt, txt, i32}, cols: cols(row("a.b.c", "a.b.c"), row(".", "."), row("2", "1")), want: []string{`{a,b.c}`, `{a.b.c}`}},
		{name: "split", args: []types.T{txt, txt}, cols: cols(row("abc"), row("")), code: sqlerr.InvalidParameterValue},
		{name: "split", args: []types.T{txt, txt, i64}, cols: cols(row("abc"), row("b"), row("0")), code: sqlerr.InvalidParameterValue},
		{name: "string_to_array", args: []types.T{txt, txt}, cols: cols(row("xx~^~yy~^~zz", "", "abc"), row("~^~", ",", "")), ret: ta, want: []string{"{xx,yy,zz}", "{}", "{abc}"}},
		{name: "string_to_array", args: []types.T{txt, txt, txt}, cols: cols(row("a,*,c"), row(","), row("*")), want: []string{"{a,NULL,c}"}},
		{name: "translate", args: []types.T{txt, txt, txt}, cols: cols(row("12345", "héllo"), row("143", "él"), row("ax", "E")), ret: txt, want: []string{"a2x5", "hEo"}},
		{name: "to_hex", args: []types.T{i32}, cols: cols(row("255", "-1", "NULL")), ret: txt, want: []string{"ff", "ffffffff", "NULL"}},
		{name: "to_hex", args: []types.T{i64}, cols: cols(row("-1", "9223372036854775807")), want: []string{"ffffffffffffffff", "7fffffffffffffff"}},
		{name: "to_hex", args: []types.T{types.ByteaT}, cols: cols(row(`\x00ab`)), want: []string{"00AB"}},
		{name: "from_hex", args: []types.T{txt}, cols: cols(row("00aB", "")), ret: types.ByteaT, want: []string{`\x00ab`, `\x`}},
		{name: "from_hex", args: []types.T{txt}, cols: cols(row("0g")), code: sqlerr.InvalidParameterValue},
		{name: "from_hex", args: []types.T{txt}, cols: cols(row("abc")), code: sqlerr.InvalidParameterValue},
		{name: "levenshtein_distance", args: []types.T{txt, txt}, cols: cols(row("kitten", "", "héllo", "abc"), row("sitting", "abc", "hello", "abc")), ret: i64, want: []string{"3", "3", "1", "0"}},
		{name: "levenshtein", args: []types.T{txt, txt}, cols: cols(row("flaw"), row("lawn")), want: []string{"2"}},
		{name: "url_extract_host", args: []types.T{txt}, cols: cols(row("https://user@example.com:8080/a/b?x=1&y=2#frag", "::bad")), ret: txt, want: []string{"example.com", "NULL"}},
		{name: "url_extract_path", args: []types.T{txt}, cols: cols(row("https://example.com:8080/a/b?x=1")), want: []string{"/a/b"}},
		{name: "url_extract_protocol", args: []types.T{txt}, cols: cols(row("https://example.com/")), want: []string{"https"}},
		{name: "url_extract_query", args: []types.T{txt}, cols: cols(row("https://example.com/?x=1&y=2")), want: []string{"x=1&y=2"}},
		{name: "url_extract_fragment", args: []types.T{txt}, cols: cols(row("https://example.com/#top")), want: []string{"top"}},
		{name: "url_extract_parameter", args: []types.T{txt, txt}, cols: cols(row("https://e.com/?x=1&y=a%20b", "https://e.com/?x=1"), row("y", "z")), want: []string{"a b", "NULL"}},
		{name: "url_extract_port", args: []types.T{txt}, cols: cols(row("https://e.com:8080/", "https://e.com/", "NULL")), ret: i64, want: []string{"8080", "NULL", "NULL"}},
	})
}
