package pgwire

import (
	"testing"

	"github.com/quarrydb/quarry/engine"
)

// The expected lines are what PostgreSQL 15's COPY TO writes for the same values (checked
// with psql's \copy against the reference server; the byte-level cases are in
// testdata/pgtest/copy.txt).
func TestAppendCopyText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		delim byte
		want  string
	}{
		{"plain", '\t', "plain"},
		{"a\tb", '\t', `a\tb`},
		{"l1\nl2\r", '\t', `l1\nl2\r`},
		{"back\\slash", '\t', `back\\slash`},
		{"\b\f\v", '\t', `\b\f\v`},
		{"\x01ctl", '\t', "\x01ctl"}, // unlettered control characters go as they are
		{"a|b", '|', `a\|b`},
		{"a\x01b", '\x01', "a\\\x01b"},
		{"ünï", ',', "ünï"},
	} {
		if got := string(appendCopyText(nil, []byte(tc.in), tc.delim)); got != tc.want {
			t.Errorf("%q (delimiter %q): got %q, want %q", tc.in, tc.delim, got, tc.want)
		}
	}
}

func TestAppendCSV(t *testing.T) {
	std := &engine.CopyOut{CSV: true, Delimiter: ',', Quote: '"', Escape: '"'}
	custom := &engine.CopyOut{CSV: true, Delimiter: ';', Quote: '\'', Escape: '\\'}
	for _, tc := range []struct {
		in     string
		o      *engine.CopyOut
		quote  bool
		single bool
		want   string
	}{
		{"plain", std, false, false, "plain"},
		{"a,b", std, false, false, `"a,b"`},
		{`say "hi"`, std, false, false, `"say ""hi"""`},
		{"two\nlines", std, false, false, "\"two\nlines\""},
		{"cr\r", std, false, false, "\"cr\r\""},
		{"forced", std, true, false, `"forced"`},
		{`\.`, std, false, true, `"\."`},
		{`\.`, std, false, false, `\.`},
		{"a,b", custom, false, false, "a,b"},
		{"a;b", custom, false, false, "'a;b'"},
		{`it's \x`, custom, false, false, `'it\'s \\x'`},
	} {
		if got := string(appendCSV(nil, []byte(tc.in), tc.o, tc.quote, tc.single)); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}
