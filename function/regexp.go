package function

import (
	"regexp"
	"strings"
	"sync"

	"github.com/quarrydb/quarry/sqlerr"
)

// Regular expressions run on Go's RE2 engine (linear time, no backtracking), so the
// features RE2 lacks — backreferences, lookaround, possessive quantifiers — are errors
// (2201B invalid regular expression) in both dialects. Patterns are read in one of two
// dialects:
//
//   - Trino (regexp_like, regexp_extract, regexp_extract_all, regexp_replace with two or
//     three arguments, regexp_count, regexp_split): Java syntax; '.' does not match a
//     newline. Java's POSIX classes \p{Alpha}, \p{Digit}, ... are rewritten to RE2's.
//   - PostgreSQL (the ~ ~* !~ !~* operators, regexp_replace with flags, regexp_like with
//     flags, regexp_match, regexp_split_to_array): ARE syntax; '.' matches a newline unless
//     the 'n' flag is given. \y \Y \m \M \A \Z are rewritten to RE2's \b \B \b \b \A \z (\m
//     and \M become plain word boundaries, RE2 having no lookaround).
//
// Compiled patterns are cached process-wide (patterns are almost always constants, so one
// compile serves every batch of a query).

type reDialect uint8

const (
	reTrino reDialect = iota
	rePG
)

// reOpts are the options a pattern is compiled with.
type reOpts struct {
	dialect  reDialect
	fold     bool // case-insensitive
	newlines bool // PostgreSQL's 'n': '.' and [^...] do not match newline, ^ $ match at lines
}

type reKey struct {
	pat  string
	opts reOpts
}

const reCacheMax = 1024

var reCache struct {
	sync.Mutex
	m map[reKey]*regexp.Regexp
}

// compileRegex compiles pat (cached). Errors are 2201B.
func compileRegex(pat []byte, opts reOpts) (*regexp.Regexp, error) {
	k := reKey{string(pat), opts}
	reCache.Lock()
	re, ok := reCache.m[k]
	reCache.Unlock()
	if ok {
		return re, nil
	}
	src, err := translateRegex(k.pat, opts.dialect)
	if err != nil {
		return nil, err
	}
	var flags string
	if opts.fold {
		flags += "i"
	}
	switch {
	case opts.dialect == rePG && !opts.newlines:
		flags += "s"
	case opts.newlines:
		flags += "m"
	}
	if flags != "" {
		src = "(?" + flags + ")" + src
	}
	re, err = regexp.Compile(src)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidRegularExpression, "invalid regular expression: %s", reErrText(err))
	}
	reCache.Lock()
	if reCache.m == nil || len(reCache.m) >= reCacheMax {
		reCache.m = make(map[reKey]*regexp.Regexp)
	}
	reCache.m[k] = re
	reCache.Unlock()
	return re, nil
}

