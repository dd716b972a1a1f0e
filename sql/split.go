package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Piece is one statement of a query string.
type Piece struct {
	// SQL is the statement's text without the ';' that ends it and without the white space
	// around it; comments before it are kept.
	SQL string
	// Offset is the byte offset of SQL in the query string.
	Offset int
	// Empty is true when SQL has only comments and white space.
	Empty bool
}

// Split cuts a query string into its statements at the ';' that end them. A ';' inside a
// string, quoted identifier, comment, dollar-quoted string or parentheses does not end a
// statement. Empty statements (";;", a trailing comment) are dropped, as PostgreSQL drops
// them; a query with no statement at all gives one Empty piece, which pgwire answers with
// EmptyQueryResponse.
//
// Split uses PostgreSQL's own scanner (through pg_query) and falls back to a splitter of
// this package that also knows Hive's lexical rules when the scanner fails or when the PG
// and Hive readings may differ (see needsHiveSplit). Split does not check syntax: a piece
// that is not a valid statement is reported by Parse. The only errors are for text that is
// not UTF-8.
func Split(query string) ([]Piece, error) {
	if err := checkEncoding(query); err != nil {
		return nil, err
	}
	spans, ok := splitPG(query)
	if !ok {
		spans = splitHive(query)
	}
	var pieces []Piece
	for _, s := range spans {
		if p := makePiece(query, s); !p.Empty {
			pieces = append(pieces, p)
		}
	}
	if len(pieces) == 0 {
		p := makePiece(query, span{0, len(query), false})
		p.Empty = true
		pieces = append(pieces, p)
	}
	return pieces, nil
}

// span is a statement's byte range in the query, ';' excluded; content is false when it
// holds only comments and white space.
type span struct {
	start, end int
	content    bool
}

func makePiece(query string, s span) Piece {
	start, end := s.start, s.end
	for start < end && isSpace(query[start]) {
		start++
	}
	for end > start && isSpace(query[end-1]) {
		end--
	}
	return Piece{SQL: query[start:end], Offset: start, Empty: !s.content}
}

// splitPG splits with pg_query's scanner. It keeps pg_query's rule for parentheses (a ';'
// inside them does not split) but not its habit of dropping a piece without a keyword:
// "SELEC 1" must reach the parser to be reported. ok is false when the scanner failed or
// the query needs Hive's lexical rules.
func splitPG(query string) (spans []span, ok bool) {
	res, err := pg_query.Scan(query)
	if err != nil {
		return nil, false
	}
	cur := span{}
	depth := 0
	for _, t := range res.GetTokens() {
		start, end := int(t.GetStart()), int(t.GetEnd())
		if start < 0 || end > len(query) || start > end {
			return nil, false
		}
		switch t.GetToken() {
		case pg_query.Token_SQL_COMMENT, pg_query.Token_C_COMMENT:
			continue
		case pg_query.Token_ASCII_40: // (
			depth++
		case pg_query.Token_ASCII_41: // )
			// A stray ')' is a syntax error for the parser to report; it must not stop
			// every later ';' from splitting.
			depth = max(depth-1, 0)
		case pg_query.Token_ASCII_59: // ;
			if depth == 0 {
				cur.end = start
				spans = append(spans, cur)
				cur = span{start: end}
				continue
			}
		case pg_query.Token_Op:
			// PostgreSQL reads a backquote as an operator; only Hive DDL has them, and
			// there they quote a name that may hold a ';'.
			if strings.ContainsRune(query[start:end], '`') {
				return nil, false
			}
		}
		cur.content = true
	}
	cur.end = len(query)
	spans = append(spans, cur)
	for _, s := range spans {
		if needsHiveSplit(query[s.start:s.end]) {
			return nil, false
		}
	}
	return spans, true
}

// needsHiveSplit reports whether a statement that PostgreSQL's scanner delimited may have
// been cut differently by Hive's rules: it is Hive DDL and has a backslash before a quote,
// which Hive reads as an escaped quote and PostgreSQL as the end of the string.
func needsHiveSplit(stmt string) bool {
	return strings.Contains(stmt, `\'`) && hiveOwns(stmt)
}

// splitHive is the fallback splitter. It knows '...' strings (with doubled quotes and
// backslash escapes, as Hive reads them; E'...' is the same), "..." and `...` quoted
// names, dollar quotes, -- and nested /* */ comments, and parentheses. An unterminated
// construct runs to the end of the query, where Parse will report it.
func splitHive(query string) []span {
	var spans []span
	cur := span{}
	depth := 0
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			if nl := strings.IndexByte(query[i:], '\n'); nl >= 0 {
				i += nl + 1
			} else {
				i = len(query)
			}
			continue
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			if end := blockCommentEnd(query, i); end >= 0 {
				i = end
				continue
			}
			// An unterminated comment is content: Parse must see it to report it.
			i = len(query)
		case c == '\'' || c == '"' || c == '`':
			end, _ := quotedEnd(query, i, c, c != '`')
			i = end
		case c == '$':
			if tag := dollarTag(query, i); tag != "" {
				if end := strings.Index(query[i+len(tag):], tag); end >= 0 {
					i += len(tag) + end + len(tag)
				} else {
					i = len(query)
				}
			} else {
				i++
			}
		case c == '(':
			depth++
			i++
		case c == ')':
			depth = max(depth-1, 0)
			i++
		case c == ';' && depth == 0:
			cur.end = i
			spans = append(spans, cur)
			i++
			cur = span{start: i}
			continue
		default:
			// A word is skipped whole, so that the '$' in an identifier like a$b$ is not
			// taken for a dollar quote.
			i = wordEnd(query, i)
		}
		cur.content = true
	}
	cur.end = len(query)
	return append(spans, cur)
}

// dollarTag returns the dollar-quote opener ($$ or $tag$) at query[i], or "".
func dollarTag(query string, i int) string {
	j := i + 1
	for j < len(query) {
		c := query[j]
		if c == '$' {
			return query[i : j+1]
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || j > i+1 && isDigit(c)) {
			return ""
		}
		j++
	}
	return ""
}

// wordEnd returns the end of the identifier, number or other character run at query[i].
func wordEnd(query string, i int) int {
	j := i
	for j < len(query) {
		c := query[j]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c >= 0x80 {
			j++
			continue
		}
		break
	}
	if j == i {
		j++
	}
	return j
}
