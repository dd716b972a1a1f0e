package sql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
)

// UnquoteString decodes a Hive string literal, quotes included ('a\tb' or "a\tb"), as
// Hive's DDL reads it: a doubled quote stands for one, and backslash escapes follow Hive's
// unescapeSQLString (\n \t \r \b \0 \Z \' \" \\, \ooo octal for 000-177, \uXXXX; \% and \_
// keep their backslash for LIKE; any other escaped character stands for itself).
func UnquoteString(lit string) (string, error) {
	if len(lit) < 2 || (lit[0] != '\'' && lit[0] != '"') || lit[len(lit)-1] != lit[0] {
		return "", sqlerr.New(sqlerr.SyntaxError, "invalid string literal %s", lit)
	}
	if end, ok := quotedEnd(lit, 0, lit[0], true); !ok || end != len(lit) {
		return "", sqlerr.New(sqlerr.SyntaxError, "invalid string literal %s", lit)
	}
	return unescapeHive(lit[1:len(lit)-1], lit[0]), nil
}

// QuoteString returns s as a single-quoted Hive string literal that UnquoteString reads
// back as s. Control characters are written as escapes so SHOW CREATE TABLE output stays on
// one line per clause (a field delimiter of \001 is common).
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u`)
				h := strconv.FormatInt(int64(r), 16)
				b.WriteString(strings.Repeat("0", 4-len(h)))
				b.WriteString(h)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// QuoteIdent returns name as Hive writes an identifier: bare when it is a plain lower-case
// identifier, in backquotes otherwise (a backquote inside is doubled).
func QuoteIdent(name string) string {
	if isPlainIdent(name) {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// isPlainIdent reports whether name needs no quotes: [a-z_][a-z0-9_]*.
func isPlainIdent(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' || c >= 'a' && c <= 'z' || i > 0 && isDigit(c) {
			continue
		}
		return false
	}
	return true
}

// unescapeHive decodes the content of a string literal whose quote is q.
func unescapeHive(s string, q byte) string {
	if strings.IndexByte(s, '\\') < 0 && strings.IndexByte(s, q) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == q && i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		// Hive reads \ooo only for a first digit 0 or 1, so the byte stays ASCII.
		if i+3 < len(s) && (n == '0' || n == '1') && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((n-'0')*64 + (s[i+2]-'0')*8 + (s[i+3] - '0'))
			i += 3
			continue
		}
		if n == 'u' && i+5 < len(s) {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
				b.WriteRune(rune(v))
				i += 5
				continue
			}
		}
		i++
		switch n {
		case '0':
			b.WriteByte(0)
		case 'b':
			b.WriteByte('\b')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'Z':
			b.WriteByte(0x1a)
		case '%', '_':
			b.WriteByte('\\')
			b.WriteByte(n)
		default:
			b.WriteByte(n)
		}
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
