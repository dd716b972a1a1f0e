package sql

import (
	"strings"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// typeContinuations are the words that continue a type name at the top level, for the
// multi-word names types.Parse knows (double precision, character varying, timestamp with
// time zone). Any other word there ends the type, so "(a int b string)" fails at b, where
// the comma is missing.
var typeContinuations = map[string]bool{"precision": true, "varying": true, "with": true, "without": true, "time": true, "zone": true}

// columnType reads a Hive type up to the ',' or ')' that ends the column (or its COMMENT)
// and returns it normalized: lower-case, no spaces except one between two words
// ("double precision"). It must be a type types.Parse reads.
func (p *hiveParser) columnType(hint string) (string, error) {
	start := p.peek()
	var b strings.Builder
	var open []string // the unclosed < and (
	prevWord := false
	for {
		t := p.peek()
		if t.kind == tkEOF {
			break
		}
		if len(open) == 0 {
			if t.is("COMMENT") || t.kind == tkPunct && (t.text == "," || t.text == ")") {
				break
			}
			if t.kind != tkPunct && b.Len() > 0 && !(t.kind == tkWord && typeContinuations[strings.ToLower(t.text)]) {
				break
			}
		}
		switch t.kind {
		case tkWord, tkNumber:
			if prevWord {
				b.WriteByte(' ')
			}
			b.WriteString(strings.ToLower(t.text))
			prevWord = true
		case tkQuoted:
			// A quoted struct field name, struct<`from`:int>.
			name := strings.ToLower(strings.ReplaceAll(t.val, string(t.quote)+string(t.quote), string(t.quote)))
			if prevWord {
				b.WriteByte(' ')
			}
			if isPlainIdent(name) {
				b.WriteString(name)
			} else {
				b.WriteString("`" + name + "`")
			}
			prevWord = true
		case tkPunct:
			switch t.text {
			case "<", "(":
				open = append(open, t.text)
			case ">", ")":
				want := "<"
				if t.text == ")" {
					want = "("
				}
				if len(open) == 0 || open[len(open)-1] != want {
					return "", p.errAt(t, closeHint(open, hint))
				}
				open = open[:len(open)-1]
			case ",", ":", "[", "]":
			default:
				return "", p.errAt(t, hint)
			}
			b.WriteString(t.text)
			prevWord = false
		default:
			return "", p.errAt(t, hint)
		}
		p.next()
	}
	if b.Len() == 0 {
		return "", p.errAt(p.peek(), hint)
	}
	if len(open) > 0 {
		return "", p.errAt(p.peek(), closeHint(open, hint))
	}
	typ := b.String()
	if _, err := types.Parse(typ); err != nil {
		return "", typeError(typ, err).WithPosition(charPos(p.src, start.pos))
	}
	return typ, nil
}

// closeHint says which bracket is still open.
func closeHint(open []string, hint string) string {
	switch {
	case len(open) == 0:
		return hint
	case open[len(open)-1] == "<":
		return "Expected > to close the type's <."
	}
	return "Expected ) to close the type's (."
}

// typeError turns types.Parse's error into PostgreSQL's: an unknown name is 42704 (type
// "x" does not exist), a decimal out of range 22023, anything else a syntax error. It reads
// the text of types.Parse's errors, which have no codes; TestParseData pins each case.
func typeError(typ string, err error) *sqlerr.Error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "unknown type "); ok {
		// types.Parse quotes the name as PostgreSQL does.
		return sqlerr.New(sqlerr.UndefinedObject, "type %s does not exist", rest)
	}
	if strings.Contains(msg, "out of range") {
		return sqlerr.New(sqlerr.InvalidParameterValue, "%s", msg)
	}
	return sqlerr.New(sqlerr.SyntaxError, "invalid type %s", typ).WithDetail(msg)
}
