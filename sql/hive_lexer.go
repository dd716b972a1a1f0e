package sql

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
)

// tokKind is the class of a Hive DDL token.
type tokKind uint8

const (
	tkEOF    tokKind = iota
	tkWord           // a bare word: keyword or unquoted identifier
	tkQuoted         // "identifier" or `identifier`
	tkString         // 'string'
	tkNumber         // 123, 1.5, 1e3
	tkPunct          // any other single character: ( ) , . ; = < > : and the rest
)

// token is one lexeme of a Hive DDL statement. text is the source text, val the decoded
// value (a string's or quoted identifier's content); pos and end are byte offsets in the
// source.
type token struct {
	kind     tokKind
	text     string
	val      string
	pos, end int
	quote    byte // the opening quote of a tkQuoted or tkString token
}

// is reports whether t is the bare word kw (case-insensitive). Keywords are never quoted:
// `location` is an identifier, LOCATION a keyword.
func (t token) is(kw string) bool {
	return t.kind == tkWord && strings.EqualFold(t.text, kw)
}

// hiveLex splits src into tokens, dropping whitespace and comments. On an error it returns
// the tokens read so far with the error. The last token is always tkEOF.
func hiveLex(src string) ([]token, *sqlerr.Error) {
	l := &lexer{src: src}
	var toks []token
	for {
		t := l.next()
		toks = append(toks, t)
		if t.kind == tkEOF {
			return toks, l.err
		}
	}
}

// lexer reads the tokens of src one at a time, so that routing can look at a statement's
// first words without reading the rest of a long query.
type lexer struct {
	src string
	i   int
	err *sqlerr.Error
}

// next returns the next token, or tkEOF at the end of the text or after an error (then in
// l.err).
func (l *lexer) next() token {
	eof := token{kind: tkEOF, pos: len(l.src), end: len(l.src)}
	if l.err != nil {
		return eof
	}
	start, ok := skipSpaceAndComments(l.src, l.i)
	if !ok {
		// An unterminated /* comment runs to the end of the input.
		l.err = lexError(l.src, start, "unterminated /* comment at or near \"%s\"", l.src[start:])
		return eof
	}
	if start >= len(l.src) {
		l.i = start
		return eof
	}
	t, err := lexOne(l.src, start)
	if err != nil {
		l.err = err
		return eof
	}
	l.i = t.end
	return t
}

// tokenStream buffers a lexer's tokens for look-ahead by index.
type tokenStream struct {
	l    lexer
	toks []token
}

// at returns token i, or tkEOF past the end.
func (s *tokenStream) at(i int) token {
	for len(s.toks) <= i {
		if n := len(s.toks); n > 0 && s.toks[n-1].kind == tkEOF {
			return s.toks[n-1]
		}
		s.toks = append(s.toks, s.l.next())
	}
	return s.toks[i]
}

// skipSpaceAndComments returns the offset of the next token at or after i, with ok true;
// when a block comment is not closed it returns where that comment starts, with ok false.
// Block comments nest, as in PostgreSQL; Hive does not nest them, but a nested opener
// inside a Hive comment is vanishingly rare and PostgreSQL's rule keeps the two splitters of
// this package in agreement.
func skipSpaceAndComments(src string, i int) (next int, ok bool) {
	for i < len(src) {
		c := src[i]
		switch {
		case isSpace(c):
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			nl := strings.IndexByte(src[i:], '\n')
			if nl < 0 {
				return len(src), true
			}
			i += nl + 1
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := blockCommentEnd(src, i)
			if end < 0 {
				return i, false
			}
			i = end
		default:
			return i, true
		}
	}
	return i, true
}

// blockCommentEnd returns the offset just past the (nested) block comment that starts at i,
// or -1 when it is not closed.
func blockCommentEnd(src string, i int) int {
	depth := 0
	for i < len(src) {
		switch {
		case strings.HasPrefix(src[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(src[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return -1
}

// isSpace is PostgreSQL's (and Hive's) notion of white space; a non-ASCII space is not one.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isWordStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && unicode.IsLetter(r)
}

func isWordPart(r rune) bool {
	return isWordStart(r) || r >= '0' && r <= '9' || r == '$' || r >= 0x80 && unicode.IsDigit(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexOne reads the token that starts at src[i] (not a space or comment).
func lexOne(src string, i int) (token, *sqlerr.Error) {
	c := src[i]
	switch {
	case c == '\'':
		end, ok := quotedEnd(src, i, '\'', true)
		if !ok {
			return token{}, lexError(src, i, "unterminated quoted string at or near \"%s\"", src[i:])
		}
		return token{kind: tkString, text: src[i:end], val: unescapeHive(src[i+1:end-1], '\''), pos: i, end: end, quote: '\''}, nil
	case c == '"' || c == '`':
		// A backslash escapes only in a "..." token, which Hive reads as a string.
		end, ok := quotedEnd(src, i, c, c == '"')
		if !ok {
			return token{}, lexError(src, i, "unterminated quoted identifier at or near \"%s\"", src[i:])
		}
		return token{kind: tkQuoted, text: src[i:end], val: src[i+1 : end-1], pos: i, end: end, quote: c}, nil
	case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
		return token{kind: tkNumber, text: src[i:numberEnd(src, i)], pos: i, end: numberEnd(src, i)}, nil
	}
	r, size := utf8.DecodeRuneInString(src[i:])
	if isWordStart(r) {
		j := i + size
		for j < len(src) {
			r, size := utf8.DecodeRuneInString(src[j:])
			if !isWordPart(r) {
				break
			}
			j += size
		}
		return token{kind: tkWord, text: src[i:j], pos: i, end: j}, nil
	}
	return token{kind: tkPunct, text: src[i : i+size], pos: i, end: i + size}, nil
}

// quotedEnd returns the offset just past the quoted token that starts at src[i] with quote
// q. A doubled quote stands for itself; with backslash set, a backslash escapes the next
// byte, as Hive reads strings.
func quotedEnd(src string, i int, q byte, backslash bool) (int, bool) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(src), false
}

func numberEnd(src string, i int) int {
	j := i
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	if j < len(src) && src[j] == '.' {
		j++
		for j < len(src) && isDigit(src[j]) {
			j++
		}
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			for k < len(src) && isDigit(src[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// charPos turns a byte offset in src into the 1-based character position PostgreSQL
// reports.
func charPos(src string, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return utf8.RuneCountInString(src[:off]) + 1
}

func lexError(src string, off int, format string, args ...any) *sqlerr.Error {
	return sqlerr.New(sqlerr.SyntaxError, format, args...).WithPosition(charPos(src, off))
}
