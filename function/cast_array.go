package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// castTextToArray parses PostgreSQL's one-dimensional array input, `{a,"b c",NULL}`, into an
// array of to's element type: the elements are read as text, then cast with Cast. This is
// what `json #> '{a,0}'` and `'{1,2}'::int[]` need.
func castTextToArray(to types.T, try bool) Kernel {
	if to.Elem == nil || to.Elem.Kind == types.Array || to.Elem.Kind == types.Map || to.Elem.Kind == types.Struct {
		return nil
	}
	elem := *to.Elem
	var elemCast Kernel
	if elem.Kind != types.Varchar {
		var err error
		if elemCast, err = Cast(types.VarcharT, elem, try); err != nil {
			return nil
		}
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		src := viewBytes(args[0])
		texts, err := listRows(ctx, args, n, func(o *strListOut, i int) (bool, error) {
			elems, err := parseArrayLiteral(bstr(src.at(i)))
			if err != nil {
				if try {
					return true, nil
				}
				return false, err
			}
			o.open()
			for _, e := range elems {
				if e.null {
					o.elemNull()
				} else {
					o.elem([]byte(e.text))
				}
			}
			return false, nil
		})
		if err != nil || elemCast == nil {
			return texts, err
		}
		defer texts.Release()
		l := texts.(*array.List)
		vals := l.ListValues()
		cast, err := elemCast(ctx, []arrow.Array{vals}, vals.Len())
		if err != nil {
			return nil, err
		}
		defer cast.Release()
		d := l.Data()
		out := array.NewData(to.Arrow(), d.Len(), d.Buffers(), []arrow.ArrayData{cast.Data()}, d.NullN(), d.Offset())
		defer out.Release()
		return array.MakeFromData(out), nil
	}
}

// arrayLitElem is one element of an array literal.
type arrayLitElem struct {
	text string
	null bool
}

// parseArrayLiteral returns the elements of a one-dimensional array literal, or 22P02
// malformed array literal. Unquoted elements are trimmed and NULL (any case)
// is the null element; double quotes and backslashes quote as in PostgreSQL.
func parseArrayLiteral(s string) ([]arrayLitElem, error) {
	bad := func(detail string) error {
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "malformed array literal: %q", s).WithDetail(detail)
	}
	t := strings.TrimSpace(s)
	if len(t) < 2 || t[0] != '{' || t[len(t)-1] != '}' {
		return nil, bad(`Array value must start with "{" or dimension information.`)
	}
	body := t[1 : len(t)-1]
	if strings.TrimSpace(body) == "" {
		return nil, nil // the empty array
	}
	var out []arrayLitElem
	var cur []byte
	quoted, inQuote, escaped, sawText := false, false, false, false
	flush := func() error {
		v := string(cur)
		if !quoted {
			v = strings.TrimSpace(v)
			if v == "" {
				return bad("Unexpected \",\" character.")
			}
			if strings.EqualFold(v, "NULL") {
				out = append(out, arrayLitElem{null: true})
				return nil
			}
		}
		out = append(out, arrayLitElem{text: v})
		return nil
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case escaped:
			cur = append(cur, c)
			escaped = false
		case c == '\\':
			escaped = true
			if !inQuote && !quoted {
				sawText = true
			}
		case inQuote:
			if c == '"' {
				inQuote = false
			} else {
				cur = append(cur, c)
			}
		case c == '"':
			if sawText || quoted {
				return nil, bad("Unexpected array element.")
			}
			inQuote, quoted = true, true
			cur = cur[:0] // only blanks came before the quote
		case c == '{' || c == '}':
			return nil, bad("Multidimensional arrays are not supported here.")
		case c == ',':
			if err := flush(); err != nil {
				return nil, err
			}
			cur, quoted, sawText = cur[:0], false, false
		default:
			if quoted && c != ' ' && c != '\t' && c != '\n' {
				return nil, bad("Unexpected array element.")
			}
			if !quoted {
				cur = append(cur, c)
				if c != ' ' && c != '\t' && c != '\n' {
					sawText = true
				}
			}
		}
	}
	if inQuote || escaped {
		return nil, bad("Unexpected end of input.")
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