// reErrText drops the Go package prefix from a regexp syntax error.
func reErrText(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

// javaPosix maps Java's \p{Name} POSIX classes to RE2's [:name:].
var javaPosix = map[string]string{
	"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha", "Digit": "digit",
	"Alnum": "alnum", "Punct": "punct", "Graph": "graph", "Print": "print", "Blank": "blank",
	"Cntrl": "cntrl", "XDigit": "xdigit", "Space": "space",
}

// translateRegex rewrites the escapes of a dialect that RE2 spells differently. It walks
// the pattern once, tracking whether it is inside a bracket expression; everything it does
// not recognize is passed through for RE2 to accept or reject.
func translateRegex(p string, d reDialect) (string, error) {
	if !strings.Contains(p, `\`) {
		return p, nil
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			// A ']' first in the class is a literal.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
			continue
		case c == '[' && inClass && i+1 < len(p) && p[i+1] == ':':
			// A POSIX class inside brackets: copy through its closing ":]".
			if end := strings.Index(p[i+2:], ":]"); end >= 0 {
				b.WriteString(p[i : i+2+end+2])
				i += 2 + end + 1
				continue
			}
		case c == ']' && inClass:
			inClass = false
		case c == '\\' && i+1 < len(p):
			e := p[i+1]
			if d == reTrino && (e == 'p' || e == 'P') && i+2 < len(p) && p[i+2] == '{' {
				end := strings.IndexByte(p[i+3:], '}')
				if end >= 0 {
					if cls, ok := javaPosix[strings.TrimPrefix(p[i+3:i+3+end], "Is")]; ok {
						neg := ""
						if e == 'P' {
							neg = "^"
						}
						if inClass {
							b.WriteString("[:" + neg + cls + ":]")
						} else {
							b.WriteString("[[:" + neg + cls + ":]]")
						}
						i += 3 + end
						continue
					}
				}
			}
			if d == rePG && !inClass {
				switch e {
				case 'y', 'm', 'M':
					b.WriteString(`\b`)
					i++
					continue
				case 'Y':
					b.WriteString(`\B`)
					i++
					continue
				case 'Z':
					b.WriteString(`\z`)
					i++
					continue
				}
			}
			if d == reTrino && e == 'Z' && !inClass {
				b.WriteString(`\z`)
				i++
				continue
			}
			b.WriteByte(c)
			b.WriteByte(e)
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// parsePGFlags reads PostgreSQL's regexp flags: g (global), i, c, n, m (= n), p, w, s, t.
func parsePGFlags(f []byte) (opts reOpts, global bool, err error) {
	opts.dialect = rePG
	for _, c := range f {
		switch c {
		case 'g':
			global = true
		case 'i':
			opts.fold = true
		case 'c':
			opts.fold = false
		case 'n', 'm', 'p', 'w':
			opts.newlines = true
		case 's', 't':
			opts.newlines = false
		default:
			return opts, false, sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", c)
		}
	}
	return opts, global, nil
}

// replTok is one piece of a parsed replacement string: literal text, or a group (-1 for
// the whole match).
type replTok struct {
	lit   string
	group int
	isRef bool
}

// parseJavaReplacement parses a Trino replacement: $n (the longest group number that
// exists, as Java reads it), ${name}, and backslash escaping the next character.
func parseJavaReplacement(r string, re interface {
	NumSubexp() int
	SubexpIndex(string) int
}) ([]replTok, error) {
	var toks []replTok
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, replTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\':
			if i+1 == len(r) {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Illegal replacement sequence: character to be escaped is missing")
			}
			i++
			lit.WriteByte(r[i])
		case c == '$':
			if i+1 < len(r) && r[i+1] == '{' {
				end := strings.IndexByte(r[i+2:], '}')
				if end < 0 {
					return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Illegal replacement sequence: unclosed group name")
				}
				name := r[i+2 : i+2+end]
				g := re.SubexpIndex(name)
				if g < 0 {
					return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Illegal replacement sequence: unknown group { %s }", name)
				}
				flush()
				toks = append(toks, replTok{group: g, isRef: true})
				i += 2 + end
				continue
			}
			if i+1 == len(r) || r[i+1] < '0' || r[i+1] > '9' {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Illegal replacement sequence: invalid group reference")
			}
			g := int(r[i+1] - '0')
			if g > re.NumSubexp() {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "Illegal replacement sequence: unknown group %d", g)
			}
			i++
			for i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9' {
				ng := g*10 + int(r[i+1]-'0')
				if ng > re.NumSubexp() {
					break
				}
				g = ng
				i++
			}
			flush()
			toks = append(toks, replTok{group: g, isRef: true})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return toks, nil
}

// parsePGReplacement parses a PostgreSQL replacement: \1 .. \9, \& (the whole match) and
// \\; a backslash before anything else is kept literally. References to groups the
// pattern lacks are empty.
func parsePGReplacement(r string) []replTok {
	var toks []replTok
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, replTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c != '\\' || i+1 == len(r) {
			lit.WriteByte(c)
			continue
		}
		e := r[i+1]
		switch {
		case e >= '1' && e <= '9':
			flush()
			toks = append(toks, replTok{group: int(e - '0'), isRef: true})
		case e == '&':
			flush()
			toks = append(toks, replTok{group: 0, isRef: true})
		case e == '\\':
			lit.WriteByte('\\')
		default:
			lit.WriteByte('\\')
			lit.WriteByte(e)
		}
		i++
	}
	flush()
	return toks
}

// appendReplacement appends a replacement for the match with submatch indices m in src.
func appendReplacement(dst []byte, toks []replTok, src []byte, m []int) []byte {
	for _, t := range toks {
		if !t.isRef {
			dst = append(dst, t.lit...)
			continue
		}
		if 2*t.group+1 < len(m) && m[2*t.group] >= 0 {
			dst = append(dst, src[m[2*t.group]:m[2*t.group+1]]...)
		}
	}
	return dst
}
