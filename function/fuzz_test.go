package function

import (
	"regexp"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// FuzzParseDateTime checks that date and timestamp input never panic, fail only with
// coded errors, and that output reads back to the same value.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2020-01-02", "20200102", "01/02/2020", "0044-03-15 BC", "2020-01-02 03:04:05.123456",
		"2020-01-02T03:04:05Z", "2020-01-02 03:04:05+05:30", "2020-01-02 24:00:00", "epoch", "294246-12-31", "4714-11-24 BC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDate(s); err != nil {
			if c := sqlerr.Code(err); c != sqlerr.InvalidDatetimeFormat && c != sqlerr.DatetimeFieldOverflow {
				t.Fatalf("ParseDate(%q): %v", s, err)
			}
		} else if back, err := ParseDate(string(AppendDate(nil, d))); err != nil || back != d {
			t.Fatalf("date %q → %s → %d, %v", s, AppendDate(nil, d), back, err)
		}
		if us, err := ParseTimestamp(s); err != nil {
			if c := sqlerr.Code(err); c != sqlerr.InvalidDatetimeFormat && c != sqlerr.DatetimeFieldOverflow {
				t.Fatalf("ParseTimestamp(%q): %v", s, err)
			}
		} else if back, err := ParseTimestamp(string(AppendTimestamp(nil, us))); err != nil || back != us {
			t.Fatalf("timestamp %q → %s → %d, %v", s, AppendTimestamp(nil, us), back, err)
		}
		if us, err := ParseTimestampTZ(s, nil); err == nil {
			if back, err := ParseTimestampTZ(string(AppendTimestampTZ(nil, us, nil)), nil); err != nil || back != us {
				t.Fatalf("timestamptz %q → %s → %d, %v", s, AppendTimestampTZ(nil, us, nil), back, err)
			}
		}
	})
}

// likeRegexp translates a LIKE pattern to an anchored regular expression, the reference
// the matcher is checked against.
func likeRegexp(p string) (*regexp.Regexp, bool) {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '%':
			b.WriteString(`.*`)
		case '_':
			b.WriteString(`.`)
		case '\\':
			if i+1 == len(rs) {
				return nil, false
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		}
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	return re, err == nil
}

// FuzzLikeMatch checks the LIKE matcher (all of its shapes) against a regular expression.
func FuzzLikeMatch(f *testing.F) {
	for _, c := range [][2]string{{"abc", "a%c"}, {"mississippi", "m%iss%pi"}, {"a", "a%a"}, {"日本語", "_本%"}, {"100%", `100\%`},
		{"xyz", "%x%y%z%"}, {"", "%"}, {"aaab", "%a_b"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, p string) {
		if !utf8Valid(s) || !utf8Valid(p) {
			return
		}
		re, ok := likeRegexp(p)
		m, err := compileLike([]byte(p))
		if !ok {
			if err == nil && strings.HasSuffix(p, `\`) {
				t.Fatalf("pattern %q ending in an escape compiled", p)
			}
			return
		}
		if err != nil {
			t.Fatalf("compileLike(%q): %v", p, err)
		}
		if got, want := m.match([]byte(s)), re.MatchString(s); got != want {
			t.Fatalf("%q LIKE %q = %v, want %v (kind %d)", s, p, got, want, m.kind)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }
