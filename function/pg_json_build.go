package function

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// json_build_object and json_build_array: SQLAlchemy's column reflection builds a column's
// identity options with json_build_object (in a subquery that finds no sequence on Quarry,
// but it must bind).

func addJSONBuildFuncs(r *Registry) {
	r.add(fn("json_build_object", bindJSONBuild(true), "a JSON object from alternating keys and values", "json_build_object(VARIADIC \"any\") → json"), "jsonb_build_object")
	r.add(fn("json_build_array", bindJSONBuild(false), "a JSON array of the arguments", "json_build_array(VARIADIC \"any\") → json"), "jsonb_build_array")
}

func bindJSONBuild(object bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if object && len(args)%2 != 0 {
			return Sig{}, false
		}
		ts := make([]types.T, len(args))
		for i, a := range args {
			ts[i] = a
			if a.Kind == types.Unknown {
				ts[i] = types.VarcharT
			}
		}
		return Sig{Args: ts, Ret: types.JSONT, Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
			enc := make([]func(buf []byte, i int) []byte, len(in))
			for k := range in {
				enc[k] = jsonEncoder(in[k], ts[k])
			}
			var buf []byte
			return rowText(ctx, n, func(i int) (string, bool, error) {
				buf = buf[:0]
				if object {
					buf = append(buf, '{')
				} else {
					buf = append(buf, '[')
				}
				for k := range in {
					if k > 0 {
						if object && k%2 == 1 {
							buf = append(buf, " : "...)
						} else {
							buf = append(buf, ", "...)
						}
					}
					if object && k%2 == 0 {
						if in[k].IsNull(i) {
							return "", false, sqlerr.New(sqlerr.InvalidParameterValue, "argument %d cannot be null", k+1).WithHint("Object keys should be text.")
						}
						buf = appendJSONText(buf, string(FormatValue(nil, in[k], i, ts[k])))
						continue
					}
					buf = enc[k](buf, i)
				}
				if object {
					buf = append(buf, '}')
				} else {
					buf = append(buf, ']')
				}
				return string(buf), true, nil
			})
		}}, true
	}
}

// jsonEncoder returns a function appending row i of a (of type t) as JSON, as PostgreSQL's
// to_json does: numbers and booleans bare, JSON as is, arrays as JSON arrays, NULL as null,
// date/time values in ISO 8601 with a T, everything else as a JSON string of its text.
func jsonEncoder(a arrow.Array, t types.T) func(buf []byte, i int) []byte {
	var elem func(buf []byte, i int) []byte
	var list array.ListLike
	if t.Kind == types.Array {
		if l, ok := a.(array.ListLike); ok {
			list = l
			elem = jsonEncoder(l.ListValues(), *t.Elem)
		}
	}
	format := NewFormatter(a, t, FormatOptions{})
	return func(buf []byte, i int) []byte {
		if a.IsNull(i) {
			return append(buf, "null"...)
		}
		switch t.Kind {
		case types.Bool:
			return strconv.AppendBool(buf, a.(*array.Boolean).Value(i))
		case types.Int16, types.Int32, types.Int64, types.Decimal, types.JSON:
			return format(buf, i)
		case types.Float32, types.Float64:
			var f float64
			if x, ok := a.(*array.Float64); ok {
				f = x.Value(i)
			} else if x, ok := a.(*array.Float32); ok {
				f = float64(x.Value(i))
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return appendJSONText(buf, string(format(nil, i)))
			}
			return format(buf, i)
		case types.Date, types.Timestamp, types.TimestampTZ, types.Time:
			return appendJSONText(buf, strings.Replace(string(format(nil, i)), " ", "T", 1))
		case types.Array:
			if list == nil {
				break
			}
			start, end := list.ValueOffsets(i)
			buf = append(buf, '[')
			for j := start; j < end; j++ {
				if j > start {
					buf = append(buf, ',')
				}
				buf = elem(buf, int(j))
			}
			return append(buf, ']')
		}
		return appendJSONText(buf, string(format(nil, i)))
	}
}

// appendJSONText appends s as a JSON string.
func appendJSONText(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for _, r := range s {
		switch {
		case r == '"':
			buf = append(buf, `\"`...)
		case r == '\\':
			buf = append(buf, `\\`...)
		case r == '\n':
			buf = append(buf, `\n`...)
		case r == '\r':
			buf = append(buf, `\r`...)
		case r == '\t':
			buf = append(buf, `\t`...)
		case r < 0x20:
			buf = append(buf, `\u00`...)
			buf = append(buf, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		default:
			buf = append(buf, string(r)...)
		}
	}
	return append(buf, '"')
}
