package function

import (
	"testing"

	"github.com/quarrydb/quarry/types"
)

// TestSimilarToEscape checks the SQL-to-POSIX translation against PostgreSQL 15's
// similar_to_escape.
func TestSimilarToEscape(t *testing.T) {
	reg := New()
	cases := []struct{ pattern, esc, want string }{
		{`a%`, "", `^(?:a.*)$`},
		{`a.b_c|d(e)`, "", `^(?:a\.b.c|d(?:e))$`},
		{`a\%b`, "", `^(?:a\%b)$`},
		{`x$^y`, "", `^(?:x\$\^y)$`},
		{`a{2}b+c*`, "", `^(?:a{2}b+c*)$`},
		{`[^%]x`, "", `^(?:[^%]x)$`},
		{`[]a]%`, "", `^(?:[]a].*)$`},
		{`[^]a]`, "", `^(?:[^]a])$`},
		{`a"b`, "", `^(?:a"b)$`},
		{`a\"b\"c`, "", `^(?:a){1,1}?(b){1,1}(?:c)$`},
		{`a\`, "", `^(?:a)$`},
		{`[a-c]%#_x`, "#", `^(?:[a-c].*\_x)$`},
		{`a\b%`, "#", `^(?:a\\b.*)$`},
		{`a%`, "-", `^(?:a.*)$`},
	}
	for _, c := range cases {
		var got callResult
		if c.esc == "" {
			got = call(t, reg, "similar_to_escape", []types.T{txt}, row(c.pattern))
		} else {
			got = call(t, reg, "similar_to_escape", []types.T{txt, txt}, row(c.pattern), row(c.esc))
		}
		if got.err != nil || got.out[0] != c.want {
			t.Errorf("similar_to_escape(%q, %q) = %v (%v), want %s", c.pattern, c.esc, got.out, got.err, c.want)
		}
	}
	if got := call(t, reg, "similar_to_escape", []types.T{txt, txt}, row("a"), row("xy")); got.code != "22025" {
		t.Errorf("a two-character escape: got %v, want 22025", got.err)
	}
	if got := call(t, reg, "similar_to_escape", []types.T{txt, txt}, row("a"), row("")); got.err != nil || got.out[0] != `^(?:a)$` {
		t.Errorf("an empty escape: got %v (%v)", got.out, got.err)
	}
	if got := call(t, reg, "similar_to_escape", []types.T{txt}, row(`\"a\"b\"c`)); got.code != "2200C" {
		t.Errorf("three escape-double-quotes: got %v, want 2200C", got.err)
	}
}
