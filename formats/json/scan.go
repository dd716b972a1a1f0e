package json

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/quarrydb/quarry/formats/csv/textcol"
)

// maxDepth bounds the nesting of objects and arrays, so a line of ten thousand '[' is an
// error instead of a deep recursion.
const maxDepth = 512

// syntaxError says what is wrong with a line and where (0-based byte offset in the line).
type syntaxError struct {
	msg string
	at  int
}

// scanner validates one line of JSON and records the cells of the top-level keys that are
// wanted. All positions are indexes into buf.
type scanner struct {
	buf  []byte
	end  int // the line's end
	base int // the line's start, for error offsets
	// want returns the cell slot for a top-level key (raw bytes between the quotes, with
	// escapes if hasEsc), or -1.
	want func(key []byte, hasEsc bool) int
}

func (s *scanner) fail(msg string, at int) *syntaxError {
	return &syntaxError{msg: msg, at: at - s.base}
}

func (s *scanner) skipWS(i int) int {
	for i < s.end {
		switch s.buf[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// line scans a whole line holding one object into row. blank reports a line of only white
// space.
func (s *scanner) line(start int, row []textcol.Cell) (blank bool, err *syntaxError) {
	i := s.skipWS(start)
	if i == s.end {
		return true, nil
	}
	if s.buf[i] != '{' {
		return false, s.fail("expected a JSON object", i)
	}
	i, err = s.object(i, 0, row)
	if err != nil {
		return false, err
	}
	if i = s.skipWS(i); i != s.end {
		return false, s.fail("unexpected data after the object", i)
	}
	return false, nil
}

// object scans the object at buf[i] == '{' and returns the position after it. At the top
// level (row != nil) it records wanted keys' values; duplicate keys keep the last value.
func (s *scanner) object(i, depth int, row []textcol.Cell) (int, *syntaxError) {
	if depth >= maxDepth {
		return 0, s.fail("nesting too deep", i)
	}
	i = s.skipWS(i + 1)
	if i < s.end && s.buf[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= s.end || s.buf[i] != '"' {
			return 0, s.fail("expected a string key", i)
		}
		kEnd, kEsc, err := s.str(i + 1)
		if err != nil {
			return 0, err
		}
		kStart := i + 1
		i = s.skipWS(kEnd + 1)
		if i >= s.end || s.buf[i] != ':' {
			return 0, s.fail("expected ':' after an object key", i)
		}
		i = s.skipWS(i + 1)
		var cell textcol.Cell
		i, cell, err = s.value(i, depth)
		if err != nil {
			return 0, err
		}
		if row != nil {
			if slot := s.want(s.buf[kStart:kEnd], kEsc); slot >= 0 {
				row[slot] = cell
			}
		}
		i = s.skipWS(i)
		if i >= s.end {
			return 0, s.fail("unterminated object", i)
		}
		switch s.buf[i] {
		case ',':
			i = s.skipWS(i + 1)
		case '}':
			return i + 1, nil
		default:
			return 0, s.fail("expected ',' or '}' in an object", i)
		}
	}
}

func (s *scanner) array(i, depth int) (int, *syntaxError) {
	if depth >= maxDepth {
		return 0, s.fail("nesting too deep", i)
	}
	i = s.skipWS(i + 1)
	if i < s.end && s.buf[i] == ']' {
		return i + 1, nil
	}
	for {
		var err *syntaxError
		i, _, err = s.value(i, depth)
		if err != nil {
			return 0, err
		}
		i = s.skipWS(i)
		if i >= s.end {
			return 0, s.fail("unterminated array", i)
		}
		switch s.buf[i] {
		case ',':
			i = s.skipWS(i + 1)
		case ']':
			return i + 1, nil
		default:
			return 0, s.fail("expected ',' or ']' in an array", i)
		}
	}
}

// value scans one value at buf[i] and returns the position after it and its cell: a
// string's bytes between the quotes, any other value's text.
func (s *scanner) value(i, depth int) (int, textcol.Cell, *syntaxError) {
	if i >= s.end {
		return 0, textcol.Cell{}, s.fail("expected a value", i)
	}
	start := i
	switch c := s.buf[i]; c {
	case '"':
		end, esc, err := s.str(i + 1)
		if err != nil {
			return 0, textcol.Cell{}, err
		}
		var flags uint8
		if esc {
			flags = textcol.Decode
		}
		return end + 1, textcol.Cell{Start: int32(i + 1), End: int32(end), Flags: flags}, nil
	case '{', '[':
		var end int
		var err *syntaxError
		if c == '{' {
			end, err = s.object(i, depth+1, nil)
		} else {
			end, err = s.array(i, depth+1)
		}
		if err != nil {
			return 0, textcol.Cell{}, err
		}
		return end, textcol.Cell{Start: int32(start), End: int32(end), Flags: textcol.Nested}, nil
	case 't':
		return s.literal(i, "true", 0)
	case 'f':
		return s.literal(i, "false", 0)
	case 'n':
		return s.literal(i, "null", textcol.Null)
	}
	end, ok := s.number(i)
	if !ok {
		return 0, textcol.Cell{}, s.fail("invalid value", i)
	}
	return end, textcol.Cell{Start: int32(start), End: int32(end), Flags: textcol.Number}, nil
}

func (s *scanner) literal(i int, word string, flags uint8) (int, textcol.Cell, *syntaxError) {
	if s.end-i < len(word) || string(s.buf[i:i+len(word)]) != word {
		return 0, textcol.Cell{}, s.fail("invalid value", i)
	}
	return i + len(word), textcol.Cell{Start: int32(i), End: int32(i + len(word)), Flags: flags}, nil
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number(i int) (int, bool) {
	b := s.buf[:s.end]
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && b[i]-'0' <= 9; i++ {
		}
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i]-'0' > 9 {
			return 0, false
		}
		for ; i < len(b) && b[i]-'0' <= 9; i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i]-'0' > 9 {
			return 0, false
		}
		for ; i < len(b) && b[i]-'0' <= 9; i++ {
		}
	}
	return i, true
}

// str scans a string body from i (just past the opening quote) and returns the position of
// the closing quote and whether the body holds escapes. Raw control characters are allowed
// (Jackson and the OpenX SerDe accept them in practice; refusing them helps nobody).
func (s *scanner) str(i int) (end int, hasEsc bool, err *syntaxError) {
	for {
		q := bytes.IndexByte(s.buf[i:s.end], '"')
		if q < 0 {
			return 0, false, s.fail("unterminated string", s.end)
		}
		bs := bytes.IndexByte(s.buf[i:i+q], '\\')
		if bs < 0 {
			return i + q, hasEsc, nil
		}
		hasEsc = true
		j := i + bs + 1 // the escaped character
		if j >= s.end {
			return 0, false, s.fail("unterminated string", s.end)
		}
		switch s.buf[j] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i = j + 1
		case 'u':
			if j+5 > s.end || !isHex4(s.buf[j+1:j+5]) {
				return 0, false, s.fail("invalid \\u escape", j)
			}
			i = j + 5
		default:
			return 0, false, s.fail("invalid escape", j)
		}
	}
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a':
			r = r<<4 | rune(c-'a'+10)
		default:
			r = r<<4 | rune(c-'A'+10)
		}
	}
	return r
}

// unescape decodes a string body the scanner has validated. A lone UTF-16 surrogate becomes
// U+FFFD.
func unescape(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			dst = append(dst, c)
			i++
			continue
		}
		switch b[i+1] {
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
			if i+6 > len(b) {
				return append(dst, b[i:]...)
			}
			r := hex4(b[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
					if r2 := utf16.DecodeRune(r, hex4(b[i+2:])); r2 != utf8.RuneError {
						dst = utf8.AppendRune(dst, r2)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // " \ /
			dst = append(dst, b[i+1])
		}
		i += 2
	}
	return dst
}
