package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// parse_ident, which Grafana's column picker runs on the table the user chose.

func addIdentFuncs(r *Registry) {
	r.add(fn("parse_ident", bindParseIdent, "split a qualified identifier into its parts: quoted parts keep their case, unquoted ones are lower-cased; with strict false, text after the identifier is ignored", "parse_ident(qualified_identifier text[, strict boolean]) → text[]"))
}

func bindParseIdent(args []types.T) (Sig, bool) {
	if len(args) < 1 || len(args) > 2 || !isStringy(args[0]) || (len(args) == 2 && args[1].Kind != types.Bool && args[1].Kind != types.Unknown) {
		return Sig{}, false
	}
	ts := []types.T{types.VarcharT}
	if len(args) == 2 {
		ts = append(ts, types.BoolT)
	}
	return Sig{Args: ts, Ret: textArrayT, Strict: true, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		return listRows(ctx, in, n, func(o *strListOut, i int) (bool, error) {
			s, _ := argText(in[0], i)
			strict := true
			if len(in) == 2 {
				strict = in[1].(*array.Boolean).Value(i)
			}
			parts, err := parseIdent(s, strict)
			if err != nil {
				return false, err
			}
			o.open()
			for _, p := range parts {
				o.elem([]byte(p))
			}
			return false, nil
		})
	}}, true
}

// parseIdent follows PostgreSQL's parse_ident: identifiers separated by dots, each quoted
// ("a""b" keeps its case and quotes doubled) or unquoted (lower-cased), with whitespace
// around them allowed.
func parseIdent(s string, strict bool) ([]string, error) {
	bad := func(detail string) error {
		e := sqlerr.New(sqlerr.InvalidParameterValue, "string is not a valid identifier: %q", s)
		if detail != "" {
			e = e.WithDetail(detail)
		}
		return e
	}
	var parts []string
	i := 0
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
			i++
		}
	}
	for {
		skipSpace()
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			i++
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return nil, bad("String has unclosed double quotes.")
				}
				b.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			if b.Len() == 0 {
				return nil, bad("Quoted identifier must not be empty.")
			}
			parts = append(parts, b.String())
		} else {
			start := i
			for i < len(s) && identChar(s[i], i == start) {
				i++
			}
			if i == start {
				if len(parts) == 0 {
					return nil, bad("No valid identifier before \".\".")
				}
				return nil, bad("No valid identifier after \".\".")
			}
			parts = append(parts, strings.ToLower(s[start:i]))
		}
		skipSpace()
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		if i < len(s) && strict {
			return nil, bad("")
		}
		return parts, nil
	}
}

// identChar reports whether c may appear in an unquoted identifier (first: may start one).
func identChar(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c >= 0x80:
		return true
	case c >= '0' && c <= '9', c == '$':
		return !first
	}
	return false
}
