package function

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// format(formatstr, VARIADIC args), PostgreSQL's: Metabase's field sync builds type names
// and regclass inputs with it (format('%s', udt_name), format('%I.%I', schema, table)).
// Conversions %s (the text; NULL is empty), %I (quote_ident; NULL is an error) and %L
// (quote_literal; NULL is the word NULL), %% for a percent sign, and positions (%2$s).
// Width and the - flag are not supported (an error names them).

func addFormatFunc(r *Registry) {
	r.add(stable("format", bindFormat, "text built from a format string with %s, %I and %L conversions of the arguments (%% is a percent sign; %n$s takes argument n)", "format(formatstr text, VARIADIC any) → text"))
}

func bindFormat(args []types.T) (Sig, bool) {
	if len(args) == 0 || !isStringy(args[0]) {
		return Sig{}, false
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		if !CanCast(a, types.VarcharT) {
			return Sig{}, false
		}
		ts[i] = types.VarcharT
	}
	// Not strict: NULL arguments format as PostgreSQL says; only a NULL format string makes
	// the result NULL.
	return Sig{Args: ts, Ret: types.VarcharT, Kernel: formatKernel}, true
}

func formatKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	vals := make([]*string, len(args)-1)
	return rowText(ctx, n, func(i int) (string, bool, error) {
		f, ok := argText(args[0], i)
		if !ok {
			return "", false, nil
		}
		for j := range vals {
			vals[j] = nil
			if s, ok := argText(args[j+1], i); ok {
				vals[j] = &s
			}
		}
		s, err := formatText(f, vals)
		return s, err == nil, err
	})
}

// formatText applies a format string to the values (nil is NULL).
func formatText(f string, vals []*string) (string, error) {
	var b strings.Builder
	next := 0
	for k := 0; k < len(f); k++ {
		c := f[k]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		k++
		if k >= len(f) {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "unterminated format() type specifier")
		}
		if f[k] == '%' {
			b.WriteByte('%')
			continue
		}
		// An optional position: digits then '$'.
		arg := next
		if j := k; f[j] >= '0' && f[j] <= '9' {
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				j++
			}
			if j < len(f) && f[j] == '$' {
				p, err := strconv.Atoi(f[k:j])
				if err != nil || p == 0 {
					return "", sqlerr.New(sqlerr.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
				}
				arg = p - 1
				k = j + 1
			}
		}
		if k >= len(f) {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "unterminated format() type specifier")
		}
		conv := f[k]
		if conv != 's' && conv != 'I' && conv != 'L' {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized format() type specifier \"%c\"", conv).
				WithHint("For a single \"%%\" use \"%%%%\". Width and flags are not supported.")
		}
		if arg >= len(vals) {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "too few arguments for format()")
		}
		next = arg + 1
		v := vals[arg]
		switch conv {
		case 's':
			if v != nil {
				b.WriteString(*v)
			}
		case 'I':
			if v == nil {
				return "", sqlerr.New("22004", "null values cannot be formatted as an SQL identifier")
			}
			b.WriteString(QuoteIdent(*v))
		case 'L':
			if v == nil {
				b.WriteString("NULL")
			} else {
				b.WriteString(quoteLiteral(*v))
			}
		}
	}
	return b.String(), nil
}

// quoteLiteral is PostgreSQL's quote_literal: single quotes doubled, and an E-prefixed string with
// doubled backslashes when there is a backslash.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}
