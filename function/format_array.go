package function

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// newArrayFormatter prints a list value as PostgreSQL's array output: {1,2,NULL} and
// {"a b",c,""}, quoting elements that are empty, contain delimiters, quotes, backslashes or
// white space, or spell NULL.
func newArrayFormatter(arr arrow.Array, t types.T, opt FormatOptions) func(buf []byte, i int) []byte {
	list, ok := arr.(*array.List)
	if !ok || t.Elem == nil {
		return func(buf []byte, i int) []byte { return buf }
	}
	vals := list.ListValues()
	elem := NewFormatter(vals, *t.Elem, opt)
	quotable := t.Elem.Kind == types.Varchar || t.Elem.Kind == types.JSON || t.Elem.Kind == types.Bytea ||
		t.Elem.Kind == types.Interval || t.Elem.IsTemporal()
	var scratch []byte
	return func(buf []byte, i int) []byte {
		start, end := list.ValueOffsets(i)
		buf = append(buf, '{')
		for j := start; j < end; j++ {
			if j > start {
				buf = append(buf, ',')
			}
			if vals.IsNull(int(j)) {
				buf = append(buf, "NULL"...)
				continue
			}
			if !quotable {
				buf = elem(buf, int(j))
				continue
			}
			scratch = elem(scratch[:0], int(j))
			buf = appendArrayElem(buf, scratch)
		}
		return append(buf, '}')
	}
}

func appendArrayElem(buf, s []byte) []byte {
	need := len(s) == 0 || bytes.EqualFold(s, []byte("NULL"))
	for _, c := range s {
		switch c {
		case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
			need = true
		}
	}
	if !need {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for _, c := range s {
		if c == '"' || c == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, c)
	}
	return append(buf, '"')
}
