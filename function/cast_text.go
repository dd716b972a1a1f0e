package function

import (
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Casts from and to text: every type formats with format.go's PostgreSQL output and parses
// with parse*.go's PostgreSQL input rules.

// bstr views b as a string without copying; the string must not outlive the call.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func castToText(from, to types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		f := NewFormatter(args[0], from, FormatOptions{Location: ctx.location()})
		out := newBytesOut(mem, n, n*8)
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				out.appendEmpty()
				continue
			}
			p := f(out.tail(32), i)
			if to.Precision > 0 {
				p = truncateChars(p, int(to.Precision))
			}
			out.commit(p)
		}
		return out.finish(arrow.BinaryTypes.String, validity, nulls), nil
	}
}

// truncateChars cuts p to at most n characters (an explicit cast to varchar(n) truncates).
func truncateChars(p []byte, n int) []byte {
	if len(p) <= n {
		return p
	}
	i := 0
	for c := 0; c < n && i < len(p); c++ {
		_, w := utf8.DecodeRune(p[i:])
		i += w
	}
	return p[:i]
}

func castFromText(to types.T, try bool) Kernel {
	switch to.Kind {
	case types.Bool:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return parseBoolColumn(ctx, args[0], n, try)
		}
	case types.Int16:
		return textCast(to, try, func(s string, _ *Context) (int16, error) { v, err := ParseInt(s, to); return int16(v), err })
	case types.Int32:
		return textCast(to, try, func(s string, _ *Context) (int32, error) { v, err := ParseInt(s, to); return int32(v), err })
	case types.Int64:
		return textCast(to, try, func(s string, _ *Context) (int64, error) { return ParseInt(s, to) })
	case types.Float32:
		return textCast(to, try, func(s string, _ *Context) (float32, error) { return ParseFloat32(s) })
	case types.Float64:
		return textCast(to, try, func(s string, _ *Context) (float64, error) { return ParseFloat64(s) })
	case types.Decimal:
		return textCast(to, try, func(s string, _ *Context) (num, error) { return ParseNumeric(s, to) })
	case types.Date:
		return textCast(to, try, func(s string, _ *Context) (int32, error) { return ParseDate(s) })
	case types.Time:
		return textCast(to, try, func(s string, _ *Context) (int64, error) { return ParseTime(s) })
	case types.Timestamp:
		return textCast(to, try, func(s string, _ *Context) (int64, error) { return ParseTimestamp(s) })
	case types.TimestampTZ:
		return textCast(to, try, func(s string, c *Context) (int64, error) { return ParseTimestampTZ(s, c.location()) })
	case types.Interval:
		return textCast(to, try, func(s string, _ *Context) (arrow.MonthDayNanoInterval, error) { return ParseInterval(s, "") })
	case types.Bytea:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return parseByteaColumn(ctx, args[0], n, try)
		}
	case types.UUID:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return parseUUIDColumn(ctx, args[0], n, try)
		}
	case types.JSON:
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			return parseJSONColumn(ctx, args[0], n, try)
		}
	case types.Array:
		return castTextToArray(to, try) // cast_array.go
	}
	return nil
}

// textCast builds a kernel parsing each valid row with parse.
func textCast[D arrow.FixedWidthType](to types.T, try bool, parse func(string, *Context) (D, error)) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		v := viewBytes(args[0])
		return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (D, error) {
			return parse(bstr(v.at(i)), ctx)
		})
	}
}

func parseBoolColumn(ctx *Context, src arrow.Array, n int, try bool) (arrow.Array, error) {
	mem := ctx.mem()
	rv := newRowValidity(mem, src, n, try)
	bits := newBitmap(mem, n)
	v := viewBytes(src)
	for i := 0; i < n; i++ {
		if !rv.valid(i) {
			continue
		}
		b, err := ParseBool(bstr(v.at(i)))
		if err != nil {
			if err = rv.fail(i, err); err != nil {
				rv.release()
				bits.Release()
				return nil, err
			}
			continue
		}
		if b {
			bitutil.SetBit(bits.Bytes(), i)
		}
	}
	return makeArray(arrow.FixedWidthTypes.Boolean, n, rv.buf, bits, rv.nulls), nil
}

