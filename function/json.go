package function

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
)

// JSON support: json values are stored as their text (types.JSON is an Arrow string, like
// PostgreSQL's json rather than jsonb). The functions walk that text with the small
// scanner below instead of decoding it into Go values: a lookup skips the members it does
// not want without allocating, and returns the wanted value as a sub-slice of the input.
// The scanner assumes the text is valid JSON; callers check with json.Valid first.
//
// The JSONPath subset Trino's json_extract and json_extract_scalar accept:
//
//	$            the document
//	.name        member (name: any characters but . [ ] and white space)
//	."name"      member with a quoted name
//	['name'] ["name"]   member
//	[n]          array element n (from 0)

// jsonStep is one step of a parsed path: a member name, or an array index.
type jsonStep struct {
	key     string
	index   int
	isIndex bool
}

func errJSONPath(p string) error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "Invalid JSON path: '%s'", p)
}

// parseJSONPath parses a JSONPath of the subset above.
func parseJSONPath(p string) ([]jsonStep, error) {
	i := 0
	for i < len(p) && isSpace(p[i]) {
		i++
	}
	if i == len(p) || p[i] != '$' {
		return nil, errJSONPath(p)
	}
	i++
	var steps []jsonStep
	for {
		for i < len(p) && isSpace(p[i]) {
			i++
		}
		if i == len(p) {
			return steps, nil
		}
		switch p[i] {
		case '.':
			i++
			if i < len(p) && p[i] == '"' {
				key, n, ok := jsonPathQuoted(p[i:], '"')
				if !ok {
					return nil, errJSONPath(p)
				}
				steps = append(steps, jsonStep{key: key})
				i += n
				continue
			}
			start := i
			for i < len(p) && p[i] != '.' && p[i] != '[' && p[i] != ']' && !isSpace(p[i]) {
				i++
			}
			if i == start || p[start:i] == "*" {
				return nil, errJSONPath(p)
			}
			steps = append(steps, jsonStep{key: p[start:i]})
		case '[':
			i++
			for i < len(p) && isSpace(p[i]) {
				i++
			}
			if i == len(p) {
				return nil, errJSONPath(p)
			}
			if q := p[i]; q == '"' || q == '\'' {
				key, n, ok := jsonPathQuoted(p[i:], q)
				if !ok {
					return nil, errJSONPath(p)
				}
				steps = append(steps, jsonStep{key: key})
				i += n
			} else {
				start := i
				for i < len(p) && p[i] >= '0' && p[i] <= '9' {
					i++
				}
				idx, err := strconv.Atoi(p[start:i])
				if i == start || err != nil {
					return nil, errJSONPath(p)
				}
				steps = append(steps, jsonStep{index: idx, isIndex: true})
			}
			for i < len(p) && isSpace(p[i]) {
				i++
			}
			if i == len(p) || p[i] != ']' {
				return nil, errJSONPath(p)
			}
			i++
		default:
			return nil, errJSONPath(p)
		}
	}
}

// jsonPathQuoted reads a quoted name starting at s[0] == q, with backslash escapes of the
// quote and the backslash; it returns the name and the bytes consumed.
func jsonPathQuoted(s string, q byte) (string, int, bool) {
	var out []byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			out = append(out, s[i])
		case c == q:
			return string(out), i + 1, true
		default:
			out = append(out, c)
		}
	}
	return "", 0, false
}

