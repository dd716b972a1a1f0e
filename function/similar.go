package function

import (
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
)

// SQL's SIMILAR TO is a regular expression dialect of its own. As PostgreSQL does, the
// parser turns `s SIMILAR TO p [ESCAPE e]` into `s ~ similar_to_escape(p[, e])`, and
// similar_to_escape translates the SQL pattern into an anchored POSIX one that the regex
// operators run: % is .*, _ is ., ( opens a non-capturing group, the escape character
// (default backslash) quotes the next one, and the POSIX-only metacharacters . ^ $ \ are
// quoted. Bracket expressions pass through unchanged.

// similarKernel is similar_to_escape(pattern[, escape]).
func similarKernel(arity int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		pats := viewBytes(args[0])
		var escs byteView
		if arity == 2 {
			escs = viewBytes(args[1])
		}
		return textRows(ctx, args, n, 8*n, func(dst []byte, i int) ([]byte, error) {
			esc, hasEsc := '\\', true
			if arity == 2 {
				e := escs.at(i)
				r, w := utf8.DecodeRune(e)
				switch {
				case len(e) == 0:
					hasEsc = false
				case w != len(e):
					return nil, sqlerr.New("22025", "invalid escape string").
						WithHint("Escape string must be empty or one character.")
				default:
					esc = r
				}
			}
			return similarToPOSIX(dst, pats.at(i), esc, hasEsc)
		})
	}
}

// similarToPOSIX appends the POSIX form of the SQL pattern p to dst.
func similarToPOSIX(dst, p []byte, esc rune, hasEsc bool) ([]byte, error) {
	dst = append(dst, "^(?:"...)
	afterEsc, inClass := false, false
	classPos := 0 // characters since the bracket opened ([ and ^ included), for a leading ]
	quotes := 0
	for len(p) > 0 {
		c, w := utf8.DecodeRune(p)
		ch := p[:w]
		p = p[w:]
		switch {
		case afterEsc:
			afterEsc = false
			if c == '"' && !inClass {
				// Escape-double-quote separates the parts substring(... SIMILAR ...) returns.
				switch quotes {
				case 0:
					dst = append(dst, "){1,1}?("...)
				case 1:
					dst = append(dst, "){1,1}(?:"...)
				default:
					return nil, sqlerr.New("2200C",
						"SQL regular expression may not contain more than two escape-double-quote separators")
				}
				quotes++
				continue
			}
			dst = append(dst, '\\')
			dst = append(dst, ch...)
		case hasEsc && c == esc:
			afterEsc = true
		case inClass:
			if c == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, ch...)
			classPos++
			if c == ']' && classPos > 1 && !(classPos == 2 && classCaret(dst)) {
				inClass = false
			}
		case c == '[':
			dst = append(dst, '[')
			inClass, classPos = true, 0
		case c == '%':
			dst = append(dst, '.', '*')
		case c == '_':
			dst = append(dst, '.')
		case c == '(':
			dst = append(dst, "(?:"...)
		case c == '\\' || c == '.' || c == '^' || c == '$':
			dst = append(dst, '\\', byte(c))
		default:
			dst = append(dst, ch...)
		}
	}
	return append(dst, ")$"...), nil
}

// classCaret reports whether the bracket expression just written to dst began with ^, so
// that a ] right after [^ is a member, not the end.
func classCaret(dst []byte) bool {
	n := len(dst)
	return n >= 3 && dst[n-3] == '[' && dst[n-2] == '^'
}
