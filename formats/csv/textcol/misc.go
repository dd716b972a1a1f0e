package textcol

import (
	"encoding/base64"
	"fmt"
	"unicode/utf8"

	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// parseUUID accepts PostgreSQL's uuid input: 32 hex digits, optionally in braces, with
// hyphens between groups of digits.
func parseUUID(b []byte, dst *[16]byte) status {
	b = trimSpace(b)
	if len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}' {
		b = b[1 : len(b)-1]
	}
	n := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '-' {
			if i == 0 || i == len(b)-1 || b[i-1] == '-' || n%2 != 0 {
				return stSyntax
			}
			continue
		}
		v, ok := unhex(c)
		if !ok || n >= 32 {
			return stSyntax
		}
		if n%2 == 0 {
			dst[n/2] = v << 4
		} else {
			dst[n/2] |= v
		}
		n++
	}
	if n != 32 {
		return stSyntax
	}
	return stOK
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendBytea decodes binary input. PostgreSQL's hex form (\x0a1b) is decoded; otherwise, as
// Hive's LazyBinary does, text that is valid base64 is decoded and any other text is taken as
// the bytes themselves.
func appendBytea(dst, b []byte) ([]byte, status) {
	if len(b) >= 2 && b[0] == '\\' && (b[1] == 'x' || b[1] == 'X') {
		h := b[2:]
		if len(h)%2 != 0 {
			return dst, stSyntax
		}
		for i := 0; i < len(h); i += 2 {
			hi, ok1 := unhex(h[i])
			lo, ok2 := unhex(h[i+1])
			if !ok1 || !ok2 {
				return dst, stSyntax
			}
			dst = append(dst, hi<<4|lo)
		}
		return dst, stOK
	}
	enc := base64.StdEncoding
	if len(b)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	start := len(dst)
	dst = append(dst, make([]byte, enc.DecodedLen(len(b)))...)
	n, err := enc.Decode(dst[start:], b)
	if err != nil {
		return append(dst[:start], b...), stOK
	}
	return dst[:start+n], stOK
}

// appendValidUTF8 appends b with each invalid UTF-8 sequence replaced by U+FFFD, as Trino
// and Athena show undecodable text. PostgreSQL would refuse the value; a Latin-1 file is
// common enough that reading it beats failing the query.
func appendValidUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}

// truncateRunes cuts b to at most n characters: Hive truncates a varchar(n) value that is
// too long rather than failing (PostgreSQL's explicit cast does the same).
func truncateRunes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for i := range b {
		if b[i] < utf8.RuneSelf || utf8.RuneStart(b[i]) {
			if n == 0 {
				return b[:i]
			}
			n--
		}
	}
	return b
}

// ValueError is a value that does not parse as its column's type.
type ValueError struct {
	Row  int // within the chunk
	Msg  string
	Code string
}

func (e *ValueError) Error() string { return e.Msg }

func valueError(t types.T, st status, b []byte, row int) *ValueError {
	v := quoteValue(b)
	switch st {
	case stRange:
		if t.IsFloat() {
			return &ValueError{row, fmt.Sprintf("%s is out of range for type %s", v, typeName(t)), sqlerr.NumericValueOutOfRange}
		}
		return &ValueError{row, fmt.Sprintf("value %s is out of range for type %s", v, typeName(t)), sqlerr.NumericValueOutOfRange}
	case stOverflow:
		p := t.Precision
		if p == 0 {
			p = types.MaxDecimalPrecision
		}
		return &ValueError{row, fmt.Sprintf("numeric field overflow: a field with precision %d, scale %d must round to an absolute value less than 10^%d (value %s)",
			p, t.Scale, p-t.Scale, v), sqlerr.NumericValueOutOfRange}
	case stDateTime:
		return &ValueError{row, fmt.Sprintf("date/time field value out of range: %s", v), sqlerr.DatetimeFieldOverflow}
	}
	return &ValueError{row, fmt.Sprintf("invalid input syntax for type %s: %s", typeName(t), v), sqlerr.InvalidTextRepresentation}
}

// typeName is the type's name as PostgreSQL's input functions say it in errors.
func typeName(t types.T) string {
	switch t.Kind {
	case types.Decimal:
		return "numeric"
	case types.Timestamp:
		return "timestamp"
	case types.Time:
		return "time"
	}
	return t.PGName()
}

// quoteValue quotes a bad value for an error message, cut short when it is long.
func quoteValue(b []byte) string {
	const max = 100
	s := string(appendValidUTF8(nil, b))
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return `"` + s[:cut] + `..."`
	}
	return `"` + s + `"`
}