// jsonWS skips white space from i.
func jsonWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonStringEnd returns the index after the string starting at b[i] == '"'.
func jsonStringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// jsonValueEnd returns the index after the value starting at b[i] (not white space).
func jsonValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return jsonStringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = jsonStringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// jsonMember finds member key of the object starting at b[i] == '{' and returns the
// bounds of its value (the last one, when a key repeats, as PostgreSQL's json does).
func jsonMember(b []byte, i int, key string) (int, int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, 0, false
	}
	vs, ve, found := 0, 0, false
	i = jsonWS(b, i+1)
	var scratch []byte
	for i < len(b) && b[i] == '"' {
		ke := jsonStringEnd(b, i)
		raw := b[i+1 : ke-1]
		i = jsonWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return 0, 0, false
		}
		s := jsonWS(b, i+1)
		e := jsonValueEnd(b, s)
		match := false
		if indexByte(raw, '\\') < 0 {
			match = string(raw) == key
		} else {
			scratch = appendJSONUnescaped(scratch[:0], raw)
			match = string(scratch) == key
		}
		if match {
			vs, ve, found = s, e, true
		}
		i = jsonWS(b, e)
		if i < len(b) && b[i] == ',' {
			i = jsonWS(b, i+1)
		}
	}
	return vs, ve, found
}

// jsonElements calls f with the bounds of each element of the array at b[i] == '['; f
// returns false to stop.
func jsonElements(b []byte, i int, f func(s, e int) bool) bool {
	if i >= len(b) || b[i] != '[' {
		return false
	}
	i = jsonWS(b, i+1)
	for i < len(b) && b[i] != ']' {
		e := jsonValueEnd(b, i)
		if !f(i, e) {
			return true
		}
		i = jsonWS(b, e)
		if i < len(b) && b[i] == ',' {
			i = jsonWS(b, i+1)
		}
	}
	return true
}

// jsonElement finds element k of the array at b[i]; a negative k counts from the end.
func jsonElement(b []byte, i, k int) (int, int, bool) {
	if k < 0 {
		n := 0
		if !jsonElements(b, i, func(int, int) bool { n++; return true }) {
			return 0, 0, false
		}
		if k += n; k < 0 {
			return 0, 0, false
		}
	}
	vs, ve, found := 0, 0, false
	at := 0
	jsonElements(b, i, func(s, e int) bool {
		if at == k {
			vs, ve, found = s, e, true
			return false
		}
		at++
		return true
	})
	return vs, ve, found
}

// jsonFollow applies steps to the document b and returns the bounds of the value found.
func jsonFollow(b []byte, steps []jsonStep) (int, int, bool) {
	s := jsonWS(b, 0)
	e := jsonValueEnd(b, s)
	for _, st := range steps {
		var ok bool
		if st.isIndex {
			s, e, ok = jsonElement(b, s, st.index)
		} else {
			s, e, ok = jsonMember(b, s, st.key)
		}
		if !ok {
			return 0, 0, false
		}
	}
	return s, e, true
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// appendJSONUnescaped appends the text of a JSON string's contents (without quotes).
func appendJSONUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			dst = append(dst, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := jsonHex4(raw[i+1:])
			if n == 0 {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += n
			if utf16.IsSurrogate(r) && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if r2, n2 := jsonHex4(raw[i+3:]); n2 > 0 {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 2 + n2
					}
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, raw[i])
		}
	}
	return dst
}

func jsonHex4(b []byte) (rune, int) {
	if len(b) < 4 {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(v), 4
}

// appendJSONCompact appends valid JSON text without its insignificant white space, as
// Trino prints JSON values.
func appendJSONCompact(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case ' ', '\t', '\n', '\r':
		case '"':
			e := jsonStringEnd(b, i)
			dst = append(dst, b[i:e]...)
			i = e - 1
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// jsonScalarText appends the text of a scalar value (a string unescaped, a number or
// boolean as written); null reports false for NULL and containers report false too.
func jsonScalarText(dst, v []byte) ([]byte, bool) {
	if len(v) == 0 {
		return dst, false
	}
	switch v[0] {
	case '"':
		return appendJSONUnescaped(dst, v[1:len(v)-1]), true
	case '{', '[', 'n':
		return dst, false
	}
	return append(dst, v...), true
}

// jsonTypeOf names the type of a value as json_typeof does.
func jsonTypeOf(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// jsonValid reports whether b is valid JSON (encoding/json's validator).
func jsonValid(b []byte) bool { return json.Valid(b) }
