package function

import "testing"

func TestFormatText(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		f    string
		args []*string
		want string
		err  bool
	}{
		{"%s", []*string{s("int4")}, "int4", false},
		{"%I.%I", []*string{s("conformance"), s("items")}, "conformance.items", false},
		{"%I.%I", []*string{s("My Schema"), s("select")}, `"My Schema"."select"`, false},
		{`"%s"."%s"`, []*string{s("a"), s("b")}, `"a"."b"`, false},
		{"%L and %L", []*string{s("it's"), nil}, "'it''s' and NULL", false},
		{"%L", []*string{s(`a\b`)}, `E'a\\b'`, false},
		{"%s|%s", []*string{nil, s("x")}, "|x", false},
		{"%2$s %1$s %s", []*string{s("a"), s("b"), s("c")}, "b a b", false},
		{"100%%", nil, "100%", false},
		{"%I", []*string{nil}, "", true},
		{"%s %s", []*string{s("a")}, "", true},
		{"%d", []*string{s("1")}, "", true},
		{"%", nil, "", true},
	} {
		got, err := formatText(c.f, c.args)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("format(%q): got %q, %v; want %q (error %v)", c.f, got, err, c.want, c.err)
		}
	}
}
