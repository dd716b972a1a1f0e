package pgwire

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// Nested values. Lists print as PostgreSQL arrays ("{1,2,NULL}", elements quoted by
// array_out's rules). Structs and maps, which PostgreSQL lacks, are sent as json (their OID
// is json's), in row_to_json's compact form: {"a":1,"b":"x"}.

// newNestedAppender handles list, map and struct arrays; ok is false for other arrays.
func newNestedAppender(t types.T, arr arrow.Array) (app textAppender, ok bool, err error) {
	switch a := arr.(type) {
	case *array.Map, *array.Struct:
		app, err := newJSONAppender(arr)
		return app, true, err
	case array.ListLike:
		values := a.ListValues()
		elem, err := newArrayElemAppender(elemType(t, values), values)
		if err != nil {
			return nil, true, err
		}
		return nullable(a, func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '{')
			for j := start; j < end; j++ {
				if j > start {
					dst = append(dst, ',')
				}
				dst = elem(dst, int(j))
			}
			return append(dst, '}')
		}), true, nil
	}
	return nil, false, nil
}

// elemType is the SQL type of a list's elements: from the column's type when it says, from
// the Arrow type otherwise.
func elemType(t types.T, values arrow.Array) types.T {
	if t.Kind == types.Array && t.Elem != nil {
		return *t.Elem
	}
	et, err := types.FromArrow(values.DataType())
	if err != nil {
		return types.UnknownT
	}
	return et
}

// newArrayElemAppender prints one array element: NULL, a nested array's braces as they are,
// or a scalar's text quoted when array_out would quote it.
func newArrayElemAppender(t types.T, values arrow.Array) (func(dst []byte, j int) []byte, error) {
	inner, err := newTextAppender(t, values)
	if err != nil {
		return nil, err
	}
	_, isList := values.(array.ListLike)
	if _, isMap := values.(*array.Map); isList && !isMap {
		return func(dst []byte, j int) []byte {
			out, ok := inner(dst, j)
			if !ok {
				return append(dst, "NULL"...)
			}
			return out
		}, nil
	}
	var scratch []byte // reused: the element's text is needed whole to decide on quoting
	return func(dst []byte, j int) []byte {
		var ok bool
		scratch, ok = inner(scratch[:0], j)
		if !ok {
			return append(dst, "NULL"...)
		}
		return appendArrayElem(dst, scratch)
	}, nil
}

// appendArrayElem quotes v as array_out does: when it is empty, is NULL in any case, or
// holds a double quote, backslash, brace, comma or white space; inside quotes, double quotes
// and backslashes are escaped with a backslash.
func appendArrayElem(dst, v []byte) []byte {
	if !needsArrayQuote(v) {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for _, ch := range v {
		if ch == '"' || ch == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, ch)
	}
	return append(dst, '"')
}

func needsArrayQuote(v []byte) bool {
	if len(v) == 0 || (len(v) == 4 && bytes.EqualFold(v, []byte("NULL"))) {
		return true
	}
	for _, ch := range v {
		switch ch {
		case '"', '\\', '{', '}', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			return true
		}
	}
	return false
}

// jsonValue appends one value as JSON, null included.
type jsonValue func(dst []byte, i int) []byte

// newJSONAppender prints a struct, map or list column as JSON text; a NULL at the top is a
// SQL NULL, below it a JSON null.
func newJSONAppender(arr arrow.Array) (textAppender, error) {
	j, err := newJSONValue(arr)
	if err != nil {
		return nil, err
	}
	return nullable(arr, func(dst []byte, i int) []byte { return j(dst, i) }), nil
}

func newJSONValue(arr arrow.Array) (jsonValue, error) {
	withNull := func(f jsonValue) jsonValue {
		return func(dst []byte, i int) []byte {
			if arr.IsNull(i) {
				return append(dst, "null"...)
			}
			return f(dst, i)
		}
	}
	switch a := arr.(type) {
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		fields := make([]jsonValue, a.NumField())
		keys := make([][]byte, a.NumField())
		for f := range fields {
			v, err := newJSONValue(a.Field(f))
			if err != nil {
				return nil, err
			}
			fields[f] = v
			keys[f] = appendJSONString(nil, []byte(st.Field(f).Name))
		}
		return withNull(func(dst []byte, i int) []byte {
			dst = append(dst, '{')
			for f, v := range fields {
				if f > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, keys[f]...)
				dst = append(dst, ':')
				dst = v(dst, i)
			}
			return append(dst, '}')
		}), nil
	case *array.Map:
		keys, err := newTextAppender(typeOf(a.Keys()), a.Keys())
		if err != nil {
			return nil, err
		}
		items, err := newJSONValue(a.Items())
		if err != nil {
			return nil, err
		}
		var scratch []byte
		return withNull(func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '{')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				scratch, _ = keys(scratch[:0], j) // map keys are never null
				dst = appendJSONString(dst, scratch)
				dst = append(dst, ':')
				dst = items(dst, j)
			}
			return append(dst, '}')
		}), nil
	case array.ListLike:
		elems, err := newJSONValue(a.ListValues())
		if err != nil {
			return nil, err
		}
		return withNull(func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '[')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				dst = elems(dst, j)
			}
			return append(dst, ']')
		}), nil
	case *array.Boolean:
		return withNull(func(dst []byte, i int) []byte {
			if a.Value(i) {
				return append(dst, "true"...)
			}
			return append(dst, "false"...)
		}), nil
	}
	text, err := newTextAppender(typeOf(arr), arr)
	if err != nil {
		return nil, err
	}
	switch arr.DataType().ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.UINT64, arrow.DECIMAL128, arrow.DECIMAL256, arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return func(dst []byte, i int) []byte {
			start := len(dst)
			out, ok := text(dst, i)
			if !ok {
				return append(dst, "null"...)
			}
			if c := out[start]; c == 'N' || c == 'I' || (c == '-' && len(out) > start+1 && out[start+1] == 'I') {
				// NaN and the infinities are not JSON numbers: PostgreSQL quotes them.
				return appendJSONString(dst, append([]byte(nil), out[start:]...))
			}
			return out
		}, nil
	}
	var scratch []byte
	return func(dst []byte, i int) []byte {
		var ok bool
		scratch, ok = text(scratch[:0], i)
		if !ok {
			return append(dst, "null"...)
		}
		return appendJSONString(dst, scratch)
	}, nil
}

func typeOf(arr arrow.Array) types.T {
	t, err := types.FromArrow(arr.DataType())
	if err != nil {
		return types.UnknownT
	}
	return t
}

// appendJSONString quotes s as PostgreSQL's escape_json does.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	for _, ch := range s {
		switch ch {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if ch < 0x20 {
				dst = append(dst, `\u00`...)
				dst = append(dst, "0123456789abcdef"[ch>>4], "0123456789abcdef"[ch&0xf])
				continue
			}
			dst = append(dst, ch)
		}
	}
	return append(dst, '"')
}