// ParseBytea parses bytea input: hex format ("\x0a1b") or escape format, where "\\" is a
// backslash and "\ooo" an octal byte.
func ParseBytea(s string) ([]byte, error) {
	if len(s) >= 2 && s[0] == '\\' && (s[1] == 'x' || s[1] == 'X') {
		h := make([]byte, 0, len(s)-2)
		for i := 2; i < len(s); i++ {
			if !isSpace(s[i]) {
				h = append(h, s[i])
			}
		}
		out := make([]byte, hex.DecodedLen(len(h)))
		if _, err := hex.Decode(out, h); err != nil {
			return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid hexadecimal data")
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) && isOct(s[i+3]) && s[i+1] <= '3':
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, errSyntax(types.ByteaT, s)
		}
	}
	return out, nil
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func parseByteaColumn(ctx *Context, src arrow.Array, n int, try bool) (arrow.Array, error) {
	mem := ctx.mem()
	rv := newRowValidity(mem, src, n, try)
	v := viewBytes(src)
	out := newBytesOut(mem, n, len(v.data)/2)
	for i := 0; i < n; i++ {
		if !rv.valid(i) {
			out.appendEmpty()
			continue
		}
		b, err := ParseBytea(bstr(v.at(i)))
		if err != nil {
			if err = rv.fail(i, err); err != nil {
				rv.release()
				out.finish(arrow.BinaryTypes.Binary, nil, 0).Release()
				return nil, err
			}
		}
		out.append(b)
	}
	return out.finish(arrow.BinaryTypes.Binary, rv.buf, rv.nulls), nil
}

// ParseUUID parses a UUID in PostgreSQL's accepted spellings: 32 hex digits, optionally
// grouped by hyphens after any group of four digits, optionally in braces.
func ParseUUID(s string) ([16]byte, error) {
	var u [16]byte
	v := s
	if len(v) >= 2 && v[0] == '{' && v[len(v)-1] == '}' {
		v = v[1 : len(v)-1]
	}
	k := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '-' && k > 0 && k%4 == 0 && k < 32 && i+1 < len(v) && v[i+1] != '-' {
			continue
		}
		d := unhex(c)
		if d < 0 || k >= 32 {
			return u, errSyntax(types.UUIDT, s)
		}
		u[k/2] |= byte(d) << (4 * (1 - k%2))
		k++
	}
	if k != 32 {
		return u, errSyntax(types.UUIDT, s)
	}
	return u, nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func parseUUIDColumn(ctx *Context, src arrow.Array, n int, try bool) (arrow.Array, error) {
	mem := ctx.mem()
	rv := newRowValidity(mem, src, n, try)
	data := memory.NewResizableBuffer(mem)
	data.Resize(16 * n)
	clear(data.Bytes())
	v := viewBytes(src)
	for i := 0; i < n; i++ {
		if !rv.valid(i) {
			continue
		}
		u, err := ParseUUID(bstr(v.at(i)))
		if err != nil {
			if err = rv.fail(i, err); err != nil {
				rv.release()
				data.Release()
				return nil, err
			}
			continue
		}
		copy(data.Bytes()[16*i:], u[:])
	}
	return makeArray(types.UUIDT.Arrow(), n, rv.buf, data, rv.nulls), nil
}

// parseJSONColumn validates JSON text; the value keeps its text (json, not jsonb).
func parseJSONColumn(ctx *Context, src arrow.Array, n int, try bool) (arrow.Array, error) {
	mem := ctx.mem()
	rv := newRowValidity(mem, src, n, try)
	v := viewBytes(src)
	out := newBytesOut(mem, n, len(v.data))
	for i := 0; i < n; i++ {
		b := v.at(i)
		if !rv.valid(i) {
			out.appendEmpty()
			continue
		}
		if !json.Valid(b) {
			if err := rv.fail(i, errSyntax(types.JSONT, string(b))); err != nil {
				rv.release()
				out.finish(arrow.BinaryTypes.String, nil, 0).Release()
				return nil, err
			}
			out.appendEmpty()
			continue
		}
		out.append(b)
	}
	return out.finish(arrow.BinaryTypes.String, rv.buf, rv.nulls), nil
}
